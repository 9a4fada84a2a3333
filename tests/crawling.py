"""Helpers for tests that crawl a replica in a subprocess (never a reactor in pytest)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from replicas.spiders import CRAWL_ARGS

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("active_disclosure", "applications", "review_litigation")
SCRAPY = str(Path(sys.executable).with_name("scrapy"))
# seconds after which a crawl of a replica is called hung: a ceiling for a machine busy with
# other work (slow, never wrong), below pytest's own per-test timeout (pyproject.toml)
CRAWL_CEILING = 240
# fast and bounded: no politeness delays against a local replica, short timeouts, 2 retries
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_TIMEOUT=10",
        "-s", "RETRY_TIMES=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO",
        *CRAWL_ARGS]  # and the replicas' own spiders (synthetic) beside the product's


def crawl_env(proxy: str, db_url: str, raw_dir, **extra) -> dict:
    env = dict(os.environ)
    env.update(GXNB_REPLICA_PROXY=proxy, GXNB_DATABASE_URL=db_url, GXNB_RAW_DIR=str(raw_dir),
               GXNB_OUTPUT_DIR=str(Path(raw_dir).parent), GXNB_MAX_ERRORS="100000",
               GXNB_MAX_INVALID_SHARE="1.0")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def crawl_cmd(spider: str, *args: str) -> list[str]:
    return [SCRAPY, "crawl", spider, *FAST, *args]


def start_crawl(spider: str, env: dict, *args: str, log_path=None) -> subprocess.Popen:
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL
    return subprocess.Popen(crawl_cmd(spider, *args), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def run_crawl(spider: str, env: dict, *args: str, timeout: float = CRAWL_CEILING) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_cmd(spider, *args), cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def stored(db_url: str) -> dict:
    """url → (reports row, its current revision) as the store pipeline left them."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from pipelines.store.models import Report, Revision

    engine = create_engine(db_url)
    try:
        with Session(engine) as s:
            return {rep.url: (rep, s.get(Revision, rep.current_revision_id))
                    for rep in s.scalars(select(Report))}
    finally:
        engine.dispose()


def check_stored_records(db_url: str, reports, origin: str, seed: dict) -> None:
    """Every report of a replica (``reports``: its site's, each with its url, year,
    metadata, record, origin and attachment path) stored as the replica made it: its
    metadata, template, a valid status, the file its numbers came from (``origin`` + the
    attachment's path, else the page), its three tables; the real report's (origin
    "seed …") cell-exact to ``seed``, its hand-written record."""
    rows = stored(db_url)
    assert set(rows) == {r.url for r in reports}
    for r in reports:
        rep, rev = rows[r.url]
        assert (rep.year, rep.index_no, rep.published_date) == (
            r.year, r.metadata["index_no"], r.metadata["published_date"])
        assert rep.template == ("2021" if r.year >= 2021 else "2019"), r.url
        assert rep.status == "valid", (r.url, rev.record["findings"])
        assert rev.source == (f"{origin}{r.attachment}" if r.attachment else "html")
        for table in TABLES:
            assert rev.record[table] == r.record[table], (r.url, table)
        if r.origin.startswith("seed"):   # the real report, cell-exact to its hand-written record
            assert all(rev.record[t] == seed[t] for t in TABLES)
            assert rev.record["year"] == seed["year"]


def serve(*sites, filters=()):
    """A started ReplicaServer for these sites with these filters (call .stop() after)."""
    from replicas.server import ReplicaServer

    srv = ReplicaServer(list(sites)).start()
    srv.filters.extend(filters)
    return srv


def delay_filter(seconds: float, path_part: str = "/t"):
    """A replica filter answering matching paths after a pause (to catch a crawl mid-way)."""
    import time

    def slow(req, nxt):
        if path_part in req.path:
            time.sleep(seconds)
        return nxt(req)

    return slow


def read_only(path) -> list[str]:
    """A command prefix that runs a command with ``path`` (an empty directory) read-only.

    Not root: the directory's write bits are taken away. Root writes anywhere, so there
    the command runs in a mount namespace of its own in which ``path`` is a read-only
    file system (``EROFS``, as a full or remounted disk gives); nothing outside changes.
    """
    import shutil

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        path.chmod(0o555)
        return []
    if not shutil.which("unshare"):
        import pytest

        pytest.skip("root without unshare(1): no way to make a read-only directory")
    return ["unshare", "-m", "--propagation", "private", "sh", "-c",
            'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"', str(path)]
