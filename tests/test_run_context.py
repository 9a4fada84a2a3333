"""The run context: one crawl opens its store once, and the pipeline, the incremental
crawl and the end of the run share it; the run's state lives there, not on the spider.

Driven in this process through the crawler's own hooks (pipeline open, the spider's
report requests, the spider_closed signal), on a real SQLite store; no reactor."""
from __future__ import annotations

from scrapy import signals
from scrapy.utils.test import get_crawler

from gxnb_spiders.platforms.base import ReportSpider
from gxnb_spiders.run import RunContext
from gxnb_spiders.item_pipelines import StorePipeline
from pipelines.store import Store


class Portal(ReportSpider):
    name = "portal"


def crawler_for(tmp_path, **spider_args):
    crawler = get_crawler(Portal, {"GXNB_DATABASE_URL": f"sqlite:///{tmp_path / 'gxnb.sqlite'}",
                                    "GXNB_RAW_DIR": str(tmp_path / "raw"), "GXNB_OUTPUT_DIR": str(tmp_path)})
    crawler.spider = Portal.from_crawler(crawler, **spider_args)
    return crawler


def close(crawler, reason="finished"):
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason=reason)


def test_one_store_for_the_whole_run(tmp_path):
    crawler = crawler_for(tmp_path)
    run = RunContext.of(crawler)
    assert RunContext.of(crawler) is run  # one per crawler
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider(crawler.spider)
    store = run.store
    assert pipeline.store is store and run.run_id is not None
    # the incremental crawl asks the same store what it has, once per run
    assert crawler.spider.report_request("http://p/a.html", title="2023年年度报告") is not None
    assert run.store is store and run.known == {"portal": {}}
    assert run.seen_urls == {"http://p/a.html"} and not hasattr(crawler.spider, "seen_urls")
    close(crawler)
    assert run.store is None  # closed once, at the end
    with Store(f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw") as again:
        (row,) = again.runs()
    assert row["id"] == run.run_id and row["finish_reason"] == "finished" and row["spider"] == "portal"
    assert crawler.stats.get_value("gxnb/reports_seen") == 1
    assert crawler.stats.get_value("gxnb/reports_listed") == 1   # a stat of its own, not overwritten


def test_the_next_run_skips_what_the_first_stored_and_marks_the_unlisted_gone(tmp_path):
    from test_store import make_item

    item, record = make_item(0, portal="portal")
    first = crawler_for(tmp_path)
    pipeline = StorePipeline.from_crawler(first)
    pipeline.open_spider(first.spider)
    assert pipeline.store.store_item(item, record, run_id=pipeline.run_id) == "new"
    close(first)
    # a run without the store pipeline (extraction only): the context opens the store when asked
    second = crawler_for(tmp_path)
    assert second.spider.report_request(item["url"], title=item["title"], listed_date=item["listed_date"]) is None
    assert second.stats.get_value("gxnb/reports_unchanged") == 1
    close(second)
    third = crawler_for(tmp_path)  # the list shows another report only: the first one is gone
    assert third.spider.report_request("http://p/other.html", title="2023年年度报告") is not None
    close(third)
    with Store(f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw") as store:
        (report,) = store.snapshot()
    assert report["url"] == item["url"] and not report["listed"] and report["gone_at"]
