"""Annotated and unusual cells: the number printed, its note kept, never another number."""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from pipelines.extract import extract
from pipelines.extract.numbers import NUMBER, TEXT, parse
from pipelines.validate import validate
from test_extract_seeds import expected


@pytest.mark.parametrize("text,value,note", [
    ("22（其中修订16件）", 22, "其中修订16件"),
    ("55 （含自然失效 29 件）", 55, "含自然失效29件"),
    ("11¹", 11, "注1"),               # a superscript is a footnote mark, not a digit
    ("３件", 3, None),
])
def test_annotated_numbers(text, value, note):
    p = parse(text)
    assert (p.kind, p.value, p.note) == (NUMBER, value, note)


@pytest.mark.parametrize("text", ["12 13", "1e30", "9" * 400, "9" * 5000, "1" * 400 + ".5", "Infinity", "NaN"])
def test_no_number_or_not_one_number(text):
    assert parse(text).kind == TEXT


def page_with(cell_text: str) -> str:
    """Seed 000's page with the 行政许可 value (0) of table 二 replaced by ``cell_text``."""
    page = (FIXTURES / "seed_000.html").read_text(encoding="utf-8")
    at = page.index(">0<", page.index("行政许可"))
    return page[:at] + f">{cell_text}<" + page[at + 3:]


def page_with_granted(cell_text: str) -> str:
    """Seed 000's page with (一)予以公开's first number (11) replaced by ``cell_text``."""
    page = (FIXTURES / "seed_000.html").read_text(encoding="utf-8")
    at = page.index(">11<", page.index("予以公开", page.index("申请人情况")))
    return page[:at] + f">{cell_text}<" + page[at + 4:]


def test_an_annotated_cell_is_its_number_with_the_note_in_provenance():
    record = validate(extract(page_with_granted("11（其中依申请公开9件）"), filename="p.html"))
    assert record["applications"]["granted"]["natural_person"] == 11
    assert record["status"] == "valid"
    assert record["provenance"]["applications.granted.natural_person"]["note"] == "其中依申请公开9件"


def test_a_footnote_mark_in_a_page_is_no_digit():
    record = validate(extract(page_with_granted("11<sup>1</sup>"), filename="p.html"))
    assert record["applications"]["granted"]["natural_person"] == 11
    assert record["provenance"]["applications.granted.natural_person"]["note"] == "注1"


def test_a_script_in_a_cell_is_no_text_of_it_and_its_footnote_mark_no_digit():
    record = validate(extract(page_with_granted("11<script>document.write('7')</script><sup>1</sup>"),
                              filename="p.html"))
    assert record["applications"]["granted"]["natural_person"] == 11
    assert record["provenance"]["applications.granted.natural_person"]["note"] == "注1"


def test_a_multiplier_in_a_count_is_applied_and_said():
    record = validate(extract(page_with("2万"), filename="p.html"))
    assert record["active_disclosure"]["licensing"]["decisions"] == 20000
    assert "2万" in record["provenance"]["active_disclosure.licensing.decisions"]["note"]


@pytest.mark.parametrize("cell", ["1e30", "9" * 400, "9" * 5000, "12 13"])
def test_a_cell_that_is_no_count_gets_a_finding_on_that_cell(cell):
    record = validate(extract(page_with_granted(cell), filename="p.html"))
    assert record["applications"]["granted"]["natural_person"] is None
    assert record["applications"]["granted"]["total"] == 11          # the row is kept
    found = [f for f in record["findings"] if f["rule"] == "unreadable_cell"]
    assert [(f["row"], f["column"]) for f in found] == [("granted", "natural_person")]
    assert len(found[0]["message"]) < 300                             # the cell is not echoed whole
    assert record["status"] == "incomplete"                           # neither valid nor unparsed
    json.dumps(record, allow_nan=False)                               # no Infinity anywhere


def test_annotated_cells_in_flattened_text():
    """pdftotext puts spaces inside the note: 55 （含自然失效 29 件）."""
    exp = expected(4)
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
             "规章 0 0 0", "行政规范性文件 6 （其中修订 2 件） 0 16 （含自然失效 3 件）"]
    record = extract("\n".join(lines), filename="x.txt")
    assert record["active_disclosure"]["normative_documents"] == exp["active_disclosure"]["normative_documents"]
    prov = record["provenance"]
    assert prov["active_disclosure.normative_documents.issued"]["note"] == "其中修订2件"
    assert prov["active_disclosure.normative_documents.in_force"]["note"] == "含自然失效3件"


def test_the_2019_other_row_left_blank_is_present_as_nulls():
    page = (FIXTURES / "seed_001.html").read_text(encoding="utf-8")
    start = page.index("其他处理</span>")
    end = page.index("</tr>", start)
    blanked = page[:start] + page[start:end].replace(">0<", "><") + page[end:]
    record = validate(extract(blanked, filename="p.html"))
    assert record["template"] == "2019"
    assert record["applications"]["other"] == {c: None for c in expected(1)["applications"]["other"]}
    assert list(record["applications"]) == list(expected(1)["applications"])   # in the template's place


def test_a_multiplier_that_makes_a_number_too_large_is_a_finding():
    record = validate(extract(page_with("99999999999999亿"), filename="p.html"))
    assert record["active_disclosure"]["licensing"]["decisions"] is None
    assert any(f["rule"] == "unreadable_cell" and f["row"] == "licensing" for f in record["findings"])
