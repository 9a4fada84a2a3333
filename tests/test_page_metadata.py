"""Reading a report page in the spider: the metadata block (``page_metadata``), the links to
report files (``attachment_links``) and whether the reading side asks for the files
(``pipelines.workers.documents_to_fetch``),
over replica pages and pages written in markup the replicas do not use."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import HtmlResponse

from gxnb_spiders.platforms.base import attachment_links, page_metadata
from replicas.server import Request
from replicas.sites import dt, laiyang, lyghz, shifanqu, synthetic


def replica_page(site, url: str) -> HtmlResponse:
    """The page a replica serves for ``url``, as Scrapy hands it to a spider."""
    parts = urlsplit(url)
    resp = site.handle(Request("GET", parts.hostname, parts.path, parse_qs(parts.query), {}))
    assert resp is not None and resp.status == 200, url
    return HtmlResponse(url, body=resp.payload(), headers={"Content-Type": resp.content_type})


def page(body: str, url: str = "http://www.example.gov.cn/art/1.html", head: str = "") -> HtmlResponse:
    return HtmlResponse(url, encoding="utf-8", body=f"<html><head>{head}</head><body>{body}</body></html>")


SYNTHETIC = synthetic.SyntheticSite(20)


# --- the metadata block
def test_table_cells_label_then_value():
    # lyghz: "索引号:" cells, one value cell blank (有效性 of the seed body)
    for r in lyghz.SITE.reports[:6]:
        assert page_metadata(replica_page(lyghz.SITE, r.url)) == {k: v for k, v in r.metadata.items() if v}
    # synthetic: labels without colon, whole report body (hundreds of cells) after the block
    i = 3
    meta = page_metadata(replica_page(SYNTHETIC, SYNTHETIC.report_url(i)))
    assert meta == {"index_no": f"SYN-{i // synthetic.YEARS:04d}/{SYNTHETIC.year(i) + 1}-{i:05d}",
                    "publisher": SYNTHETIC.body(i), "published_date": SYNTHETIC.published(i), "doc_no": "无"}


def test_labels_spaced_out_in_gbk_pages():
    # dt: "索&nbsp;引&nbsp;号：", "标&nbsp;&nbsp;&nbsp;&nbsp;题：" in GBK
    for r in dt.SITE.reports[:4]:
        assert page_metadata(replica_page(dt.SITE, r.url)) == r.metadata


def test_label_value_runs_of_text():
    # Hanweb xxgk header "发布时间:2024-01-17 13:55:55"; JCMS article "<span>发布日期：…</span>"
    seed = next(r for r in laiyang.SITE.reports if r.published == laiyang.SEED_PUBLISHED)
    xxgk = page_metadata(replica_page(laiyang.SITE, f"http://{laiyang.HOST}{seed.page}"))
    assert xxgk == {"published_date": laiyang.SEED_PUBLISHED}
    art = next(r for r in laiyang.SITE.reports if r.is_article)
    meta = page_metadata(replica_page(laiyang.SITE, f"http://{laiyang.HOST}{art.page}"))
    assert meta == {"published_date": art.published[:16]}
    # several labels in one run: each value ends where the next label starts
    meta = page_metadata(page('<div class="info">发布时间：2024-01-17 13:55 文号：无　索引号:X-1</div>'))
    assert meta == {"published_date": "2024-01-17 13:55", "doc_no": "无", "index_no": "X-1"}


def test_dl_dt_dd_and_li_span_pairs():
    meta = page_metadata(page(
        "<dl><dt>索引号：</dt><dd>11370682/2024-00012</dd><dt>发布机构</dt><dd> 莱阳市财政局 </dd>"
        "<dt>文号：</dt><dd></dd></dl>"
        "<ul><li><span>成文日期：</span><span>2024-01-02</span></li><li><label>有效性</label><em>有效</em></li></ul>"
        "<p><strong>发文字号：</strong>莱财〔2024〕1号</p>"))
    assert meta == {"index_no": "11370682/2024-00012", "publisher": "莱阳市财政局", "written_date": "2024-01-02",
                    "validity": "有效", "doc_no": "莱财〔2024〕1号"}


def test_labels_split_across_markup_or_spaced_with_any_whitespace():
    meta = page_metadata(page(
        "<table><tr><td><span>索</span><span>引号</span>：</td><td>A-1</td>"
        "<td>发\u2002布\u2002日\u2002期</td><td>2024-02-01</td></tr>"
        # whitespace XPath cannot even name (form feed, file separator): still a label
        "<tr><td>发\x0c布\x1c机构</td><td>某局</td><td>标\u3000\u3000题：：</td><td>某报告</td></tr></table>"))
    assert meta == {"index_no": "A-1", "published_date": "2024-02-01", "publisher": "某局", "name": "某报告"}


def test_body_text_mentioning_labels_does_not_leak_in():
    body = ("<table><tr><td>索引号</td><td>A-1</td><td>发布机构</td><td>某局</td></tr></table>"
            "<div class='TRS_Editor'><p>本机关作为发布机构，发布日期以网站为准，成文日期与发布时间一致。</p>"
            "<p><span>各单位应在标题中注明名称和文号</span></p>"
            "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table></div>")
    assert page_metadata(page(body)) == {"index_no": "A-1", "publisher": "某局"}
    # a value that is itself a label is no value; the first label with a value wins
    meta = page_metadata(page("<table><tr><td>索引号：</td><td>发布机构：</td><td>X</td></tr>"
                              "<tr><td>文号</td><td> </td></tr><tr><td>文号</td><td>无</td></tr></table>"))
    assert meta == {"publisher": "X", "doc_no": "无"}


def test_long_runs_of_text_are_not_metadata():
    meta = page_metadata(page("<p>" + "说" * 300 + "发布时间：2020-02-02</p><p>发布日期：2020-01-01</p>"))
    assert meta == {"published_date": "2020-01-01"}


# --- links to report files
def test_viewer_iframe_with_file_parameter():
    r = replica_page(shifanqu.SITE, f"http://{shifanqu.HOST}{shifanqu._art_path(shifanqu.PDF_YEAR)}")
    pdf = f"http://{shifanqu.HOST}{shifanqu._pdf_path(shifanqu.PDF_YEAR)}"
    assert [a["url"] for a in attachment_links(r)] == [pdf]
    assert page_metadata(r)["index_no"].startswith("CXSFQ-")


def test_attachment_kinds_viewers_and_order():
    r = page('<div id="zoom"><iframe src="/static/pdfjs/web/viewer.html?file=/files/a.pdf"></iframe>'
             '<embed src="/files/b.PDF"><object data="/files/c.docx"></object>'
             '<a href="/pdfjs/viewer.html?file=%2Ffiles%2Fd.pdf">查看</a>'
             '<a href=" /files/f.pdf ">附件<span>一</span></a><a href="/files/f.pdf">again</a>'
             '<a href="javascript:void(0)">js</a><a href="/files/g.xlsx">表</a><a href="/x/l.doc/">not a file</a>'
             '<a href="/files/m.p\tdf">tab in href</a><a href="http://[::1/x.html">broken</a>'
             '<a href="/news/1.html">新闻</a></div><p><a href="/outside/n.pdf">正文外</a></p>')
    got = attachment_links(r, "//div[@id='zoom']")
    assert [(a["url"].rsplit("/", 1)[-1], a["name"]) for a in got] == [
        ("d.pdf", "查看"), ("f.pdf", "附件 一"), ("g.xlsx", "表"), ("m.pdf", "tab in href"),
        ("a.pdf", "a.pdf"), ("b.PDF", "b.PDF"), ("c.docx", "c.docx")]
    assert "http://www.example.gov.cn/outside/n.pdf" in [a["url"] for a in attachment_links(r)]


def test_links_resolved_against_base_href_and_page_url():
    r = page('<a href="a.pdf">A</a><a href="?x=1">q</a>', head='<base href="http://files.example.gov.cn/up/">')
    assert [a["url"] for a in attachment_links(r)] == ["http://files.example.gov.cn/up/a.pdf"]
    # a viewer page whose own URL names the file: a link to itself is the file
    r = page('<a href="#p2">next</a><a href="/a/x.html">x</a>', url="http://www.example.gov.cn/viewer.html?file=/a/b.docx")
    assert [a["url"] for a in attachment_links(r)] == ["http://www.example.gov.cn/a/b.docx"]


# --- the spider hands on the page and its links; the reading side asks for a file only
# when the page has no report tables
@pytest.mark.parametrize("i", [3, 7, 9])
def test_files_fetched_only_for_pages_without_report_tables(i):
    from replicas.spiders.synthetic import SyntheticSpider
    from pipelines.workers import documents_to_fetch, read_page

    r = replica_page(SYNTHETIC, SYNTHETIC.report_url(i))
    spider = SyntheticSpider()
    [item] = list(spider.parse_report(r, {"title": SYNTHETIC.title(i), "year": SYNTHETIC.year(i)}))
    assert item["metadata"]["publisher"] == SYNTHETIC.body(i)
    kind = synthetic.attachment_kind(i)
    wanted = documents_to_fetch(dict(item), read_page(dict(item)))
    if kind is None:  # the report's tables are on the page
        assert wanted == []
    else:  # only a link to the file (the page still has its metadata table)
        assert [a["url"] for a in wanted] == [f"http://{synthetic.HOST}/xxgk/ndbg/files/{i}.{kind}"]
        assert "data" not in item["attachments"][0]  # listed, not fetched by the spider


def test_page_with_tables_and_a_pdf_link_does_not_fetch_the_pdf():
    from gxnb_spiders import registry
    from gxnb_spiders.items import ReportItem
    from pipelines.workers import documents_to_fetch, read_page

    spider = registry.spider_class(registry.find("laiyang"))()
    reports = laiyang.SITE.reports
    pdf_only = [r for r in reports if r.pdf_only]
    assert pdf_only
    for r in reports[:6] + pdf_only:  # xxgk pages and JCMS articles, each linking its PDF
        response = replica_page(laiyang.SITE, f"http://{laiyang.HOST}{r.page}")
        (out,) = spider.parse_report(response, {"title": r.title, "year": r.year})
        pdf = f"http://{laiyang.HOST}{r.pdf}"
        assert isinstance(out, ReportItem) and [a["url"] for a in out["attachments"]] == [pdf]
        wanted = [a["url"] for a in documents_to_fetch(dict(out), read_page(dict(out)))]
        assert wanted == ([pdf] if r.pdf_only else [])
