"""Table 四 in plain pdftotext text read as fours paired with their totals by their sums
(pipelines/extract/review_sums.py), on poppler's real output of the 淮安 report (WPS).

Its row is 72 64 178 37 351 | 13 4 8 1 26 | 12 1 1 6 20; plain pdftotext prints it as
72 64 178 37 | 12 1 1 6 | 351 | 13 4 8 1 26 | 20: the totals in the row's order, the fours
not (复议后起诉's before 未经复议直接起诉's)."""
from __future__ import annotations

from corpus import RENDERINGS, compare, group_blank, known_record
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.extract.review_sums import across_in_order
from pipelines.extract.runs import _review_pieces, number_runs
from pipelines.extract.text import read
from pipelines.validate import validate

PATH = RENDERINGS / "005_huaian_city_gov_2024.raw.txt"
# 行政复议's headers, two lines of four columns printed line by line across, then its four
REVIEW = ("结果\n\n结果\n\n其他结\n\n尚未\n\n维持\n\n纠正\n\n果\n\n审结\n\n总计\n\n"
          "72\n\n64\n\n178\n\n37\n")
# the lawsuits' totals: 未经复议直接起诉's closes its piece, 复议后起诉's comes last
TOTALS = "26\n\n总计\n\n20\n"


def text() -> str:
    out = PATH.read_text(encoding="utf-8")
    assert REVIEW in out and TOTALS in out      # the print this reading is for
    return out


def read_text(body: str) -> dict:
    return validate(extract(body.encode("utf-8"), filename=PATH.name))


def test_the_review_group_is_read_from_the_lines_it_is_printed_on():
    body = text()
    record = read_text(body)
    known = known_record(PATH.stem)
    assert record["review_litigation"]["review"] == known["review_litigation"]["review"]
    assert compare(record, known).wrong == []
    lines = body.split("\n")
    for field, value in known["review_litigation"]["review"].items():
        prov = record["provenance"][f"review_litigation.review.{field}"]
        assert prov["method"] == "position_checked"
        first, last = line_span(prov["locator"])
        assert first == last and lines[first - 1].strip() == str(value)


def test_the_lawsuits_stay_blank_since_two_totals_swapped_pair_them_the_other_way():
    """26 and 20 swapped, 13 4 8 1 adds up to 复议后起诉's total and 12 1 1 6 to
    未经复议直接起诉's: that print reads as well as this one, so neither lawsuit group is read
    here, nor, in that print, the other way round (which would put 12 where 13 is)."""
    body = text()
    swapped = body.replace(TOTALS, "20\n\n总计\n\n26\n")
    for record in (read_text(body), read_text(swapped)):
        assert group_blank(record, "litigation_direct") and group_blank(record, "litigation_after_review")
        assert record["review_litigation"]["review"]["total"] == 351


def test_a_changed_number_leaves_the_table_blank():
    """178 printed as 189: 行政复议's four adds up to no total, and no other pairing holds."""
    record = read_text(text().replace(REVIEW, REVIEW.replace("\n178\n", "\n189\n")))
    for group in ("review", "litigation_direct", "litigation_after_review"):
        assert group_blank(record, group)


def test_headers_printed_across_in_their_columns_order_show_the_fours_order():
    pieces = _review_pieces(number_runs(read(text())))
    assert [across_in_order(texts) for _cells, texts in pieces] == [True, True, False, False, False]


def test_headers_across_in_another_order_leave_the_four_blank():
    """The same headers with two columns' second lines exchanged (纠正 before 维持): they no
    longer show the four columns printed left to right, and the four's order (结果维持's
    number first?) is one no sum checks: 行政复议 stays blank."""
    changed = text().replace(REVIEW, REVIEW.replace("维持\n\n纠正", "纠正\n\n维持"))
    assert not across_in_order(_review_pieces(number_runs(read(changed)))[0][1])
    assert group_blank(read_text(changed), "review")
