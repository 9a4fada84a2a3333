"""Reading a fetched report in worker processes: its page, and its documents when needed.

The spider hands on the report page and its candidate document links (never reading a
table). Here the report is read: the page first; when it holds no tables, its linked
documents, best kind first (``documents_to_fetch``), each fetched only when needed and
read until one has the tables (``assemble``). ``record_for`` does that for an item whose
files are already in hand; ``Workers.read`` does it in worker processes, asking the
crawl to fetch each document it needs (``fetch``: through Scrapy, so the downloader
middlewares, size caps, offsite rules and anti-bot handling apply).

Why worker processes: parsing a PDF is CPU-bound and can take seconds, and run inside
the crawling process it stalls every download in flight (timeouts follow); a hostile
page or file can take gigabytes; and the crawl can use more than one core.

Each document (page or attachment) has a time limit, and each worker a memory ceiling (its
address space, so one file cannot take the machine). A document that takes longer or needs
more, or a worker that dies on it (a crash in a parser), gives an ``unparsed`` reading with
an ``extraction_error`` finding that says what happened; the worker is replaced and the
report goes on (its next document, then the store). The raw files are archived by the
store whatever the outcome, so the report can be read again later.

What comes out is the reading: not yet validated, its title, year and agency the
document's own. ``pipelines.report.finish`` makes it the report's record, once, where last
year's record is known.
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import logging
import multiprocessing
import os
import resource
from typing import Awaitable, Callable
from urllib.parse import unquote_to_bytes

from pipelines.extract import extract, extract_pictures
from pipelines.formats import READABLE_KINDS, kind_of_content_type, link_kind, rank
from pipelines.record import empty_record, finding

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 300.0  # seconds a document may take; a 200-page PDF takes well under this
# MB of address space a worker may use; reading a 200-page PDF takes a few hundred at most
DEFAULT_MEMORY_MB = 1536
# pictures of one report read together, at most (an article of page scans; OCR reads 40 pages)
MAX_PICTURES = 20
# linked documents tried per report, at most: a page that links dozens of files (a list of
# every body's reports) must not cost dozens of downloads; the rest are named in a finding
MAX_DOCUMENTS = 5


def default_workers() -> int:
    """One worker per core beyond the one the crawl itself runs on (at most 4)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(4, cores - 1))


# --- which documents, and the record made of them (pure) --------------------------------

def document_kind(att: dict) -> str:
    """"pdf", "docx", "image" …: what the spider knew (an article's picture), else what the
    link's path or name says (pipelines/formats.py), else, for a file in hand whose link
    says nothing readable (``getfile?id=3``), its content type. (Not the content type of a
    failed fetch: that is the error page's.)"""
    kind = att.get("kind") or link_kind(att.get("url"), att.get("name"))
    if kind not in READABLE_KINDS and att.get("data"):
        kind = kind_of_content_type(att.get("content_type")) or kind
    return kind


def _rank(att: dict) -> int:
    return rank(document_kind(att))


def documents_to_fetch(item: dict, page_record: dict) -> list[dict]:
    """The attachments the report is to be read from, best kind first: none when the
    page itself has tables; else the readable ones (and any the spider already fetched:
    a list that links the report's file itself)."""
    return [att for document in documents(item, page_record) for att in document]


def documents(item: dict, page_record: dict) -> list[list[dict]]:
    """``documents_to_fetch`` as the documents they make, in the order they are tried: each
    file alone, but a report's pictures all together, in page order (its tables posted as
    pictures, table 一 in one, 二 and 三 in others, are one document read by OCR)."""
    if page_record.get("status") != "unparsed":
        return []
    return _grouped(item)[:MAX_DOCUMENTS]


def _untried(item: dict, page_record: dict) -> list[dict]:
    """The readable files past the cap, when the page has no tables."""
    if page_record.get("status") != "unparsed":
        return []
    groups = _grouped(item)
    return [att for group in groups[MAX_DOCUMENTS:] for att in group] + \
        [att for group in groups[:MAX_DOCUMENTS] if len(group) > 1 for att in group[MAX_PICTURES:]]


def _grouped(item: dict) -> list[list[dict]]:
    groups, pictures = [], []
    for att in _readable(item):
        if document_kind(att) == "image":
            if not pictures:
                groups.append(pictures)
            pictures.append(att)
        else:
            groups.append([att])
    return [g[:MAX_PICTURES] if g is pictures else g for g in groups]


def _readable(item: dict) -> list[dict]:
    files = [a for a in item.get("attachments") or []
             if a.get("data") or document_kind(a) in READABLE_KINDS]
    return sorted(files, key=_rank)  # stable: page order within a kind


def decode_inline(att: dict) -> None:
    """A picture the page holds itself (a ``data:`` URI, handed on as the spider found it):
    its bytes, decoded here, and a short name in place of the URL (the archive keeps the
    bytes; the URL would hold them a second time)."""
    url = att.get("url") or ""
    if not url.startswith("data:") or att.get("data") is not None:
        return
    header, _, payload = url.partition(",")
    content_type = header[5:].split(";")[0] or "text/plain"
    try:
        if header.endswith(";base64"):
            data = base64.b64decode(payload.encode("ascii"), validate=False)
        else:
            data = unquote_to_bytes(payload)
        att.update(data=data or None, content_type=content_type, error=None if data else "an empty data: URI")
        tag = _sha256(data)
    except (ValueError, binascii.Error) as exc:
        att.update(data=None, error=f"a data: URI that cannot be decoded: {exc}")
        tag = hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()
    att["url"] = f"data:{content_type};sha256={tag}"


def read_page(item: dict) -> dict:
    body = item.get("body") or b""
    return extract(body, filename="page.html", content_type=item.get("content_type"),
                   source="page", sha256=_sha256(body))


def read_pictures(atts: list[dict]) -> dict:
    """A report's pictures read together by OCR, as one document (``documents``)."""
    return extract_pictures([(a["data"], a["url"], _sha256(a["data"])) for a in atts])


def read_document(document: list[dict]) -> dict:
    """One document of ``documents``: a file, or the report's pictures together."""
    if len(document) > 1 or document_kind(document[0]) == "image":
        return read_pictures(document)
    return read_attachment(document[0])


def read_attachment(att: dict) -> dict:
    return extract(att["data"], filename=att.get("name") or att["url"], content_type=att.get("content_type"),
                   source=att["url"], sha256=_sha256(att["data"]))


def _sha256(data) -> str | None:
    """The raw archive's name of a file (provenance says which file a number came from)."""
    return hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else None


def assemble(item: dict, page_record: dict, readings: dict[str, dict]) -> tuple[dict, str]:
    """The report's record and where it was read from ("html" or a file URL): the page's
    record, or when the page has no tables the first attachment read that has them.
    ``readings`` holds the record read from each fetched document, by the URL of its (first)
    file. Which of the portal's and the document's facts win is ``pipelines.report``'s to
    say, not this."""
    record, source = dict(page_record, findings=list(page_record.get("findings") or [])), "html"
    for att in documents_to_fetch(item, page_record):
        if att.get("error"):  # could not be fetched (404, over the size cap, URL too long …): say so
            record["findings"].append(finding(
                "attachment_unavailable", f"attachment {att['url']} could not be fetched: {att['error']}"))
        reading = readings.get(att["url"])
        if reading is None:
            continue
        if reading.get("status") != "unparsed":
            record, source = reading, att["url"]
            break
        # keep what the attachment said (needs_ocr, unsupported_format): it explains the status
        record["findings"].extend(reading.get("findings", []))
    else:
        untried = _untried(item, page_record)
        if untried:
            record["findings"].append(finding(
                "documents_not_read", f"{len(untried)} more linked documents not tried (at most "
                f"{MAX_DOCUMENTS} per report): " + ", ".join(a["url"] for a in untried)))
    return record, source


def record_for(item: dict) -> tuple[dict, str]:
    """The record an item yields from the files it carries, in this process (no fetching,
    no time limit), and where it was read from ("html" or a file URL)."""
    page = read_page(item)
    readings: dict[str, dict] = {}
    for att in item.get("attachments") or []:
        decode_inline(att)
    for document in documents(item, page):
        files = [att for att in document if att.get("data")]
        if files:
            readings[files[0]["url"]] = reading = read_document(files)
            if reading.get("status") != "unparsed":
                break
    return assemble(item, page, readings)


def read_item(item: dict) -> tuple[dict, str]:
    """``record_for`` in this process (re-reading the raw archive: the files are in hand);
    a bug or a hostile file never costs the report."""
    try:
        return record_for(item)
    except Exception as exc:
        log.exception("extraction failed for %s", item.get("url"))
        return failed_reading(f"extraction failed: {type(exc).__name__}: {exc}"), "html"


def failed_reading(message: str) -> dict:
    """What a document that could not be read in time (or killed its worker) reads as."""
    record = empty_record()
    record["status"] = "unparsed"
    record["findings"].append(finding("extraction_error", message))
    return record


# the fields of an item that reading needs: only these cross to the worker process (the
# portal's facts do not: pipelines.report weighs them against the reading afterwards)
ITEM_FIELDS = ("url", "body", "content_type", "attachments")


def _worker_init(memory_mb: int = 0) -> None:
    # a worker logs like the crawl (warnings and errors only reach the crawl's stderr)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    if memory_mb > 0:
        # Python raises MemoryError past it (a C parser may die instead: both are reported)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, resource.getrlimit(resource.RLIMIT_AS)[1]))


class Workers:
    """``await workers.read(item, fetch)``: the report's reading (unvalidated) and its source,
    each document read in a worker process within ``timeout`` seconds and ``memory_mb`` MB
    of address space (0: no ceiling). ``processes=0`` reads in this process (no time limit
    or memory ceiling can be enforced then)."""

    def __init__(self, processes: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                 memory_mb: int = DEFAULT_MEMORY_MB):
        self.processes = default_workers() if processes is None else processes
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.pool = None  # started with the first report: a crawl with nothing new needs none

    async def read(self, item: dict,
                   fetch: Callable[[dict], Awaitable[None]] | None = None) -> tuple[dict, str]:
        """``fetch(att)`` downloads one attachment the report needs, setting its ``data``,
        ``content_type`` and ``error``; without it only the files the item carries are read."""
        item = {k: item.get(k) for k in ITEM_FIELDS}  # the attachment dicts stay the item's own
        try:
            page = await self._read(read_page, {k: item.get(k) for k in ("body", "content_type")}, item["url"])
            for att in item.get("attachments") or []:  # archived by their bytes, read or not
                decode_inline(att)
            readings: dict[str, dict] = {}
            for document in documents(item, page):
                for att in document:
                    if att.get("data") is None and att.get("error") is None and fetch is not None:
                        await fetch(att)
                files = [att for att in document if att.get("data")]
                if not files:
                    continue
                readings[files[0]["url"]] = reading = await self._read(read_document, files, files[0]["url"])
                if reading.get("status") != "unparsed":
                    break  # one document with the tables is enough
            return assemble(item, page, readings)
        except Exception as exc:  # a bug must not cost the report
            log.exception("extraction failed for %s", item.get("url"))
            return failed_reading(f"extraction failed: {type(exc).__name__}: {exc}"), "html"

    async def _read(self, read, document: dict, url: str) -> dict:
        """``read(document)`` in a worker within the time limit, else a failed reading."""
        if self.processes <= 0:
            return read(document)
        if self.pool is None:
            from pebble import ProcessPool

            # spawn, not fork: the crawling process runs threads (reactor, DB) a fork would copy mid-state
            self.pool = ProcessPool(max_workers=self.processes, initializer=_worker_init,
                                    initargs=(self.memory_mb,), context=multiprocessing.get_context("spawn"))
        from concurrent.futures import TimeoutError as FutureTimeout

        from pebble import ProcessExpired

        future = self.pool.schedule(read, args=(document,), timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            message = (f"reading {url} took longer than {self.timeout:g} s (GXNB_EXTRACT_TIMEOUT); "
                       "the worker was stopped")
        except ProcessExpired as exc:
            message = (f"the worker process died while reading {url} (exit code {exc.exitcode}): "
                       f"out of memory (over {self.memory_mb} MB, GXNB_EXTRACT_MEMORY_MB), or a crash in a parser")
        log.error("could not read %s: %s", url, message)
        return failed_reading(message)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def stop(self) -> None:
        """Stop now (Ctrl-C): the documents being read are abandoned, not waited for."""
        if self.pool is not None:
            self.pool.stop()
            self.pool.join()
            self.pool = None
