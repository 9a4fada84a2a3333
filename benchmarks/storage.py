"""Storage speed: records written through ``Store.store_item``, and ``scrapy export``.

    .venv/bin/python benchmarks/storage.py [--records 1000] [--export-reports 10000]

- writes: ``--records`` reports (seed records varied by ``reportgen.derive``, each with
  its rendered page as body, validated) stored one transaction each, as the crawl's
  StorePipeline does, into SQLite in a temporary directory and into PostgreSQL
  (127.0.0.1:5432, a fresh database created and dropped here) when it is reachable;
  records per second for each.
- export: ``--export-reports`` reports stored in SQLite, then ``scrapy export --format
  jsonl`` and ``--format csv`` to files, each timed as a subprocess.

Targets: export of 10,000 stored reports under 30 s (each format). Write rates are
printed for the record (no target: the crawl's throughput is what they must not limit).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from common import ROOT, scrapy_bin, verdict

from gxnb_spiders.replicas import reportgen
from pipelines.store import Store
from pipelines.validate import validate

PG_ADMIN_URL = os.environ.get("GXNB_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
EXPORT_LIMIT_S = 30.0
PORTAL = "bench"


def reports(n: int, *, with_pages: bool = True, start: int = 0):
    """(item, record) pairs ``start`` … ``n - 1``: seed i % 5, years 2019…2024, a body per
    6 reports; with_pages: the report's rendered page as its body, else no body."""
    seeds = [reportgen.load_record(k) for k in range(5)]
    for i in range(start, n):
        year = 2019 + i % 6
        agency = f"基准县第{i // 6}局"
        record = validate(reportgen.derive(seeds[i % 5], year, seed=i, agency=agency))
        if with_pages:
            body = reportgen.render_html(record).encode("utf-8")
        else:
            body = None
        item = {"portal": PORTAL, "portal_url": "http://bench.test/", "platform": "trs",
                "body_name": agency, "url": f"http://bench.test/xxgk/ndbg/t{year}0120_{i}.html",
                "title": record["title"], "year": year, "listed_date": f"{year + 1}-01-20",
                "metadata": {"index_no": f"BENCH-{i:06d}", "publisher": agency,
                             "published_date": f"{year + 1}-01-20"},
                "body": body, "content_type": "text/html; charset=utf-8", "encoding": "utf-8",
                "attachments": []}
        yield item, record


def write_rate(url: str, raw_dir: Path, pairs: list) -> tuple[float, float]:
    """(records per second, seconds) for storing ``pairs`` one transaction each."""
    store = Store(url, raw_dir)
    try:
        run = store.start_run(PORTAL)
        t = time.perf_counter()
        for item, record in pairs:
            store.store_item(item, record, source="html", run_id=run)
        secs = time.perf_counter() - t
        store.finish_run(run, "finished", {"items": len(pairs)})
    finally:
        store.close()
    return len(pairs) / secs, secs


def postgres_database():
    """A fresh database on the local PostgreSQL: (its URL, a function dropping it), or None."""
    import sqlalchemy as sa

    name = f"gxnb_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        print(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}")
        return None

    def drop():
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False), drop


def export(db_url: str, work: Path, fmt: str) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds, exit code, bytes written) of ``scrapy export --format fmt``."""
    out = work / f"export.{fmt}"
    env = dict(os.environ, GXNB_DATABASE_URL=db_url, GXNB_RAW_DIR=str(work / "raw"), GXNB_OUTPUT_DIR=str(work))
    cpu0 = children_cpu()
    t = time.perf_counter()
    proc = subprocess.run([scrapy_bin(), "export", "--format", fmt, "-o", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    secs = time.perf_counter() - t
    if proc.returncode:
        print(proc.stderr[-2000:])
    return secs, children_cpu() - cpu0, proc.returncode, out.stat().st_size if out.exists() else 0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--export-reports", type=int, default=10000)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="gxnb-bench-store-"))
    try:
        # the SQLite write rate is measured on the export's database: its first reports
        export_db = f"sqlite:///{work / 'export.sqlite'}"
        print(f"{'database':<12}{'records':>9}{'seconds':>9}{'records/s':>11}")
        rate, secs = write_rate(export_db, work / "raw", list(reports(args.records)))
        print(f"{'SQLite':<12}{args.records:>9}{secs:>9.1f}{rate:>11.0f}", flush=True)
        pg = postgres_database()
        if pg:
            pg_url, drop = pg
            try:
                rate, secs = write_rate(pg_url, work / "raw-pg", list(reports(args.records)))
                print(f"{'PostgreSQL':<12}{args.records:>9}{secs:>9.1f}{rate:>11.0f}", flush=True)
            finally:
                drop()

        n = max(args.export_reports, args.records)
        t = time.perf_counter()
        # the rest without pages: the export reads the database, not the raw archive
        write_rate(export_db, work / "raw", list(reports(n, with_pages=False, start=args.records)))
        print(f"{n} reports stored for the export ({time.perf_counter() - t:.1f} s for the last {n - args.records})")
        print(f"{'export':<12}{'reports':>9}{'seconds':>9}{'CPU s':>8}{'MB':>8}")
        for fmt in ("jsonl", "csv"):
            secs, cpu, rc, size = export(export_db, work, fmt)
            print(f"{fmt:<12}{n:>9}{secs:>9.1f}{cpu:>8.1f}{size / 1e6:>8.1f}", flush=True)
            verdict(rc == 0 and secs < EXPORT_LIMIT_S, f"export {fmt} of {n} reports < {EXPORT_LIMIT_S:.0f} s",
                    f"{secs:.1f} s (exit {rc})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
