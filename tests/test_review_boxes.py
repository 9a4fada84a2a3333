"""Table 四's lawsuit groups in pdfminer's box-by-box print of a Writer export of an
office-typed report (pipelines/extract/review_boxes.py), on pdfminer's real output: each
column header of 未经复议直接起诉 and 复议后起诉 set one character a line, its number in
its box."""
from __future__ import annotations

from corpus import RENDERINGS, compare, group_blank, known_record
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


def test_two_totals_of_one_value_leave_both_groups_blank():
    # 复议后起诉 0 0 0 10, total 10: both totals are 10, and both groups add up whichever
    # box's 10 is whose; the place of each total is not told, so neither group is read
    text = original().replace(TOTALS, TOTALS.replace("审\n结\n1\n", "审\n结\n10\n").replace("计\n\n1\n", "计\n\n10\n"))
    record = read_text(text)
    assert all(group_blank(record, g) for g in LAWSUITS)


def test_equal_numbers_in_the_shared_box_leave_that_group_blank():
    # 0 and 0 in the shared box: 结果维持 of 未经复议直接起诉 may be either printed number
    text = original().replace(SHARED, SHARED.replace("4\n7\n", "0\n0\n"))
    text = text.replace(TOTALS, TOTALS.replace("计\n\n10\n", "计\n\n3\n"))
    record = read_text(text)
    assert group_blank(record, "litigation_direct")
    assert record["review_litigation"]["litigation_after_review"] == \
        known_record(PATH.stem)["review_litigation"]["litigation_after_review"]


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
