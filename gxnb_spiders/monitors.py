"""Health of a scheduled run, checked by spidermon when each spider closes.

A run fails its monitors when it

- found no report at all: nothing stored and no known report seen unchanged on a list
  (an incremental run that finds everything unchanged is healthy);
- logged more errors of its own than ``GXNB_MAX_ERRORS``;
- stored items of which more than ``GXNB_MAX_INVALID_SHARE`` failed validation
  (record status ``inconsistent`` or ``unparsed``);
- did not finish normally (finish reason other than ``finished``).

Failures are logged with their reasons and kept on the crawler
(``crawler.gxnb_monitor_failures``, a list of strings) and in the stats
(``gxnb/monitor_failures``), so ``scrapy crawlall`` can exit non-zero and say why.

``RunHealth`` (an extension) gathers the per-spider figures the monitors read: in one
process with several crawlers, Scrapy's ``log_count/ERROR`` counts every crawler's
errors, so errors are counted here by the spider they belong to.
"""
from __future__ import annotations

import logging

from scrapy import signals
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.core.actions import Action
from spidermon.contrib.scrapy.monitors import FinishReasonMonitor

log = logging.getLogger(__name__)

STAT_ERRORS = "gxnb/errors"
STAT_STATUS = "gxnb/records/{}"          # items stored, by record status
STAT_UNCHANGED = "gxnb/reports_unchanged"  # known reports skipped by the incremental crawl
STAT_FAILURES = "gxnb/monitor_failures"
FAILING_STATUSES = ("inconsistent", "unparsed")


class _SpiderErrorCounter(logging.Handler):
    """Counts ERROR records that belong to one spider (Scrapy tags them with ``spider``)."""

    def __init__(self, crawler):
        super().__init__(level=logging.ERROR)
        self.crawler = crawler

    def emit(self, record):
        spider = getattr(record, "spider", None)
        if spider is not None and spider is getattr(self.crawler, "spider", None):
            self.crawler.stats.inc_value(STAT_ERRORS)


class RunHealth:
    """Gathers the figures the monitors read: errors per spider, records per status."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.handler = _SpiderErrorCounter(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    def spider_opened(self, spider):
        self.crawler.stats.set_value(STAT_ERRORS, 0)
        logging.getLogger().addHandler(self.handler)

    def spider_closed(self, spider, reason):
        logging.getLogger().removeHandler(self.handler)

    def item_scraped(self, item, spider):
        record = item.get("record") if hasattr(item, "get") else None
        status = (record or {}).get("status") or "none"
        self.crawler.stats.inc_value(STAT_STATUS.format(status))


class _Monitor(Monitor):
    longMessage = False  # the failure reason is our message alone


@monitors.name("Reports found")
class ReportsFoundMonitor(_Monitor):
    @monitors.name("The run stored an item or saw known reports unchanged")
    def test_found_reports(self):
        stats = self.data.stats
        stored = stats.get("item_scraped_count", 0)
        unchanged = stats.get(STAT_UNCHANGED, 0)
        self.assertTrue(stored + unchanged > 0,
                        msg="stored no item and saw no known report on the lists: "
                            "the portal's lists may have moved or be blocked")


@monitors.name("Errors")
class ErrorsMonitor(_Monitor):
    @monitors.name("Errors stay within GXNB_MAX_ERRORS")
    def test_errors(self):
        limit = self.data.crawler.settings.getint("GXNB_MAX_ERRORS", 10)
        errors = self.data.stats.get(STAT_ERRORS, 0)
        self.assertLessEqual(errors, limit,
                             msg=f"{errors} errors logged, more than GXNB_MAX_ERRORS={limit}")


@monitors.name("Validation")
class ValidationMonitor(_Monitor):
    @monitors.name("Failing records stay within GXNB_MAX_INVALID_SHARE")
    def test_validation(self):
        stats = self.data.stats
        share = self.data.crawler.settings.getfloat("GXNB_MAX_INVALID_SHARE", 0.5)
        stored = sum(v for k, v in stats.items() if k.startswith(STAT_STATUS.format("")))
        failing = sum(stats.get(STAT_STATUS.format(s), 0) for s in FAILING_STATUSES)
        if not stored:
            return
        self.assertLessEqual(failing / stored, share,
                             msg=f"{failing} of {stored} stored reports failed validation "
                                 f"(inconsistent or unparsed), more than GXNB_MAX_INVALID_SHARE={share:g}")


class RecordFailures(Action):
    """Keeps the reasons where ``scrapy crawlall`` (and a person reading the log) finds them."""

    def run_action(self):
        reasons = [r.reason or (r.error or "").strip().splitlines()[-1]
                   for r in self.result.monitors_failed_results]
        crawler = self.data.crawler
        failures = getattr(crawler, "gxnb_monitor_failures", [])
        failures.extend(reasons)
        crawler.gxnb_monitor_failures = failures
        crawler.stats.set_value(STAT_FAILURES, list(failures))
        for reason in reasons:
            log.error("run of %s failed its monitors: %s", self.data.spider.name, reason)


class RunMonitors(MonitorSuite):
    """What SPIDERMON_SPIDER_CLOSE_MONITORS runs for every gxnb spider."""

    monitors = [ReportsFoundMonitor, ErrorsMonitor, ValidationMonitor, FinishReasonMonitor]
    monitors_failed_actions = [RecordFailures]


def failures(crawler) -> list[str]:
    """The reasons a finished crawler's run failed its monitors (empty when healthy)."""
    return list(getattr(crawler, "gxnb_monitor_failures", []))
