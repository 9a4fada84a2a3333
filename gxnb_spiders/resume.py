"""Resuming a crawl after a crash: remember reports that were *stored*, not requests that
were *scheduled*.

Scrapy's own JOBDIR state survives only a clean stop: its disk queue writes its
bookkeeping (``active.json``, queue headers) on close, and ``requests.seen`` records a
request when it is queued, through a buffer. After ``kill -9`` the queue is gone while
some of its requests are already marked seen, so a resumed crawl filters them out and
their reports are silently lost. Worse, its LIFO queue file is created with its first
request and written through a buffer: killed before the next pop flushes it, the file is
left empty, and a resumed crawl fails on every request it queues into it. So with JOBDIR
the scheduler keeps its queue in memory (``SCHEDULER_DISK_QUEUE`` in settings.py) and
nothing of Scrapy's queue is read back.

``StoredReportsDupeFilter`` keeps the usual in-memory filter for one run, and in JOBDIR
persists only the fingerprints of report pages whose item went through every pipeline
(``item_scraped``: stored), one line each, flushed at once. A resumed crawl therefore
walks the lists again, skips what is already stored and fetches everything else. A
report stored just before the kill but not yet written here is fetched again; the store
keeps one row per report (same content, no new revision), so nothing is duplicated.
"""
from __future__ import annotations

from pathlib import Path

from scrapy import Request, signals
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.job import job_dir

DONE_FILE = "reports.stored"


class StoredReportsDupeFilter(RFPDupeFilter):
    def __init__(self, path: str | None = None, debug: bool = False, *, fingerprinter=None):
        super().__init__(None, debug, fingerprinter=fingerprinter)  # no requests.seen
        self.done_file = None
        if path:
            done = Path(path, DONE_FILE)
            if done.exists():
                for line in done.read_text().split():
                    try:
                        self._fingerprints.add(bytes.fromhex(line))
                    except ValueError:  # a line cut short by the crash
                        pass
            self.done_file = done.open("a")

    @classmethod
    def from_crawler(cls, crawler):
        df = cls(job_dir(crawler.settings), crawler.settings.getbool("DUPEFILTER_DEBUG"),
                 fingerprinter=crawler.request_fingerprinter)
        crawler.signals.connect(df.item_stored, signal=signals.item_scraped)
        return df

    def item_stored(self, item, response=None, spider=None):
        url = item.get("url") if hasattr(item, "get") else None
        if not url or not self.done_file:
            return
        fp = self.fingerprinter.fingerprint(Request(url))
        self.done_file.write(fp.hex() + "\n")
        self.done_file.flush()  # into the OS now: survives kill -9 of this process

    def close(self, reason: str) -> None:
        if self.done_file:
            self.done_file.close()
