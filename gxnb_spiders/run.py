"""The run context: one crawl's store and state, from the spider's opening to its close.

One per crawler (``RunContext.of(crawler)``; an extension, so it is there from the start
and closes before the monitors read the stats). It opens the store once (StorePipeline
opens it before anything is fetched, so a database that is not there stops the crawl;
the incremental crawl asks it what is stored), holds the run's id, the reports the lists
showed (``seen_urls``), the bodies they showed (``listed_bodies``), the list columns walked
(``coverage``: what each said and what was collected), the report links already handled
(``report_links``: a link on two list pages is asked for once) and what the store knew at the start
(``known_reports``). At spider close it puts the coverage figures in the stats and, when
the run used the store, hands it the listed reports (gone-marking,
gxnb_spiders/incremental.py), records the end of the run and closes it, once.
"""
from __future__ import annotations

import logging
import weakref

from scrapy import signals

from gxnb_spiders import config
from gxnb_spiders.coverage import Coverage

log = logging.getLogger(__name__)

STAT_SEEN = "gxnb/reports_seen"   # distinct reports the lists showed that the run wanted
# (after -a years/body); not platforms.base.STAT_LISTED, every report link the lists showed,
# which the monitors read to tell "nothing listed" from "nothing matched"
_contexts: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # crawler → its RunContext


class RunContext:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = None             # pipelines.store.Store, once opened
        self.run_id: int | None = None
        self.seen_urls: set[str] = set()   # every report the lists showed this run
        # every report link the column walks handled, wanted or not: each is handled once
        self.report_links: set[str] = set()
        # bodies the lists showed, (name, code) → years (`scrapy bodies`, the monitors)
        self.listed_bodies: dict[tuple[str | None, str | None], set[int | None]] = {}
        self.coverage = Coverage()  # the list columns walked (gxnb_spiders/coverage.py)
        self.known: dict[str, dict] = {}   # portal → {url: what the store had}, read once
        self._unavailable: Exception | None = None  # why the store could not be opened

    @classmethod
    def from_crawler(cls, crawler):
        ctx = _contexts.get(crawler)
        if ctx is None:
            ctx = _contexts[crawler] = cls(crawler)
            crawler.signals.connect(ctx.spider_closed, signal=signals.spider_closed)
        return ctx

    of = from_crawler  # RunContext.of(crawler): the crawler's context, made on first use

    def open(self):
        """The store, opened on first use (its errors raised: StoreUnavailable …)."""
        if self.store is None:
            if self._unavailable is not None:
                raise self._unavailable
            try:
                self.store = config.open_store(self.crawler.settings)
            except Exception as exc:
                self._unavailable = exc
                raise
        return self.store

    def start(self, portal: str) -> int:
        """Record the start of this run in the store (StorePipeline, before any fetch)."""
        self.run_id = self.open().start_run(portal)
        return self.run_id

    def known_reports(self, portal: str) -> dict:
        """``{url: {listed_date, title, …}}`` stored for ``portal``, read once per run; empty
        when the store cannot be read (an incremental crawl that cannot tell what it has
        fetches everything, never skips)."""
        if portal not in self.known:
            try:
                self.known[portal] = self.open().known_reports(portal) or {}
            except Exception as exc:
                log.warning("incremental crawl of %s: known reports unavailable (%s); fetching all",
                            portal, exc)
                self.known[portal] = {}
        return self.known[portal]

    def spider_closed(self, spider, reason):
        from gxnb_spiders import incremental

        stats = self.crawler.stats
        stats.set_value(STAT_SEEN, len(self.seen_urls))
        if self.coverage.columns:  # a run that walked no column says nothing of coverage
            self.coverage.record(stats)
        store = self.store
        if store is None:  # a run that never used the store (`scrapy check`, -a full=1 reading only) writes nothing
            if self._unavailable is not None:
                log.warning("reports listed by %s not recorded: %s", spider.name, self._unavailable)
            return
        try:
            complete = incremental.complete_listing(spider, reason, stats.get_stats())
            try:
                store.mark_seen(self.run_id, incremental.portal_of(spider), sorted(self.seen_urls),
                                complete=complete)
            except Exception as exc:
                log.warning("could not record the reports %s listed: %s", spider.name, exc)
            if self.run_id is not None:
                self._finish(spider, reason)
        finally:
            self.close()

    def _finish(self, spider, reason):
        from gxnb_spiders.item_pipelines import run_counts, storage_problem

        try:
            self.store.finish_run(self.run_id, reason, run_counts(self.crawler.stats))
        except Exception as exc:
            log.error("could not record the end of run %s of %s: %s: %s", self.run_id, spider.name,
                      storage_problem(exc), exc)

    def close(self):
        if self.store is not None:
            self.store.close()
            self.store = None
        self._unavailable = RuntimeError("the run is over; its store is closed")
