"""The cluster's pieces on the real services of this machine (skipped where they are not
reachable): the portal lock on PostgreSQL (two holders never at once, a killed holder
frees it), the tasks' idempotency (a re-read of the same bytes, a crawl already done, a
portal crawled elsewhere), and ``read`` tasks through RabbitMQ to a real Celery worker."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import _port_open
from gxnb_spiders.config import from_environment
from replicas.cluster import start_celery, start_worker, stop
from test_store import make_item, table_counts

pytest.importorskip("celery")
ROOT = Path(__file__).resolve().parent.parent


def wait_for(check, timeout: float, what: str):
    """Poll ``check()`` until it returns something true; fail saying ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:g} s waiting for {what}")


# --- the lock ---------------------------------------------------------------------------

def test_two_holders_never_at_once(pg_url):
    from gxnb_spiders.cluster.locks import PortalLock, running_crawls, portal_key

    holders, most, rounds = [0], [0], []
    guard = threading.Lock()

    def contender():
        for _ in range(25):
            with PortalLock(pg_url, "dt") as lock:
                if not lock.held:
                    continue
                with guard:
                    holders[0] += 1
                    most[0] = max(most[0], holders[0])
                    rounds.append(1)
                time.sleep(0.002)
                with guard:
                    holders[0] -= 1

    threads = [threading.Thread(target=contender) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1 and len(rounds) >= 1
    # another portal's lock is independent; a released lock shows no longer
    with PortalLock(pg_url, "dt") as a, PortalLock(pg_url, "lyghz") as b, PortalLock(pg_url, "dt") as c:
        assert a.held and b.held and not c.held
        assert {portal_key("dt"), portal_key("lyghz")} <= running_crawls(pg_url)
    assert portal_key("dt") not in running_crawls(pg_url)


def test_a_killed_holder_frees_the_lock(pg_url):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from gxnb_spiders.cluster.locks import PortalLock\n"
         "l = PortalLock(sys.argv[1], 'muping'); assert l.acquire(); print('held', flush=True); time.sleep(600)",
         pg_url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        from gxnb_spiders.cluster.locks import PortalLock

        with PortalLock(pg_url, "muping") as lock:
            assert not lock.held
        holder.send_signal(signal.SIGKILL)
        holder.wait()

        def free():
            with PortalLock(pg_url, "muping") as lock:
                return lock.held
        wait_for(free, 120, "PostgreSQL to drop the killed process's lock")
    finally:
        holder.kill()
        holder.wait()


# --- idempotent tasks -------------------------------------------------------------------

@pytest.fixture
def cluster_env(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("GXNB_DATABASE_URL", pg_url)
    monkeypatch.setenv("GXNB_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.delenv("GXNB_RAW_URL", raising=False)
    monkeypatch.delenv("GXNB_LOCK_URL", raising=False)
    from gxnb_spiders.cluster import tasks

    monkeypatch.setattr(tasks, "_store", None)
    yield pg_url
    if tasks._store is not None:
        tasks._store.close()


def report_item(i: int):
    """A report whose page carries its tables (what the crawl would have fetched)."""
    from replicas import reportgen

    item, record = make_item(i)
    item["body"] = reportgen.render_html(record).encode("utf-8")
    item["attachments"] = []
    return item


def test_a_reread_of_the_same_bytes_is_idempotent(cluster_env):
    from gxnb_spiders.cluster.tasks import read_document, store
    from pipelines.workers import read_item

    s = store()
    items = [report_item(i) for i in range(3)]
    stale = {"status": "unparsed", "findings": [], "template": None}  # what an older reader kept
    for it in items:
        assert s.store_item(it, stale) == "new"
    revisions = [e["revision_id"] for e in s.current_reports()]
    before = table_counts(s)

    assert [read_document.run(r) for r in revisions] == ["reread"] * 3
    after_one = table_counts(s)
    # a better reading is a new revision (the old one kept: history shows the change)
    assert after_one["revisions"] == before["revisions"] + 3 and after_one["cells"] > before["cells"]
    entries = {e["url"]: e for e in s.current_reports()}
    for it in items:
        expected, _ = read_item({**it})
        got = entries[it["url"]]
        assert got["record"]["applications"] == expected["applications"]
        assert got["status"] == expected["status"] != "unparsed"

    assert [read_document.run(r) for r in revisions] == ["unchanged"] * 3  # again: nothing changes
    assert table_counts(s) == after_one
    assert read_document.run(10**9) == "missing"


def test_a_document_that_kills_its_reader_ends_unparsed_with_a_finding(cluster_env):
    from gxnb_spiders.cluster.tasks import store
    from pipelines.reread import reread_isolated

    s = store()
    s.store_item(report_item(0), {"status": "unparsed", "findings": [], "template": None})
    (entry,) = s.current_reports()
    # the same bytes read in a process of their own give the same record as in this one
    assert reread_isolated(s, entry["revision_id"], 120) == "reread"
    assert reread_isolated(s, entry["revision_id"], 120) == "unchanged"
    # a reader that cannot finish in time: stopped, and the report says so
    assert reread_isolated(s, entry["revision_id"], 0.01) == "reread"
    (entry,) = s.current_reports()
    assert entry["status"] == "unparsed"
    assert [f["rule"] for f in entry["record"]["findings"]] == ["extraction_error"]
    assert "longer than 0.01 s" in entry["record"]["findings"][0]["message"]


def test_a_crawl_done_already_or_running_elsewhere_is_not_started_again(cluster_env):
    from gxnb_spiders.cluster.locks import PortalLock
    from gxnb_spiders.cluster.tasks import crawl_once, store

    s = store()
    run = s.start_run("portal-x")
    s.finish_run(run, "finished", {})
    started = s.runs()[-1]["started_at"]
    # a request older than the finished run: done (no Scrapy process is started)
    assert crawl_once("portal-x", (started - timedelta(seconds=1)).isoformat()) == "done already"
    # held elsewhere: busy, whatever the request's time
    with PortalLock(cluster_env, "portal-x") as other:
        assert other.held
        assert crawl_once("portal-x", (started + timedelta(seconds=1)).isoformat()) == "busy"


# --- through the broker -----------------------------------------------------------------

@pytest.fixture
def broker_queues(monkeypatch):
    """Queue names of this test's own (other tests and benchmarks share the broker)."""
    if not _port_open("127.0.0.1", 5672):
        pytest.skip("RabbitMQ not reachable on 127.0.0.1:5672")
    prefix = f"gxnb-test-{uuid.uuid4().hex[:8]}-"
    monkeypatch.setenv("GXNB_QUEUE_PREFIX", prefix)
    yield prefix
    from kombu import Connection

    with Connection(from_environment("GXNB_BROKER_URL")) as conn:
        channel = conn.default_channel
        for name in ("crawl", "read"):
            try:
                channel.queue_delete(prefix + name)
            except Exception:
                pass


def test_read_tasks_through_rabbitmq_to_a_worker(cluster_env, broker_queues, tmp_path):
    from gxnb_spiders.cluster.tasks import enqueue_reads, store

    s = store()
    for i in range(4):
        s.store_item(report_item(i), {"status": "unparsed", "findings": [], "template": None})
    worker = start_worker("reader", broker_queues + "read", dict(os.environ), tmp_path / "worker.log")
    try:
        assert enqueue_reads() == 4

        def all_read():
            return all(e["status"] != "unparsed" for e in s.current_reports())
        wait_for(all_read, 240, f"the worker to read 4 documents (log: {tmp_path / 'worker.log'})")
    finally:
        stop(worker)
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert log.count("succeeded in") == 4 and log.count(": 'reread'") == 4  # each read once


# --- a crawl, a worker killed, the crawl redelivered ------------------------------------

SYN_ROW = '''
[[portal]]
id = "syn-k"
name = "合成市人民政府"
url = "http://www.synthetic.test/"
platform = "trs"
column_urls = ["http://www.synthetic.test/xxgk/ndbg/index.shtml"]
'''
QUICK = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": 0, "DOWNLOAD_TIMEOUT": 10, "RETRY_TIMES": 2,
         "CONCURRENT_REQUESTS_PER_DOMAIN": 2}


def crawl_processes(portal_id: str) -> list[int]:
    """Pids of the Scrapy processes crawling ``portal_id`` now."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"crawl" in args and f"id={portal_id}".encode() in args:
            out.append(int(proc.name))
    return out


@pytest.mark.timeout(900)  # a ceiling for a busy machine: each step below waits for its event
def test_a_worker_killed_mid_crawl_loses_nothing_and_stores_nothing_twice(cluster_env, broker_queues, tmp_path):
    from crawling import delay_filter, serve
    from gxnb_spiders.cluster.app import queue
    from gxnb_spiders.cluster.locks import PortalLock
    from gxnb_spiders.cluster.tasks import crawl_portal, store
    from replicas.sites.synthetic import SyntheticSite
    from storage import report_counts

    site = SyntheticSite(24)
    srv = serve(site, filters=[delay_filter(0.4)])
    registry_file = tmp_path / "portals.toml"
    # a portal id of this run's own: crawl_processes must not see another run's crawl
    portal = f"syn-k-{os.getpid()}"
    registry_file.write_text(SYN_ROW.replace('"syn-k"', f'"{portal}"'), encoding="utf-8")
    env = dict(os.environ, GXNB_REGISTRY=str(registry_file), GXNB_REPLICA_PROXY=srv.url,
               GXNB_EXTRACT_WORKERS="0", GXNB_MAX_ERRORS="100000", GXNB_MAX_INVALID_SHARE="1.0")
    first = start_worker("first", broker_queues + "crawl", env, tmp_path / "first.log")
    second = None
    try:
        crawl_portal.apply_async((portal,), {"settings": QUICK}, queue=queue("crawl"))
        wait_for(lambda: len(report_counts(cluster_env)) >= 6, 300, "the first worker to store 6 reports")
        first.send_signal(signal.SIGKILL)  # the worker's main process, as a machine dies
        first.wait()

        def lock_free():
            with PortalLock(cluster_env, portal) as lock:
                return lock.held
        wait_for(lock_free, 120, "the killed worker's lock to go")
        wait_for(lambda: not crawl_processes(portal), 120, "the killed worker's crawl to die with it")
        stored_by_first = len(report_counts(cluster_env))
        assert stored_by_first < 24  # it was killed half way
        hits_before = len(srv.hits)

        second = start_worker("second", broker_queues + "crawl", env, tmp_path / "second.log")
        wait_for(lambda: len(report_counts(cluster_env)) == 24, 300,
                 f"the redelivered crawl to finish (log: {tmp_path / 'second.log'})")
        wait_for(lambda: any(r["finish_reason"] == "finished" for r in store().runs()), 120,
                 "the second crawl to finish its run")
    finally:
        for w in (first, second):
            if w is not None:
                stop(w)
        srv.stop()
    counts = report_counts(cluster_env)
    assert set(counts) == site.expected_urls() and set(counts.values()) == {1}
    runs = store().runs()
    assert [r["finish_reason"] for r in runs] == [None, "finished"]  # killed, then the redelivery
    # the second crawl fetched exactly the report pages the first had not stored
    pages = [u for u in srv.hits[hits_before:] if "/t20" in u]
    assert len(pages) == len(set(pages)) == 24 - stored_by_first


def test_flower_shows_the_cluster(broker_queues, tmp_path):
    import socket
    import urllib.request

    pytest.importorskip("flower")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    flower = start_celery(["flower", f"--port={port}", "--address=127.0.0.1"], None, tmp_path / "flower.log")

    def answers():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthcheck", timeout=2) as r:
                return r.read().strip() == b"OK"
        except OSError:
            return False
    try:
        wait_for(answers, 180, f"Flower to answer (log: {tmp_path / 'flower.log'})")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200 and b"Flower" in r.read()
    finally:
        stop(flower)


def test_beat_sends_each_enabled_portal_on_its_schedule(broker_queues, tmp_path):
    from kombu import Connection, Queue

    registry_file = tmp_path / "portals.toml"
    registry_file.write_text(SYN_ROW.replace('"syn-k"', '"syn-every-minute"') + 'schedule = "* * * * *"\n'
                             + SYN_ROW.replace('"syn-k"', '"syn-off"') + 'schedule = "* * * * *"\nenabled = false\n',
                             encoding="utf-8")
    env = dict(os.environ, GXNB_REGISTRY=str(registry_file))
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    beat = start_celery(["beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule")], env,
                        tmp_path / "beat.log")
    got = []
    try:
        with Connection(from_environment("GXNB_BROKER_URL")) as conn:
            queue = Queue(broker_queues + "crawl").bind(conn.default_channel)
            queue.declare()

            def sent():
                message = queue.get(no_ack=True)
                if message is not None:
                    args, kwargs, _ = message.decode()
                    got.append((message.headers["task"], tuple(args), kwargs))
                return got
            # due at the next minute: within about 60 s of beat starting
            wait_for(sent, 240, f"beat to send a crawl (log: {tmp_path / 'beat.log'})")
    finally:
        stop(beat)
    assert [(task, args) for task, args, _ in got] == [("gxnb.crawl_portal", ("syn-every-minute",))]
    # stamped when sent: a crawl of the portal finished after that makes this one "done already"
    sent_at = datetime.fromisoformat(got[0][2]["not_before"])
    assert started <= sent_at <= datetime.now(timezone.utc).replace(tzinfo=None)
