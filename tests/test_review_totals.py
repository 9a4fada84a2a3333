"""Table 四 in plain pdftotext text read as fours paired with their totals
(pipelines/extract/review_totals.py), on poppler's real output of reportlab's PDF.

seed_004's row is 0 3 0 4 7 | 10 0 0 0 10 | 0 0 0 0 0; plain pdftotext prints it as
0 0 0 0 (the last group's four, amid table 三, before the heading) | 0 3 0 4 |
10 0 0 0 7 | 10 0: no order of those pieces gives the row back, the fours and the totals
each keep the row's order."""
from __future__ import annotations

from corpus import RENDERINGS, compare, group_blank, known_record
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

PATH = RENDERINGS / "seed_004.raw.txt"
# the lines of table 四's heading on, as poppler printed them: the pieces 0 3 0 4 | 10 0 0 0 7 | 10 0
TAIL = "尚未审\n结\n\n0\n\n3\n\n0\n\n4\n\n总计"
TOTALS = "总计\n10\n\n0\n\n五、"


def read_text(text: str) -> dict:
    return validate(extract(text.encode("utf-8"), filename=PATH.name))


def test_pieces_out_of_the_rows_order_are_read_by_their_totals():
    text = PATH.read_text(encoding="utf-8")
    assert TAIL in text and TOTALS in text     # the print this reading is for
    record = read_text(text)
    known = known_record(PATH.stem)
    assert record["review_litigation"] == known["review_litigation"]
    assert compare(record, known).wrong == []
    # each number from the line it is printed on: 复议后起诉's total is the last 0 of the row
    lines = text.split("\n")
    for group, cols in known["review_litigation"].items():
        for col, value in cols.items():
            prov = record["provenance"][f"review_litigation.{group}.{col}"]
            assert prov["method"] == "position_checked"
            first, last = line_span(prov["locator"])
            assert first == last and lines[first - 1].strip() == str(value)
    total = record["provenance"]["review_litigation.litigation_after_review.total"]["locator"]
    assert lines.index("五、存在的主要问题及改进情况") + 1 - int(total.split("-")[1]) == 2


def test_two_totals_swapped_leave_the_table_blank_not_one_groups_four_in_another():
    """10 and 0 swapped: 未经复议直接起诉's four (10 0 0 0) would add up under 复议后起诉's
    total (now 10) were the fours paired by sum alone; in the row's order they fail."""
    text = PATH.read_text(encoding="utf-8").replace(TOTALS, "总计\n0\n\n10\n\n五、")
    record = read_text(text)
    assert group_blank(record, "litigation_direct") and group_blank(record, "litigation_after_review")
    assert any("table 四 not read by position" in f["message"] for f in record["findings"])


def test_a_changed_part_leaves_the_table_blank():
    """行政复议's 3 printed as 5: its sum fails, and no other cut of the pieces holds."""
    text = PATH.read_text(encoding="utf-8").replace(TAIL, TAIL.replace("\n3\n", "\n5\n"))
    record = read_text(text)
    for group in ("review", "litigation_direct", "litigation_after_review"):
        assert group_blank(record, group)


ROW_END = "10\n\n0\n\n0\n\n0\n\n7\n\n" + TOTALS   # 未经复议直接起诉's four, 行政复议's total, the last two


def test_a_total_printed_before_its_four_is_no_pairing():
    """行政复议's and 未经复议直接起诉's totals moved ahead of the direct lawsuits' four
    (7 10 | 10 0 0 0 | 0): both orders and the sums would still pair them, but a tool prints
    a row's columns left to right, never a total before the four it closes: no reading."""
    text = PATH.read_text(encoding="utf-8")
    assert ROW_END in text
    record = read_text(text.replace(ROW_END, "7\n\n10\n\n10\n\n0\n\n0\n\n0\n\n总计\n0\n\n五、"))
    assert group_blank(record, "litigation_direct")
