"""Table 四 in plain pdftotext text (positions.review_by_position), read on poppler's real
output: its column headers cut into pieces in any order, its numbers printed in an order of
the tool's own, some before the table's heading. Read only where the group sums prove it."""
from __future__ import annotations

from corpus import RENDERINGS, compare, known_record
from pipelines.extract import extract
from pipelines.validate import validate


def read_text(text: str, name: str) -> dict:
    return validate(extract(text.encode("utf-8"), filename=name))


def review_findings(record: dict) -> list[str]:
    return [f["message"] for f in record["findings"]
            if f["table"] == "review_litigation" and f["rule"] == "position_unconfirmed"]


def test_headers_one_character_a_line_still_open_table_4():
    """A Writer export of a portal page: 结 / 果 / 维 / 持 … one character a line, the first
    five numbers after them; the table (all 0) is read whole."""
    path = RENDERINGS / "libreoffice_html_seed_002.raw.txt"
    record = read_text(path.read_text(encoding="utf-8"), path.name)
    assert record["review_litigation"] == known_record(path.stem)["review_litigation"]
    assert compare(record, known_record(path.stem)).wrong == []


def test_a_table_4_of_zeros_is_read_wherever_its_numbers_were_printed():
    """reportlab's PDF: the last group's four numbers come under their headers amid table
    三, before table 四's heading; with them the table's 15 numbers are all 0, so every
    group's total holds in any order."""
    path = RENDERINGS / "seed_002.raw.txt"
    text = path.read_text(encoding="utf-8")
    heading = text.index("四、政府信息公开行政复议")
    assert "尚未审\n结\n\n总计\n\n0\n\n0\n\n0\n\n0" in text[:heading]   # four of its zeros before the heading
    record = read_text(text, path.name)
    assert record["review_litigation"] == known_record(path.stem)["review_litigation"]
    assert record["provenance"]["review_litigation.review.total"]["method"] == "position_checked"


def test_one_number_not_0_leaves_the_groups_unknown():
    """The same text with one of those zeros a 2: the groups' sums can no longer say whose
    numbers are whose, and table 四 stays blank rather than guessed."""
    path = RENDERINGS / "seed_002.raw.txt"
    text = path.read_text(encoding="utf-8")
    heading = text.index("四、政府信息公开行政复议")
    cut = text[:heading].rindex("总计\n\n0\n\n0\n\n0\n\n0")
    changed = text[:cut] + "总计\n\n0\n\n2\n\n0\n\n0" + text[cut + len("总计\n\n0\n\n0\n\n0\n\n0"):]
    record = read_text(changed, path.name)
    assert all(v is None for g in (record["review_litigation"] or {}).values() for v in g.values())
    assert review_findings(record)


def test_numbers_in_pieces_that_do_not_add_up_as_printed_say_why_the_lawsuits_stay_blank():
    """The 淮安 sample: 72 64 178 37 | 12 1 1 6 | 351 | 13 4 8 1 26 | 20. As printed the sums
    fail, and the pieces' orders that add up stand in blocks whose order, with the headings
    read across the columns, the sums cannot check: review_by_position reads none of it.
    The sums pair each four with a total (review_sums): 行政复议's stands; the lawsuits'
    pair the other way round were 26 and 20 swapped, and stay blank (tests/test_review_sums.py)."""
    path = RENDERINGS / "005_huaian_city_gov_2024.raw.txt"
    record = read_text(path.read_text(encoding="utf-8"), path.name)
    known = known_record(path.stem)["review_litigation"]
    assert record["review_litigation"]["review"] == known["review"]
    for group in ("litigation_direct", "litigation_after_review"):
        assert all(v is None for v in record["review_litigation"][group].values())
    assert any("read across its columns" in m for m in review_findings(record))
    assert compare(record, known_record(path.stem)).wrong == []
