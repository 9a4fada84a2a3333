"""Text from a portal never becomes markup in any diff report format (issue 13 row 8):
titles with ``<script>``, ``<img onerror>``, ``[x](javascript:…)``, body names with ``|``,
and non-http links are shown as text. The Markdown is checked as a CommonMark renderer
(markdown-it-py, with GFM tables) turns it into HTML, the HTML as a browser parser reads it."""
from __future__ import annotations

import json
from datetime import date

import lxml.html
import pytest
from markdown_it import MarkdownIt

from pipelines.diff import diff
from pipelines.render import html, json_text, markdown
from pipelines.render.safe import md_text, safe_url
from test_diff import BAD, record, report

HOSTILE_TITLE = ('<script>alert(1)</script><img src=x onerror=alert(2)> '
                 '[x](javascript:alert(3)) **bold** `code` <a href="javascript:alert(4)">y</a>')
PIPE_BODY = "办公室 | 伪造列 | 再一列"
TODAY = date(2024, 3, 1)


def hostile_reports() -> tuple[list, list]:
    bad = dict(BAD, message='<script>alert(5)</script> | [z](javascript:alert(6))')
    before = [report("evil|portal", PIPE_BODY, 2021, "http://e/2021", "2022-01-10", rev=1)]
    after = [
        report("evil|portal", PIPE_BODY, 2021, "http://e/2021", "2022-01-10", rev=2,
               rec=record(granted=4, findings=[bad], status="inconsistent")),
        dict(report("evil|portal", PIPE_BODY, 2022, "javascript:alert(7)", "2023-01-10", rev=3),
             title=HOSTILE_TITLE),
        dict(report("evil|portal", "<b onmouseover=alert(8)>局</b>", 2022, "http://e/b\"onclick=alert(9)",
                    "2023-01-10", rev=4), title=HOSTILE_TITLE),
    ]
    return before, after


def rendered_md_as_html() -> str:
    before, after = hostile_reports()
    return MarkdownIt("commonmark").enable("table").render(markdown(diff(before, after, TODAY)))


def assert_no_active_markup(page: str):
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//script | //img | //iframe | //object | //embed")
    assert not [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")]
    for href in tree.xpath("//@href | //@src"):
        assert href.startswith(("http://", "https://", "#")), href


def test_markdown_shows_portal_text_as_text():
    page = rendered_md_as_html()
    assert_no_active_markup(page)
    text = lxml.html.fromstring(page).text_content()
    # the hostile title is visible, literally, as the portal wrote it
    assert "<script>alert(5)</script>" in text
    assert "<b onmouseover=alert(8)>局</b>" in text
    assert "javascript:alert(7)" in text  # shown, not linked


def test_markdown_grid_keeps_its_columns_with_a_pipe_in_a_name():
    tree = lxml.html.fromstring(rendered_md_as_html())
    rows = tree.xpath("//table//tr")
    header = rows[0].xpath("th")
    assert len(rows) >= 3 and all(len(r.xpath("td|th")) == len(header) for r in rows)
    assert any(PIPE_BODY == td.text_content() for td in tree.xpath("//table//td"))
    assert any("evil|portal" == td.text_content() for td in tree.xpath("//table//td"))


def test_html_report_shows_portal_text_as_text_and_links_only_http():
    before, after = hostile_reports()
    page = html(diff(before, after, TODAY))
    assert_no_active_markup(page.replace("<style>", "<style>", 1))
    tree = lxml.html.fromstring(page)
    assert "<script>alert(1)</script>" in tree.text_content()
    assert not any("javascript" in h for h in tree.xpath("//@href"))


def test_json_report_keeps_portal_text_exactly():
    before, after = hostile_reports()
    data = json.loads(json_text(diff(before, after, TODAY)))
    assert HOSTILE_TITLE in {e["title"] for e in data["new_years"]}
    assert PIPE_BODY in {r["body"] for r in data["grid"]["rows"]}


@pytest.mark.parametrize("url, ok", [
    ("http://www.laiyang.gov.cn/a.html", True), ("https://x.gov.cn/?a=1&b=2", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False),
    ("data:text/html,<script>", False), ("/relative.html", False), ("http://", False),
    ("http://x/\"onmouseover=1", False), ("http://x/a b", False), ("vbscript:x", False),
])
def test_only_http_urls_are_links(url, ok):
    assert (safe_url(url) is not None) is ok


def test_md_text_escapes_markup_but_keeps_dates_readable():
    assert md_text("2024-01-20") == "2024-01-20"
    assert md_text("a|b") == "a\\|b"
    assert md_text("x\n# heading") == "x \\# heading"
    assert md_text("a\x1b[2Jb\x9b31mc") == "a[2Jb31mc".replace("[", "\\[")  # no terminal escapes
