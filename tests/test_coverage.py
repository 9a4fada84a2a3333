"""List coverage: what each list page says of its column's size, what the run collected,
and the monitor that fails a run whose column came up short, naming the column's URL."""
from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse

from crawling import crawl_env, run_crawl, serve
from gxnb_spiders.coverage import Column
from gxnb_spiders.platforms.generic import NumberedPages
from gxnb_spiders.platforms.lianyungang import Lianyungang
from gxnb_spiders.platforms.trs import TRS
from replicas.faults import Fault, FaultInjector
from replicas.sites.laiyang import LaiyangSite
from replicas.sites.synthetic import SyntheticSite

NO_PIPELINES = ["-s", "ITEM_PIPELINES={}"]  # the lists are what is measured here, not the reports
LAIYANG_COLUMN = "http://www.laiyang.gov.cn/col/col7441/index.html"
SYNTHETIC_COLUMN = "http://www.synthetic.test/xxgk/ndbg/index.shtml"


def page(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body, encoding="utf-8")


# --- what a page says
def test_each_platform_reads_what_its_pages_say():
    newer = page("http://x.gov.cn/ndbg/index.shtml", "<script>createPageHTML('page_div', 3, 1, 'index', 'shtml', 25);</script>")
    older = page("http://x.gov.cn/ndbg/index.shtml", '<script>createPageHTML(3, 0, "index", "shtml");</script>')
    assert TRS().told(newer) == {"pages": 3, "records": 25}
    assert TRS().told(older) == {"pages": 3, "records": None}
    lyg = page("http://x.gov.cn/c/index.html", '<div class="pages"><span>共20条 1/3页</span></div>')
    assert Lianyungang().told(lyg) == {"records": 20, "pages": 3}
    assert NumberedPages().told(page("http://x.gov.cn/l.html", "<div>共 96 条记录</div>")) == {"records": 96}
    assert NumberedPages().told(page("http://x.gov.cn/l.html", "<div>下一页</div>")) == {}


def test_a_column_is_short_only_of_what_it_was_told():
    col = Column("http://x.gov.cn/c/", "trs")
    col.told(records=3)
    col.entries.update({"a", "b"})
    assert col.shortfall == "collected 2 of the 3 records its pages list"
    col.told(records=0)  # an answer saying less does not hide what the column page said
    assert col.told_records == 3
    col.entries.add("c")
    assert col.shortfall is None
    pages_only = Column("http://x.gov.cn/d/", "trs", told_pages=3, pages_read={"p0", "p1"})
    assert pages_only.shortfall == "read 2 of its 3 list pages"
    pages_only.narrowed = True  # -a years stopped the walk on purpose
    assert pages_only.shortfall is None
    assert Column("http://x.gov.cn/e/", "links").shortfall is None  # told nothing: nothing to hold it to


# --- crawls
def crawl(site, tmp_path, spider: str, *args, faults=()):
    injector = FaultInjector(list(faults)) if faults else None
    srv = serve(site, filters=[injector] if injector else [])
    try:
        env = crawl_env(srv.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
        proc = run_crawl(spider, env, *NO_PIPELINES, *args)
    finally:
        srv.stop()
    return proc, {k: int(v) for k, v in re.findall(r"'(gxnb/coverage/[a-z_]+|item_scraped_count)': (\d+)",
                                                     proc.stderr)}


class Embedded(LaiyangSite):
    """Laiyang's column, its page embedding ``embedded`` records (its jpage call still
    says perPage 15, groupSize 3)."""

    def __init__(self, embedded: int):
        super().__init__()
        self.embedded = embedded


@pytest.mark.parametrize("embedded", [15, 60])
def test_hanweb_columns_embedding_15_or_60_records_are_fully_collected(tmp_path, embedded):
    site = Embedded(embedded)
    proc, stats = crawl(site, tmp_path, "laiyang")
    assert proc.returncode == 0, proc.stderr[-3000:]
    n = len(site.reports)
    assert stats["item_scraped_count"] == n == 96
    assert stats["gxnb/coverage/told"] == stats["gxnb/coverage/collected"] == n
    assert stats["gxnb/coverage/short_columns"] == 0
    assert f"listed {n} of {n}" in proc.stdout + proc.stderr


def test_a_dropped_dataproxy_group_fails_the_monitor_naming_the_column(tmp_path):
    proc, stats = crawl(Embedded(45), tmp_path, "laiyang",
                        faults=[Fault("status", status=503, path=r"dataproxy\.jsp\?startrecord=46&")])
    assert proc.returncode == 1
    # the embedded 45, then the third group: 91-96 and the record before it (90)
    assert stats["gxnb/coverage/told"] == 96 and stats["gxnb/coverage/collected"] == 45 + 7
    assert stats["gxnb/coverage/short_columns"] == 1
    assert re.search(rf"failed its monitors: 1 list column\(s\) short: {re.escape(LAIYANG_COLUMN)} \(hanweb_jcms\): collected 52 of the 96 "
                     r"records its pages list", proc.stderr)


def test_a_dropped_list_page_fails_the_monitor_naming_the_column(tmp_path):
    site = SyntheticSite(45)  # three list pages of 20
    proc, stats = crawl(site, tmp_path, "synthetic", faults=[Fault("not_found", path=r"/index_1\.shtml$")])
    assert proc.returncode == 1
    assert stats["item_scraped_count"] == 25
    assert stats["gxnb/coverage/told"] == 45 and stats["gxnb/coverage/collected"] == 25
    assert re.search(rf"failed its monitors: 1 list column\(s\) short: {re.escape(SYNTHETIC_COLUMN)} \(trs\): collected 25 of the 45 "
                     r"records its pages list", proc.stderr)


def test_a_whole_column_passes_the_monitor(tmp_path):
    proc, stats = crawl(SyntheticSite(45), tmp_path, "synthetic")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert stats["gxnb/coverage/collected"] == 45 and stats["gxnb/coverage/short_columns"] == 0


# --- the run's coverage lives in the run context; a link to another host is not collected
def test_an_entry_linking_to_another_host_is_listed_but_not_collected():
    """A column of 5 records, one of which its page links on another host (a report kept
    on a city's platform, say): the crawl never fetches that host, so the column has 4
    collected of 5, and the monitor's line names the link. The run's state (coverage, the
    bodies listed) is in the run context, not on the spider."""
    from scrapy import signals
    from scrapy.utils.test import get_crawler

    from gxnb_spiders.run import RunContext
    from replicas.faults import OFFSITE_HOST
    from replicas.server import Request
    from replicas.spiders.synthetic import SyntheticSpider

    site = SyntheticSite(5)
    served = site.handle(Request("GET", "www.synthetic.test", "/xxgk/ndbg/index.shtml", {}, {}))
    moved = site.report_url(1).replace("www.synthetic.test", OFFSITE_HOST)
    html = served.payload().decode("utf-8")
    assert html.count('href="./202301/t20230108_1.html"') == 1
    html = html.replace('href="./202301/t20230108_1.html"', f'href="{moved}"')

    crawler = get_crawler(SyntheticSpider)
    crawler.spider = spider = SyntheticSpider.from_crawler(crawler, full="1")  # full: no store asked
    requests = list(spider.parse_list(page(SYNTHETIC_COLUMN, html)))
    assert len(requests) == 5  # asked for all the same; the offsite middleware drops the one
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="finished")

    run = RunContext.of(crawler)
    column = run.coverage.columns[SYNTHETIC_COLUMN]
    assert column.offsite == {moved} and moved not in column.entries and len(column.entries) == 4
    assert run.coverage.shortfalls() == [
        f"{SYNTHETIC_COLUMN} (trs): collected 4 of the 5 records its pages list "
        f"(1 linked to other hosts, not fetched: {moved})"]
    stats = crawler.stats.get_stats()
    assert stats["gxnb/coverage/told"] == 5 and stats["gxnb/coverage/collected"] == 4
    assert stats["gxnb/coverage/short_columns"] == 1 and stats["gxnb/coverage"][SYNTHETIC_COLUMN]["offsite"] == 1
    assert {name for name, _ in run.listed_bodies} == {"东城区人民政府办公室", "西城区人民政府办公室"}
    assert not hasattr(spider, "coverage") and not hasattr(spider, "listed_bodies")


def test_a_report_link_on_two_list_pages_is_asked_for_once_and_the_run_remembers_it():
    """Hanweb's groups repeat their edge records, and a column can be read twice: a report
    link the walk already handled is not asked for again. What was handled is the run's
    (its context), like the rest of its state, not the spider's."""
    from scrapy.utils.test import get_crawler

    from gxnb_spiders.run import RunContext
    from replicas.server import Request
    from replicas.spiders.synthetic import SyntheticSpider

    site = SyntheticSite(5)
    html = site.handle(Request("GET", "www.synthetic.test", "/xxgk/ndbg/index.shtml", {}, {})).payload()
    crawler = get_crawler(SyntheticSpider)
    crawler.spider = spider = SyntheticSpider.from_crawler(crawler, full="1")  # full: no store asked
    first = [r.url for r in spider.parse_list(page(SYNTHETIC_COLUMN, html.decode("utf-8")))]
    again = [r.url for r in spider.parse_list(page(SYNTHETIC_COLUMN, html.decode("utf-8")))]
    assert len(first) == len(set(first)) == 5 and again == []
    assert RunContext.of(crawler).report_links == set(first)
    assert not any(isinstance(v, set) for v in vars(spider).values())  # no run state rides on the spider
