"""Agency and title from the report's text, the page's metadata block and the file's
own properties, in simplified characters."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from corpus import inputs, known_record
from pipelines.extract import extract


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_year_agency_and_title_of_every_rendering(path):
    """Titles wrapped by a text tool ("…工作年" / "度报告"), a browser's header line with
    the date before the title, traditional characters: the known record's metadata."""
    record, known = extract(path.read_bytes(), filename=path.name), known_record(path.stem)
    assert (record["year"], record["agency"], record["title"]) == (known["year"], known["agency"], known["title"])


def test_agency_from_the_metadata_block_when_the_text_names_none():
    text = "2023年政府信息公开工作年度报告\n索引号：0000/2024-001 发布机构：莱阳市人民政府办公室\n一、总体情况"
    assert extract(text)["agency"] == "莱阳市人民政府办公室"


def test_agency_from_the_pdf_author_property_in_simplified_characters():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    c.setAuthor("大同市人民政府辦公室")
    c.setFont("STSong-Light", 14)
    c.drawString(72, 760, "2022年政府信息公开工作年度报告")
    c.drawString(72, 730, "一、总体情况")
    c.showPage()
    c.save()
    assert extract(buf.getvalue(), filename="r.pdf")["agency"] == "大同市人民政府办公室"


def test_an_author_that_is_no_body_is_not_taken():
    text = "2023年政府信息公开工作年度报告\n发布机构：admin\n一、总体情况"
    assert extract(text)["agency"] is None


@pytest.mark.parametrize("text, agency", [
    # an alias in half-width brackets: the official form prints them full-width
    ("中共莱阳市委办公室(莱阳市人民政府办公室)2023年政府信息公开工作年度报告\n一、总体情况",
     "中共莱阳市委办公室（莱阳市人民政府办公室）"),
    # a metadata block's value in quotes, spaced, traditional, with a trailing mark
    ("2023年政府信息公开工作年度报告\n发布机构：“大同市 人民政府辦公室”；\n一、总体情况", "大同市人民政府办公室"),
    # the signature above the date, with its alias in brackets
    ("2023年政府信息公开工作年度报告\n一、总体情况\n\n莱阳市人民政府办公室（莱阳市政务服务中心）\n2024年1月20日",
     "莱阳市人民政府办公室（莱阳市政务服务中心）"),
    # a title published as 关于印发…, in traditional characters
    ("關於印發萊陽市人民政府辦公室2023年政府信息公開工作年度報告\n一、总体情况", "莱阳市人民政府办公室"),
])
def test_agency_in_its_official_written_form(text, agency):
    assert extract(text)["agency"] == agency


# --- reports written as real ones are (scripts/make_metadata_fixtures.py: the held-out
# benchmark's renderers, a portal page, its 繁體 copy, plain pdftotext of the reportlab PDF;
# wrapped_title.*: held-out report h006 exported by LibreOffice, its title wrapped) ---------

METADATA = Path(__file__).parent / "fixtures" / "metadata"


@pytest.mark.parametrize("path", sorted(p for p in METADATA.iterdir() if not p.name.endswith(".json")),
                         ids=lambda p: p.name)
def test_body_title_and_year_of_reports_written_as_real_ones_are(path):
    """The title wrapped mid-word by LibreOffice ("…监督管理局 2020 年政" / "府信息公开工作年度报告"),
    not its second line; 莱阳市档案馆 not rewritten by the templates' label aliases (档案 →
    文件); the body after the year (2023年度莱阳市卫生健康局政府信息公开…); before 关于; a
    title naming only its place (莱阳市2023年…): the body from the signature."""
    from pipelines.extract.normalise import t2s

    known = json.loads((METADATA / f"{path.name.split('.')[0]}.json").read_text(encoding="utf-8"))
    record = extract(path.read_bytes(), filename=path.name)
    assert (record["year"], record["agency"]) == (known["year"], known["agency"])
    # the title as published: a 繁體 page's in 繁體, the same title once simplified
    assert record["title"] == known["title"] or ("trad" in path.name and t2s(record["title"]) == known["title"])


@pytest.mark.parametrize("text, agency", [
    # a date in Chinese numerals under the signature
    ("2023年政府信息公开工作年度报告\n一、总体情况\n莱阳市卫生健康局\n二〇二四年一月二十日", "莱阳市卫生健康局"),
    # the body and the date on one line
    ("2023年政府信息公开工作年度报告\n一、总体情况\n莱阳市卫生健康局      2024年1月20日", "莱阳市卫生健康局"),
    # words standing for a body, and no body elsewhere: none, rather than 我局 or 公布
    ("我局2023年政府信息公开工作年度报告\n一、总体情况", None),
    ("关于公布2023年政府信息公开工作年度报告的通知\n一、总体情况", None),
    ("全市2023年政府信息公开工作年度报告\n一、总体情况", None),
    # an ambiguous title (莱阳市政府 + 信息公开, or 莱阳市 + 政府信息公开?): none
    ("2023年莱阳市政府信息公开工作年度报告\n一、总体情况", None),
    # 档案 in the metadata block and in 繁體, kept
    ("2023年政府信息公开工作年度报告\n发布机构：莱阳市档案馆\n一、总体情况", "莱阳市档案馆"),
    ("2023年政府信息公開工作年度報告\n一、總體情況\n萊陽市檔案館\n2024年1月20日", "莱阳市档案馆"),
])
def test_agency_from_what_a_report_prints_or_none(text, agency):
    assert extract(text)["agency"] == agency


def test_a_sentence_of_the_body_is_no_title():
    # wrapped before 政府信息公开: neither its two lines joined nor its second line is a title
    text = ("本报告根据《条例》，按照2023年\n政府信息公开工作年度报告格式要求编制。\n一、总体情况\n"
            "莱阳市卫生健康局\n2024年1月20日")
    record = extract(text)
    assert (record["title"], record["agency"]) == (None, "莱阳市卫生健康局")
