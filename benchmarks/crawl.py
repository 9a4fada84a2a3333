"""Crawl throughput and re-crawl cost, measured beside Scrapy's own ``scrapy bench``.

    .venv/bin/python benchmarks/crawl.py [--sizes 100,1000] [--bench-seconds 10]

1. ``scrapy bench`` (Scrapy's own local server and spider, default settings) for a fixed
   time: its pages/s is the yardstick of what Scrapy does on this machine.
2. For each size N: the synthetic portal (replicas/sites/synthetic.py) with
   N reports is served by a replica server in its own process, every page rendered before
   the clock starts (so the server is not what is measured); ``scrapy crawl synthetic``
   runs end to end — lists, report pages, PDF/DOCX attachments, extraction, validation,
   storage into a fresh SQLite database — with politeness lifted for the benchmark only
   (no delay, no autothrottle, 16 requests per domain). pages/s = responses / elapsed
   from the crawl's own stats; peak RSS of the crawl's process tree (the crawler and its
   extraction workers, summed), sampled from /proc every 50 ms.
3. The largest size is crawled a second time against the same database with nothing
   changed: the incremental crawl should request the list pages and (almost) nothing else.

Targets: pages/s ≥ 50% of scrapy bench's; peak RSS < 300 MB and flat from the smallest
to the largest size (≤ 20% more for 10× the reports); re-crawl requests ≤ list pages +
1% of reports and time ≤ 10% of the first run.

``--serve N`` (internal): run the replica server for N reports, print its URL, serve
until stdin closes.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, run_measured, scrapy_bin, verdict
from replicas.spiders import CRAWL_ARGS

RSS_LIMIT_MB = 300
FLAT_GROWTH = 1.20
_STAT_RE = r"'{}': ([\d.]+)"


# ------------------------------------------------------------------ the replica server

def serve(n: int) -> None:
    """Serve the synthetic portal of ``n`` reports from memory until stdin closes."""
    from replicas.server import ReplicaServer, Request, Response, Site
    from replicas.sites import synthetic

    site = synthetic.SyntheticSite(n)

    class Prerendered(Site):
        """The synthetic site with every answer rendered once, up front."""
        name, hosts = site.name, site.hosts

        def __init__(self):
            self.cache: dict[str, Response | None] = {}

        def handle(self, req: Request) -> Response | None:
            key = req.path
            if key not in self.cache:
                r = site.handle(req)
                self.cache[key] = r and Response(r.status, r.payload(), r.content_type, r.headers, r.behaviour)
            return self.cache[key]

    cached = Prerendered()
    paths = [synthetic.COLUMN + "index.shtml"] + [
        f"{synthetic.COLUMN}index_{p}.shtml" for p in range(1, -(-n // synthetic.PER_PAGE))]
    for i in range(n):
        paths.append(site.url_path(i))
        kind = synthetic.attachment_kind(i)
        if kind:
            paths.append(f"{synthetic.COLUMN}files/{i}.{kind}")
    for path in paths:
        cached.handle(Request("GET", synthetic.HOST, path, {}, {}))
    with ReplicaServer([cached]) as srv:
        print(srv.url, flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin


def start_server(n: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(n)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise RuntimeError(f"replica server for {n} reports did not start")
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ------------------------------------------------------------------ running Scrapy

def stat(log: str, name: str) -> float | None:
    found = re.findall(_STAT_RE.format(re.escape(name)), log)
    return float(found[-1]) if found else None


def scrapy_bench(seconds: int, work: Path) -> dict:
    """Scrapy's own benchmark, outside the project (its default settings)."""
    bench_dir = work / "bench"
    bench_dir.mkdir()
    run = run_measured([scrapy_bin(), "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
                       cwd=bench_dir, env=dict(os.environ), log=work / "bench.log", timeout=seconds + 60)
    per_min = [int(x) for x in re.findall(r"at (\d+) pages/min", run["log"])]
    responses, elapsed = stat(run["log"], "downloader/response_count"), stat(run["log"], "elapsed_time_seconds")
    run["pages_per_s"] = responses / elapsed if responses and elapsed else None
    # the logstats lines after the first (warm-up) second
    run["log_pages_per_min"] = sum(per_min[1:]) / len(per_min[1:]) if len(per_min) > 1 else None
    return run


def store_ready() -> bool:
    try:
        from gxnb_spiders.item_pipelines import StorePipeline  # noqa: F401
        return True
    except ImportError:
        return False


def crawl(server_url: str, work: Path, name: str, db_url: str, timeout: float) -> dict:
    env = dict(os.environ, GXNB_REPLICA_PROXY=server_url, GXNB_DATABASE_URL=db_url,
               GXNB_OUTPUT_DIR=str(work), GXNB_RAW_DIR=str(work / "raw"),
               GXNB_MAX_ERRORS="1000000", GXNB_MAX_INVALID_SHARE="1.0", GXNB_LOG_LEVEL="INFO")
    cmd = [scrapy_bin(), "crawl", "synthetic", *CRAWL_ARGS,
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
           "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
    if not store_ready():  # the store has not landed: extraction and validation only
        cmd += ["-s", 'ITEM_PIPELINES={"gxnb_spiders.item_pipelines.ExtractPipeline": 300}']
    run = run_measured(cmd, cwd=ROOT, env=env, log=work / f"{name}.log", timeout=timeout)
    log = run["log"]
    run.update(responses=stat(log, "downloader/response_count") or 0,
               requests=stat(log, "downloader/request_count") or 0,
               elapsed=stat(log, "elapsed_time_seconds") or run["wall"],
               items=stat(log, "item_scraped_count") or 0,
               unchanged=stat(log, "gxnb/reports_unchanged") or 0,
               errors=log.count("] ERROR:"))
    run["pages_per_s"] = run["responses"] / run["elapsed"] if run["elapsed"] else 0.0
    return run


# ------------------------------------------------------------------ main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000", help="report counts to crawl, smallest first")
    ap.add_argument("--bench-seconds", type=int, default=10)
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs, databases)")
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    from replicas.sites.synthetic import PER_PAGE

    sizes = sorted(int(s) for s in args.sizes.split(","))
    work = Path(tempfile.mkdtemp(prefix="gxnb-bench-crawl-"))
    bench = scrapy_bench(args.bench_seconds, work)
    print(f"scrapy bench ({args.bench_seconds} s): {bench['pages_per_s'] or 0:.1f} pages/s "
          f"(responses / elapsed; its log says {bench['log_pages_per_min'] or 0:.0f} pages/min), "
          f"peak RSS {bench['rss_mb']:.0f} MB")
    if not store_ready():
        print("note: no StorePipeline in this checkout: crawls extract and validate but store nothing")

    runs: dict[int, dict] = {}
    recrawl = None
    print(f"{'run':<16}{'reports':>8}{'requests':>9}{'responses':>10}{'items':>7}{'errors':>7}"
          f"{'elapsed s':>10}{'pages/s':>9}{'peak RSS MB':>12}{'of which crawler':>17}")

    def show(label, n, r):
        print(f"{label:<16}{n:>8}{r['requests']:>9.0f}{r['responses']:>10.0f}{r['items']:>7.0f}{r['errors']:>7}"
              f"{r['elapsed']:>10.1f}{r['pages_per_s']:>9.1f}{r['rss_mb']:>12.0f}{r['main_rss_mb']:>17.0f}", flush=True)

    for n in sizes:
        server, url = start_server(n)
        try:
            db_url = f"sqlite:///{work / f'crawl_{n}.sqlite'}"
            runs[n] = crawl(url, work, f"crawl_{n}", db_url, timeout=600)
            show("first crawl", n, runs[n])
            if n == sizes[-1]:
                recrawl = crawl(url, work, f"recrawl_{n}", db_url, timeout=600)
                show("re-crawl", n, recrawl)
        finally:
            stop_server(server)

    big, small = runs[sizes[-1]], runs[sizes[0]]
    rate, yard = big["pages_per_s"], bench["pages_per_s"]
    if yard:
        verdict(rate >= 0.5 * yard, "crawl pages/s ≥ 50% of scrapy bench",
                f"{rate:.1f} vs {yard:.1f} pages/s ({rate / yard:.0%})")
    else:
        verdict(None, "crawl pages/s ≥ 50% of scrapy bench", "scrapy bench gave no figures")
    verdict(big["rss_mb"] < RSS_LIMIT_MB, f"crawl peak RSS < {RSS_LIMIT_MB} MB",
            f"{big['rss_mb']:.0f} MB at {sizes[-1]} reports")
    if len(sizes) > 1:
        verdict(big["rss_mb"] <= FLAT_GROWTH * small["rss_mb"], "crawl memory flat with size",
                f"{small['rss_mb']:.0f} MB at {sizes[0]}, {big['rss_mb']:.0f} MB at {sizes[-1]} reports "
                f"(×{big['rss_mb'] / small['rss_mb']:.2f}, limit ×{FLAT_GROWTH})")
    complete = all(r["rc"] == 0 and r["items"] >= n for n, r in runs.items())
    verdict(complete, "crawl complete (every report an item)",
            ", ".join(f"{r['items']:.0f}/{n} (exit {r['rc']})" for n, r in runs.items()))
    if recrawl:
        n = sizes[-1]
        lists = -(-n // PER_PAGE)
        allowed = lists + 0.01 * n
        verdict(recrawl["requests"] <= allowed, "re-crawl requests ≤ list pages + 1% of reports",
                f"{recrawl['requests']:.0f} requests, allowed {allowed:.0f} ({lists} list pages + {0.01 * n:.0f}); "
                f"{recrawl['unchanged']:.0f} reports skipped as unchanged")
        verdict(recrawl["wall"] <= 0.10 * big["wall"], "re-crawl time ≤ 10% of the first",
                f"{recrawl['wall']:.1f} s vs {big['wall']:.1f} s wall ({recrawl['wall'] / big['wall']:.0%}); "
                f"crawling alone {recrawl['elapsed']:.1f} s vs {big['elapsed']:.1f} s "
                f"({recrawl['elapsed'] / big['elapsed']:.0%}), the rest is starting and stopping the process")
    if args.keep:
        print(f"work directory: {work}")
    else:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
