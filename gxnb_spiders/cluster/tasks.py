"""The cluster's tasks. Each is idempotent: running it twice leaves what running it once did.

- ``crawl_portal(portal_id, not_before=None, settings=None, arguments=None)`` (queue ``crawl``): one
  portal's crawl as its own Scrapy process (``scrapy crawl portal -a id=…``), under the
  portal's lock, so one portal's requests never come from two machines at once and its
  politeness settings hold. A portal already being crawled elsewhere: the task is tried
  again later. A crawl that finished after ``not_before`` already: nothing to do. A crawl
  is incremental, and the store keeps each report once, so a crawl repeated after a worker
  died half way fetches only what is missing.
- ``read_document(revision_id)`` (queue ``read``): one archived revision read again from
  its bytes (``pipelines/reread.py``, the path ``scrapy reextract`` takes too); a record
  that changed becomes a new revision, the same record again writes nothing.

Beat sends ``crawl_portal`` for each portal on its schedule (``app.py``).
"""
from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
from datetime import datetime

from celery.signals import worker_process_init

from gxnb_spiders import config

from .app import app, queue
from .locks import PortalLock

log = logging.getLogger(__name__)

BUSY_RETRY_SECONDS = 60  # a portal crawled elsewhere: look again after this


_store = None


def store():
    """This worker process's Store (opened once: it migrates and checks the archive)."""
    global _store
    if _store is None:
        _store = config.open_store(config.project_settings())
    return _store


def _die_with_parent() -> None:
    """Linux: this process gets SIGKILL when its parent dies. A worker killed with -9
    then takes its pool processes and their Scrapy crawls with it (and so their locks),
    instead of leaving orphans crawling beside the redelivered task."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@worker_process_init.connect
def _pool_process_started(**_):
    _die_with_parent()


# --- crawl ------------------------------------------------------------------------------

def finished_since(portal_id: str, since: datetime) -> bool:
    """A crawl of the portal started at or after ``since`` and finished normally."""
    from sqlalchemy import select

    from pipelines.store.models import Run

    with store().engine.connect() as conn:
        return conn.execute(select(Run.id).where(Run.spider == portal_id, Run.started_at >= since,
                                                 Run.finish_reason == "finished").limit(1)).first() is not None


def crawl_command(portal_id: str, settings: dict | None = None, arguments: dict | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"id={portal_id}"]
    for name, value in (arguments or {}).items():  # the spider's: years, body, full
        if name != "id":
            cmd += ["-a", f"{name}={value}"]
    for name, value in (settings or {}).items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def crawl_once(portal_id: str, not_before: str | None = None, settings: dict | None = None,
               arguments: dict | None = None) -> str:
    """"busy" (crawled elsewhere now), "done already", "crawled" or "failed (exit N)"."""
    lock = PortalLock(config.lock_url(config.project_settings()), portal_id)
    try:
        if not lock.acquire():
            return "busy"
        if not_before and finished_since(portal_id, datetime.fromisoformat(not_before)):
            return "done already"
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="gxnb_spiders.settings")
        timeout = config.crawl_timeout()
        try:
            proc = subprocess.run(crawl_command(portal_id, settings, arguments), env=env,
                                  preexec_fn=_die_with_parent, stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:  # killed; what it stored stays, the next run goes on from there
            log.error("crawl of portal %s took longer than %g s (GXNB_CRAWL_TIMEOUT); stopped", portal_id, timeout)
            return "failed (timeout)"
        if proc.returncode != 0:
            log.error("crawl of portal %s exited with %s", portal_id, proc.returncode)
            return f"failed (exit {proc.returncode})"
        return "crawled"
    finally:
        lock.release()


@app.task(name="gxnb.crawl_portal", bind=True, max_retries=None)
def crawl_portal(self, portal_id: str, not_before: str | None = None, settings: dict | None = None,
                 arguments: dict | None = None) -> str:
    outcome = crawl_once(portal_id, not_before, settings, arguments)
    if outcome == "busy":
        log.info("portal %s is being crawled elsewhere; trying again in %d s", portal_id, BUSY_RETRY_SECONDS)
        raise self.retry(countdown=BUSY_RETRY_SECONDS)
    log.info("portal %s: %s", portal_id, outcome)
    return outcome


# --- read -------------------------------------------------------------------------------

READ_TIMEOUT = config.project_settings().getfloat("GXNB_EXTRACT_TIMEOUT")  # seconds one document may take


@app.task(name="gxnb.read_document", bind=True, soft_time_limit=READ_TIMEOUT, time_limit=READ_TIMEOUT + 60)
def read_document(self, revision_id: int) -> str:
    """Read one archived revision again. A message delivered again (its worker died on it,
    or with it) is read in a process of its own, so a file that crashes a parser ends as
    an ``unparsed`` report with a finding, not in a loop killing one worker after another."""
    from celery.exceptions import SoftTimeLimitExceeded

    from pipelines.reread import keep_failure, reread, reread_isolated
    from pipelines.store.reread import ArchiveFileMissing

    try:
        if (self.request.delivery_info or {}).get("redelivered"):
            outcome = reread_isolated(store(), int(revision_id), READ_TIMEOUT)
        else:
            try:
                outcome = reread(store(), int(revision_id))
            except SoftTimeLimitExceeded:
                outcome = keep_failure(store(), int(revision_id), f"reading took longer than {READ_TIMEOUT:g} s "
                                                                  "(GXNB_EXTRACT_TIMEOUT); it was stopped")
    except ArchiveFileMissing as exc:  # nothing to read it from: say which, keep what there is
        log.error("%s", exc)
        return "file missing"
    log.info("revision %s: %s", revision_id, outcome)
    return outcome


def enqueue_reads(portal: str | None = None, limit: int | None = None) -> int:
    """One ``read_document`` task per current revision (of a portal, or all); how many."""
    from pipelines.store.reread import revisions_to_read

    ids = revisions_to_read(store(), portal, limit)
    for rid in ids:
        read_document.apply_async((rid,), queue=queue("read"))
    return len(ids)
