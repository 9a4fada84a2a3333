"""Incremental crawling: list pages are always read, report pages only when new or changed.

A report already stored is downloaded again only when the list entry shows it changed
(its date or title differs from what was stored) or the spider runs with ``-a full=1``.
Every report listed in a run, downloaded or not, is *seen*; at the end of a complete run
(finish reason ``finished``, no ``years``/``body`` narrowing, no failed request) the store
marks the portal's reports that were not seen as gone.

The base spider calls ``skip_unchanged`` from ``report_request``; the store side
(``mark_seen``) runs at spider close, from ``SeenReports`` below.
"""
from __future__ import annotations

import logging

from scrapy import signals

log = logging.getLogger(__name__)

STAT_UNCHANGED = "gxnb/reports_unchanged"
STAT_SEEN = "gxnb/reports_listed"


def portal_of(spider) -> str:
    """The portal a spider's reports are stored under (its host for the generic spider)."""
    return getattr(spider, "portal", None) or spider.name


def truthy(value) -> bool:
    """``-a full=1`` / ``true`` / ``yes`` → True."""
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _same(listed, stored) -> bool:
    # both missing counts as the same: a list without dates never shows a change
    return (listed or None) == (stored or None)


def known_reports(spider) -> dict:
    """``{url: {listed_date, title?, …}}`` for the spider's portal, read once per run.

    An empty dict (everything downloaded) when there is no store or it cannot be read:
    an incremental crawl that cannot tell what it has must fetch, never skip.
    """
    cache = getattr(spider, "_known_reports", None)
    if cache is not None:
        return cache
    cache = {}
    try:
        store = open_store(spider.settings)
        try:
            cache = store.known_reports(portal_of(spider)) or {}
        finally:
            store.close()
    except Exception as exc:  # no database yet, or no store module: fetch everything
        log.warning("incremental crawl of %s: known reports unavailable (%s); fetching all",
                    spider.name, exc)
    spider._known_reports = cache
    return cache


def open_store(settings):
    from gxnb_spiders import config
    from pipelines.store import Store

    return Store(config.database_url(settings), config.raw_dir(settings))


def skip_unchanged(spider, url: str, *, listed_date=None, title=None) -> bool:
    """Record ``url`` as seen; True when the stored copy is still current and the page
    need not be downloaded again."""
    seen = spider.__dict__.setdefault("seen_urls", set())
    seen.add(url)
    if truthy(getattr(spider, "full", None)):
        return False
    known = known_reports(spider).get(url)
    if known is None:
        return False
    if not _same(listed_date, known.get("listed_date")):
        return False
    if "title" in known and title and not _same(title, known.get("title")):
        return False
    if getattr(spider, "crawler", None):
        spider.crawler.stats.inc_value(STAT_UNCHANGED)
    return True


def complete_listing(spider, reason: str, stats: dict) -> bool:
    """Whether this run saw the portal's whole list, so unseen reports may be marked gone:
    it finished normally, was not narrowed and no request failed for good."""
    narrowed = getattr(spider, "years", None) or getattr(spider, "body_filter", None)
    # gxnb/errors: this spider's own errors (monitors.RunHealth); a list page that failed
    # after its retries logs one, and its reports must not be taken for gone
    failed = stats.get("gxnb/errors", 0) or stats.get("retry/max_reached", 0)
    return reason == "finished" and not narrowed and not failed


class SeenReports:
    """Extension: hands the URLs a run listed to the store at spider close."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        urls = sorted(getattr(spider, "seen_urls", ()) or ())
        stats = self.crawler.stats.get_stats()
        self.crawler.stats.set_value(STAT_SEEN, len(urls))
        complete = complete_listing(spider, reason, stats)
        try:
            store = open_store(spider.settings)
        except Exception as exc:  # no store: nothing to record into
            log.warning("reports listed by %s not recorded: %s", spider.name, exc)
            return
        try:
            store.mark_seen(getattr(spider, "gxnb_run_id", None), portal_of(spider), urls,
                            complete=complete)
        except Exception as exc:
            log.warning("could not record the reports %s listed: %s", spider.name, exc)
        finally:
            store.close()
