"""Soak: crawl a synthetic portal of 1,000 reports with 10% of its URLs faulty, to the end.

    .venv/bin/python benchmarks/soak.py [--reports 1000] [--rate 0.10] [--seed 7]

Serves ``SyntheticSite(reports)`` with a seeded ``FaultInjector`` (transient bursts of
500/502/503, resets and hangs that a retry gets past; truncated, mislabelled and
unbalanced pages; 404 and zip-bomb attachments; a few persistent failures: redirect
loops and pages that answer 503 to every try), runs ``scrapy crawl synthetic`` in a
subprocess against a fresh SQLite database and prints:

- reports stored / expected, and the statuses they were stored with;
- faults injected per kind, and how many the crawl survived (the report concerned was stored);
- unreachable: reports whose every try failed (persistent faults) — not stored, by design,
  and each logged as an error with its URL;
- items lost = expected − stored − unreachable (must be 0);
- peak RSS of the crawl (its process and extraction workers, summed) and wall time.

Exit status 1 when an item was lost.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import run_measured  # noqa: E402
from replicas.faults import Fault, FaultInjector  # noqa: E402
from replicas.server import ReplicaServer  # noqa: E402
from replicas.sites.synthetic import COLUMN, PER_PAGE, SyntheticSite  # noqa: E402
from replicas.spiders import CRAWL_ARGS  # noqa: E402

REPORT = r"/\d{6}/t\d{8}_\d+\.html"
FILE = r"/files/\d+\.(pdf|docx)$"
# faults a report cannot get past: every try fails
PERSISTENT = ("redirect_loop", "status_persistent")


def soak_faults(rate: float) -> list[Fault]:
    """Rules whose shares add up to ``rate`` of the URLs they apply to (first match wins)."""
    share = rate / 10
    return [
        # every try fails: the report is unreachable (counted apart, logged with its URL)
        Fault("redirect_loop", path=REPORT, rate=share * 0.3),
        Fault("status", path=REPORT, status=503, rate=share * 0.3),  # burst=None: persistent
        # transient: a retry (RETRY_TIMES=3) gets past
        Fault("status", status=503, burst=2, rate=share * 2),
        Fault("status", status=500, burst=1, rate=share),
        Fault("status", status=502, burst=1, rate=share),
        Fault("reset", burst=1, rate=share * 1.5),
        Fault("hang", burst=1, path=REPORT, rate=share * 0.4),
        # malformed content: stored with findings
        Fault("truncated", path=REPORT, rate=share),
        Fault("gbk_as_utf8", path=REPORT, rate=share * 0.5),
        Fault("utf8_as_gbk", path=REPORT, rate=share * 0.5),
        Fault("bad_table", path=REPORT, rate=share),
        # attachments: missing files and a zip bomb
        Fault("not_found", path=FILE, rate=share * 5),
        Fault("zip_bomb", path=r"/files/\d+\.docx$", rate=share * 5, size=256 << 20),
    ]


def fault_label(fault: Fault) -> str:
    if fault.kind == "status":
        return f"status {fault.status}" + (" (every try)" if fault.burst is None else f" (first {fault.burst})")
    return fault.kind


def store_ready() -> bool:
    try:
        from gxnb_spiders.item_pipelines import StorePipeline  # noqa: F401
        return True
    except ImportError:
        return False


def stored_reports(db_url: str, feed: Path) -> dict[str, str | None]:
    """``{report url: status}`` of what the crawl stored (read from the database's report
    table; without a store, from the items the crawl exported)."""
    import json

    if not store_ready():
        out = {}
        for line in feed.read_text().splitlines() if feed.exists() else []:
            d = json.loads(line)
            out[d["url"]] = (d.get("record") or {}).get("status")
        return out
    import sqlalchemy as sa

    eng = sa.create_engine(db_url)
    try:
        md = sa.MetaData()
        md.reflect(eng)
        table = next(t for n, t in md.tables.items() if "report" in n and "url" in t.c and "revision" not in n)
        status = table.c.status if "status" in table.c else sa.null()
        with eng.connect() as c:
            return dict(c.execute(sa.select(table.c.url, status)).all())
    finally:
        eng.dispose()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=0.10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the work directory (database, log)")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="gxnb-soak-"))
    db_url = f"sqlite:///{work / 'soak.sqlite'}"
    site = SyntheticSite(args.reports)
    faults = soak_faults(args.rate)
    injector = FaultInjector(faults, seed=args.seed, hang_seconds=30)
    srv = ReplicaServer([site]).start()
    srv.filters.append(injector)
    env = dict(os.environ, GXNB_REPLICA_PROXY=srv.url, GXNB_DATABASE_URL=db_url,
               GXNB_OUTPUT_DIR=str(work), GXNB_RAW_DIR=str(work / "raw"),
               GXNB_MAX_ERRORS="1000000", GXNB_MAX_INVALID_SHARE="1.0")
    cmd = [str(Path(sys.executable).with_name("scrapy")), "crawl", "synthetic", *CRAWL_ARGS,
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_TIMEOUT=10",
           "-s", "RETRY_TIMES=3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
           "-s", "DOWNLOAD_MAXSIZE=20000000", "-s", "LOG_LEVEL=INFO"]
    feed = work / "items.jsonl"
    if not store_ready():  # count what the crawl produced instead of what it stored
        cmd += ["-s", 'ITEM_PIPELINES={"gxnb_spiders.item_pipelines.ExtractPipeline": 300}',
                "-O", f"{feed}:jsonlines", "-s", "FEED_EXPORT_FIELDS=url,record"]
    log_path = work / "crawl.log"
    try:
        run = run_measured(cmd, cwd=ROOT, env=env, log=log_path, timeout=1800)
    finally:
        injector.release()
        srv.stop()
    wall = run["wall"]
    peak_rss_mib = run["rss_mb"]  # the crawl and its extraction workers, summed

    stored = stored_reports(db_url, feed)
    expected = site.expected_urls()
    stored_expected = expected & set(stored)
    missing = expected - set(stored)

    # which URL each injected fault struck, and whether the report behind it was stored
    per_label: Counter[str] = Counter()
    survived: Counter[str] = Counter()
    unreachable = set()
    for label, url, owner in struck(injector, faults, site):
        per_label[label] += 1
        if owner and all(u in stored for u in owner):
            survived[label] += 1
        if label.startswith("redirect_loop") or label.endswith("(every try)"):
            unreachable.update(u for u in owner if u not in stored)
    lost = missing - unreachable
    log_text = log_path.read_text(errors="replace")
    logged = {u for u in unreachable if u in log_text}

    print(f"soak: {args.reports} reports, fault rate {args.rate:.0%} of URLs, seed {args.seed}")
    print(f"crawl exit code             {run['rc']}")
    if not store_ready():
        print("(no store in this checkout: 'stored' counts the items the crawl exported)")
    print(f"reports stored              {len(stored_expected)} / {len(expected)}")
    print(f"  by status                 {dict(Counter(stored[u] for u in stored_expected))}")
    print(f"faults injected             {len(injector.log)} times, on {len(injector.struck_urls())} URLs")
    for label in sorted(per_label):
        print(f"  {label:<26}{per_label[label]:>5} URLs   survived {survived[label]}")
    print(f"faults survived             {sum(survived.values())} of {sum(per_label.values())} struck URLs")
    print(f"unreachable (every try failed) {len(unreachable)}   (logged as errors with their URL: {len(logged)})")
    print(f"items lost                  {len(lost)}")
    for u in sorted(lost)[:10]:
        print(f"  lost: {u}")
    print(f"error lines in crawl log    {log_text.count('] ERROR:')}")
    print(f"peak RSS of the crawl       {peak_rss_mib:.0f} MiB (with its extraction workers, summed)")
    print(f"wall time                   {wall:.1f} s")
    if args.keep:
        print(f"work directory              {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 1 if lost else 0


def struck(injector: FaultInjector, faults: list[Fault], site: SyntheticSite):
    """``(label, url, report urls behind it)`` for each (rule, URL) a fault was dealt on."""
    seen = set()
    for rule, url in injector.dealt:
        label = fault_label(rule)
        url = re.sub(r"[?&]_loop=\d+$", "", url)  # a redirect loop's hops are one page
        if (label, url) in seen:
            continue
        seen.add((label, url))
        yield label, url, owners(url, site)


def owners(url: str, site: SyntheticSite) -> set[str]:
    """The report URLs a URL stands for: itself, the report of an attachment, a list page's reports."""
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    path = "/" + path.split("?", 1)[0]
    m = re.search(r"_(\d+)\.html$", path) or re.search(r"/files/(\d+)\.", path)
    if m:
        return {site.report_url(int(m.group(1)))}
    m = re.search(r"index(?:_(\d+))?\.shtml$", path)
    if m and path.startswith(COLUMN):
        page = int(m.group(1) or 0)
        newest_first = list(range(site.n - 1, -1, -1))
        return {site.report_url(i) for i in newest_first[page * PER_PAGE:(page + 1) * PER_PAGE]}
    return set()


if __name__ == "__main__":
    sys.exit(main())
