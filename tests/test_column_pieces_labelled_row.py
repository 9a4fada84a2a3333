"""Table 三 printed as column pieces where one row's first numbers come out with its label
(column_pieces.py, _blocks). The fixture is pdfminer.six's extract_text of
reportgen.render_pdf of a derived report (seed 4, 2023, ×25, derive seed 101; not one of the
held-out set): the pieces of 自然人 and 商业企业, then '1.本机关不掌握相关政府信息' with that
row's 自然人 and 商业企业 numbers (184 47) before the zero columns, then 总计 and its 25 numbers.
On the held-out texts pdfminer also prints such a label and its numbers right after the 总计
column (h004): the same text with the label moved there reads the same."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import EDITS, assert_pieces_read, cells, compare, edits_with_wrong_cells
from pipelines.extract import extract
from pipelines.validate import validate

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"
PATH = HELDOUT / "derived_seed_004_2023_x25_s101.pdf.pdfminer.txt"
KNOWN = json.loads((HELDOUT / "derived_seed_004_2023_x25_s101.json").read_text(encoding="utf-8"))
LABEL = "1.本机关不掌握相关政府信息"
ROW = KNOWN["applications"]["unable_not_held"]


def read(text: str) -> dict:
    return validate(extract(text, filename=PATH.name))


def lines() -> list[str]:
    return PATH.read_text(encoding="utf-8").split("\n")


def labelled_row_at(ls: list[str]) -> int:
    """The label's line, checked to be followed by its row's first two numbers."""
    at = ls.index(LABEL)
    assert [ls[at + 2], ls[at + 4]] == [str(ROW["natural_person"]), str(ROW["enterprise"])]
    return at


def assert_read(record: dict, ls: list[str]) -> None:
    assert_pieces_read(record, KNOWN, ls)
    # the labelled row's numbers are read from the lines after its label
    at = labelled_row_at(ls)
    for col, line in (("natural_person", at + 3), ("enterprise", at + 5)):
        assert record["provenance"][f"applications.unable_not_held.{col}"]["locator"] == f"lines {line}-{line}"


def test_a_rows_numbers_printed_with_its_label_are_that_rows_first_cells():
    ls = lines()
    assert_read(read("\n".join(ls)), ls)


def test_the_label_and_its_numbers_after_the_total_column_read_the_same():
    ls = lines()
    at = labelled_row_at(ls)
    moved, rest = ls[at:at + 6], ls[:at] + ls[at + 6:]
    # the 总计 column: its header a character a line, then its 25 numbers a line apart
    head = next(i for i in range(len(rest) - 1) if (rest[i], rest[i + 1]) == ("总", "计"))
    last = head + 3 + 2 * (len(KNOWN["applications"]) - 1)
    assert rest[last] == str(KNOWN["applications"]["carried_forward"]["total"])
    ls = rest[:last + 2] + moved + rest[last + 2:]
    assert_read(read("\n".join(ls)), ls)


def test_the_label_names_the_row_another_rows_label_reads_nothing_wrong():
    """Under 2.重复申请's label the same numbers make that row's sums fail: not read."""
    ls = lines()
    at = labelled_row_at(ls)
    ls[at] = "2.重复申请"
    record = read("\n".join(ls))
    assert compare(record, KNOWN).wrong == []
    assert (record["applications"] or {}).get("unable_not_held", {}).get("natural_person") is None


@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_never_gives_a_wrong_cell(how):
    ls = lines()
    known = cells(KNOWN)
    at = labelled_row_at(ls)

    def picked(spots):
        # the labelled row's numbers, the pieces' first numbers and the 总计 column's first
        bound = next(i for i, s in enumerate(spots) if s.line == at + 2)
        first = next(i for i, s in enumerate(spots) if s.text == str(KNOWN["applications"]["new_received"]["natural_person"]))
        total = next(i for i, s in enumerate(spots) if i > bound and s.text == str(KNOWN["applications"]["new_received"]["total"]))
        return [*range(first, first + 2), *range(bound - 1, bound + 3), *range(total, total + 2)]

    # pdfminer printed table 四's heading before table 三's numbers: they are in 四's area
    edits, wrong = edits_with_wrong_cells(ls, PATH.name, known, picked, how, area="四")
    assert wrong == []
    assert edits >= 5
