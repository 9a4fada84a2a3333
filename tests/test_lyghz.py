"""连云港市海州区 (lyghz): the Lianyungang platform's pager, its replica, and the ``lyghz`` spider."""
from __future__ import annotations

import json
import pickle
import urllib.request
from pathlib import Path

import pytest
from crawling import check_stored_records, crawl_env, run_crawl

from gxnb_spiders.platforms.lianyungang import list_page_urls, parse_pager
from replicas.sites.lyghz import COLUMN, PER_PAGE, SEED_META, SITE

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "replicas" / "data" / "records"
TABLES = ("active_disclosure", "applications", "review_litigation")
FIRST = f"http://www.lyghz.gov.cn{COLUMN}index.html"


# --- the pager
@pytest.mark.parametrize("text, expected", [
    ('<div class="pages"><span>共22条 1/3页</span> <a href="index_2.html">下一页</a></div>', (3, 1)),
    ("<span>第2/5页</span>", (5, 2)),
    ("当前第 4 页 共 7 页", (7, 4)),
    ("共<b>6</b>页", (6, 1)),
    ("<p>no pager here</p>", None),
])
def test_parse_pager(text, expected):
    assert parse_pager(text) == expected


def test_list_page_urls():
    assert list_page_urls(FIRST, 3) == [
        FIRST, f"http://www.lyghz.gov.cn{COLUMN}index_2.html", f"http://www.lyghz.gov.cn{COLUMN}index_3.html"]
    # the directory or any later page resolve to the same run
    assert list_page_urls(f"http://www.lyghz.gov.cn{COLUMN}", 2) == list_page_urls(FIRST, 2)
    assert list_page_urls(f"http://www.lyghz.gov.cn{COLUMN}index_3.html", 2) == list_page_urls(FIRST, 2)


# --- the replica
def fetch(replica, url: str):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": replica.url}))
    with opener.open(url, timeout=30) as r:
        return r.headers.get("Content-Type"), r.read()


def test_replica_list_pages_and_seed_page(replica):
    pages = -(-len(SITE.reports) // PER_PAGE)
    assert pages >= 3
    _, body = fetch(replica, FIRST)
    assert parse_pager(body.decode()) == (pages, 1)
    _, last = fetch(replica, list_page_urls(FIRST, pages)[-1])
    assert parse_pager(last.decode()) == (pages, pages)
    seed = next(r for r in SITE.reports if r.origin.startswith("seed"))
    _, page = fetch(replica, seed.url)
    page = page.decode()
    # the real page's metadata table comes before the body
    assert page.index("01426719-5/2021-00030") < page.index('<div id="zoom">')
    assert "<table" in page[page.index('<div id="zoom">'):]
    assert sum(1 for r in SITE.reports if r.origin.startswith("derived")) == len(SITE.reports) - 1


# --- the spider
def crawl(replica, tmp_path: Path, *args: str, pipelines: bool = True) -> list[dict]:
    """Run ``scrapy crawl lyghz`` against the replica in a subprocess; the items it yielded
    (after the pipelines: with their records)."""
    out = tmp_path / f"items{len(list(tmp_path.glob('items*')))}.pickle"
    env = crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
    extra = ["-o", f"{out}:pickle"] + ([] if pipelines else ["-s", "ITEM_PIPELINES={}"])
    proc = run_crawl("lyghz", env, *args, *extra)
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
    tmp = tmp_path_factory.mktemp("lyghz")
    start = len(replica.hits)
    items = crawl(replica, tmp)
    return items, replica.hits[start:], tmp


def test_every_report_once_with_real_urls_and_metadata(full_crawl):
    items, hits, _ = full_crawl
    by_url = {i["url"]: i for i in items}
    assert len(items) == len(by_url) == len(SITE.reports)
    for r in SITE.reports:
        item = by_url[r.url]
        assert item["url"].startswith(f"http://www.lyghz.gov.cn{COLUMN}content/")
        assert item["portal"] == "lyghz" and item["platform"] == "lianyungang"
        assert item["portal_url"] == "http://www.lyghz.gov.cn/"
        assert item["title"] == r.title and item["year"] == r.year and item["body_name"] == r.body
        # every filled field of the table; a blank 有效性 cell gives no key
        assert item["metadata"] == {k: v for k, v in r.metadata.items() if v}
    seed = next(i for i in items if i["metadata"].get("index_no") == SEED_META["index_no"])
    assert seed["metadata"]["category"] == "综合政务/文秘工作,综合政务/机关事务 TC10"
    assert seed["metadata"]["publisher"] == "海州区人民政府" and "validity" not in seed["metadata"]


def test_attachment_only_report_fetched_its_docx(full_crawl):
    items, hits, _ = full_crawl
    only = [r for r in SITE.reports if r.attachment]
    assert only
    for r in only:
        item = next(i for i in items if i["url"] == r.url)
        docx = f"http://www.lyghz.gov.cn{r.attachment}"
        att = next(a for a in item["attachments"] if a["url"] == docx)
        assert att["data"][:2] == b"PK" and att["error"] is None
        assert docx in hits
        assert item["record_source"] == docx
        for table in TABLES:
            assert item["record"][table] == r.record[table]


def test_stored_records_match_the_replica_data(full_crawl):
    _, _, tmp = full_crawl
    seed = json.loads((RECORDS / "seed_001.json").read_text("utf-8"))
    check_stored_records(f"sqlite:///{tmp / 'gxnb.sqlite'}", SITE.reports, "http://www.lyghz.gov.cn", seed)


def test_years_narrow_the_run_and_stop_paging(replica, tmp_path):
    start = len(replica.hits)
    items = crawl(replica, tmp_path, "-a", "years=2023-2024", pipelines=False)
    hits = replica.hits[start:]
    assert sorted(i["url"] for i in items) == sorted(r.url for r in SITE.reports if r.year >= 2023)
    # newest first: once a page lists nothing newer than 2023, later pages are not fetched
    assert list_page_urls(FIRST, 3)[-1] not in hits


def test_body_narrows_the_run(replica, tmp_path):
    items = crawl(replica, tmp_path, "-a", "body=海州区教育局", "-a", "years=2020-2024", pipelines=False)
    assert sorted(i["url"] for i in items) == sorted(
        r.url for r in SITE.reports if r.body == "海州区教育局" and r.year >= 2020)
    assert {i["metadata"]["publisher"] for i in items} == {"海州区教育局"}
