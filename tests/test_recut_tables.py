"""Rows under the wrong header (issue 15, item 3): OCR-style Markdown (table 三 re-cut into
one small table per row under placeholder headers, table 四 one table per group) with a row
moved under another table's header. A row is known by its own label, not by the header it
happens to sit under: it comes back where it belongs or blank with a finding, and the
table it landed in keeps its own numbers."""
from __future__ import annotations

from corpus import RENDERINGS, compare, known_record
from pipelines.extract import extract
from pipelines.validate import validate

SOURCE = RENDERINGS / "ocr_seed_000.md"
KNOWN = known_record(SOURCE.stem)
REVIEW_HEAD = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n| --- | --- | --- | --- | --- |\n"
PLACEHOLDER_HEAD = "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"


def read(text: str) -> dict:
    record = validate(extract(text, filename="ocr.md"))
    assert compare(record, KNOWN).wrong == []
    return record


def test_the_unchanged_rendering_is_exact():
    assert compare(read(SOURCE.read_text(encoding="utf-8")), KNOWN).missing == []


def test_a_table_3_row_under_table_4s_header():
    text = SOURCE.read_text(encoding="utf-8")
    row = "| 3.其他 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n"
    assert PLACEHOLDER_HEAD + row in text
    text = text.replace(PLACEHOLDER_HEAD + row, "")
    group = REVIEW_HEAD + "| 1 | 3 | 0 | 0 | 4 |\n"
    assert group in text
    record = read(text.replace(group, group + row))
    assert record["review_litigation"] == KNOWN["review_litigation"]
    got = record["applications"].get("other_misc")
    if got != KNOWN["applications"]["other_misc"]:   # not placed: blank, and said so
        assert got is None or all(v is None for v in got.values())
        assert any(f["table"] == "applications" and f["row"] == "other_misc" for f in record["findings"])


def test_a_table_4_group_under_table_3s_placeholder_header():
    text = SOURCE.read_text(encoding="utf-8")
    group = REVIEW_HEAD + "| 1 | 3 | 0 | 0 | 4 |\n"
    assert group in text
    record = read(text.replace(group, PLACEHOLDER_HEAD + "| 行政复议 | 1 | 3 | 0 | 0 | 4 |  |  |\n"))
    assert record["applications"] == KNOWN["applications"]
    got = record["review_litigation"]["review"]
    assert got in (KNOWN["review_litigation"]["review"], dict.fromkeys(got))
    if got["total"] is None:
        assert any(f["table"] == "review_litigation" for f in record["findings"])


def test_a_table_2_row_under_table_3s_header():
    text = SOURCE.read_text(encoding="utf-8")
    row = "| 行政许可 | 0 |  |  |\n"
    assert row in text
    first = PLACEHOLDER_HEAD + "| 一、本年新收政府信息公开申请数量 | 30 | 1 | 0 | 0 | 0 | 0 | 31 |\n"
    assert first in text
    record = read(text.replace(row, "").replace(first, first + "| 行政许可 | 0 |  |  |  |  |  |  |\n"))
    assert record["applications"] == KNOWN["applications"]
    assert (record["active_disclosure"].get("licensing") or {}).get("decisions") in (0, None)
