"""The Scrapy item pipelines: thin glue between spiders and the pure pipeline code (on
the crawler's side: pipelines/ never imports gxnb_spiders).

ExtractPipeline reads the fetched page (or, when the page has no tables, its best
attachment, fetched here through Scrapy's downloader) into the report's reading;
StorePipeline finishes it into the record (``pipelines.report.finish``: which facts win,
validation with last year's record of the body) and keeps it (pipelines.store), and
records the crawl run. In a crawl that stores nothing, ExtractPipeline finishes it (there
is no last year's record then). Nothing here parses or checks anything itself.
"""
from __future__ import annotations

import errno
import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from gxnb_spiders import config
from gxnb_spiders.browser import STAT_TIMEOUTS as STAT_BROWSER_TIMEOUTS
from gxnb_spiders.run import RunContext
from pipelines.report import facts, finish
from pipelines.workers import Workers

log = logging.getLogger(__name__)


class ExtractPipeline:
    """Reads each item into its reading (``pipelines.workers``), in worker
    processes: ``GXNB_EXTRACT_WORKERS`` of them (default one per core beyond the first;
    0 reads in the crawling process), each document within ``GXNB_EXTRACT_TIMEOUT`` seconds
    and each worker within ``GXNB_EXTRACT_MEMORY_MB`` MB.
    Spiders crawled in one process (``scrapy crawlall``) share one pool."""

    _shared: Workers | None = None
    _users = 0

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.processes, self.timeout, self.memory_mb = config.reading_limits(settings)
        self.url_limit = settings.getint("URLLENGTH_LIMIT", 2083)
        # the record is finished once, by the store (it knows last year's record), else here
        self.finishes = settings.getdict("ITEM_PIPELINES").get("gxnb_spiders.item_pipelines.StorePipeline") is None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        cls = type(self)
        if cls._shared is None:
            cls._shared = Workers(self.processes, self.timeout, self.memory_mb)
        cls._users += 1
        self.workers = cls._shared

    def close_spider(self, spider=None):
        cls = type(self)
        cls._users -= 1
        if cls._users == 0 and cls._shared is not None:
            cls._shared.close()
            cls._shared = None

    async def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        page_url = adapter.get("url")

        async def fetch(att):
            await self.fetch_attachment(att, page_url)

        record, source = await self.workers.read(adapter, fetch)
        adapter["record"] = finish(dict(adapter), record) if self.finishes else record
        adapter["record_source"] = source
        return item

    async def fetch_attachment(self, att: dict, page_url: str | None) -> None:
        """Download one attachment the reading side asked for, through the engine's
        downloader (its middlewares: offsite, retries, anti-bot, DOWNLOAD_MAXSIZE): sets
        ``data``, ``content_type`` and ``error`` (what went wrong, for the report's findings)."""
        from scrapy import Request

        url = att["url"]
        stats = self.crawler.stats
        if self.url_limit and len(url) > self.url_limit:
            # Scrapy would drop such a request at INFO level; here it costs the file, not the report
            att.update(data=None, error=f"its URL is {len(url)} characters long, over URLLENGTH_LIMIT "
                                        f"({self.url_limit}); not fetched")
        else:
            try:
                response = await self.crawler.engine.download_async(
                    Request(url, headers={"Referer": page_url} if page_url else None))
                ok = 200 <= response.status < 300
                att.update(data=response.body if ok else None,
                           content_type=response.headers.get("Content-Type", b"").decode("latin-1"),
                           error=None if ok else f"HTTP {response.status}")
            except Exception as exc:  # offsite, over the size cap, every retry failed …
                att.update(data=None, error=f"{type(exc).__name__}: {exc}")
        if att["error"]:
            stats.inc_value("gxnb/attachments/failed")
            log.error("attachment %s of %s failed: %s", url, page_url, att["error"])
        else:
            stats.inc_value("gxnb/attachments/fetched")


# --- storage --------------------------------------------------------------------------

STAT_OUTCOME = "gxnb/{}"  # gxnb/new, gxnb/revised, gxnb/unchanged: items stored, by outcome
FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


STAT_NOT_STORED = "gxnb/items_not_stored"  # reports that could not be stored (the crawl exits non-zero)


def fatal_to_storage(exc: BaseException) -> bool:
    """Whether a failure to store one report stops all storing: the disk or the database
    itself failed (full, gone, locked), not this report's content. Anything else (a value
    or a row the database refuses, a bug on an odd record) costs only that report."""
    from sqlalchemy import exc as sa_exc

    from pipelines.store import StoreUnavailable

    if isinstance(exc, (OSError, MemoryError, StoreUnavailable)):
        return True
    if isinstance(exc, sa_exc.StatementError) and isinstance(exc.orig, OSError):
        return True  # the DB-API failed on the disk
    # OperationalError: the database is down, full, locked or out of resources
    return isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError))


def storage_problem(exc: BaseException) -> str:
    """A few words on what went wrong with the storage, for the log."""
    if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
        return "the disk is full (or a file size limit was reached)"
    if "full" in str(exc).lower():
        return "the database or its disk is full"
    if type(exc).__module__.startswith("sqlalchemy"):
        return "the database failed"
    return "storage failed"


def run_counts(stats) -> dict:
    """What the ``runs`` row records of a crawl, from its stats."""
    errors = stats.get_value("gxnb/errors")  # this spider's own errors (monitors.RunHealth)
    return {
        "requests": stats.get_value("downloader/request_count", 0),
        "items": stats.get_value("item_scraped_count", 0),
        "new": stats.get_value(STAT_OUTCOME.format("new"), 0),
        "revised": stats.get_value(STAT_OUTCOME.format("revised"), 0),
        "unchanged": stats.get_value(STAT_OUTCOME.format("unchanged"), 0),
        "errors": errors if errors is not None else stats.get_value("log_count/ERROR", 0),
        "browser_timeouts": stats.get_value(STAT_BROWSER_TIMEOUTS, 0),  # pages the browser gave up on
    }


class StorePipeline:
    """Keeps each item (raw archive + database, one transaction per item) in the crawl's
    store, which the run context (gxnb_spiders/run.py) opens once, here, before anything is
    fetched; the context also records the run (``runs``: spider, start, end, finish reason,
    counts) and closes the store at spider close.

    A database that cannot be opened stops the crawl before it fetches anything (the
    error names the database). A report the database refuses (``fatal_to_storage`` says
    it is the report, not the database) is logged as an ERROR naming its URL, counted in
    ``gxnb/items_not_stored`` and dropped; the crawl goes on. A failure of the disk or the
    database itself (full, down) logs the same, then closes the spider with reason
    ``storage_error``; everything committed before stays (one transaction per report)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.run = RunContext.of(crawler)
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def store(self):
        return self.run.store

    @property
    def run_id(self):
        return self.run.run_id

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        try:
            store = self.run.open()
        except Exception as exc:
            log.error("database unavailable, not crawling %s: %s", spider.name, exc)
            raise
        try:
            self.run.start(getattr(spider, "portal", spider.name))
        except Exception as exc:  # the database is there; say what it refused
            log.error("could not record the start of the run of %s in %s, not crawling: %s: %s",
                      spider.name, store.url_for_humans, type(exc).__name__, _first_line(exc))
            self.run.close()
            raise

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if self.failed or self.store is None:
            self.crawler.stats.inc_value(STAT_NOT_STORED)
            raise DropItem(f"not stored (storage stopped after an error): {url}")
        try:
            outcome = self._store(adapter)
        except Exception as exc:
            self.crawler.stats.inc_value(STAT_NOT_STORED)
            if not fatal_to_storage(exc):
                log.error("could not store %s: %s: %s; going on with the other reports", url,
                          type(exc).__name__, _first_line(exc))
                raise DropItem(f"not stored: {url}") from exc
            self.failed = True
            log.error("could not store %s: %s: %s: %s; closing the spider", url, storage_problem(exc),
                      type(exc).__name__, _first_line(exc))
            self._close_spider("storage_error")
            raise DropItem(f"not stored: {url}") from exc
        self.crawler.stats.inc_value(STAT_OUTCOME.format(outcome))
        return item

    def _store(self, adapter) -> str:
        data = dict(adapter)  # shallow: asdict() deep-copies the page and its files
        reading = data.get("record") or {}
        who = facts(data, reading)
        previous = self.store.previous_record(data.get("portal") or self.crawler.spider.name,
                                              who.body_key, who.year)
        adapter["record"] = record = finish(data, reading, previous)
        return self.store.store_item(data, record, source=data.get("record_source") or "html",
                                     run_id=self.run_id)

    def _close_spider(self, reason: str):
        from scrapy.utils.defer import deferred_from_coro

        engine = self.crawler.engine
        deferred_from_coro(engine.close_spider_async(reason=reason))


def _first_line(exc: BaseException) -> str:
    """An exception's message without the SQL and parameters SQLAlchemy appends (a
    record's parameters can be megabytes)."""
    return (str(exc).strip().splitlines() or [""])[0][:500]
