"""Table 四 in plain pdftotext text read number by number from the headers printed before
them (pipelines/extract/review_headed.py), on poppler's real output of a Writer export of
an office-typed report: its headers read across their columns one character a line."""
from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from corpus import RENDERINGS, compare, group_blank, known_record
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.extract.review_headed import _interleaved, decode_headers
from pipelines.validate import validate

PATH = RENDERINGS / "libreoffice_office_000_2019.raw.txt"
# 未经复议直接起诉: its four headers interleaved, its four numbers on consecutive lines;
# its total comes past the next section's heading
DIRECT = "未经复议直接起诉\n结\n结\n其\n尚\n果\n果\n他\n未\n维\n纠\n结\n审\n持\n正\n果\n结\n2\n0\n2\n0\n"
DIRECT_TOTAL = "五、存在的主要问题及改进情况\n\n总\n计\n4\n"
# 行政复议: printed 结果维持, 其他结果, 尚未审结, 总计, 结果纠正 (1 0 0 5 4), each its own block
REVIEW = "总\n计\n\n1\n\n0\n\n0\n\n5\n\n4\n"


def read_text(text: str) -> dict:
    return validate(extract(text.encode("utf-8"), filename=PATH.name))


def test_interleaved_headers_decode_to_their_fields_in_order():
    assert decode_headers("结结其尚果果他未维纠结审持正果结") == (["upheld", "corrected", "other", "pending"], True)
    assert decode_headers("结结其果果他维纠结持正果") == (["upheld", "corrected", "other"], True)
    assert decode_headers("结结果果维纠持正其他结果尚未审结总计") == (
        ["upheld", "corrected", "other", "pending", "total"], True)
    assert decode_headers("结果维持结果纠正") == (["upheld", "corrected"], False)
    assert decode_headers("结果维持本年新收") is None
    # 总计 (two characters) cut across beside four four-character headers
    assert decode_headers("结结其尚总果果他未计维纠结审持正果结") == (
        ["upheld", "corrected", "other", "pending", "total"], True)
    assert _interleaved("结结其尚总果果他未计维纠结审持正果结", 5, 4) is None


def test_groups_read_from_their_headers_and_the_second_column_printed_last():
    text = PATH.read_text(encoding="utf-8")
    assert DIRECT in text and DIRECT_TOTAL in text and REVIEW in text     # the print this reading is for
    record = read_text(text)
    known = known_record(PATH.stem)
    assert compare(record, known).wrong == []
    assert record["review_litigation"] == known["review_litigation"]
    # 行政复议's numbers, one block each after its label and its first two headers joined in
    # one block: 结果维持 1, 其他结果 0, 尚未审结 0, 总计 5, then 结果纠正 4 (the sums put
    # the total fourth, not fifth); each is read from the line printing it
    lines = text.split("\n")
    for group in ("review", "litigation_direct", "litigation_after_review"):
        for col, value in known["review_litigation"][group].items():
            prov = record["provenance"][f"review_litigation.{group}.{col}"]
            assert prov["method"] == "position_checked"
            first, last = line_span(prov["locator"])
            assert first == last and lines[first - 1].strip() == str(value)


def test_a_total_printed_last_is_no_reading_of_the_second_column_printed_last():
    """5 and 4 swapped (1 0 0 4 5): the sums put the total fifth, in the columns' order; the
    structure says the second column's number comes last, so neither order is read."""
    record = read_text(PATH.read_text(encoding="utf-8").replace(REVIEW, REVIEW.replace("5\n\n4", "4\n\n5")))
    assert group_blank(record, "review")
    assert compare(record, known_record(PATH.stem)).wrong == []


def test_zeros_adding_up_in_either_order_are_read_in_neither():
    """0 0 0 5 5: the total fourth (结果纠正 5) or fifth (尚未审结 5) both add up."""
    record = read_text(PATH.read_text(encoding="utf-8").replace(REVIEW, "总\n计\n\n0\n\n0\n\n0\n\n5\n\n5\n"))
    assert group_blank(record, "review")
    known = known_record(PATH.stem)
    for group in ("litigation_direct", "litigation_after_review"):
        assert record["review_litigation"][group] == known["review_litigation"][group]


def test_headers_not_joined_by_the_label_are_not_read_second_last():
    """The label a block of its own (an empty line before 结): the print that puts the second
    column's number last is the one where the label joins the first two headers."""
    text = PATH.read_text(encoding="utf-8")
    assert "行政复议\n结\n结\n" in text
    record = read_text(text.replace("行政复议\n结\n结\n", "行政复议\n\n结\n结\n"))
    assert group_blank(record, "review")
    assert compare(record, known_record(PATH.stem)).wrong == []


DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


@pytest.mark.skipif(not DROID.exists() or shutil.which("pdftotext") is None, reason="needs pdftotext and Droid")
def test_poppler_prints_the_second_joined_columns_number_last(tmp_path):
    """What the reading above rests on, asked of poppler itself: 行政复议's cells laid out as
    the Writer export lays them (label over the first two columns, headers one character a
    line, one number each), the columns 29 to 44 points apart, numbers of one to three
    digits: plain pdftotext prints the first column's number, the third to fifth, then the
    second's. Without the label it prints the columns in order."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(TTFont("Droid", str(DROID)))
    rng = random.Random(7)

    def printed(step, nums, label):
        path = tmp_path / "p.pdf"
        page = canvas.Canvas(str(path), pagesize=(595, 842))
        xs = [79.5 + step * i for i in range(5)]
        page.setFont("Droid", 10.5)
        if label:
            page.drawString(xs[0], 726, "行政复议")
        for x, header in zip(xs, ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")):
            for j, ch in enumerate(header):
                page.drawString(x, 713.5 - 12.3 * j, ch)
        page.setFont("Helvetica", 10.5)
        for x, n in zip(xs, nums):
            page.drawString(x, 651.5, str(n))
        page.save()
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return [nums.index(int(line)) for line in out.split("\n") if line.strip().isdigit()]

    for step in (28.8, 36, 44):
        for digits in (1, 2, 3):
            nums = rng.sample(range(10 ** (digits - 1) if digits > 1 else 0, 10 ** digits), 5)
            assert printed(step, nums, True) == [0, 2, 3, 4, 1]
            assert printed(step, nums, False) == [0, 1, 2, 3, 4]


def test_a_changed_number_leaves_its_group_blank():
    """未经复议直接起诉's first 2 printed as 13: its sum fails; 复议后起诉 still reads."""
    record = read_text(PATH.read_text(encoding="utf-8").replace(DIRECT, DIRECT.replace("\n2\n0\n2", "\n13\n0\n2")))
    assert group_blank(record, "litigation_direct")
    known = known_record(PATH.stem)
    assert record["review_litigation"]["litigation_after_review"] == known["review_litigation"]["litigation_after_review"]


def test_numbers_not_one_block_after_interleaved_headers_are_not_read():
    """The direct lawsuits' four parted by empty lines (blocks of their own): the tool may
    have printed them out of their columns' order, so the group stays blank."""
    record = read_text(PATH.read_text(encoding="utf-8").replace(DIRECT, DIRECT.replace("2\n0\n2\n0\n", "2\n\n0\n\n2\n\n0\n")))
    assert group_blank(record, "litigation_direct")


SPREAD = RENDERINGS / "libreoffice_office_003_2020.raw.txt"
# 行政复议 and 复议后起诉 set one character a line in tall cells: their characters come one by
# one among their field headers (行 / 结果维持 / 结果纠正 / 0 / 2 / 政 / 其他结果 / 复 / …)
SPREAD_REVIEW = "行政复议、行政诉讼情况\n行\n结\n果\n维\n持\n\n结\n果\n纠\n正\n\n0\n\n2\n\n政\n"


def test_groups_whose_labels_were_set_one_character_a_line_are_read_from_their_headers():
    text = SPREAD.read_text(encoding="utf-8")
    assert SPREAD_REVIEW in text
    record = validate(extract(text.encode("utf-8"), filename=SPREAD.name))
    known = known_record(SPREAD.stem)
    assert record["review_litigation"] == known["review_litigation"]
    assert compare(record, known).wrong == []


def test_label_characters_that_spell_no_group_name_none():
    """Without 行 / 政 the first pieces' characters (复, 议) spell no group's label alone:
    行政复议's numbers stay blank; the groups labelled otherwise still read."""
    text = SPREAD.read_text(encoding="utf-8")
    text = text.replace(SPREAD_REVIEW, SPREAD_REVIEW.replace("\n行\n", "\n").replace("\n政\n", "\n"))
    record = validate(extract(text.encode("utf-8"), filename=SPREAD.name))
    known = known_record(SPREAD.stem)
    assert group_blank(record, "review")
    for group in ("litigation_direct", "litigation_after_review"):
        assert record["review_litigation"][group] == known["review_litigation"][group]
    assert compare(record, known).wrong == []
