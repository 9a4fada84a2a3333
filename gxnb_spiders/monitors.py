"""Health of a scheduled run, checked by spidermon when each spider closes.

A run fails its monitors when it

- found no report at all: nothing stored and no known report seen unchanged on a list
  (an incremental run that finds everything unchanged is healthy); the message names the
  cause it can see: reports were read but not stored, the lists showed reports but none
  matched ``-a years``/``-a body``, a start URL answered an HTTP error or no page
  answered at all, or else the lists showed no report;
- could not store an item (stat ``gxnb/items_not_stored``);
- logged more errors of its own than ``GXNB_MAX_ERRORS``;
- stored items of which more than ``GXNB_MAX_INVALID_SHARE`` failed validation
  (record status ``inconsistent`` or ``unparsed``);
- did not finish normally (finish reason other than ``finished``);
- collected fewer entries from a column than its pages said it had (``gxnb_spiders.coverage``),
  naming each short column's URL.

Failures are logged with their reasons and kept on the crawler
(``crawler.gxnb_monitor_failures``, a list of strings) and in the stats
(``gxnb/monitor_failures``), so ``scrapy crawlall`` can exit non-zero and say why.

``RunHealth`` (an extension) gathers the per-spider figures the monitors read: in one
process with several crawlers, Scrapy's ``log_count/ERROR`` counts every crawler's
errors, so errors are counted here by the spider they belong to.
"""
from __future__ import annotations

import logging
import warnings

from scrapy import signals
from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.core.actions import Action
from spidermon.contrib.scrapy.monitors import FinishReasonMonitor

from gxnb_spiders.browser import STAT_NAVIGATION_TIMEOUTS, STAT_TIMEOUTS as STAT_BROWSER_TIMEOUTS

log = logging.getLogger(__name__)
# spidermon's runner still calls Spider.log(); the warning says nothing about the crawl
warnings.filterwarnings("ignore", r"Spider\.log\(\) is deprecated", ScrapyDeprecationWarning)

STAT_ERRORS = "gxnb/errors"
STAT_NOT_STORED = "gxnb/items_not_stored"  # incremented by the store pipeline
STAT_START_FAILED = "gxnb/start_failed"      # "<url> answered HTTP 404", for the first start URL that did
STAT_STATUS = "gxnb/records/{}"          # items stored, by record status
STAT_UNCHANGED = "gxnb/reports_unchanged"  # known reports skipped by the incremental crawl
STAT_FAILURES = "gxnb/monitor_failures"
FAILING_STATUSES = ("inconsistent", "unparsed")


class _SpiderErrorCounter(logging.Handler):
    """Counts ERROR records that belong to one spider (Scrapy tags them with ``spider``),
    and keeps the first one's message (``crawler.gxnb_first_error``) for the monitors."""

    def __init__(self, crawler):
        super().__init__(level=logging.ERROR)
        self.crawler = crawler

    def emit(self, record):
        spider = getattr(record, "spider", None)
        if spider is not None and spider is getattr(self.crawler, "spider", None):
            self.crawler.stats.inc_value(STAT_ERRORS)
            if not getattr(self.crawler, "gxnb_first_error", None):
                try:
                    text = record.getMessage().splitlines()[0]
                    exc = record.exc_info[1] if record.exc_info else None
                    if exc is not None and type(exc).__name__ not in text:
                        text += f": {type(exc).__name__}: {' '.join(str(exc).split())}"
                    self.crawler.gxnb_first_error = text
                except Exception:  # a message that cannot be formatted is not worth a crash
                    pass


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
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def response_received(self, response, request, spider):
        # a start request has no depth yet when its answer arrives (DepthMiddleware sets it later)
        if response.status >= 400 and "depth" not in request.meta \
                and response.status not in spider.settings.getlist("HTTPERROR_ALLOWED_CODES"):
            if not self.crawler.stats.get_value(STAT_START_FAILED):
                self.crawler.stats.set_value(STAT_START_FAILED, f"{request.url} answered HTTP {response.status}")

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


def _browser_timeouts_named(stats) -> str:
    """The timeout that gave the pages up: ours, Playwright's navigation timeout, or both."""
    navigation = stats.get(STAT_NAVIGATION_TIMEOUTS, 0)
    ours = "GXNB_BROWSER_TIMEOUT"
    theirs = "Playwright's navigation timeout (PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT)"
    if not navigation:
        return ours
    return theirs if navigation >= stats[STAT_BROWSER_TIMEOUTS] else f"{ours} or {theirs}"


def why_nothing_found(crawler, spider, stats) -> str:
    """The most likely cause, in a person's words, of a run that stored nothing and saw no
    known report, from what the run itself recorded."""
    from gxnb_spiders.platforms.base import STAT_LISTED

    first_error = getattr(crawler, "gxnb_first_error", None)
    not_stored = stats.get(STAT_NOT_STORED, 0)
    if not_stored or stats.get("finish_reason") == "storage_error":
        return (f"reports were read but {not_stored or 'none'} could be stored: the database or the raw archive "
                f"failed ({first_error or 'see the ERROR lines'})")
    listed = stats.get(STAT_LISTED, 0)
    from gxnb_spiders.run import RunContext

    bodies = len(RunContext.of(crawler).listed_bodies)
    narrowed = [f"-a {k}={v}" for k, v in (("body", getattr(spider, "body_filter", None)),
                                             ("years", getattr(spider, "years_spec", None))) if v]
    if narrowed and (listed or bodies):
        what = f"{listed} reports of {bodies} bodies" if listed else f"{bodies} bodies"
        return (f"the lists showed {what} but none matched {' '.join(narrowed)}; "
                f"`scrapy bodies {spider.name}` lists the bodies and their years")
    if listed and stats.get(STAT_ERRORS, 0):
        return (f"the lists showed {listed} reports but none was stored: {stats[STAT_ERRORS]} errors, "
                f"the first: {first_error or '?'}")
    if stats.get("gxnb/challenges_failed", 0):
        return (f"an anti-bot challenge was not passed ({stats['gxnb/challenges_failed']} requests given up; "
                f"{first_error or 'see the ERROR lines'})")
    if stats.get(STAT_BROWSER_TIMEOUTS, 0):
        return (f"pages rendered in the browser never finished ({stats[STAT_BROWSER_TIMEOUTS]} given up "
                f"after {_browser_timeouts_named(stats)}; {first_error or 'see the ERROR lines'})")
    if stats.get(STAT_START_FAILED):
        return f"the start URL {stats[STAT_START_FAILED]}: check the URL (-a url=… for generic)"
    if not stats.get("downloader/response_count", 0):
        return f"no page of the portal answered ({first_error or 'no response at all'})"
    return ("stored no item and saw no known report on the lists: the portal's lists may "
            "have moved or be blocked")


@monitors.name("Reports found")
class ReportsFoundMonitor(_Monitor):
    @monitors.name("The run stored an item or saw known reports unchanged")
    def test_found_reports(self):
        stats = self.data.stats
        stored = stats.get("item_scraped_count", 0)
        unchanged = stats.get(STAT_UNCHANGED, 0)
        if stored + unchanged > 0:
            return
        self.fail(why_nothing_found(self.data.crawler, self.data.spider, stats))


@monitors.name("Storage")
class StorageMonitor(_Monitor):
    @monitors.name("Every item read was stored")
    def test_stored(self):
        not_stored = self.data.stats.get(STAT_NOT_STORED, 0)
        stored = self.data.stats.get("item_scraped_count", 0)
        if not_stored and stored:  # with nothing stored, "Reports found" says it
            first_error = getattr(self.data.crawler, "gxnb_first_error", None)
            self.fail(f"{not_stored} reports could not be stored ({first_error or 'see the ERROR lines'})")


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


@monitors.name("List coverage")
class CoverageMonitor(_Monitor):
    @monitors.name("Every column collected what its pages said it had")
    def test_coverage(self):
        from gxnb_spiders.run import RunContext

        coverage = RunContext.of(self.data.crawler).coverage
        if not coverage.columns:
            return
        coverage.record(self.data.crawler.stats)  # the figures, whichever close handler ran first
        short = coverage.shortfalls()
        if short:
            self.fail(f"{len(short)} list column(s) short: " + "; ".join(short))


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

    monitors = [ReportsFoundMonitor, StorageMonitor, ErrorsMonitor, ValidationMonitor, CoverageMonitor,
                FinishReasonMonitor]
    monitors_failed_actions = [RecordFailures]


def failures(crawler) -> list[str]:
    """The reasons a finished crawler's run failed its monitors (empty when healthy)."""
    return list(getattr(crawler, "gxnb_monitor_failures", []))
