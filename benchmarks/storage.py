"""Storage speed: records written through ``Store.store_item``, and ``scrapy export``.

    .venv/bin/python benchmarks/storage.py [--items 300] [--repeat 3] [--records 1000]
                                           [--export-reports 10000]

- per item: what the crawl's StorePipeline spends on each report, ``previous_record``
  then ``store_item``, on ``--items`` reports as the synthetic portal serves them (the
  report page as body, one report in ten with a PDF and one with a DOCX attachment, the
  validated record), into a fresh SQLite file in a temporary directory and into
  PostgreSQL when reachable: median milliseconds per item, first as new reports, then
  the same items again (unchanged); each ``--repeat`` times on a fresh database, the
  median of the runs' medians printed (other work on the machine skews single runs).
- writes: ``--records`` reports (seed records varied by ``reportgen.derive``, each with
  its rendered page as body, validated) stored one transaction each, as the crawl's
  StorePipeline does, into SQLite in a temporary directory and into PostgreSQL
  (127.0.0.1:5432, a fresh database created and dropped here) when it is reachable;
  records per second for each.
- export: ``--export-reports`` reports stored in SQLite, then ``scrapy export --format
  jsonl`` and ``--format csv`` to files, each timed as a subprocess.

Targets: export of 10,000 stored reports under 30 s (each format; ``--export-reports
0`` skips it). Write rates and per-item times are printed for the record (no target: the
crawl's throughput is what they must not limit).
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

from common import ROOT, med, scrapy_bin, verdict

from pipelines.report import facts
from pipelines.store import Store
from pipelines.validate import validate
from replicas import reportgen

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


def crawl_items(n: int) -> list[dict]:
    """``n`` items as the crawl's ExtractPipeline hands them to StorePipeline: the synthetic
    portal's report page and attachment bytes, metadata, the validated record and its source."""
    from replicas.server import Request
    from replicas.sites.synthetic import HOST, SyntheticSite, attachment_kind

    site = SyntheticSite(n)
    out = []
    for i in range(n):
        page = site.handle(Request("GET", HOST, site.url_path(i), {}, {}))
        kind = attachment_kind(i)
        attachments = []
        if kind:
            attachments.append({"url": f"http://{HOST}/xxgk/ndbg/files/{i}.{kind}", "name": f"{site.title(i)}.{kind}",
                                "content_type": site.handle(Request("GET", HOST, f"/xxgk/ndbg/files/{i}.{kind}", {}, {})).content_type,
                                "data": site.file(i), "error": None})
        record = validate(dict(site.record(i)))
        out.append({"portal": site.name, "portal_url": f"http://{HOST}/", "platform": "trs",
                    "body_name": site.body(i), "url": site.report_url(i), "title": site.title(i),
                    "year": site.year(i), "listed_date": site.published(i),
                    "metadata": {"index_no": f"SYN-{i:05d}", "publisher": site.body(i),
                                 "published_date": site.published(i), "doc_no": "无"},
                    "body": page.payload(),
                    "content_type": "text/html; charset=utf-8", "encoding": "utf-8",
                    "attachments": attachments, "record": record,
                    "record_source": attachments[0]["url"] if attachments else "html"})
    return out


def per_item_ms(url: str, raw_dir: Path, items: list[dict]) -> dict[str, tuple[float, float]]:
    """``{"new"|"unchanged": (median ms of previous_record, median ms of previous_record +
    store_item)}``: each item stored as StorePipeline does, then all of them once more."""
    store = Store(url, raw_dir)
    try:
        run = store.start_run(items[0]["portal"])
        out = {}
        for phase in ("new", "unchanged"):
            prev, both = [], []
            for item in items:
                record = item["record"]
                who = facts(item, record)
                t0 = time.perf_counter()
                store.previous_record(item["portal"], who.body_key, who.year)
                t1 = time.perf_counter()
                store.store_item(item, record, source=item["record_source"], run_id=run)
                t2 = time.perf_counter()
                prev.append((t1 - t0) * 1000)
                both.append((t2 - t0) * 1000)
            out[phase] = (med(prev), med(both))
        store.finish_run(run, "finished", {"items": len(items)})
    finally:
        store.close()
    return out


def per_item_section(work: Path, n: int, repeat: int) -> None:
    items = crawl_items(n)
    print(f"{'per item (ms)':<14}{'items':>6}{'phase':>11}{'previous':>10}{'store+prev':>12}   (median of {repeat} runs)")
    for name in ("SQLite", "PostgreSQL"):
        runs: list[dict] = []
        for k in range(repeat):
            if name == "SQLite":
                url, drop = f"sqlite:///{work / f'items{k}.sqlite'}", None
            else:
                pg = postgres_database()
                if not pg:
                    break
                url, drop = pg
            try:
                runs.append(per_item_ms(url, work / f"raw-items{k}-{name}", items))
            finally:
                if drop:
                    drop()
        for phase in ("new", "unchanged"):
            if runs:
                print(f"{name:<14}{n:>6}{phase:>11}{med([r[phase][0] for r in runs]):>10.2f}"
                      f"{med([r[phase][1] for r in runs]):>12.2f}", flush=True)


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
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--export-reports", type=int, default=10000)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="gxnb-bench-store-"))
    try:
        if args.items:
            per_item_section(work, args.items, args.repeat)
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

        if not args.export_reports:
            return 0
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
