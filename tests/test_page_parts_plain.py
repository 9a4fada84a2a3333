"""Table 三's rows of one page read under their numbered labels (page_parts.py), on plain
pdftotext of LibreOffice exports of office-typed reports whose large numbers wrap in their
cells (the fixture rendering and a held-out one, both real tool output): the whole table is
printed in an order no reading knows, a page of it plainly; that page's rows are read, each
adding up, and a number edited on it never gives a wrong cell."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import EDITS, RENDERINGS, compare, edits_with_wrong_cells, known_record
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"
X300 = RENDERINGS / "libreoffice_office_004_2023_x300.raw.txt"
WRAPPED = HELDOUT / "derived_seed_003_2022_x300.lo_office.raw.txt"   # 11561 printed 1156 / 1
PAGE = ("unable_not_held", "unable_needs_creation", "unable_unclear", "rejected_petition", "rejected_repeat",
        "rejected_publication", "rejected_excessive", "rejected_confirmation", "other_no_correction")


def read(path: Path) -> dict:
    return validate(extract(path.read_text(encoding="utf-8"), filename=path.name))


def known_of(path: Path) -> dict:
    if path.parent == HELDOUT:
        return json.loads((HELDOUT / f"{path.name.split('.')[0]}.json").read_text(encoding="utf-8"))
    return known_record(path.stem)


def printed(path: Path, locator: str) -> str:
    """The digits printed on a locator's lines, joined (a wrapped number's head and rest)."""
    a, b = line_span(locator)
    return "".join(path.read_text(encoding="utf-8").split("\n")[a - 1:b]).strip()


def test_a_page_printed_plainly_is_read_under_its_numbered_labels():
    record, known = read(X300), known_of(X300)
    assert compare(record, known).wrong == []
    for row in PAGE:
        want, got = known["applications"][row], record["applications"][row]
        # a row of zeros whole; else its total alone (no sum says which column a number is in);
        # a zero that a print one swap away, read column by column, takes from a swapped place
        # stays blank (page_parts._swap_doubted)
        expected = want if not any(want.values()) else {**dict.fromkeys(want), "total": want["total"]}
        assert all(got[c] in (None, v) for c, v in expected.items())
        assert all(got[c] is None for c, v in expected.items() if v is None)
        if any(want.values()):
            assert got["total"] == want["total"]
        for col, value in got.items():
            if value is None:
                continue
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            if where["note"]:   # a zero of a row of zeros: one of the row's printed zeros
                assert where["note"].startswith("one of 7 printed 0 (lines ")
                assert set(printed(X300, where["locator"])) == {"0"}
            else:
                assert printed(X300, where["locator"]) == str(value)
    assert any("the whole rows of one page, read from that page" in f["message"] for f in record["findings"])


def test_a_number_wrapped_in_its_cell_is_read_whole_from_its_two_lines():
    record, known = read(WRAPPED), known_of(WRAPPED)
    assert compare(record, known).wrong == []
    row = record["applications"]["unable_not_held"]
    assert row["total"] == known["applications"]["unable_not_held"]["total"] == 11562
    assert row["natural_person"] is None     # 11561 adds up in any applicant column
    for col in ("total",):
        locator = record["provenance"][f"applications.unable_not_held.{col}"]["locator"]
        a, b = line_span(locator)
        assert b == a + 1 and printed(WRAPPED, locator) == str(row[col])


def test_a_page_printed_in_blocks_of_its_own_is_not_read_in_bands():
    """The last page prints its columns' cells of two rows as blocks (0 / 0 on consecutive
    lines) and the third row's apart: read in bands of rows each its own way, the bands of
    three rows read column by column take a block's cell into the next column, and the
    total row's 1 moves from 法律服务机构 to 社会公益组织 with every row still adding up. Read
    whole one way, no reading of that page adds up: it stays blank."""
    record, known = read(WRAPPED), known_of(WRAPPED)
    total = record["applications"].get("total") or {}
    assert known["applications"]["total"]["legal_service"] == 1
    assert total.get("public_interest") in (None, 0) and total.get("legal_service") in (None, 1)


@pytest.mark.parametrize("path", (X300, WRAPPED), ids=lambda p: p.name)
@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_of_the_page_never_gives_a_wrong_cell(path, how):
    lines = path.read_text(encoding="utf-8").split("\n")
    known = {f"{t}.{r}.{c}": v for t in ("active_disclosure", "applications", "review_litigation")
             for r, cols in (known_of(path).get(t) or {}).items() if isinstance(cols, dict)
             for c, v in cols.items()}
    label = next(i for i, t in enumerate(lines) if t.startswith("（四）"))   # the page's first row label

    def page(spots):
        first = next(i for i, s in enumerate(spots) if s.line > label)   # the page's first number
        return range(first, first + 12)

    edits, wrong = edits_with_wrong_cells(lines, path.name, known, page, how)
    assert wrong == []
    assert edits >= 5
