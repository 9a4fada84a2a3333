"""大同市 (dt): TRS-style pager parsing, the GBK replica, and the ``dt`` spider crawling it."""
from __future__ import annotations

import json
import pickle
import urllib.request
from pathlib import Path

import pytest
from crawling import check_stored_records, crawl_env, run_crawl

from gxnb_spiders.platforms.trs import list_page_urls, parse_create_page_html
from replicas.sites.dt import SITE, NEW_COLUMN, OLD_COLUMN

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "replicas" / "data" / "records"
TABLES = ("active_disclosure", "applications", "review_litigation")


# --- the pager
@pytest.mark.parametrize("text, expected", [
    # older, 0-based current page
    ('<script language="JavaScript">createPageHTML(5, 0, "index", "shtml");</script>', (5, 0, "index", "shtml", None)),
    ("createPageHTML(5,3,'index','html')", (5, 3, "index", "html", None)),
    # newer, 1-based current page, pager element id first and the record count last
    ("<script>createPageHTML('page_div', 3, 1, 'index', 'shtml', 25);</script>", (3, 0, "index", "shtml", 25)),
    ('createPageHTML("page_div",12,12,"list","shtml",236)', (12, 11, "list", "shtml", 236)),
    # a single page still gives one page
    ('createPageHTML(0, 0, "index", "shtml")', (1, 0, "index", "shtml", None)),
])
def test_parse_create_page_html_both_variants(text, expected):
    assert parse_create_page_html(text) == expected


def test_parse_create_page_html_none_without_pager():
    assert parse_create_page_html("<ul><li><a href='./202301/x.shtml'>x</a></li></ul>") is None
    assert parse_create_page_html("function createPageHTML(a, b) {}") is None


def test_list_page_urls():
    base = "http://www.dt.gov.cn/dtszf/gkndbgz/index_1.shtml"
    assert list_page_urls(base, 3, "index", "shtml") == [
        "http://www.dt.gov.cn/dtszf/gkndbgz/index.shtml",
        "http://www.dt.gov.cn/dtszf/gkndbgz/index_1.shtml",
        "http://www.dt.gov.cn/dtszf/gkndbgz/index_2.shtml",
    ]
    assert list_page_urls("http://www.dt.gov.cn/dtszf/zfxxgkndbg/", 1) == [
        "http://www.dt.gov.cn/dtszf/zfxxgkndbg/index.shtml"]


# --- the replica
def fetch(replica, url: str):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": replica.url}))
    with opener.open(url, timeout=30) as r:
        return r.headers.get("Content-Type"), r.read()


def test_replica_pages_are_gbk_with_both_pagers(replica):
    ctype, body = fetch(replica, f"http://www.dt.gov.cn{NEW_COLUMN}index.shtml")
    assert ctype == "text/html; charset=gbk"
    text = body.decode("gbk")
    assert '<meta charset="gbk">' in text
    count, current, _, _, _ = parse_create_page_html(text)
    assert (count, current) == (3, 0) and "'page_div'" in text
    _, body = fetch(replica, f"http://www.dt.gov.cn{OLD_COLUMN}index_1.shtml")
    assert parse_create_page_html(body.decode("gbk"))[:2] == (2, 1)
    assert 'createPageHTML(2, 1, "index", "shtml")' in body.decode("gbk")


def test_replica_traditional_view_of_the_seed(replica):
    seed = next(r for r in SITE.reports if r.origin.startswith("seed"))
    ctype, body = fetch(replica, seed.url)
    page = body.decode("gbk")
    assert ctype.endswith("charset=gbk")
    assert '<a href="?lang=tw" id="fanti">繁體</a>' in page
    assert "大同市人民政府办公室2022年政府信息公开工作年度报告" in page
    _, body = fetch(replica, seed.url + "?lang=tw")
    tw = body.decode("gbk")
    # the 繁體 view is the seed's own traditional title and text
    assert json.loads((RECORDS / "seed_002.json").read_text("utf-8"))["title"] in tw
    assert "索&nbsp;引&nbsp;號" in tw and "收到和處理政府信息公開申請情況" in tw


# --- the spider
def crawl(replica, tmp_path: Path, *args: str, pipelines: bool = True) -> list[dict]:
    """Run ``scrapy crawl dt`` against the replica in a subprocess; the items it yielded
    (after the pipelines: with their records)."""
    out = tmp_path / f"items{len(list(tmp_path.glob('items*')))}.pickle"
    env = crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
    extra = ["-o", f"{out}:pickle"] + ([] if pipelines else ["-s", "ITEM_PIPELINES={}"])
    proc = run_crawl("dt", env, *args, *extra)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    items = []
    with open(out, "rb") as f:
        while True:
            try:
                items.append(pickle.load(f))
            except EOFError:
                return items


@pytest.fixture(scope="module")
def full_crawl(replica, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dt")
    start = len(replica.hits)
    items = crawl(replica, tmp)
    return items, replica.hits[start:], tmp


def test_every_report_once_with_real_urls_and_metadata(full_crawl):
    items, hits, _ = full_crawl
    by_url = {i["url"]: i for i in items}
    assert len(items) == len(by_url) == len(SITE.reports)
    for r in SITE.reports:
        item = by_url[r.url]          # the real portal URL, not the replica's
        assert item["url"].startswith("http://www.dt.gov.cn/dtszf/")
        assert item["portal"] == "dt" and item["platform"] == "trs"
        assert item["portal_url"] == "http://www.dt.gov.cn/"
        assert item["title"] == r.title            # decoded from GBK, no mojibake
        assert item["year"] == r.year and item["body_name"] == r.body
        assert item["metadata"] == r.metadata      # 索引号 信息分类 发布机构 发布日期 标题 文号 时效
        assert "charset=gbk" in item["content_type"] and item["encoding"] in ("gbk", "gb18030")
        assert item["body"].decode("gbk").count(r.title) >= 2
    # the simplified pages only: the 繁體 view is never fetched
    assert not [h for h in hits if "lang=tw" in h]


def test_attachment_only_report_fetched_its_pdf(full_crawl):
    items, hits, _ = full_crawl
    only = [r for r in SITE.reports if r.attachment]
    assert only
    for r in only:
        item = next(i for i in items if i["url"] == r.url)
        pdf = f"http://www.dt.gov.cn{r.attachment}"
        att = next(a for a in item["attachments"] if a["url"] == pdf)
        assert att["data"].startswith(b"%PDF") and att["error"] is None
        assert pdf in hits
        assert item["record_source"] == pdf
        assert item["record"]["year"] == r.year
        for table in TABLES:
            assert item["record"][table] == r.record[table]


def test_stored_records_match_the_replica_data(full_crawl):
    _, _, tmp = full_crawl
    seed = json.loads((RECORDS / "seed_002.json").read_text("utf-8"))
    check_stored_records(f"sqlite:///{tmp / 'gxnb.sqlite'}", SITE.reports, "http://www.dt.gov.cn", seed)


def test_years_narrow_the_run_and_stop_paging(replica, tmp_path):
    start = len(replica.hits)
    items = crawl(replica, tmp_path, "-a", "years=2023-2024", pipelines=False)
    hits = replica.hits[start:]
    assert sorted(i["url"] for i in items) == sorted(r.url for r in SITE.reports if r.year in (2023, 2024))
    # the older column's first page is all 2019/2020: its second page is not asked for
    assert f"http://www.dt.gov.cn{OLD_COLUMN}index.shtml" in hits
    assert f"http://www.dt.gov.cn{OLD_COLUMN}index_1.shtml" not in hits


def test_body_narrows_the_run(replica, tmp_path):
    items = crawl(replica, tmp_path, "-a", "body=大同市教育局", "-a", "years=2021-2022", pipelines=False)
    assert sorted(i["url"] for i in items) == sorted(
        r.url for r in SITE.reports if r.body == "大同市教育局" and r.year in (2021, 2022))
    assert {i["body_name"] for i in items} == {"大同市教育局"}
