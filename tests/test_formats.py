"""The one table of document formats (pipelines/formats.py), as both sides use it."""
from __future__ import annotations


import pytest
from scrapy.http import HtmlResponse

from gxnb_spiders.platforms.base import attachment_links
from pipelines import formats
from pipelines.extract import read_document
from pipelines.workers import documents_to_fetch



def test_scans_are_read_but_after_text_documents():
    kinds = formats.READABLE_KINDS
    assert kinds[:3] == ("pdf", "docx", "doc") and "image" in kinds
    assert all(formats.rank(k) < formats.rank("image") for k in ("pdf", "docx", "doc", "wps"))
    assert formats.rank("ofd") == formats.rank("") == len(kinds)  # no reader yet: never fetched


@pytest.mark.parametrize("name,kind", [
    ("a.PDF", "pdf"), ("/x/b.docx?download=1", "docx"), ("c.doc#p", "doc"), ("d.wps", "wps"),
    ("e.jpeg", "image"), ("f.TIF", "image"), ("g.png", "image"), ("h.xlsx", "xls"), ("i.ofd", "ofd"),
    ("j.shtml", "html"), ("k.md", "text"), ("l", "")])
def test_a_name_says_its_kind(name, kind):
    assert formats.kind_of_name(name) == kind


def test_every_reader_in_the_table_exists():
    import importlib

    for f in formats.FORMATS:
        if f.reader:
            module, function = f.reader.rsplit(".", 1)
            assert callable(getattr(importlib.import_module(f"pipelines.extract.{module}"), function)), f.kind


def test_magic_bytes_beat_the_name():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert formats.sniff(png, "report.pdf") == "image"
    assert formats.sniff(b"%PDF-1.7\n", "x.html") == "pdf"
    assert formats.sniff(b"<html><body>404</body></html>", "x.jpg") == "html"  # an error page, named .jpg
    assert formats.sniff(b"\x01\x02\x00\x03", "x.docx") == "binary"
    assert formats.sniff(b"PK\x03\x04 a zip of something else") == "binary"
    assert formats.sniff("年度报告\n一、总体情况".encode(), "a.txt") == "text"


def test_a_format_without_a_reader_says_so():
    doc, fmt = read_document(b"PK\x03\x04 not a word file", filename="table.xlsx")
    assert fmt == "binary" and [f["rule"] for f in doc.findings] == ["unsupported_format"]


def test_spider_links_and_reading_order_come_from_the_table():
    page = ("<html><body><div id=a>"
            "<a href='t1.png'>表一</a><a href='r.ofd'>OFD</a><a href='r.doc'>Word</a>"
            "<a href='v.html?file=/f/r.pdf'>viewer</a><a href='x.zip'>zip</a><a href='n.html'>news</a>"
            "</div></body></html>")
    response = HtmlResponse("http://www.example.gov.cn/art/1.html", body=page.encode(), encoding="utf-8")
    links = attachment_links(response, "//div[@id='a']")
    assert [a["url"].rsplit("/", 1)[-1] for a in links] == ["t1.png", "r.ofd", "r.doc", "r.pdf"]
    item = {"attachments": links}
    fetched = documents_to_fetch(item, {"status": "unparsed"})
    assert [a["url"].rsplit("/", 1)[-1] for a in fetched] == ["r.pdf", "r.doc", "t1.png"]
