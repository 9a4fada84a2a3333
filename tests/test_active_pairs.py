"""Table 二 printed box by box by pdfminer (pipelines/extract/active_pairs.py): a cell is read
only where every way of cutting the section's numbers into the blocks' columns (pairs) or
rows gives it one number; on the reportlab print of seed_000 that is 规章's row of zeros."""
from __future__ import annotations

from corpus import RENDERINGS, compare, known_record
from pipelines.extract import extract
from pipelines.validate import validate

PATH = RENDERINGS / "seed_000.pdfminer.txt"
HEAD, FOOT = "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"


def read(text: str) -> dict:
    return validate(extract(text, filename=PATH.name))


def _section_edited(text: str, nth: int, new: str) -> str:
    """The text with the nth number line of table 二's section (0-based) printed as ``new``."""
    head, tail = text.split(HEAD, 1)
    section, rest = tail.split(FOOT, 1)
    lines = section.split("\n")
    numbers = [i for i, line in enumerate(lines) if line.strip().isdigit()]
    lines[numbers[nth]] = new
    return head + HEAD + "\n".join(lines) + FOOT + rest


def test_a_row_no_cutting_can_give_another_number_is_read():
    """seed_000's table 二 comes as 0 3 | headers | 0 0 | headers | 0 0 0 0 0 0: the 3 ends
    its run, so it is no upper number of a pair nor in a row of three; every number 规章's
    row can take is 0. The rest (the 3 may be 规范性文件's, 行政许可's or 收费's) stays blank."""
    record = read(PATH.read_text(encoding="utf-8"))
    active = record["active_disclosure"]
    assert active["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    for f in ("issued", "repealed", "in_force"):
        assert record["provenance"][f"active_disclosure.regulations.{f}"]["method"] == "position_checked"
    assert compare(record, known_record(PATH.stem)).wrong == []
    assert (active.get("normative_documents") or {}).get("in_force") is None


def test_a_number_that_could_be_an_upper_one_leaves_the_row_blank():
    """A 5 where the last run's first 0 was: cut as a pair it may be 规章's (or 行政处罚's),
    so no cell of 规章's row has one number in every reading."""
    text = _section_edited(PATH.read_text(encoding="utf-8"), 4, "5")
    record = read(text)
    assert all(v is None for v in (record["active_disclosure"].get("regulations") or {}).values())


def test_a_number_fewer_than_the_cells_reads_nothing():
    """A blank cell (a number gone): the numbers no longer fill the cells one each, so no
    cutting stands for the table."""
    text = _section_edited(PATH.read_text(encoding="utf-8"), 0, "")
    record = read(text)
    assert all(v is None for v in (record["active_disclosure"].get("regulations") or {}).values())
