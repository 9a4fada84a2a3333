"""A report is finished in one place (pipelines/report.py): the portal's facts win where it
said them, the document's fill the rest, and the rules run once, with last year's record.

The report here is a real rendered page whose own words (title, year, agency) disagree
with what its portal says about it; it goes through the crawl's item pipelines into a
real store (SQLite), then through the archive's re-read, and ``scrapy extract`` reads the
same page. Every path must tell the same story."""
from __future__ import annotations

import asyncio
import copy
import json
import subprocess
import sys

import sqlalchemy as sa
from scrapy import Spider
from scrapy.utils.test import get_crawler

from replicas import reportgen
from pipelines.extract import templates as T
from pipelines.report import facts, finish
from pipelines.reread import reread
from gxnb_spiders.item_pipelines import ExtractPipeline, StorePipeline
from pipelines.store import Store
from pipelines.validate import RULES
from test_store import make_item

PIPELINES = {"gxnb_spiders.item_pipelines.ExtractPipeline": 300,
             "gxnb_spiders.item_pipelines.StorePipeline": 800}
PORTAL = dict(title="关于公布莱阳市政府办2023年度政务信息公开报告的通知", year=2023,
              body_name="莱阳市政府办公室", body_code="LY-OFFICE")


def disagreeing_report():
    """(item, the document's own record): the page says 2022 and its own title and agency."""
    document = copy.deepcopy(reportgen.load_record(0))
    document.update(year=2022, title="莱阳市人民政府办公室2022年政府信息公开工作年度报告")
    item, _ = make_item(0, document, body=reportgen.render_html(document).encode("utf-8"),
                        attachments=[], **PORTAL)
    return item, document


def last_year():
    """The same body's report on 2022 (by the portal's year and code), numbers its own."""
    record = reportgen.derive(reportgen.load_record(0), 2022, seed=3)
    item, _ = make_item(1, record, body_code=PORTAL["body_code"], body_name=PORTAL["body_name"], year=2022)
    return item, finish(item, record)


def crawl_pipelines(db_url, tmp_path):
    crawler = get_crawler(Spider, {"GXNB_DATABASE_URL": db_url, "GXNB_RAW_DIR": str(tmp_path / "raw"),
                                   "GXNB_EXTRACT_WORKERS": 0, "ITEM_PIPELINES": PIPELINES})
    crawler.spider = spider = Spider("testportal")
    extract, store = ExtractPipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)
    extract.open_spider(spider)
    store.open_spider(spider)
    return extract, store


def test_the_portals_facts_win_everywhere_and_the_rules_run_once(sqlite_url, tmp_path):
    prev_item, prev_record = last_year()
    with Store(sqlite_url, tmp_path / "raw") as s:
        s.store_item(prev_item, prev_record)

    item, document = disagreeing_report()
    extract, store = crawl_pipelines(sqlite_url, tmp_path)
    try:
        read = asyncio.run(extract.process_item(dict(item)))
        reading = read["record"]
        # the reading is the document's: its own words, no rule run yet
        assert (reading["year"], reading["title"], reading["agency"]) == (2022, document["title"], document["agency"])
        assert not [f for f in reading["findings"] if f["rule"] in RULES]
        stored = store.process_item(read)["record"]
    finally:
        extract.close_spider(spider=None)
        store.store.close()

    winner = (2023, PORTAL["title"], PORTAL["body_name"])
    assert (stored["year"], stored["title"], stored["agency"]) == winner
    # last year's record was found by the winners (the portal's year and body code) and
    # its cross-year rule ran once: one finding per column that does not chain
    cur, prev = document["applications"]["carried_over"], prev_record["applications"]["carried_forward"]
    broken = [c for c in T.APPLICANT_COLUMNS if cur[c] != prev[c]]
    chain = [f["column"] for f in stored["findings"] if f["rule"] == "carry_over_chain"]
    assert broken and chain == broken

    eng = sa.create_engine(sqlite_url)
    with eng.connect() as c:
        rev = c.execute(sa.text(
            "SELECT v.id, v.year, v.title, v.record, r.year, r.title, b.name, b.key FROM reports r "
            "JOIN revisions v ON v.id = r.current_revision_id JOIN bodies b ON b.id = r.body_id "
            "WHERE r.url = :u"), {"u": item["url"]}).one()
        kept = json.loads(rev[3]) if isinstance(rev[3], str) else rev[3]
        findings = c.execute(sa.text("SELECT rule FROM findings WHERE revision_id = :r"), {"r": rev[0]}).scalars().all()
    eng.dispose()
    assert (rev[1], rev[2]) == (rev[4], rev[5]) == winner[:2]   # revision row and report row
    assert (rev[6], rev[7]) == (PORTAL["body_name"], PORTAL["body_code"])  # the body identity
    assert kept == json.loads(json.dumps(stored))                # the record kept is the item's
    assert findings.count("carry_over_chain") == len(broken)

    # read again from the archive: the same finish, so the same record to the byte
    with Store(sqlite_url, tmp_path / "raw") as s:
        assert reread(s, rev[0]) == "unchanged"


def test_a_file_alone_keeps_its_own_words(tmp_path):
    """``scrapy extract`` has no portal: the document's title, year and agency stand."""
    item, document = disagreeing_report()
    page = tmp_path / "report.html"
    page.write_bytes(item["body"])
    out = subprocess.run([sys.executable, "-m", "scrapy", "extract", str(page)], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    record = json.loads(out)
    assert (record["year"], record["title"], record["agency"]) == (2022, document["title"], document["agency"])
    assert record["status"] == "valid"


def test_a_title_the_portal_cut_short_gives_way_to_the_documents():
    document = {"title": "莱阳市人民政府办公室2023年政府信息公开工作年度报告", "year": 2023, "agency": "莱阳市人民政府办公室"}
    for cut in ("莱阳市人民政府办公室2023年政府信息...", "莱阳市人民政府办公室2023年政府信息…"):
        assert facts({"title": cut}, document).title == document["title"]
    assert facts({"title": "莱阳市…"}, {"title": None}).title == "莱阳市…"  # nothing better: kept
    who = facts({"body_name": None, "body_code": None, "year": None}, document)
    assert (who.year, who.agency, who.body_key) == (2023, "莱阳市人民政府办公室", "莱阳市人民政府办公室")


def test_a_body_a_portal_lists_in_traditional_characters_is_the_same_body(sqlite_url, tmp_path):
    """A 繁體 portal's list names the body as its title prints it (大同市人民政府辦公室, the real
    seed 002's title); the same body's 简体 listing, or its report's own words, name it
    in simplified characters. All three are one body, kept under its simplified name."""
    from gxnb_spiders.platforms.base import body_in_title
    from pipelines.extract import extract
    from pipelines.extract.normalise import t2s

    seed = reportgen.load_record(2)
    listed = body_in_title(seed["title"])
    assert listed == "大同市人民政府辦公室"                      # as the 繁體 portal lists it
    page = reportgen.render_html(seed, traditional=True).encode("utf-8")
    own = extract(page, filename="report.html")["agency"]      # the report's own words
    assert own == "大同市人民政府办公室"
    assert facts({"body_name": listed}, {}).agency == facts({"body_name": t2s(listed)}, {}).agency == own
    assert facts({"body_name": " 大同市 人民政府辦公室 "}, {"agency": "x"}).body_key == own  # spaced as printed

    old = reportgen.derive(seed, 2021, seed=1)
    with Store(sqlite_url, tmp_path / "raw") as s:
        for i, (record, name) in enumerate(((seed, listed), (old, t2s(listed)))):
            item, _ = make_item(i, record, body_name=name, body_code=None, year=record["year"])
            s.store_item(item, finish(item, record))
    eng = sa.create_engine(sqlite_url)
    with eng.connect() as c:
        bodies = c.execute(sa.text("SELECT name, key FROM bodies")).all()
    eng.dispose()
    assert [tuple(b) for b in bodies] == [(own, own)]


def test_a_report_that_names_no_body_takes_its_pages_publisher():
    """A report whose title and signature name no body (本机关), on a page whose metadata
    block gives 发布机构 in a cell of its own (no colon, so not in the report's text as a
    field): the agency is the publisher, read by the crawl's page_metadata; a publisher
    that is no body's name (管理员) gives none."""
    from scrapy.http import HtmlResponse

    from gxnb_spiders.platforms.base import page_metadata
    from pipelines.extract import extract

    document = reportgen.derive(reportgen.load_record(0), 2023, seed=5)
    document.update(agency=None, title="2023年政府信息公开工作年度报告")
    for publisher, agency in (("莱阳市 卫生健康局", "莱阳市卫生健康局"), ("管理员", None)):
        block = f"<table><tr><td>索引号</td><td>0001/2024-1</td><td>发布机构</td><td>{publisher}</td></tr></table>"
        html = f"<html><head><meta charset='utf-8'></head><body>{block}{reportgen.render_html(document)}</body></html>"
        page = HtmlResponse("http://www.example.gov.cn/r.html", body=html.encode("utf-8"), encoding="utf-8")
        record = extract(html, filename="r.html")
        assert record["agency"] is None                          # the report's own words name none
        item = {"metadata": page_metadata(page), "body_name": None, "body_code": None}
        assert facts(item, record).agency == agency
