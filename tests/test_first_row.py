"""Table 三's first row from the numbers pdfminer prints right after each column's header
(first_row.py), on pdfminer texts of held-out LibreOffice exports of office-typed reports
(copied from the held-out cache): read where the row adds up, each cell from the line that
prints it; 商业企业 / 科研机构 only where their two numbers are alike; a cell that a print one
swap away gives another number stays blank; never a wrong number when one of the numbers
around the row's is blanked, added, changed or swapped with the next."""
from __future__ import annotations

import json

import pytest

from corpus import EDITS, RENDERINGS, cells, edited, number_spots, wrong_cells
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

HELDOUT = RENDERINGS.parent / "heldout"
ROW = "new_received"


def _text(name: str) -> tuple[str, dict]:
    text = (HELDOUT / f"{name}.lo_office.pdfminer.txt").read_text(encoding="utf-8")
    return text, json.loads((HELDOUT / f"{name}.json").read_text(encoding="utf-8"))


# (report, the first row's cells read: every other one blank)
CASES = [
    # 1508 88 after the rows' labels, 0 0 after 科研机 商业企 构 业, 0 社会公益, 0 法律服务,
    # 其他's twelve 0s, 总计's 1508 88 …: the whole row
    ("h002_seed2_2021_s1_x25", ("natural_person", "enterprise", "research", "public_interest", "legal_service",
                                "other_org", "total")),
    # 0 1 after 科研机 商业企 构 业 (which is 商业企业's the print does not say: blank); 社会公益's 0
    # swapped with that 1 adds up too (a print one swap away): blank
    ("h000_seed0_2019_s1_x1", ("natural_person", "legal_service", "other_org", "total")),
    # 0 5 after the pair's headers, 社会公益 1, 法律服务 0 (1 and 0 swapped add up too)
    ("h015_seed0_2019_s4_x5", ("natural_person", "other_org", "total")),
]


@pytest.mark.parametrize("name, read", CASES, ids=[c[0] for c in CASES])
def test_the_first_row_is_read_each_cell_from_its_own_line(name, read):
    text, known = _text(name)
    record = validate(extract(text, filename=f"{name}.lo_office.pdfminer.txt"))
    lines = text.split("\n")
    got = record["applications"][ROW]
    assert {col for col, v in got.items() if v is not None} == set(read)
    for col in read:
        assert got[col] == known["applications"][ROW][col]
        where = record["provenance"][f"applications.{ROW}.{col}"]
        a, b = line_span(where["locator"])
        if a == b:
            assert lines[a - 1].strip() == str(got[col])
        else:   # 商业企业 / 科研机构: one of two lines each printing the number
            assert {lines[a - 1].strip(), lines[b - 1].strip()} == {str(got[col])}


@pytest.mark.parametrize("how", EDITS)
@pytest.mark.parametrize("name", ["h002_seed2_2021_s1_x25", "h000_seed0_2019_s1_x1"])
def test_a_number_edited_near_the_first_row_never_gives_a_wrong_cell(name, how):
    text, record = _text(name)
    path = f"{name}.lo_office.pdfminer.txt"
    lines = text.split("\n")
    known = cells(record)
    before = extract(text, filename=path)
    read = {line_span(before["provenance"][f"applications.{ROW}.{col}"]["locator"])[0] - 1
            for col, v in before["applications"][ROW].items() if v is not None}
    spots = number_spots(lines, "三")
    # the row's numbers and their neighbours in print order
    near = {k for i, s in enumerate(spots) if s.line in read for k in (i - 1, i, i + 1)}
    made, wrong = 0, []
    for i in sorted(near):
        edit = edited(lines, spots, i, how) if 0 <= i < len(spots) else None
        if edit is None:
            continue
        made += 1
        wrong += wrong_cells(extract("\n".join(edit.lines), filename=path), known, edit, before)
    assert wrong == []
    assert made >= 3
