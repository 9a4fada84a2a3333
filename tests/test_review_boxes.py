"""Table 四's lawsuit groups in pdfminer's box-by-box print of a Writer export of an
office-typed report (pipelines/extract/review_boxes.py), on pdfminer's real output: each
column header of 未经复议直接起诉 and 复议后起诉 set one character a line, its number in
its box."""
from __future__ import annotations

import json

import pytest

from corpus import RENDERINGS, Edit, cells, compare, group_blank, known_record, wrong_cells
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

PATH = RENDERINGS / "libreoffice_office_004_2024.pdfminer.txt"
LAWSUITS = ("litigation_direct", "litigation_after_review")
# 未经复议直接起诉's first column shares its box with 行政复议's 结果纠正 number (4, 7);
# its other columns' boxes come before 复议后起诉's label, the totals' late, of either group
SHARED = "行政诉讼\n未经复议直接起诉\n结\n果\n维\n持\n4\n7\n五、存在的主要问题及改进情况\n"
DIRECT_PENDING = "\n尚\n未\n审\n结\n1\n\n"
AFTER = "复议后起诉\n结\n果\n维\n持\n0\n"
TOTALS = "总\n计\n\n10\n\n尚\n未\n审\n结\n1\n\n总\n计\n\n1\n"


def read_text(text: str) -> dict:
    return validate(extract(text.encode("utf-8"), filename=PATH.name))


def original() -> str:
    text = PATH.read_text(encoding="utf-8")
    assert SHARED in text and DIRECT_PENDING in text and AFTER in text and TOTALS in text  # the print read here
    return text


def test_lawsuit_groups_read_from_the_numbers_in_their_headers_boxes():
    text = original()
    record = read_text(text)
    known = known_record(PATH.stem)
    assert compare(record, known).wrong == []
    lines = text.split("\n")
    for group in LAWSUITS:
        assert record["review_litigation"][group] == known["review_litigation"][group]
        for col, value in known["review_litigation"][group].items():
            prov = record["provenance"][f"review_litigation.{group}.{col}"]
            first, last = line_span(prov["locator"])
            assert first == last and lines[first - 1].strip() == str(value)
    # 结果维持 of 未经复议直接起诉 is the 7 of the shared box (4 + 0 + 2 + 1 is not its total 10)
    prov = record["provenance"]["review_litigation.litigation_direct.upheld"]
    assert lines[line_span(prov["locator"])[0] - 2].strip() == "4"
    # 行政复议's numbers are boxes of their own, in an order the sums cannot check
    assert group_blank(record, "review")


def _spans(record, lines, path) -> list[str]:
    """The printed numbers a cell's provenance spans (one line, or the lines of one_of)."""
    first, last = line_span(record["provenance"][path]["locator"])
    return [lines[n - 1].strip() for n in range(first, last + 1) if lines[n - 1].strip().isdigit()]


def test_two_totals_of_one_value_read_as_one_of_either_box():
    # 复议后起诉 0 0 0 10, total 10: both totals are 10, and both groups add up whichever
    # box's 10 is whose. Every reading gives each group the same numbers from the same
    # printed numbers, only which 10 is whose differs: both groups are read, each total
    # claiming neither box (its locator spans both, its note says it is one of them)
    text = original().replace(TOTALS, TOTALS.replace("审\n结\n1\n", "审\n结\n10\n").replace("计\n\n1\n", "计\n\n10\n"))
    record = read_text(text)
    after = dict(known_record(PATH.stem)["review_litigation"]["litigation_after_review"], pending=10, total=10)
    assert record["review_litigation"]["litigation_after_review"] == after
    assert record["review_litigation"]["litigation_direct"] == \
        known_record(PATH.stem)["review_litigation"]["litigation_direct"]
    lines = text.split("\n")
    for group in LAWSUITS:
        prov = record["provenance"][f"review_litigation.{group}.total"]
        assert "one of 2 printed 10" in prov.get("note", ""), prov
        assert _spans(record, lines, f"review_litigation.{group}.total").count("10") >= 2


def test_equal_numbers_in_the_shared_box_read_as_one_of_them():
    # 0 and 0 in the shared box: 结果维持 of 未经复议直接起诉 is one of the two printed 0s (the
    # other is 行政复议's 结果纠正), which one the print does not say, but both are 0
    text = original().replace(SHARED, SHARED.replace("4\n7\n", "0\n0\n"))
    text = text.replace(TOTALS, TOTALS.replace("计\n\n10\n", "计\n\n3\n"))
    record = read_text(text)
    direct = dict(known_record(PATH.stem)["review_litigation"]["litigation_direct"], upheld=0, total=3)
    assert record["review_litigation"]["litigation_direct"] == direct
    prov = record["provenance"]["review_litigation.litigation_direct.upheld"]
    assert "one of 2 printed 0" in prov.get("note", ""), prov
    assert record["review_litigation"]["litigation_after_review"] == \
        known_record(PATH.stem)["review_litigation"]["litigation_after_review"]


def test_equal_numbers_in_the_shared_box_the_sums_refuse_leave_that_group_blank():
    # 0 and 0 in the shared box, but 0 + 0 + 2 + 1 is not the total 10: no reading adds up
    text = original().replace(SHARED, SHARED.replace("4\n7\n", "0\n0\n"))
    record = read_text(text)
    assert group_blank(record, "litigation_direct")
    assert compare(record, known_record(PATH.stem)).wrong == []


def test_a_stray_number_in_a_headers_box_leaves_both_groups_blank():
    # a second number under 尚未审结: not the box of one header and its number
    text = original().replace(DIRECT_PENDING, "\n尚\n未\n审\n结\n1\n7\n\n")
    record = read_text(text)
    assert all(group_blank(record, g) for g in LAWSUITS)
    assert compare(record, known_record(PATH.stem)).wrong == []


def test_the_shared_boxs_numbers_swapped_leave_that_group_blank():
    # 7 then 4: the sums would take the first number as 结果维持's (7 + 0 + 2 + 1 = 10), but
    # it is printed second; taking whichever adds up would undo the swap, not read the print
    text = original().replace(SHARED, SHARED.replace("4\n7\n", "7\n4\n"))
    record = read_text(text)
    assert group_blank(record, "litigation_direct")
    assert record["review_litigation"]["litigation_after_review"] == \
        known_record(PATH.stem)["review_litigation"]["litigation_after_review"]


HELDOUT = RENDERINGS.parent / "heldout"


def _lawsuits_read_from_held_out(name: str) -> dict:
    path = HELDOUT / name
    record = validate(extract(path.read_bytes(), filename=path.name))
    known = json.loads((HELDOUT / f"{name.split('.')[0]}.json").read_text(encoding="utf-8"))
    assert compare(record, known).wrong == []
    for group in LAWSUITS:
        assert record["review_litigation"][group] == known["review_litigation"][group], group
    return record


def test_equal_totals_and_equal_shared_numbers_of_a_held_out_export():
    # held out h002 (lo_office, pdfminer): the shared box prints 0 0 and both totals' boxes 2;
    # every reading that adds up gives both groups the same numbers (on main before: blank)
    record = _lawsuits_read_from_held_out("derived_seed_002_2021_s1_x25.lo_office.pdfminer.txt")
    assert "one of 2 printed 2" in record["provenance"]["review_litigation.litigation_direct.total"]["note"]


def test_a_third_total_box_that_no_reading_takes_leaves_the_groups_read():
    # held out h011 (lo_office, pdfminer): a 总计 box of table 三 with a 0 after it is a third
    # candidate total; no reading that adds up takes it, and the two that do take the two 3s
    # (on main before: no reading, the boxes naming 总计 three times)
    _lawsuits_read_from_held_out("derived_seed_001_2020_s3_x1.lo_office.pdfminer.txt")


def _wrapped_total_head(lines: list[str]) -> int:
    """The line of the head of the last total box's number, printed wrapped (总 / 计, then
    25 / 2 in a box of its own)."""
    return max(i + 3 for i in range(len(lines) - 5) if lines[i:i + 3] == ["总", "计", ""]
               and lines[i + 3].isdigit() and lines[i + 4].isdigit() and lines[i + 5] == "")


@pytest.mark.parametrize("name", ["h034_seed4_2023_s7_x25.lo_office.pdfminer.txt",
                                  "h036_seed1_2020_s8_x300.lo_office.pdfminer.txt"])
def test_a_wrapped_totals_rest_and_a_wrapped_shared_box_read_no_group(name):
    # held out h034 / h036 (lo_office, pdfminer): 未经复议直接起诉's 结果维持 and 总计 are
    # three-digit numbers their narrow cells wrapped (252 and 252 as 25 / 2; 288 and 289 as
    # 28 / 8 and 28 / 9), the first in the box 行政复议's 结果纠正 shares with it elsewhere. With
    # the total's head taken out, its rest (2, 9) adds up with the shared box's second piece
    # (2 0 0 0 2, 8 0 1 0 9): read so on main before. The shared box may be one wrapped number:
    # the group stays blank
    path = HELDOUT / name
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    known = cells(json.loads((HELDOUT / f"{name.split('.')[0]}.json").read_text(encoding="utf-8")))
    before = extract(text, filename=name)
    head = _wrapped_total_head(lines)
    edit = Edit(lines[:head] + lines[head + 1:], {}, {head: lines[head]})
    got = extract("\n".join(edit.lines), filename=name)
    assert wrong_cells(got, known, edit, before) == []
    assert group_blank(got, "litigation_direct")
