"""The database unavailable at start, or full in the middle of a run: a clear error,
a clean stop, and what was stored before intact."""
from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess

import pytest

from crawling import CRAWL_CEILING, ROOT, crawl_cmd, crawl_env, run_crawl, serve
from replicas.sites.synthetic import SyntheticSite
from storage import report_counts

try:
    from gxnb_spiders.item_pipelines import StorePipeline  # noqa: F401
    from pipelines.store import Store  # noqa: F401
except ImportError:
    pytest.skip("the store (pipelines.store.Store) has not landed", allow_module_level=True)


@pytest.fixture(scope="module")
def portal():
    site = SyntheticSite(40)
    srv = serve(site)
    yield site, srv
    srv.stop()


@pytest.mark.parametrize("db_url", [
    "postgresql+psycopg://postgres@127.0.0.1:9/gxnb",          # nothing listens on port 9
    "sqlite:////nonexistent-dir/for/gxnb/test.sqlite",           # a directory that is not there
])
def test_database_unavailable_at_start(tmp_path, portal, db_url):
    site, srv = portal
    before = len(srv.hits)
    res = run_crawl("synthetic", crawl_env(srv.url, db_url, tmp_path / "raw"))
    assert res.returncode != 0
    out = res.stdout + res.stderr
    assert "database" in out.lower()
    reports_fetched = [h for h in srv.hits[before:] if "/t20" in h]
    assert not reports_fetched, "the crawl went on without a database"


def test_database_full_mid_run(tmp_path, portal):
    """A real write failure: the database file may not grow past a size limit
    (RLIMIT_FSIZE, as a full disk or quota does); the crawl stops with an error and
    every report stored before is intact and readable."""
    site, srv = portal
    db = tmp_path / "gxnb.sqlite"
    db_url = f"sqlite:///{db}"
    # a first, small crawl makes the schema and stores a few reports, unlimited
    res = run_crawl("synthetic", crawl_env(srv.url, db_url, tmp_path / "raw"), "-a", "years=2024",
                    "-s", "CLOSESPIDER_ITEMCOUNT=3")
    assert res.returncode == 0, res.stderr[-3000:]
    first = report_counts(db_url)
    assert first
    limit = db.stat().st_size + 200_000  # room for a few more reports, not for 40

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(crawl_cmd("synthetic", "-a", "full=1"), cwd=ROOT, capture_output=True, text=True,
                          env=crawl_env(srv.url, db_url, tmp_path / "raw"), timeout=CRAWL_CEILING,
                          preexec_fn=limited)
    out = proc.stdout + proc.stderr
    assert "disk I/O error" in out or "full" in out.lower(), out[-3000:]
    # intact: the file is a sound database and every report stored before is there once
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = report_counts(db_url)
    assert all(after[u] == 1 for u in first)
    assert len(after) < len(site.expected_urls())  # it did run out of room
