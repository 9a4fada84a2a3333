"""Table 三's 总计 and 结转 rows from the two-number boxes pdfminer prints them in on a Writer
export's last page of table 三, among table 四's numbers (total_rows.py), on the fixture
renderings (pdfminer.six of real LibreOffice PDFs): read exactly, each cell from the line
that prints it; never a wrong number when one of those numbers is blanked, added, changed
or swapped with the next."""
from __future__ import annotations

import json
import re

import pytest

from corpus import EDITS, RENDERINGS, Edit, Spot, cells, compare, edited, known_record, wrong_cells
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

SEEDS = sorted(RENDERINGS.glob("libreoffice_seed_00?.pdfminer.txt"))
HELDOUT = RENDERINGS.parent / "heldout"
ROWS = ("total", "carried_forward")


def read(text: str, name: str) -> dict:
    return validate(extract(text, filename=name))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_both_rows_are_read_each_cell_from_its_own_line(path):
    text = path.read_text(encoding="utf-8")
    record = read(text, path.name)
    known = known_record(path.stem)
    assert compare(record, known).wrong == []
    lines = text.split("\n")
    for row in ROWS:
        assert record["applications"][row] == known["applications"][row]
        for col, value in record["applications"][row].items():
            where = record["provenance"][f"applications.{row}.{col}"]
            n = line_span(where["locator"])[0]
            assert lines[n - 1].strip() == str(value)
    # each column's two cells are one box: two lines, an empty line before and after
    for col in record["applications"]["total"]:
        n = line_span(record["provenance"][f"applications.total.{col}"]["locator"])[0]
        assert line_span(record["provenance"][f"applications.carried_forward.{col}"]["locator"])[0] == n + 1
        assert lines[n - 2].strip() == "" and lines[n + 1].strip() == ""


@pytest.mark.parametrize("how", EDITS)
@pytest.mark.parametrize("name", ["libreoffice_seed_000.pdfminer.txt", "libreoffice_seed_002.pdfminer.txt"])
def test_one_edited_number_of_the_two_rows_never_gives_a_wrong_cell(name, how):
    path = RENDERINGS / name
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    known = cells(known_record(path.stem))
    before = extract(text, filename=name)
    boxed = {line_span(before["provenance"][f"applications.{row}.{col}"]["locator"])[0] - 1
             for row in ROWS for col in before["applications"][row]}
    heading = next(i for i, t in enumerate(lines) if "收到和处理政府信息公开申请情况" in t)
    spots = [Spot(i, 0, len(t), t) for i, t in enumerate(lines) if i > heading and re.fullmatch(r"\d+", t)]
    made, wrong = 0, []
    for i, spot in enumerate(spots):
        if spot.line not in boxed:
            continue
        edit = edited(lines, spots, i, how)
        if edit is None:
            continue
        made += 1
        wrong += wrong_cells(extract("\n".join(edit.lines), filename=name), known, edit, before)
    assert wrong == []
    assert made >= (3 if how == "swap" else 14)   # a swap of two equal numbers is no edit


def test_seven_boxes_that_do_not_hold_the_balance_are_not_read():
    """With 本年新收's 自然人 changed, no column of boxes holds the balance in that column:
    the rows are not read from the boxes (the first rows' readings may still be)."""
    path = RENDERINGS / "libreoffice_seed_002.pdfminer.txt"
    text = path.read_text(encoding="utf-8")
    before = read(text, path.name)
    line = line_span(before["provenance"]["applications.new_received.natural_person"]["locator"])[0] - 1
    lines = text.split("\n")
    assert lines[line].strip() == "55"
    lines[line] = "56"
    record = read("\n".join(lines), path.name)
    assert all(v is None for row in ROWS for v in ((record["applications"] or {}).get(row) or {}).values())


def test_a_zero_taken_out_of_a_box_of_three_zeros_reads_no_row_from_other_rows_cells():
    """Held out h029 (×0, lo_office, pdfminer): table 三's last page prints each column's
    其他 / 总计 / 结转 as a box of three zeros, and an earlier page six boxes of two zeros
    (cells of rows above, one over the other). A zero of the last box taken out left a
    seventh box of two: on main before, the seven were read as the columns' 总计 and 结转,
    from the places of other rows' cells (结转's total from 总计's 0). Only the boxes on the
    page of those rows' labels are weighed: each such edit reads neither row from elsewhere."""
    path = HELDOUT / "h029_seed4_2023_s6_x0.lo_office.pdfminer.txt"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    known = cells(json.loads((HELDOUT / "h029_seed4_2023_s6_x0.json").read_text(encoding="utf-8")))
    before = extract(text, filename=path.name)
    forward = next(i for i, t in enumerate(lines) if t.startswith("四、结转下年度继续办理"))
    label = next(i for i, t in enumerate(lines) if t == "行政复议")
    last_page = max(i for i, t in enumerate(lines[:forward]) if t.startswith("\f"))
    boxed = [i for i in range(forward + 1, label) if lines[i] == "0"]
    assert len(boxed) == 18     # six boxes of three zeros, after 结转's label
    for i in boxed:
        edit = Edit(lines[:i] + lines[i + 1:], {}, {i: lines[i]})
        got = extract("\n".join(edit.lines), filename=path.name)
        assert wrong_cells(got, known, edit, before) == [], i + 1
        for row in ROWS:
            for col in (got["applications"] or {}).get(row) or {}:
                where = got["provenance"].get(f"applications.{row}.{col}")
                assert where is None or line_span(where["locator"])[0] > last_page, (i + 1, row, col)
