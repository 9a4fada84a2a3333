"""A crawl killed with SIGKILL half way, then resumed: every report stored exactly once.

With JOBDIR the second run resumes the job (gxnb_spiders/resume.py remembers stored
reports, not queued requests); without JOBDIR the next run picks up what is missing
(incremental crawling skips what is stored). Either way nothing stored is lost or
duplicated, and two crawls writing to one PostgreSQL database at once keep one row per
report and every revision.
"""
from __future__ import annotations

import signal
import time
import uuid

import pytest

from crawling import crawl_env, delay_filter, run_crawl, serve, start_crawl
from replicas.sites.synthetic import SyntheticSite
from storage import report_counts, revision_counts

try:
    from gxnb_spiders.item_pipelines import StorePipeline  # noqa: F401
    from pipelines.store import Store  # noqa: F401
except ImportError:
    pytest.skip("the store (pipelines.store.Store) has not landed", allow_module_level=True)

N = 40


def crawl_until_killed(site, env, tmp_path, *args, kill_when=None) -> int:
    """Start a crawl against a slowed replica, SIGKILL it once some reports are stored (8),
    or earlier at the first moment ``kill_when()`` is true (checked again with the crawl
    stopped, so the kill lands in that moment); the number stored when it was killed."""
    srv = serve(site, filters=[delay_filter(0.25)])
    env = dict(env, GXNB_REPLICA_PROXY=srv.url)
    proc = start_crawl("synthetic", env, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", *args,
                       log_path=tmp_path / "killed.log")
    try:
        deadline = time.monotonic() + 240  # a ceiling for a busy machine
        stored, counted_at = 0, 0.0
        while time.monotonic() < deadline and proc.poll() is None:
            if time.monotonic() - counted_at >= 0.1:  # reading the database costs; the moment does not
                stored, counted_at = sum(report_counts(env["GXNB_DATABASE_URL"]).values()), time.monotonic()
            if stored >= 8:
                break
            if kill_when is not None and kill_when():
                proc.send_signal(signal.SIGSTOP)  # frozen: is it still that moment?
                if kill_when():
                    break
                proc.send_signal(signal.SIGCONT)
            time.sleep(0.001 if kill_when else 0.1)
        assert proc.poll() is None, "the crawl ended before it could be killed:\n" + \
            (tmp_path / "killed.log").read_text(errors="replace")[-3000:]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        srv.stop()
    stored = sum(report_counts(env["GXNB_DATABASE_URL"]).values())
    assert (kill_when or stored) and stored < N, f"kill came at {stored} of {N}: proves nothing"
    return stored


def resume(site, env, *args):
    srv = serve(site)
    try:
        res = run_crawl("synthetic", dict(env, GXNB_REPLICA_PROXY=srv.url), *args)
    finally:
        srv.stop()
    assert res.returncode == 0, res.stderr[-3000:]
    return res, srv.hits


def assert_each_stored_once(site, db_url):
    counts = report_counts(db_url)
    assert set(counts) == site.expected_urls(), (
        f"missing {sorted(site.expected_urls() - set(counts))[:5]}, extra {sorted(set(counts) - site.expected_urls())[:5]}")
    assert set(counts.values()) == {1}, {u: c for u, c in counts.items() if c != 1}
    assert set(revision_counts(db_url).values()) == {1}  # same content: no new revision


@pytest.mark.timeout(600)  # a ceiling for a busy machine: two crawls and a kill
def test_kill_9_then_resume_with_jobdir(tmp_path, sqlite_url):
    site = SyntheticSite(N)
    env = crawl_env("", sqlite_url, tmp_path / "raw")
    job = ["-s", f"JOBDIR={tmp_path / 'job'}"]
    before = set(report_counts(sqlite_url)) if crawl_until_killed(site, env, tmp_path, *job) else set()
    res, hits = resume(site, env, *job)
    assert_each_stored_once(site, sqlite_url)
    # the resumed job fetched what was missing, not what was already stored
    refetched = {u for u in hits if u in before}
    assert len(refetched) <= 2, refetched  # at most a report stored in the instant of the kill
    assert "Traceback" not in res.stderr


def unwritten_queue_file(job) -> bool:
    """Scrapy's disk request queue (JOBDIR/requests.queue/<slot>/<priority>) has a file
    with nothing on disk yet: requests were queued and their bytes are still in the
    crawling process's buffer, which a kill -9 loses."""
    for path in (job / "requests.queue").glob("*/*"):
        try:
            if path.is_file() and path.stat().st_size == 0:
                return True
        except FileNotFoundError:  # emptied and removed just now
            pass
    return False


@pytest.mark.timeout(600)  # a ceiling for a busy machine: two crawls and a kill
def test_kill_9_while_requests_wait_in_the_scheduler(tmp_path, sqlite_url):
    """The worst moment for a kill with JOBDIR: requests just queued in the scheduler.
    Scrapy's disk queue then left an empty queue file behind, and the resumed crawl lost
    every request it queued after it (1 run in 6 of the test above failed so). The queue
    is in memory now, so no such moment comes and the kill falls after 8 reports; either
    way the resume stores each report once."""
    site = SyntheticSite(N)
    env = crawl_env("", sqlite_url, tmp_path / "raw")
    job = tmp_path / "job"
    crawl_until_killed(site, env, tmp_path, "-s", f"JOBDIR={job}", kill_when=lambda: unwritten_queue_file(job))
    res, _ = resume(site, env, "-s", f"JOBDIR={job}")
    assert_each_stored_once(site, sqlite_url)
    assert "Traceback" not in res.stderr


@pytest.mark.timeout(600)  # a ceiling for a busy machine: two crawls and a kill
def test_kill_9_then_next_run_without_jobdir(tmp_path, sqlite_url):
    site = SyntheticSite(N)
    env = crawl_env("", sqlite_url, tmp_path / "raw")
    crawl_until_killed(site, env, tmp_path)
    resume(site, env)
    assert_each_stored_once(site, sqlite_url)


@pytest.fixture
def fresh_pg_url(pg_url):
    """A new, empty PostgreSQL database for one test, dropped after it."""
    import sqlalchemy

    name = f"gxnb_rel_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield pg_url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.mark.timeout(600)  # a ceiling for a busy machine: two crawls and a kill
def test_two_crawls_into_one_postgres_database(tmp_path, fresh_pg_url):
    """Two crawls at once, one seeing the portal before a correction and one after:
    one row per report, and both revisions of each corrected report."""
    first, corrected = SyntheticSite(N), SyntheticSite(N, edition=1)
    srv_a, srv_b = serve(first), serve(corrected)
    try:
        procs = []
        for name, srv in (("a", srv_a), ("b", srv_b)):
            env = crawl_env(srv.url, fresh_pg_url, tmp_path / f"raw_{name}")
            procs.append(start_crawl("synthetic", env, "-a", "full=1", log_path=tmp_path / f"{name}.log"))
        for p in procs:
            p.wait(120)
    finally:
        srv_a.stop()
        srv_b.stop()
    logs = "".join((tmp_path / f"{n}.log").read_text(errors="replace") for n in "ab")
    assert [p.returncode for p in procs] == [0, 0], logs[-4000:]
    counts = report_counts(fresh_pg_url)
    assert set(counts) == first.expected_urls()
    assert set(counts.values()) == {1}, "duplicate report rows"
    changed = {first.report_url(i) for i in range(N) if first.record(i) != corrected.record(i)}
    assert changed
    revisions = revision_counts(fresh_pg_url)
    assert {u for u, c in revisions.items() if c == 2} == changed, "a revision was lost"
    assert {c for u, c in revisions.items() if u not in changed} == {1}
