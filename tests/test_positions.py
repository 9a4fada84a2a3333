"""Reading by position, checked by arithmetic (pipelines/extract/positions.py), over real
tool output: pdftotext cuts labels around their numbers, pdfminer prints table 三 column
by column. A reading is used only when every rule of the template holds over it."""
from __future__ import annotations

import re

from corpus import RENDERINGS, compare, known_record
from pipelines.extract import extract
from pipelines.validate import validate


def read(text: str, name: str = "x.txt") -> dict:
    return validate(extract(text, filename=name))


def test_labels_cut_around_their_numbers_are_read_by_position():
    path = RENDERINGS / "chromium_seed_000.layout.txt"
    record = read(path.read_text(encoding="utf-8"))
    assert record["applications"] == known_record(path.stem)["applications"]
    # text has no columns: every value of table 三 stands where the template's order puts it
    methods = {p["method"] for k, p in record["provenance"].items() if k.startswith("applications.")}
    assert methods == {"position_checked"}


def test_a_table_printed_column_by_column_is_read_by_position():
    path = RENDERINGS / "seed_000.pdfminer.txt"
    record = read(path.read_text(encoding="utf-8"))
    assert record["applications"] == known_record(path.stem)["applications"]
    lines = path.read_text(encoding="utf-8").split("\n")
    p = record["provenance"]["applications.new_received.natural_person"]
    a = int(re.fullmatch(r"lines (\d+)-\d+", p["locator"]).group(1))
    assert p["method"] == "position_checked" and lines[a - 1].strip() == "30"


def test_a_table_printed_in_blocks_of_rows_column_by_column_is_read_by_position():
    """pdfminer keeps the cells of a few rows together as one text box per column, so a
    Chromium print comes out as blocks of rows (not only one per page: the last page's
    rows 20-21 and 22-24 are two blocks with no text between), each column by column."""
    path = RENDERINGS / "chromium_seed_000.pdfminer.txt"
    record = read(path.read_text(encoding="utf-8"))
    assert record["applications"] == known_record(path.stem)["applications"]
    lines = path.read_text(encoding="utf-8").split("\n")
    p = record["provenance"]["applications.other_misc.natural_person"]
    a = int(re.fullmatch(r"lines (\d+)-\d+", p["locator"]).group(1))
    assert p["method"] == "position_checked" and lines[a - 1].strip() == "9"


def test_one_changed_number_leaves_the_positional_cells_blank_never_guessed():
    path = RENDERINGS / "chromium_seed_000.layout.txt"
    text = path.read_text(encoding="utf-8")
    # 5.属于三类内部事务信息: 2 0 0 0 0 0 2 → 3 0 0 0 0 0 2 (its label is cut, so only
    # its position names it)
    row = re.search(r"\n(\s+)2(\s+0){5}\s+2\n", text)
    assert row
    changed = text[:row.start()] + row.group(0).replace("2", "3", 1) + text[row.end():]
    record = read(changed)
    score = compare(record, known_record(path.stem))
    assert score.wrong == []
    assert (record["applications"].get("denied_internal") or {}).get("natural_person") is None
    assert any(f["rule"] == "position_unconfirmed" and f["table"] == "applications" for f in record["findings"])


def test_position_reading_must_agree_with_the_labels():
    """A run that adds up but contradicts a row read by its label is not used: the rows
    the labels could not name stay blank."""
    path = RENDERINGS / "chromium_seed_000.layout.txt"
    text = path.read_text(encoding="utf-8")
    # the (一)予以公开 row is read by its label; printed under the wrong label it reads as
    # 部分公开, which disagrees with the positional reading of the same numbers
    swapped = text.replace("（一）予以公开", "@@").replace("（二）部分公开", "（一）予以公开").replace("@@", "（二）部分公开")
    record = read(swapped)
    assert any(f["rule"] == "position_conflict" for f in record["findings"])
    assert "applications.denied_state_secret.total" not in record["provenance"]


def test_a_reader_method_such_as_ocr_is_kept_and_still_checked_by_arithmetic():
    """The OCR reader marks its cells method="ocr" with a confidence: the mapper keeps
    both in the provenance, and cells it placed by column order still need the sums."""
    from pipelines.extract import record_from_document
    from pipelines.extract.blocks import Document, Line, Source, Table

    def table(rows):
        return Table(rows=rows, origin="ocr", sources={
            (r, c): Source(page=1, locator=f"{c * 10},{r * 10},{c * 10 + 9},{r * 10 + 9}", method="ocr", confidence=0.9)
            for r, row in enumerate(rows) for c in range(len(row))})

    heads = ["三、收到和处理政府信息公开申请情况"]
    good = table([["一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "4"]])
    bad = table([["二、上年结转政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "5"]])
    record = record_from_document(Document([Line(heads[0]), good, bad]))
    assert record["applications"]["new_received"]["total"] == 4
    entry = record["provenance"]["applications.new_received.total"]
    assert (entry["method"], entry["confidence"], entry["page"]) == ("ocr", 0.9, 1)
    assert record["applications"]["carried_over"]["total"] is None      # 3 + 1 ≠ 5: not kept
    assert any(f["rule"] == "position_unconfirmed" and f["row"] == "carried_over" for f in record["findings"])


def _active_block(text: str) -> re.Match:
    """The six numbers of table 二's 2×3 block (规章, 行政规范性文件) as pdfminer prints them."""
    m = re.search(r"行政规范性文件\n\n第二十条第（五）项\n\n((?:\d+\n\n){6})", text)
    assert m
    return m


def test_table_2_a_label_column_then_its_value_column_is_paired_in_order():
    """pdfminer prints table 二's label column, then its value column: the values pair with
    the labels in order when the counts match (one column per row), and a 2×3 block only
    when reading it row by row and column by column gives the same cells."""
    path = RENDERINGS / "chromium_seed_000.pdfminer.txt"
    text = path.read_text(encoding="utf-8")
    record = read(text)
    assert record["active_disclosure"] == known_record(path.stem)["active_disclosure"]
    assert record["provenance"]["active_disclosure.penalty.decisions"]["method"] == "position_checked"

    # 0 0 0 0 0 3 → 0 7 0 0 0 3: by rows 规章 is 0 7 0, by columns 规章 is 0 0 0: no one reading
    m = _active_block(text)
    values = m.group(1).split("\n\n")
    values[1] = "7"
    record = read(text[:m.start(1)] + "\n\n".join(values) + text[m.end(1):])
    active = record["active_disclosure"]
    assert all(v is None for row in ("regulations", "normative_documents") for v in (active.get(row) or {}).values())
    assert active["penalty"]["decisions"] == 0 and active["fees"]["amount"] == 0
    assert compare(record, known_record(path.stem)).wrong == []


def test_table_2_all_one_number_is_that_number_in_every_cell_whatever_the_order():
    """pdfminer scatters the 2019 table 二 (22 cells) among its headers; all 22 numbers are
    0, as many as the cells of the rows named there, so every cell is 0. One number other
    than the rest and no cell can be told: all stay blank."""
    path = RENDERINGS / "seed_001.pdfminer.txt"
    text = path.read_text(encoding="utf-8")
    known = known_record(path.stem)["active_disclosure"]
    assert read(text)["active_disclosure"] == known
    head, tail = text.split("二、主动公开政府信息情况", 1)
    section, rest = tail.split("三、收到和处理政府信息公开申请情况", 1)
    changed = head + "二、主动公开政府信息情况" + section.replace("\n0\n", "\n5\n", 1) + \
        "三、收到和处理政府信息公开申请情况" + rest
    record = read(changed)
    assert compare(record, known_record(path.stem)).wrong == []
    assert all(v is None for row in (record["active_disclosure"] or {}).values() for v in row.values())


def test_table_4_headers_cut_line_by_line_between_its_runs():
    """pdftotext prints table 四's headers cut into pieces (结果 / 维持) between the groups'
    numbers; the run of 15 in row order still adds up group by group."""
    path = RENDERINGS / "chromium_seed_001.raw.txt"
    record = read(path.read_text(encoding="utf-8"))
    assert record["review_litigation"] == known_record(path.stem)["review_litigation"]
