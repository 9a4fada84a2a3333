"""Hanweb platform: datastore/dataproxy parsing on saved pages, and real crawls of the
laiyang (JCMS column + xxgk pages) and muping (xxgk units → years) replicas."""
from __future__ import annotations

import os
import pickle
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import HtmlResponse

from crawling import CRAWL_CEILING
from gxnb_spiders.coverage import Column
from gxnb_spiders.platforms.hanweb import HanwebJcms, jpage_config, parse_datastore, xxgk_link
from replicas import reportgen
from replicas.hanweb import credit_code
from replicas.sites.laiyang import SITE as LAIYANG
from replicas.sites.muping import SITE as MUPING

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages" / "hanweb"
COLUMN_URL = "http://www.laiyang.gov.cn/col/col7441/index.html"


# --- pure parsing on saved pages

def test_parse_datastore_column_page():
    ds = parse_datastore((PAGES / "laiyang_column.html").read_text("utf-8"), COLUMN_URL)
    assert len(ds["records"]) == 45
    assert (ds["totalrecord"], ds["perpage"], ds["groupsize"]) == (96, 15, 3)
    first = ds["records"][0]
    assert first["url"].startswith("http://www.laiyang.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=")
    assert "&amp;" not in first["url"] and "fbtime=2024" in first["url"]
    assert first["title"].endswith("2024年政府信息公开工作年度报告")
    assert first["date"] == "2025-01-28"
    assert ds["nextgroup"].startswith("http://www.laiyang.gov.cn/module/web/jpage/dataproxy.jsp?")


def test_parse_datastore_dataproxy_answer_repeats_the_edge_record():
    page = parse_datastore((PAGES / "laiyang_column.html").read_text("utf-8"))
    answer = parse_datastore((PAGES / "laiyang_dataproxy_46_90.xml").read_text("utf-8"))
    assert (answer["totalrecord"], answer["totalpage"]) == (96, 7)
    assert len(answer["records"]) == 46
    assert answer["records"][0] == page["records"][-1]  # the group edge repeats record 45


def test_parse_datastore_other_shapes():
    # records without CDATA, table markup, a date written 2021年1月5日; and no datastore at all
    text = ("<datastore><recordset><record><table><tr><td><a href='/art/2021/1/5/art_1_2.html'>"
            "某局2020年政府信息公开工作年度报告</a></td><td>2021年1月5日</td></tr></table></record>"
            "<record><span>no link</span></record></recordset></datastore>")
    ds = parse_datastore(text, "http://www.example.gov.cn/col/col1/index.html")
    assert ds["records"] == [{"url": "http://www.example.gov.cn/art/2021/1/5/art_1_2.html",
                              "title": "某局2020年政府信息公开工作年度报告", "date": "2021-01-05"}]
    assert ds["totalrecord"] is None and ds["nextgroup"] is None
    assert parse_datastore("<html><body>nothing</body></html>")["records"] == []
    assert jpage_config("<html></html>", "http://x/") is None


def test_dataproxy_requests_from_the_column_page():
    body = (PAGES / "laiyang_column.html").read_bytes()
    response = HtmlResponse(COLUMN_URL, body=body, encoding="utf-8")
    jcms, column = HanwebJcms(), Column(COLUMN_URL, "hanweb_jcms")
    column.told(**jcms.told(response))
    assert column.told_records == 96 and len(jcms.entries(response)) == 45
    # the group after the 45 embedded records, one at a time as the page's script asks
    [req] = jcms.next_pages(response, COLUMN_URL, column, True)
    assert req.url == "http://www.laiyang.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"
    form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
    assert req.method == "POST"
    assert form["columnid"] == "7441" and form["unitid"] == "36752" and form["webid"] == "12"
    assert form["col"] == "1" and form["sourceContentType"] == "1" and form["webname"] == "莱阳市人民政府"
    # after that group (answered or failed), the last one; after the last, none
    [req] = jcms.next_pages(None, req.url, column, True)
    assert req.url.endswith("?startrecord=91&endrecord=135&perpage=15")
    assert jcms.next_pages(None, req.url, column, True) == []


def test_xxgk_link():
    assert xxgk_link("http://www.muping.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=113706000042603877A"
                     "&fbtime=2022&showType=2") == {"area": "113706000042603877A", "year": 2022, "show_type": "2"}
    assert xxgk_link("http://www.muping.gov.cn/col/col1/index.html") is None


def test_replica_area_codes_are_well_formed():
    # the generator reproduces the real codes' check characters (GB 11714 and GB 32100)
    assert credit_code("370682", 427601) == "11370682004276012B"
    assert credit_code("370612", 427174) == "113706120042717488"
    assert all(len(r.area) in (18, 19) for r in LAIYANG.reports + MUPING.reports)


# --- crawls of the replicas

def crawl(replica, tmp_path, spider, *args, pipelines=False) -> list[dict]:
    """Run ``scrapy crawl`` against the replicas; the items as the feed stored them (with
    ``pipelines``: extracted, validated and stored in ``tmp_path``'s database)."""
    feed = tmp_path / f"{spider}.pickle"
    env = dict(os.environ, GXNB_REPLICA_PROXY=replica.url, GXNB_OUTPUT_DIR=str(tmp_path),
               GXNB_DATABASE_URL=f"sqlite:///{tmp_path / 'gxnb.sqlite'}", GXNB_RAW_DIR=str(tmp_path / "raw"))
    cmd = [str(ROOT / ".venv" / "bin" / "scrapy"), "crawl", spider, *args,
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=INFO",
           "-o", f"{feed}:pickle"]
    if not pipelines:
        cmd += ["-s", "ITEM_PIPELINES={}"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CRAWL_CEILING)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    items = []
    with open(feed, "rb") as f:
        while True:
            try:
                items.append(pickle.load(f))
            except EOFError:
                return items


def stored_reports(tmp_path) -> dict[str, dict]:
    """What the crawl stored, by URL (the store's current revisions)."""
    from pipelines.store import Store

    store = Store(f"sqlite:///{tmp_path / 'gxnb.sqlite'}", str(tmp_path / "raw"))
    try:
        return {e["url"]: e for e in store.current_reports()}
    finally:
        store.close()


def real_urls(site, reports) -> set[str]:
    return {f"http://{site.hosts[0]}{r.page}" for r in reports}


def hits_since(replica, n: int) -> list[str]:
    return replica.hits[n:]


TABLES = ("active_disclosure", "applications", "review_litigation")


def test_laiyang_crawl_yields_every_report_once(replica, tmp_path):
    start = len(replica.hits)
    items = crawl(replica, tmp_path, "laiyang", pipelines=True)
    urls = [i["url"] for i in items]
    assert len(urls) == len(set(urls)) == len(LAIYANG.reports) == 96
    assert set(urls) == real_urls(LAIYANG, LAIYANG.reports)
    # three groups: the embedded one and two dataproxy POSTs
    hits = hits_since(replica, start)
    assert sum("dataproxy.jsp" in h for h in hits) == 2
    by_url = {i["url"]: i for i in items}
    for r in LAIYANG.reports:
        item = by_url[f"http://www.laiyang.gov.cn{r.page}"]
        assert (item["portal"], item["platform"]) == ("laiyang", "hanweb_jcms")
        assert item["portal_url"] == "http://www.laiyang.gov.cn/"
        assert item["year"] == r.year and item["title"] == r.title and item["body_name"] == r.body
        assert item["listed_date"] == r.published[:10]
        assert item["metadata"]["published_date"].startswith(r.published[:16])
        assert [a["url"] for a in item["attachments"]] == [f"http://www.laiyang.gov.cn{r.pdf}"]
        if r.is_article:
            assert item["metadata"]["publisher"] == r.body and item["metadata"]["column"] == "政府信息公开年报"
            # older articles come in GBK, and the item says so
            assert ("gb" in item["encoding"].lower()) == (r.published < "2021"), (item["url"], item["encoding"])
        else:
            assert item["body_code"] == r.area and item["metadata"]["published_date"] == r.published
        fetched = item["attachments"][0].get("data")
        # only a page without tables sends the spider to its PDF
        assert bool(fetched) == r.pdf_only, item["url"]
        if fetched:
            assert fetched.startswith(b"%PDF") and item["attachments"][0]["error"] is None
            assert item["attachments"][0]["url"] in hits
        # the record the pipeline read: from the PDF when the page had no tables
        assert item["record_source"] == (item["attachments"][0]["url"] if r.pdf_only else "html")
        record = item["record"]
        assert record["status"] == "valid", (item["url"], record["findings"][:3])
        assert record["template"] == ("2021" if r.year >= 2021 else "2019")
        assert (record["year"], record["agency"]) == (r.year, r.body)
        assert all(record[t] == r.record[t] for t in TABLES), item["url"]
    seed = by_url["http://www.laiyang.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=11370682004276012B&fbtime=2023"]
    assert seed["metadata"] == {"published_date": "2024-01-17 13:55:55"}
    # the real report, cell for cell as its hand-written record
    expected = reportgen.load_record(0)
    for key in ("year", "agency", "template") + TABLES:
        assert seed["record"][key] == expected[key], key
    # and so it is stored: every report once, checked, the real one cell-exact
    stored = stored_reports(tmp_path)
    assert sorted(stored) == sorted(urls)
    assert {e["status"] for e in stored.values()} == {"valid"}
    entry = stored[seed["url"]]
    assert (entry["portal"], entry["body_code"], entry["year"]) == ("laiyang", "11370682004276012B", 2023)
    assert entry["published_date"] == "2024-01-17 13:55:55"
    assert all(entry["record"][t] == expected[t] for t in TABLES)
    pdf_only = next(r for r in LAIYANG.reports if r.pdf_only)
    assert stored[f"http://www.laiyang.gov.cn{pdf_only.page}"]["source"] == f"http://www.laiyang.gov.cn{pdf_only.pdf}"


def test_laiyang_years_narrow_the_run(replica, tmp_path):
    start = len(replica.hits)
    items = crawl(replica, tmp_path, "laiyang", "-a", "years=2021-2023")
    wanted = [r for r in LAIYANG.reports if 2021 <= r.year <= 2023]
    assert sorted(i["url"] for i in items) == sorted(real_urls(LAIYANG, wanted))
    # no report page of another year was even fetched
    pages = {h for h in hits_since(replica, start) if "fbtime=" in h or "/art/" in h}
    assert len(pages) == len(wanted)


def test_laiyang_stops_paging_past_wanted_years(replica, tmp_path):
    start = len(replica.hits)
    items = crawl(replica, tmp_path, "laiyang", "-a", "years=2023-2024")
    assert sorted(i["url"] for i in items) == sorted(
        real_urls(LAIYANG, [r for r in LAIYANG.reports if r.year >= 2023]))
    # group 2 is all 2022 and older: group 3 is never asked for
    posts = [h for h in hits_since(replica, start) if "dataproxy.jsp" in h]
    assert posts == ["http://www.laiyang.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"]


def test_laiyang_body_narrows_the_run(replica, tmp_path):
    items = crawl(replica, tmp_path, "laiyang", "-a", "body=财政局")
    wanted = [r for r in LAIYANG.reports if r.body == "莱阳市财政局"]
    assert sorted(i["url"] for i in items) == sorted(real_urls(LAIYANG, wanted)) and len(wanted) == 6


def test_muping_crawl_units_then_years(replica, tmp_path):
    items = crawl(replica, tmp_path, "muping", pipelines=True)
    urls = [i["url"] for i in items]
    assert len(urls) == len(set(urls)) == len(MUPING.reports)
    assert set(urls) == real_urls(MUPING, MUPING.reports)
    assert len({i["body_code"] for i in items}) == len(MUPING.units()) == 7
    seed = next(i for i in items if i["url"] == "http://www.muping.gov.cn/module/xxgk/xxgkAnnualReport.jsp"
                "?area=113706000042603877A&fbtime=2022&showType=2")
    assert (seed["body_name"], seed["year"], seed["platform"]) == ("烟台市牟平区人民政府", 2022, "hanweb_xxgk")
    assert seed["metadata"]["published_date"] == "2023-01-17 10:40:09"
    assert seed["title"] == "烟台市牟平区人民政府2022年政府信息公开工作年度报告"
    pdf_only = [i for i in items if any(a.get("data") for a in i["attachments"])]
    assert [(i["body_name"], i["year"]) for i in pdf_only] == [("烟台市牟平区财政局", 2019)]
    assert pdf_only[0]["record_source"] == pdf_only[0]["attachments"][0]["url"]
    by_url = {i["url"]: i for i in items}
    for r in MUPING.reports:
        record = by_url[f"http://www.muping.gov.cn{r.page}"]["record"]
        assert record["status"] == "valid" and (record["year"], record["agency"]) == (r.year, r.body)
        assert all(record[t] == r.record[t] for t in TABLES), r.page
    expected = reportgen.load_record(4)
    assert all(seed["record"][k] == expected[k] for k in ("year", "agency", "template") + TABLES)
    # one portal, many reporting bodies, each kept under its own code
    stored = stored_reports(tmp_path)
    assert sorted(stored) == sorted(urls)
    assert {e["body_code"] for e in stored.values()} == {area for _, area, _ in MUPING.units()}
    assert all(stored[seed["url"]]["record"][t] == expected[t] for t in TABLES)


def test_muping_body_and_years_narrow_the_run(replica, tmp_path):
    start = len(replica.hits)
    items = crawl(replica, tmp_path, "muping", "-a", "body=113706120042717488", "-a", "years=2022-2023")
    assert sorted((i["body_name"], i["year"]) for i in items) == [
        ("烟台市牟平区人民政府办公室", 2022), ("烟台市牟平区人民政府办公室", 2023)]
    # other units were not visited
    visited = {parse_qs(urlsplit(h).query).get("area", [None])[0] for h in hits_since(replica, start)}
    assert visited - {None} == {"113706120042717488"}


# --- the replicas' own data

@pytest.mark.parametrize("site", [LAIYANG, MUPING], ids=["laiyang", "muping"])
def test_replica_pages_hold_their_records(site):
    """Every report page (or, for a PDF-only report, its PDF) reads back to the record it
    was rendered from, and every derived record keeps the template's arithmetic and the
    year-to-year chains of its body (derived years are not chained to the real seed
    report, nor across the 2020/2021 change of template)."""
    import copy

    from replicas.server import Request
    from pipelines.extract import extract
    from pipelines.validate import validate

    previous = {}
    for r in sorted(site.reports, key=lambda r: (r.body, r.year)):
        parts = urlsplit(r.page)
        resp = site.handle(Request("GET", site.hosts[0], parts.path, parse_qs(parts.query), {}))
        assert resp.status == 200
        html = resp.payload().decode(resp.content_type.split("charset=")[1])
        assert r.title in html and r.published[:16] in html and r.pdf in html
        assert ("<table" in html) != r.pdf_only
        if r.pdf_only:
            pdf = site.handle(Request("GET", site.hosts[0], r.pdf, {}, {}))
            assert pdf.content_type == "application/pdf"
            data, name = pdf.payload(), "report.pdf"
        else:
            data, name = resp.payload(), "page.html"
        got = extract(data, filename=name, content_type=resp.content_type)
        for key in ("year", "agency", "template", "active_disclosure", "applications", "review_litigation"):
            assert got[key] == r.record[key], (r.title, key)
        before = previous.get((r.body, r.year - 1))
        if before and before["template"] == r.record["template"] and r.origin.startswith("derived"):
            checked = validate(copy.deepcopy(r.record), before)
        else:
            checked = validate(copy.deepcopy(r.record))
        assert checked["status"] == "valid" and not checked["findings"], (r.title, checked["findings"][:3])
        if r.origin.startswith("derived"):
            previous[(r.body, r.year)] = r.record
    assert sum(r.origin.startswith("seed") for r in site.reports) == 1
