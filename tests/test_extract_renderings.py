"""The rendering corpus (tests/fixtures/renderings/, made with Chromium, poppler's
pdftotext, pdfminer and an OCR-style Markdown writer from the seeds and the shared
sample) read cell by cell against the known records: never a wrong number, and every
cell of every PDF, however it was printed."""
from __future__ import annotations

import pytest

from corpus import RENDERINGS, compare, inputs, kind_of, known_record
from pipelines.extract import extract
from pipelines.extract.mapping import map_document
from pipelines.extract.templates import T2021
from pipelines.extract.text import read as read_text
from pipelines.validate import validate

INPUTS = inputs()
# input kinds read cell-exact; the others must at least never be wrong
EXACT_KINDS = {"HTML", "text PDF", "PDF printed by Chromium", "PDF exported by LibreOffice",
               "OCR Markdown (re-cut tables)", "pdftotext -layout"}


def text_of_an_office_export(path) -> bool:
    """Text tools' output of LibreOffice's exports: they write its tables cell by cell,
    column after column, the labels far from their numbers. Not yet read whole (figures
    from benchmarks/cells.py -v); never a wrong number all the same."""
    return path.name.startswith("libreoffice_") and path.suffix == ".txt"


def read(path):
    return validate(extract(path.read_bytes(), filename=path.name))


def test_the_corpus_is_there():
    kinds = {kind_of(p) for p in INPUTS}
    assert kinds >= {"HTML", "text PDF", "PDF printed by Chromium", "PDF exported by LibreOffice",
                     "pdftotext -layout", "pdftotext", "pdfminer text", "OCR Markdown (re-cut tables)"}
    assert len(list(RENDERINGS.glob("libreoffice_*.pdf"))) == 15
    assert len(list(RENDERINGS.glob("*.txt"))) == 33 + 3 * 15


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_no_wrong_number(path):
    record = read(path)
    score = compare(record, known_record(path.stem))
    assert score.wrong == []
    # no cell is lost silently: a record lacking any of the report's cells is not valid (a
    # table 二 row whose label is printed and whose numbers nothing placed is blank, not
    # absent: pdfminer of seed_004's Chromium print and of the 淮安 sample were valid so)
    assert not (score.missing and record["status"] == "valid"), score.missing[:4]
    if kind_of(path) in EXACT_KINDS and not text_of_an_office_export(path):
        assert score.missing == [], f"{len(score.missing)} cells missing"
    # table 三 has the arithmetic to place every number, whatever the tool did to its order
    if not text_of_an_office_export(path):
        assert [m for m in score.missing if m.startswith("applications.")] == []


@pytest.mark.parametrize("path", sorted(RENDERINGS.glob("chromium_seed_*.pdf")), ids=lambda p: p.name)
def test_a_page_printed_by_chromium_reads_as_the_page(path):
    """Tables cut by Chromium's page breaks (no rule closing the cut, a row split across
    pages, the browser's date/title header and URL/page footer between) come out whole."""
    record = read(path)
    assert record["status"] == "valid", [f["message"] for f in record["findings"]]
    assert record["applications"] == known_record(path.stem)["applications"]
    assert not [f for f in record["findings"] if f["rule"] == "unmapped_row"]   # 13 is no row's


# pdftotext -layout of LibreOffice's office-typed exports whose numbers fit their cells
LAYOUT_OFFICE_TEXTS = [p for p in sorted(RENDERINGS.glob("libreoffice_office_*.layout.txt"))
                       if "_x" not in p.stem]   # _x300: numbers wrapped in their cells


@pytest.mark.parametrize("path", LAYOUT_OFFICE_TEXTS, ids=lambda p: p.name)
def test_a_column_header_printed_one_character_per_line_is_no_value(path):
    """pdftotext -layout prints the 自然人 and 总计 headers one character per line, onto
    the value lines beside them ('一、本年新收政府信息公  10 人  2 0 0 1 0  13 计'): the
    lone characters are dropped, the seven numbers read, and table 三 adds up whole."""
    score = compare(read(path), known_record(path.stem))
    assert score.wrong == []
    assert [m for m in score.missing if m.startswith("applications.")] == []


def test_a_multiplier_after_a_number_is_not_dropped_as_a_stray_character():
    """万 after a number is part of it, not a header's character: the line stays unread
    (its number null, the table not read by position) rather than read as 10."""
    path = RENDERINGS / "libreoffice_office_001_2022.layout.txt"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.split("\n") if "一、本年新收" in ln)
    assert " 人 " in line
    changed = text.replace(line, line.replace(" 人 ", " 万 "))
    record = validate(extract(changed.encode("utf-8"), filename=path.name))
    read_as = (record["applications"].get("new_received") or {}).get("natural_person")
    assert read_as in (None, 100000)



def test_a_word_after_the_one_number_of_a_sentence_is_not_dropped():
    """Prose ('本年新收政府信息公开申请 13 人') is no row of the table: its 人 stays, the
    line stays a sentence, and the mapper reads the table's own 一、本年新收 row (not 13
    as a row of one value that spends the row's name)."""
    path = RENDERINGS / "libreoffice_office_001_2022.layout.txt"
    text = path.read_text(encoding="utf-8")
    anchor = next(ln for ln in text.split("\n") if "三、收到和处理" in ln)
    changed = text.replace(anchor, anchor + "\n本年新收政府信息公开申请 13 人", 1)
    _active, applications, _review, findings, _prov, _by_order = map_document(read_text(changed), T2021)
    assert applications["new_received"] == known_record(path.stem)["applications"]["new_received"]
    assert not [f for f in findings if f["rule"] == "unmapped_row"]


# plain pdftotext of LibreOffice exports whose tables 三 and 四 are read whole by position:
# the seeds' DOCX (table 三's last rows flowed with table 四's columns), the seed page opened
# in Writer (table 四's headings one character a line, read across) and the office-typed 2024
# report (the columns of table 三's last page part printed in an order of pdftotext's own)
RAW_OFFICE_TEXTS = {**{f"libreoffice_seed_00{n}.raw.txt": ("applications", "review_litigation") for n in range(5)},
                    "libreoffice_office_004_2024.raw.txt": ("applications",),
                    "libreoffice_html_seed_002.raw.txt": ("applications", "review_litigation")}


@pytest.mark.parametrize("name", sorted(RAW_OFFICE_TEXTS))
def test_tables_3_and_4_of_plain_pdftotext_of_an_office_export_are_read_whole(name):
    path = RENDERINGS / name
    record, known = read(path), known_record(path.stem)
    for table in RAW_OFFICE_TEXTS[name]:
        assert record[table] == known[table], table
    assert compare(record, known).wrong == []


def test_a_table_2_row_printed_and_not_read_is_blank_with_a_finding():
    """pdfminer of seed_004's Chromium print: 规章 and 行政规范性文件 are printed in table 二's
    section, their six numbers in an order no structure settles. The rows are there, blank,
    each with a finding, and the record is incomplete (it read valid with both rows gone)."""
    record = read(RENDERINGS / "chromium_seed_004.pdfminer.txt")
    for row in ("regulations", "normative_documents"):
        assert record["active_disclosure"][row] == {"issued": None, "repealed": None, "in_force": None}
        assert [f for f in record["findings"] if f["rule"] == "unmapped_row" and f["row"] == row]
    assert record["status"] == "incomplete"
