"""Read an archived report again from its bytes and keep what it now reads as: the one
re-read path, used by ``scrapy reextract`` (many reports, in the crawl's worker processes)
and by the cluster's ``read`` queue (one revision per task, ``gxnb_spiders/cluster/tasks.py``).
This is how OCR or a better reader reaches the reports already collected. No network, no
Scrapy: the bytes come from the raw archive (local or S3) through the store. A record
that differs from the report's current one becomes a new revision (``store/reread.py``).

``python -m pipelines.reread REVISION_ID`` does one in a process of its own (the store's
database URL and raw archive on its standard input, as JSON: a password stays off the
command line, and nothing is read from the environment): the read task
uses it for a document whose earlier read killed its worker, so a file that crashes a
parser is stored ``unparsed`` with a finding saying so, instead of killing worker after
worker.
"""
from __future__ import annotations

import json
import subprocess
import sys

from pipelines.report import facts, finish
from pipelines.store.reread import archived_item, keep_reading
from pipelines.workers import failed_reading, read_item


def reread(store, revision_id: int) -> str:
    """Read revision ``revision_id`` from its archived files in this process and keep it:
    "reread" (a new revision), "unchanged", "not current" or "missing" (no such revision).
    Running it twice gives the same result."""
    item = archived_item(store, revision_id)
    if item is None:
        return "missing"
    reading, source = read_item(item)
    return keep(store, revision_id, item, reading, source)


def keep(store, revision_id: int, item: dict, reading: dict, source: str) -> str:
    """Keep a reading of revision ``revision_id``'s item, finished (``pipelines.report``: with
    last year's record of the same body, like the crawl)."""
    who = facts(item, reading)
    previous = store.previous_record(item["portal"], who.body_key, who.year)
    return keep_reading(store, revision_id, finish(item, reading, previous), source)


def keep_failure(store, revision_id: int, message: str) -> str:
    """Keep the revision ``unparsed`` with an ``extraction_error`` finding saying why."""
    item = archived_item(store, revision_id)
    if item is None:
        return "missing"
    return keep_reading(store, revision_id, finish(item, failed_reading(message)), "html")


def reread_isolated(store, revision_id: int, timeout: float) -> str:
    """``reread`` in a process of its own, within ``timeout`` seconds; a process that dies
    or overruns leaves the revision ``unparsed`` with a finding that says which."""
    cmd = [sys.executable, "-m", "pipelines.reread", str(revision_id)]
    where = json.dumps({"url": store.url, "raw_dir": store.raw_dir})
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=where)
    except subprocess.TimeoutExpired:
        return keep_failure(store, revision_id, f"reading took longer than {timeout:g} s "
                                                f"(GXNB_EXTRACT_TIMEOUT); the reader was stopped")
    if proc.returncode == 0 and proc.stdout.strip():
        return proc.stdout.strip().splitlines()[-1]
    return keep_failure(store, revision_id, f"the reader process died while reading this report (exit code "
                                            f"{proc.returncode}): out of memory, or a crash in a parser")


if __name__ == "__main__":
    from pipelines.store import Store

    with Store(**json.loads(sys.stdin.read())) as s:
        print(reread(s, int(sys.argv[1])))
