"""The static site (``scrapy site``), the wide exports, datasette's canned queries and the
WARC archive, all over one real crawl of the 大同 (dt) replica, some of whose report pages
have a total that no longer adds up (the replicas' ``bad_table`` fault), plus one report
stored through the Store API from a real fixture page with hostile text from its portal.

Each figure on a body's page is checked against the stored record, and every page is
looked at in headless Chromium at desktop and phone widths (screenshots are kept in
``output/screenshots/``, git-ignored)."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import sqlite3
from collections import defaultdict
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pytest

from conftest import FIXTURES, ROOT, chromium_path, needs_chromium
from crawling import crawl_env, run_crawl, serve
from pipelines.diff import body_key, overdue_bodies
from pipelines.render import wide
from pipelines.render.datasette import QUERIES, metadata
from pipelines.render.history import page_name
from pipelines.render.site import write_site
from pipelines.store import Store
from pipelines.validate import validate
from pipelines.workers import record_for

TODAY = date(2025, 3, 1)
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3)) | =1+1'
SCREENSHOTS = ROOT / "output" / "screenshots"


def hostile_item() -> dict:
    """A real report page (fixture seed 001, the 2019 template) as a portal with hostile
    text would hand it over: title, body name and attachment name carry markup."""
    return {
        "portal": "dt", "portal_url": "http://www.dt.gov.cn/", "platform": "trs",
        "body_name": "大同市<b onmouseover=alert(4)>测试</b>局 | 伪列", "body_code": None,
        "url": "http://www.dt.gov.cn/dtszf/test/hostile.shtml", "title": HOSTILE, "year": 2020,
        "metadata": {"published_date": "2021-02-20", "index_no": "=cmd|' /C calc'!A0"},
        "listed_date": "2021-02-20", "body": (FIXTURES / "seed_001.html").read_bytes(),
        "content_type": "text/html; charset=utf-8", "encoding": "utf-8",
        "attachments": [{"url": "javascript:alert(5)", "name": '"><script>alert(6)</script>.pdf',
                         "content_type": "application/pdf", "data": (FIXTURES / "seed_001.pdf").read_bytes(),
                         "error": None}],
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from replicas.faults import Fault, FaultInjector
    from replicas.server import all_sites

    tmp = tmp_path_factory.mktemp("site")
    db = f"sqlite:///{tmp / 'gxnb.sqlite'}"
    faults = FaultInjector([Fault("bad_table", rate=0.1, host="www.dt.gov.cn")], seed=7)
    srv = serve(*[s for s in all_sites() if s.name == "dt"], filters=[faults])
    try:
        proc = run_crawl("dt", crawl_env(srv.url, db, tmp / "raw", GXNB_WARC_DIR=tmp / "warc"))
    finally:
        srv.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    with Store(db, tmp / "raw") as store:
        item = hostile_item()
        record, source = record_for(item)
        store.store_item(item, validate(record), source=source)
        # and one whose year cannot be read: a page with no table, its attachment a scan
        item = dict(hostile_item(), url="http://www.dt.gov.cn/dtszf/test/scan.shtml", title="年度报告（扫描件）",
                    year=None, body="<html><body><p>详见附件。</p></body></html>".encode(),
                    attachments=[{"url": "http://www.dt.gov.cn/dtszf/test/scan.pdf", "name": "scan.pdf",
                                  "content_type": "application/pdf", "error": None,
                                  "data": (FIXTURES / "image_only.pdf").read_bytes()}])
        record, source = record_for(item)
        store.store_item(item, validate(record), source=source)
        index = write_site(store, tmp / "site", today=TODAY)
        entries = list(store.current_reports())
        files = {e["revision_id"]: store.fetched_files(e["revision_id"]) for e in entries}
    return SimpleNamespace(tmp=tmp, db=db, index=index, site=index.parent, entries=entries, files=files,
                           bad=faults.struck_urls("bad_table"))


def page(path: Path):
    return lxml.html.fromstring(path.read_text("utf-8"))


def by_page(entries) -> dict[str, dict[int, dict]]:
    """{body page file name: {year: entry}} (one report per body and year here)."""
    out: dict[str, dict[int, dict]] = defaultdict(dict)
    for e in entries:
        out[page_name(body_key(e))][e["year"]] = e
    return out


def our_pages(site: Path) -> list[Path]:
    """The pages gxnb writes (the archived portal pages beside them are the portal's bytes)."""
    return [site / "index.html", *(site / "bodies").glob("*.html"), *(site / "archive").glob("*/index.html")]


def shown_number(text: str):
    text = text.strip()
    return None if text == "—" else float(text.replace(",", ""))


def stored_cells(record: dict) -> dict[str, object]:
    from pipelines.store.cells import flatten

    return {f"{t}.{r}.{c}": v for t, r, c, v in flatten(record)}


def test_the_crawl_made_what_the_site_should_show(built):
    statuses = {e["status"] for e in built.entries}
    assert len(built.entries) >= 20 and {"valid", "inconsistent"} <= statuses
    assert built.bad  # some report pages really had a total changed


def test_each_figure_on_a_body_page_is_the_stored_number(built):
    pages = by_page(built.entries)
    checked = 0
    for name, years in pages.items():
        tree = page(built.site / "bodies" / name)
        shown: dict[tuple[str, int], list] = defaultdict(list)
        for td in tree.xpath("//td[@data-cell]"):
            shown[(td.get("data-cell"), int(td.get("data-year")))].append(shown_number(td.text_content()))
        for (path, year), values in shown.items():
            stored = stored_cells(years[year]["record"])
            assert path in stored, (name, path, year)
            assert all(v == stored[path] for v in values), (name, path, year, values, stored[path])
            checked += len(values)
        # and nothing stored is left out: every cell of every year is on the page
        for year, e in years.items():
            missing = set(stored_cells(e["record"])) - {p for p, y in shown if y == year}
            assert not missing, (name, year, sorted(missing)[:5])
    assert checked > 1000


def test_a_report_of_unknown_year_is_listed_and_archived(built):
    scan = next(e for e in built.entries if e["url"].endswith("/scan.shtml"))
    assert scan["year"] is None
    tree = page(built.site / "bodies" / page_name(body_key(scan)))
    row = tree.xpath("//tr[@class='undated']")
    assert len(row) == 1 and "年度报告（扫描件）" in row[0].text_content()
    assert f"../archive/{scan['revision_id']}/index.html" in row[0].xpath(".//a/@href")


def test_each_figure_says_where_it_was_read(built):
    from pipelines.render.site import provenance_text

    seen = 0
    for name, years in by_page(built.entries).items():
        for td in page(built.site / "bodies" / name).xpath("//td[@data-cell]"):
            prov = (years[int(td.get("data-year"))]["record"].get("provenance") or {}).get(td.get("data-cell"))
            if prov:
                assert td.get("title") == provenance_text(prov) and "读取" in td.get("title")
                seen += 1
    assert seen > 1000


def test_charts_draw_the_stored_numbers(built):
    for name, years in by_page(built.entries).items():
        tree = page(built.site / "bodies" / name)
        figure = [f for f in tree.xpath("//figure") if f.xpath("string(figcaption)") == "本年新收申请"]
        if not any((e["record"].get("applications") or {}).get("new_received") for e in years.values()):
            continue
        bars = {int(t.split(":")[0]): shown_number(t.split(":")[1])
                for t in figure[0].xpath(".//rect/title/text()")}
        for year, e in years.items():
            value = ((e["record"].get("applications") or {}).get("new_received") or {}).get("total")
            assert bars.get(year) == value, (name, year)


def test_overview_links_every_body_and_names_the_inconsistent_reports(built):
    tree = page(built.index)
    links = set(tree.xpath("//table[@id='bodies']//a/@href"))
    assert links == {f"bodies/{n}" for n in by_page(built.entries)}
    listed = set(tree.xpath("//h2[@id='inconsistent']/following-sibling::ul[1]/li/a/@href"))
    expected = {f"bodies/{page_name(body_key(e))}#y{e['year']}" for e in built.entries if e["status"] == "inconsistent"}
    assert listed == expected and expected
    late = tree.xpath("//h2[@id='late']/following-sibling::ul[1]/li")
    assert any("2020 年度：2021-02-20 发布，晚 20 天" in li.text_content() for li in late)
    assert tree.xpath("string(//div[@id='chip-inconsistent']/b)") == str(len(expected))
    portals = {tr.xpath("string(td[1])"): [td.text_content() for td in tr.xpath("td")[1:]]
               for tr in tree.xpath("//table[@id='portals']/tbody/tr")}
    valid = sum(e["status"] == "valid" for e in built.entries)
    parsed = sum(e["status"] != "unparsed" for e in built.entries)
    # every report with a year has a publication date; one (the hostile one) is late
    dated = [e for e in built.entries if e["year"] is not None]
    assert portals == {"dt": [str(len(by_page(built.entries))), str(len(built.entries)),
                              f"{100 * (len(dated) - 1) / len(dated):.0f}%",
                              f"{100 * valid / parsed:.0f}%", "1"]}


def test_every_link_in_the_site_resolves_or_is_http(built):
    for path in our_pages(built.site):
        tree = page(path)
        for href in tree.xpath("//@href"):
            if href.startswith(("http://", "https://")):
                continue
            target = (path.parent / href.split("#")[0]).resolve()
            assert target.exists() and built.site.resolve() in target.parents, (path, href)


def test_portal_text_stays_text_on_every_page(built):
    for path in our_pages(built.site):
        tree = page(path)
        scripts = tree.xpath("//script")
        if path == built.index:  # the overview's own sorting and filtering, nothing else
            assert len(scripts) == 1 and "filter-text" in scripts[0].text
        else:
            assert not scripts, path
        assert not tree.xpath("//img | //object | //embed"), path
        assert not [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib
                    if a.lower().startswith("on")], path
        assert not any(h.lower().lstrip().startswith("javascript") for h in tree.xpath("//@href | //@src"))
    hostile = next(e for e in built.entries if e["title"] == HOSTILE)
    body_page = page(built.site / "bodies" / page_name(body_key(hostile)))
    assert HOSTILE in body_page.text_content()


def test_archived_copies_are_the_bytes_fetched(built):
    for e in built.entries:
        folder = built.site / "archive" / str(e["revision_id"])
        tree = page(folder / "index.html")
        frame = tree.xpath("//iframe")
        assert frame and frame[0].get("sandbox") == ""  # no scripts, no same-origin
        assert "default-src 'none'" in tree.xpath("string(//meta[@http-equiv='Content-Security-Policy']/@content)")
        linked = tree.xpath("//ul[@id='files']//a/@href")
        for f in built.files[e["revision_id"]]:
            if not f["sha256"]:
                continue
            copies = [h for h in linked if (folder / h).exists()
                      and hashlib.sha256((folder / h).read_bytes()).hexdigest() == f["sha256"]]
            assert copies, (e["url"], f["url"])
    # the hostile attachment name never became a path: files are named by gxnb
    assert all(re.fullmatch(r"(page|file)-\d+\.\w+|index\.html", p.name)
               for p in (built.site / "archive").rglob("*") if p.is_file())


def test_wide_exports_one_row_per_report_numbers_as_stored(built):
    rows = list(csv.reader(io.StringIO((built.site / "data" / "reports.csv").read_text("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    keys = [re.search(r"\(([^()]*)\)$", h).group(1) for h in header]
    assert header[keys.index("applications.granted.total")] == "依申请公开·予以公开·总计 (applications.granted.total)"
    assert len(data) == len(built.entries)
    by_url = {r[keys.index("url")]: dict(zip(keys, r)) for r in data}
    for e in built.entries:
        row = by_url[e["url"]]
        for path, value in stored_cells(e["record"]).items():
            assert (row[path] == "" if value is None else float(row[path]) == value), (e["url"], path)
    hostile = by_url["http://www.dt.gov.cn/dtszf/test/hostile.shtml"]
    assert hostile["index_no"].startswith("'=")  # neutralised for spreadsheets
    lines = (built.site / "data" / "reports.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(x)["url"] for x in lines] == [e["url"] for e in built.entries]


def test_parquet_keeps_types_nulls_and_chinese_labels(built):
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(built.site / "data" / "reports.parquet")
    assert table.num_rows == len(built.entries)
    field = table.schema.field("applications.new_received.total")
    assert str(field.type) == "int64" and field.metadata[b"label_zh"].decode() == "依申请公开·本年新收申请·总计"
    got = dict(zip(table.column("url").to_pylist(), table.column("applications.new_received.total").to_pylist()))
    for e in built.entries:
        assert got[e["url"]] == ((e["record"].get("applications") or {}).get("new_received") or {}).get("total")


def test_export_filters(built):
    some = next(e for e in built.entries if e["status"] == "inconsistent")
    name = some["body_name"]
    picked = list(wide.select(built.entries, portal="dt", body=name, years=wide.parse_years(f"{some['year']}")))
    # a part of a name is enough, so 大同市人民政府 also picks 大同市人民政府办公室
    assert [e["url"] for e in picked] == [e["url"] for e in built.entries
                                          if name in e["body_name"] and e["year"] == some["year"]]
    assert {e["status"] for e in wide.select(built.entries, status="inconsistent")} == {"inconsistent"}
    assert wide.parse_years("2019-2021,2023") == {2019, 2020, 2021, 2023}
    with pytest.raises(ValueError):
        wide.parse_years("last year")


def test_datasette_queries_answer_the_questions(built):
    meta = metadata("gxnb")
    assert set(meta["databases"]["gxnb"]["queries"]) == set(QUERIES)
    conn = sqlite3.connect(built.db.removeprefix("sqlite:///"))
    run = lambda q, **p: conn.execute(QUERIES[q]["sql"], {"portal": "", "body": "", **p}).fetchall()
    inconsistent = {(r[1], r[2]) for r in run("inconsistent_reports")}
    assert inconsistent == {(e["body_name"], e["year"]) for e in built.entries if e["status"] == "inconsistent"}
    assert {(r[1], r[2]) for r in run("late_reports")} == {(e["body_name"], 2020) for e in built.entries
                                                         if e["title"] == HOSTILE}
    overdue = {(r[0], r[1]) for r in run("overdue_bodies")}
    today_utc = datetime.now(timezone.utc).date()  # SQLite's 'now' is UTC
    assert overdue == {(o["portal"], o["body"]) for o in overdue_bodies(built.entries, today_utc)}
    refusals = run("refusals_by_reason", portal="dt")
    for year, reason, count, reports in refusals:
        assert reason.startswith("不予公开·")
    assert run("body_figures", body="大同市财政局")


def test_warc_holds_every_fetched_page_with_url_date_and_headers(built):
    from warcio.archiveiterator import ArchiveIterator

    responses = {}
    for path in (built.tmp / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    responses[rec.rec_headers.get_header("WARC-Target-URI")] = (
                        rec.rec_headers.get_header("WARC-Date"), rec.http_headers,
                        hashlib.sha256(rec.content_stream().read()).hexdigest())
    crawled = [e for e in built.entries if "/dtszf/test/" not in e["url"]]  # not the two stored by hand
    for e in crawled:
        for f in built.files[e["revision_id"]]:
            if not f["sha256"]:
                continue
            when, headers, sha = responses[f["url"]]
            assert when.startswith(str(date.today().year - 1)) or when[:4].isdigit()
            assert headers.get_header("Content-Type") and headers.get_statuscode() == "200"
            assert sha == f["sha256"], f["url"]


# --- in a real browser --------------------------------------------------------------------

@needs_chromium
def test_pages_read_well_at_desktop_and_phone_widths(built):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    inconsistent = next(e for e in built.entries if e["status"] == "inconsistent")
    hostile = next(e for e in built.entries if e["title"] == HOSTILE)
    # every page gxnb wrote; the names of a few say what they show
    named = {built.index: "overview",
             built.site / "bodies" / page_name(body_key(inconsistent)): "body-inconsistent",
             built.site / "bodies" / page_name(body_key(hostile)): "body-hostile",
             built.site / "archive" / str(hostile["revision_id"]) / "index.html": "archive-hostile"}
    pages = {named.get(p) or str(p.relative_to(built.site)).replace("/", "_").removesuffix(".html"): p
             for p in our_pages(built.site)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            for width, height, tag in ((1280, 900, "desktop"), (390, 844, "phone")):
                tab = browser.new_page(viewport={"width": width, "height": height})
                dialogs = []
                tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                for name, path in pages.items():
                    tab.goto(path.as_uri())
                    # the whole of the pages named above, the first screen of the others
                    tab.screenshot(path=str(SCREENSHOTS / f"{tag}-{name}.png"), full_page=path in named)
                    # nothing sticks out sideways: wide tables scroll inside their own box
                    assert tab.evaluate("document.documentElement.scrollWidth") <= width + 1, (tag, name)
                assert not dialogs  # no portal script ran anywhere
                # the overview's filters and sorting work from file://
                tab.goto(built.index.as_uri())
                total = tab.locator("#bodies tbody tr").count()
                tab.fill("#filter-text", inconsistent["body_name"])
                expected = len({e["body_name"] for e in built.entries if inconsistent["body_name"] in e["body_name"]})
                assert tab.locator("#bodies tbody tr:visible").count() == expected < total
                tab.fill("#filter-text", "")
                tab.check("#filter-problems")
                problems = tab.locator("#bodies tbody tr[data-problem='1']").count()
                assert tab.locator("#bodies tbody tr:visible").count() == problems
                assert 1 <= problems < total
                tab.uncheck("#filter-problems")
                tab.click("#bodies thead th:nth-child(5)")  # 完整率, ascending
                shown = [float(v or "-1") for v in tab.locator("#bodies tbody tr td:nth-child(5)").evaluate_all(
                    "tds => tds.map(td => td.getAttribute('data-sort'))")]
                assert shown == sorted(shown)
                tab.close()
        finally:
            browser.close()


# --- the command ------------------------------------------------------------------------

def scrapy_site(tmp_path, *args):
    import os
    import subprocess
    import sys

    env = dict(os.environ, GXNB_DATABASE_URL=f"sqlite:///{tmp_path / 'gxnb.sqlite'}",
               GXNB_RAW_DIR=str(tmp_path / "raw"), GXNB_OUTPUT_DIR=str(tmp_path))
    return subprocess.run([str(Path(sys.executable).with_name("scrapy")), "site", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_site_command_on_an_empty_database_says_what_to_do(tmp_path):
    proc = scrapy_site(tmp_path)
    assert proc.returncode == 0, proc.stderr
    index = tmp_path / "site" / "index.html"
    assert f"site: {index}" in proc.stderr
    assert "scrapy crawlall" in page(index).text_content()


def test_site_command_that_cannot_write_says_so_in_one_line(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    proc = scrapy_site(tmp_path, "-o", str(tmp_path / "file" / "site"))
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and proc.stderr.startswith("site: error: could not write"), proc.stderr
