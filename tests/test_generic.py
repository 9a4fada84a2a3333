"""The generic spider: finding the annual-report column on a portal it has no site file
for, recognising the list's platform, and collecting the reports — from the replicas of
laiyang (Hanweb JCMS), dt (TRS) and the fifth portal (a script-written list, the seed 003
report only as a PDF, rendered in Chromium)."""
from __future__ import annotations

import json
import pickle
import re
import urllib.request
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from gxnb_spiders.platforms.generic import (
    body_container, column_links, detect_platform, is_column_name, is_report_entry, list_entries, nav_links,
)
from replicas.sites import shifanqu
from conftest import needs_chromium
from crawling import crawl_env, run_crawl

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "replicas" / "data" / "records"
TABLES = ("active_disclosure", "applications", "review_litigation")
EXTRACT_ONLY = '{"gxnb_spiders.item_pipelines.ExtractPipeline": 300}'


def fetch(replica, url: str) -> HtmlResponse:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": replica.url}))
    with opener.open(url, timeout=30) as r:
        return HtmlResponse(url, body=r.read(), headers={"Content-Type": r.headers.get("Content-Type")})


def generic_crawl(replica, tmp_path, url: str, *args: str) -> tuple[list[dict], dict, str]:
    """``scrapy crawl generic -a url=…`` in a subprocess → (items, gxnb stats, log)."""
    out = tmp_path / "items.pickle"
    env = crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
    proc = run_crawl("generic", env, "-a", f"url={url}", "-s", f"ITEM_PIPELINES={EXTRACT_ONLY}",
                     "-s", "DOWNLOAD_TIMEOUT=30", "-o", f"{out}:pickle", *args, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not re.search(r"\[(generic|scrapy\.core\.scraper)\] ERROR", proc.stderr), proc.stderr[-3000:]
    return read_items(out), stats_of(proc.stderr), proc.stderr


def read_items(path: Path) -> list[dict]:
    items = []
    if not path.exists():
        return items
    with open(path, "rb") as f:
        while True:
            try:
                items.append(pickle.load(f))
            except EOFError:
                return items


def stats_of(log: str) -> dict:
    return {k: float(v) for k, v in re.findall(r"'((?:gxnb|item_scraped_count)[^']*)': ([\d.]+)", log)}


# --- recognising names and platforms
@pytest.mark.parametrize("text, expected", [
    ("政府信息公开年报", True), ("政府信息公开工作年度报告", True), ("年度报告", True), ("年报", True),
    ("政府信息公开年度报告（2020年及以前）", True), ("政府信息公开年报（按单位）", True),
    ("莱阳市人民政府办公室2023年政府信息公开工作年度报告", False),   # a report, not a column
    ("政府信息公开", False), ("财政预决算", False), ("", False),
])
def test_column_names(text, expected):
    assert is_column_name(text) is expected


@pytest.mark.parametrize("title, url, expected", [
    ("大同市教育局2022年政府信息公开工作年度报告", "http://x.gov.cn/a.shtml", True),
    ("2021年度政府信息公开工作年报", "http://x.gov.cn/a.html", True),
    ("政府信息公开工作年度报告", "http://x.gov.cn/a.html", False),          # no year
    ("关于2023年政府信息公开工作的通知", "http://x.gov.cn/a.html", False),   # no report
    ("2023", "http://x.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=1137&fbtime=2023", True),
])
def test_report_entries_need_a_report_title_and_a_year(title, url, expected):
    assert is_report_entry({"url": url, "title": title, "date": None}) is expected


def test_platforms_recognised_from_the_replica_pages(replica):
    assert detect_platform(fetch(replica, "http://www.laiyang.gov.cn/col/col7441/index.html")) == "hanweb_jcms"
    assert detect_platform(fetch(replica, "http://www.dt.gov.cn/dtszf/gkndbgz/index.shtml")) == "trs"
    page = HtmlResponse("http://x.gov.cn/ndbg/index.html", encoding="utf-8", body="""<ul>
        <li><a href="./t1.html">某局2023年政府信息公开工作年度报告</a></li></ul>
        <div class="page"><a href="index_1.html">2</a><a href="index_2.html">3</a></div>""")
    assert detect_platform(page) == "paged"


def test_discovery_links_on_the_fifth_portal(replica):
    home = fetch(replica, f"http://{shifanqu.HOST}/")
    assert column_links(home) == [] and nav_links(home)[0] == f"http://{shifanqu.HOST}/zfxxgk/index.html"
    catalogue = fetch(replica, f"http://{shifanqu.HOST}/zfxxgk/xxgkml/index.html")
    assert column_links(catalogue) == [f"http://{shifanqu.HOST}/zfxxgk/xxgkml/ndbg/index.html"]
    # the list page has no report link in its HTML: only its script knows the list
    listing = fetch(replica, f"http://{shifanqu.HOST}/zfxxgk/xxgkml/ndbg/index.html")
    assert not [e for e in list_entries(listing) if is_report_entry(e)]
    assert listing.xpath("//script[contains(., 'list.json')]")
    rows = json.loads(fetch(replica, f"http://{shifanqu.HOST}/api/ndbg/list.json").body)["rows"]
    assert sorted(int(r["title"][len(shifanqu.AGENCY):][:4]) for r in rows) == list(shifanqu.YEARS)


def test_body_container_known_ids_then_largest_block():
    page = HtmlResponse("http://x.gov.cn/a.html", encoding="utf-8", body="""<html><body>
        <div class="nav"><a href="/">首页</a></div><div id="zoom"><p>正文</p></div></body></html>""")
    assert body_container(page) == "(//*[@id='zoom'])[1]"
    text = "本机关全年共收到政府信息公开申请五十一件。" * 20
    page = HtmlResponse("http://x.gov.cn/a.html", encoding="utf-8", body=f"""<html><body>
        <div class="nav"><a href="/">首页</a><a href="/b">政务公开</a></div>
        <div class="main"><div class="side">相关链接</div><div class="art"><p>{text}</p><table><tr><td>1</td></tr></table></div></div>
        <div class="foot">主办单位</div></body></html>""")
    assert page.xpath(body_container(page)).attrib["class"] == "art"


# --- crawls
def test_laiyang_from_its_home_page_without_its_site_file(replica, tmp_path):
    from replicas.sites.laiyang import SITE

    items, stats, log = generic_crawl(replica, tmp_path, "http://www.laiyang.gov.cn/")
    by_url = {i["url"]: i for i in items}
    want = {f"http://www.laiyang.gov.cn{r.page}": r for r in SITE.reports}
    # every report, through the datastore's later groups (dataproxy.jsp) as well
    assert set(by_url) == set(want) and len(items) == len(want)
    assert stats["gxnb/generic/platform/hanweb_jcms"] == 1
    for url, r in want.items():
        record = by_url[url]["record"]
        assert record["status"] == "valid", (url, record["findings"])
        assert all(record[t] == r.record[t] for t in TABLES), url
        assert by_url[url]["year"] == r.year
    # no browser anywhere: plain pages stay plain requests
    assert stats.get("gxnb/browser_requests", 0) == 0 and stats["gxnb/browser_share"] == 0


def test_dt_from_its_home_page_without_its_site_file(replica, tmp_path):
    from replicas.sites.dt import SITE

    items, stats, _ = generic_crawl(replica, tmp_path, "http://www.dt.gov.cn/")
    by_url = {i["url"]: i for i in items}
    assert set(by_url) == {r.url for r in SITE.reports} and len(items) == len(SITE.reports)
    assert stats["gxnb/generic/platform/trs"] == 2      # both columns, each with its pages
    for r in SITE.reports:
        item = by_url[r.url]
        assert item["title"] == r.title and item["body_name"] == r.body
        assert item["record"]["status"] == "valid", (r.url, item["record"]["findings"])
        assert all(item["record"][t] == r.record[t] for t in TABLES), r.url
        if r.attachment:   # the report published only as an attachment beside the body
            assert item["record_source"] == f"http://www.dt.gov.cn{r.attachment}"


@needs_chromium
def test_fifth_portal_script_list_and_pdf_only_report(replica, tmp_path):
    start = len(replica.hits)
    items, stats, log = generic_crawl(replica, tmp_path, f"http://{shifanqu.HOST}/")
    hits = replica.hits[start:]
    assert sorted(i["year"] for i in items) == list(shifanqu.YEARS)
    seed = json.loads((RECORDS / "seed_003.json").read_text("utf-8"))
    item = next(i for i in items if i["year"] == 2023)
    assert item["record_source"] == f"http://{shifanqu.HOST}{shifanqu._pdf_path(2023)}"
    assert item["record"]["status"] == "valid", item["record"]["findings"]
    for table in TABLES:   # cell-exact, from the PDF
        assert item["record"][table] == seed[table], table
    assert item["body_name"] == shifanqu.AGENCY and item["metadata"]["published_date"] == "2024-01-15"
    assert all(i["record"]["status"] == "valid" for i in items)
    # stored under the portal's host, so runs on two portals keep apart what each listed
    assert {i["portal"] for i in items} == {shifanqu.HOST}
    # two levels of discovery, then exactly one page rendered in the browser (its script
    # asked for the JSON list); everything else plain
    assert f"http://{shifanqu.HOST}/zfxxgk/xxgkml/index.html" in hits
    assert any("/api/ndbg/list.json" in h for h in hits)
    assert stats["gxnb/browser_requests"] == 1 and stats["gxnb/generic/rendered_lists"] == 1
    assert stats["gxnb/plain_requests"] >= len(items) + 4
    assert stats["gxnb/browser_share"] == round(1 / (1 + stats["gxnb/plain_requests"]), 4)


def test_muping_xxgk_units_from_its_home_page(replica, tmp_path):
    from replicas.sites.muping import SITE

    items, stats, _ = generic_crawl(replica, tmp_path, "http://www.muping.gov.cn/", "-a", "years=2022")
    want = {f"http://www.muping.gov.cn{r.page}": r for r in SITE.reports if r.year == 2022}
    assert {i["url"] for i in items} == set(want) and len(items) == len(want)
    # the 年报 navigation, then every unit's page of years
    assert stats["gxnb/generic/platform/hanweb_xxgk"] == 1
    assert stats["gxnb/list_pages/hanweb_xxgk"] == 1 + len({r.area for r in SITE.reports})
    for item in items:
        r = want[item["url"]]
        assert item["body_name"] == r.body and item["body_code"] == r.area
        assert all(item["record"][t] == r.record[t] for t in TABLES)


def test_a_listed_file_is_its_own_attachment():
    """Some lists link the report's PDF itself: the item carries it as its attachment."""
    from scrapy.http import Response

    from replicas import reportgen
    from gxnb_spiders.spiders.generic import GenericSpider
    from pipelines.workers import record_for

    seed = json.loads((RECORDS / "seed_003.json").read_text("utf-8"))
    url = f"http://{shifanqu.HOST}/uploads/file/202401/3161.pdf"
    spider = GenericSpider(url=f"http://{shifanqu.HOST}/")
    response = Response(url, body=reportgen.render_pdf(seed), headers={"Content-Type": "application/pdf"})
    [item] = list(spider.parse_report(response, {"title": seed["title"], "year": 2023,
                                                 "body_name": shifanqu.AGENCY}))
    assert item["attachments"][0]["data"].startswith(b"%PDF") and item["body"] == b""
    record, source = record_for(dict(item))
    assert source == url and all(record[t] == seed[t] for t in TABLES)


def test_a_picture_in_the_article_does_not_hide_the_file_beside_it():
    """A generic report page whose article holds a picture (a seal, a photo) and whose PDF
    is linked just beside the article: the PDF is a candidate, before the picture."""
    from gxnb_spiders.spiders.generic import GenericSpider

    page = HtmlResponse("http://x.gov.cn/art/2024/1/1/art_1.html", encoding="utf-8", body="""<html><body>
        <div class="nav"><a href="/">首页</a></div>
        <div class="wrap"><div id="zoom"><p>2023年政府信息公开工作年度报告</p><img src="/img/seal.png"></div>
        <p>附件：<a href="/files/report.pdf">2023年年度报告.pdf</a></p></div></body></html>""")
    spider = GenericSpider(url="http://x.gov.cn/")
    [item] = list(spider.parse_report(page, {"title": "2023年政府信息公开工作年度报告", "year": 2023}))
    assert [a["url"] for a in item["attachments"]] == ["http://x.gov.cn/files/report.pdf",
                                                       "http://x.gov.cn/img/seal.png"]
