"""Reading a fetched report into its validated record, in worker processes.

``read_item`` is pure: an item's page and attachments in, ``(record, source)`` out. The
crawl runs it in ``Workers``, a pool of worker processes, for two reasons: parsing a PDF is
CPU-bound and can take seconds, and run inside the crawling process it stalls every
download in flight (timeouts follow); and it lets the crawl use more than one core.

Each report has a time limit, and each worker a memory ceiling (its address space, so one
file cannot take the machine). A file that takes longer or needs more, or a worker that
dies on it (a crash in a parser), gives a record with status ``unparsed`` and an
``extraction_error`` finding that says what happened; the worker is replaced and the crawl
goes on. The raw files are archived by the store whatever the outcome, so the report can
be read again later.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import os
import resource

from pipelines.extract import empty_record, extract
from pipelines.validate import validate

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 300.0  # seconds a report may take; a 200-page PDF takes well under this
# MB of address space a worker may use; reading a 200-page PDF takes a few hundred at most
DEFAULT_MEMORY_MB = 1536


def default_workers() -> int:
    """One worker per core beyond the one the crawl itself runs on (at most 4)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(4, cores - 1))


def record_for(item: dict) -> tuple[dict, str]:
    """The best record an item yields, and where it was read from ("html" or a file URL)."""
    record = extract(item["body"], filename="page.html", content_type=item.get("content_type"),
                     source="page", sha256=_sha256(item["body"]))
    source = "html"
    if record.get("status") == "unparsed":
        for att in item.get("attachments") or []:
            if not att.get("data"):
                if att.get("error"):  # fetched and failed (404, over the size cap …): say so
                    record["findings"].append(_finding(
                        "attachment_unavailable", f"attachment {att['url']} could not be fetched: {att['error']}"))
                continue
            candidate = extract(att["data"], filename=att.get("name") or att["url"],
                                content_type=att.get("content_type"), source=att["url"],
                                sha256=_sha256(att["data"]))
            if candidate.get("status") != "unparsed":
                record, source = candidate, att["url"]
                break
            # keep what the attachment said (needs_ocr, unsupported_format): it explains the status
            record["findings"].extend(candidate.get("findings", []))
    # what the portal says about the report fills what the body did not
    record["year"] = record.get("year") or item.get("year")
    record["title"] = record.get("title") or item.get("title")
    record["agency"] = record.get("agency") or item.get("body_name")
    return record, source


def _sha256(data) -> str | None:
    """The raw archive's name of a file (provenance says which file a number came from)."""
    return hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else None


def read_item(item: dict) -> tuple[dict, str]:
    """``record_for`` then ``validate``; a bug or a hostile file never costs the report."""
    try:
        record, source = record_for(item)
        return validate(record), source
    except Exception as exc:
        log.exception("extraction failed for %s", item.get("url"))
        return extraction_failure(item, f"extraction failed: {type(exc).__name__}: {exc}"), "html"


def extraction_failure(item: dict, message: str) -> dict:
    """The record of a report that could not be read: what the portal said, and why."""
    record = empty_record()
    record.update(year=item.get("year"), title=item.get("title"), agency=item.get("body_name"),
                  status="unparsed")
    record["findings"].append(_finding("extraction_error", message))
    return record


def _finding(rule: str, message: str) -> dict:
    return {"rule": rule, "severity": "error", "table": None, "row": None, "column": None,
            "expected": None, "actual": None, "message": message}


# the fields of an item that reading needs: only these cross to the worker process
ITEM_FIELDS = ("url", "body", "content_type", "attachments", "year", "title", "body_name")


def _worker_init(memory_mb: int = 0) -> None:
    # a worker logs like the crawl (warnings and errors only reach the crawl's stderr)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    if memory_mb > 0:
        # Python raises MemoryError past it (a C parser may die instead: both are reported)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, resource.getrlimit(resource.RLIMIT_AS)[1]))


class Workers:
    """``await workers.read(item)``: ``read_item`` in a worker process, within ``timeout``
    seconds and ``memory_mb`` MB of address space (0: no ceiling). ``processes=0`` reads in
    this process (no time limit or memory ceiling can be enforced then)."""

    def __init__(self, processes: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                 memory_mb: int = DEFAULT_MEMORY_MB):
        self.processes = default_workers() if processes is None else processes
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.pool = None  # started with the first report: a crawl with nothing new needs none

    async def read(self, item: dict) -> tuple[dict, str]:
        item = {k: item.get(k) for k in ITEM_FIELDS}
        if self.processes <= 0:
            return read_item(item)
        if self.pool is None:
            from pebble import ProcessPool

            # spawn, not fork: the crawling process runs threads (reactor, DB) a fork would copy mid-state
            self.pool = ProcessPool(max_workers=self.processes, initializer=_worker_init,
                                    initargs=(self.memory_mb,), context=multiprocessing.get_context("spawn"))
        from concurrent.futures import TimeoutError as FutureTimeout

        from pebble import ProcessExpired

        future = self.pool.schedule(read_item, args=(item,), timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            message = (f"reading took longer than {self.timeout:g} s (GXNB_EXTRACT_TIMEOUT); "
                       "the worker was stopped")
        except ProcessExpired as exc:
            message = (f"the worker process died while reading this report (exit code {exc.exitcode}): "
                       f"out of memory (over {self.memory_mb} MB, GXNB_EXTRACT_MEMORY_MB), or a crash in a parser")
        log.error("could not read %s: %s", item.get("url"), message)
        return extraction_failure(item, message), "html"

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
