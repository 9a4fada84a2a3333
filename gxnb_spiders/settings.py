"""Polite defaults for government portals, the replica switch and the database URL.

Everything environment-specific is read from environment variables here, and only here,
so that the same project runs against the real portals, the offline replicas, SQLite or
PostgreSQL; ``-s NAME=VALUE`` overrides any of them, and code reads them from the
crawler's settings (paths through ``gxnb_spiders.config``):

- ``GXNB_DATABASE_URL``   SQLAlchemy URL; default ``sqlite:///output/gxnb.sqlite``
- ``GXNB_OUTPUT_DIR``     where the database, the raw archive and exports live (``output/``)
- ``GXNB_REPLICA_PROXY``  e.g. ``http://127.0.0.1:8800``: send every request (plain and
                          browser) through the replica server, which answers for the real
                          portal hosts. Spiders keep the real URLs; nothing else changes.
- ``GXNB_CHROMIUM``       browser binary for scrapy-playwright (``/usr/bin/chromium``)
- ``GXNB_BROWSER_TIMEOUT`` seconds one page may take in the browser, all of it (``120``)
- ``GXNB_EXTRACT_WORKERS`` / ``GXNB_EXTRACT_TIMEOUT``  processes that read reports, and
                          the seconds one report may take (see ``pipelines/workers.py``)
"""
import os
from pathlib import Path

from scrapy.settings import default_settings as _default_settings

# Scrapy's cookie middleware would fetch the public suffix list from the internet at start;
# the copy bundled with tldextract is enough for .gov.cn hosts and works offline.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "gxnb"
SPIDER_MODULES = ["gxnb_spiders.spiders"]
NEWSPIDER_MODULE = "gxnb_spiders.spiders"
# portals as data: a spider per row of the registry too (gxnb_spiders/registry.py)
SPIDER_LOADER_CLASS = "gxnb_spiders.registry.RegistrySpiderLoader"
GXNB_REGISTRY = os.environ.get("GXNB_REGISTRY", "")
COMMANDS_MODULE = "gxnb_spiders.commands"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GXNB_OUTPUT_DIR = os.environ.get("GXNB_OUTPUT_DIR", str(PROJECT_ROOT / "output"))
# empty = inside GXNB_OUTPUT_DIR, whichever way that was given (gxnb_spiders/config.py)
GXNB_DATABASE_URL = os.environ.get("GXNB_DATABASE_URL", "")
# the raw archive: a directory, or s3://bucket/prefix on object storage (pipelines/store/s3.py)
GXNB_RAW_DIR = os.environ.get("GXNB_RAW_URL") or os.environ.get("GXNB_RAW_DIR", "")
GXNB_REPLICA_PROXY = os.environ.get("GXNB_REPLICA_PROXY", "")

# --- politeness: a few requests per host, a second apart, like a person with a browser
ROBOTSTXT_OBEY = False  # portals' robots.txt often forbid everything, including the public reports
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%: requests a second or so apart, not on a beat
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# caps: a report page or attachment larger than this is not a report
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
# 412/521 are anti-bot challenges handled by the challenge middleware, not errors
HTTPERROR_ALLOWED_CODES = [412, 521]
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6",
}

# --- asyncio reactor + scrapy-playwright, used only by requests with meta={"playwright": True}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DOWNLOAD_HANDLERS = {
    # scrapy-playwright's handler, created on the first request that needs a browser
    "http": "gxnb_spiders.browser.BrowserWhenNeeded",
    "https": "gxnb_spiders.browser.BrowserWhenNeeded",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.environ.get("GXNB_CHROMIUM", "/usr/bin/chromium"),
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ],
}
if GXNB_REPLICA_PROXY:
    PLAYWRIGHT_LAUNCH_OPTIONS["proxy"] = {"server": GXNB_REPLICA_PROXY}
# a service worker's requests pass no route (the browser's offsite guard, browser.py)
PLAYWRIGHT_CONTEXTS = {"default": {"service_workers": "block"}}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
# seconds a browser request may take in all (Playwright times navigation only: a page whose
# script never yields is otherwise read for ever); then it fails as a timeout (browser.py)
GXNB_BROWSER_TIMEOUT = float(os.environ.get("GXNB_BROWSER_TIMEOUT", "120"))

DOWNLOADER_MIDDLEWARES = {
    "gxnb_spiders.middlewares.ReplicaProxyMiddleware": 700,
    # after redirects (600) and cookies (700) in process_response, so it sees the final answer
    "gxnb_spiders.antibot.ChallengeMiddleware": 580,
    # reliability (gxnb_spiders/middlewares.py): no offsite fetch even with dont_filter,
    # the real charset of mislabelled pages, redirect loops logged as errors
    "gxnb_spiders.middlewares.StrictOffsiteMiddleware": 60,
    "gxnb_spiders.middlewares.CharsetMiddleware": 590,
    "gxnb_spiders.middlewares.RedirectLoopLogMiddleware": 610,
}
# resume after a crash (kill -9) with JOBDIR: remember stored reports, not queued requests
DUPEFILTER_CLASS = "gxnb_spiders.resume.StoredReportsDupeFilter"
# ... so the scheduler keeps its queue in memory even with JOBDIR: Scrapy's disk queues are
# not crash-safe (a kill -9 can leave a queue file empty on disk, and every request queued
# after the resume is then lost); a resumed crawl reads the lists again instead
SCHEDULER_DISK_QUEUE = "scrapy.squeues.LifoMemoryQueue"
SCHEDULER_START_DISK_QUEUE = "scrapy.squeues.FifoMemoryQueue"

ITEM_PIPELINES = {
    "gxnb_spiders.item_pipelines.ExtractPipeline": 300,
    "gxnb_spiders.item_pipelines.StorePipeline": 800,
}
# reading reports (PDF parsing above all) runs in worker processes, off the crawl's core:
# empty = one per core beyond the first, 0 = in the crawling process (pipelines/workers.py)
GXNB_EXTRACT_WORKERS = os.environ.get("GXNB_EXTRACT_WORKERS", "")
GXNB_EXTRACT_TIMEOUT = float(os.environ.get("GXNB_EXTRACT_TIMEOUT", "300"))
# MB of address space each worker may use (0: no ceiling)
GXNB_EXTRACT_MEMORY_MB = int(os.environ.get("GXNB_EXTRACT_MEMORY_MB", "1536"))

# `scrapy check`: each site spider's list callback on its own first list page
SPIDER_CONTRACTS = {"gxnb_spiders.contracts.ColumnContract": 10, "gxnb_spiders.contracts.FollowsContract": 20}

FEED_EXPORT_ENCODING = "utf-8"
# -o items.jsonl/.json/.csv/.xml: raw bytes exported by their SHA-256 (the raw archive's name
# for them), CSV's nested values as JSON (gxnb_spiders/feeds.py)
FEED_EXPORTERS = {
    "json": "gxnb_spiders.feeds.JsonItemExporter",
    "jsonlines": "gxnb_spiders.feeds.JsonLinesItemExporter",
    "jsonl": "gxnb_spiders.feeds.JsonLinesItemExporter",
    "jl": "gxnb_spiders.feeds.JsonLinesItemExporter",
    "csv": "gxnb_spiders.feeds.CsvItemExporter",
    "xml": "gxnb_spiders.feeds.XmlItemExporter",
}
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = os.environ.get("GXNB_LOG_LEVEL", "INFO")
LOG_FORMATTER = "gxnb_spiders.logs.LogFormatter"  # items logged by URL, never dumped

# --- monitoring of scheduled runs (gxnb_spiders/monitors.py): a run that finds no report,
# logs too many errors or stores too many reports failing validation fails its monitors,
# and `scrapy crawlall` exits non-zero saying why
SPIDERMON_ENABLED = True
EXTENSIONS = {
    # errors on one line, no Alembic chatter, below LOG_LEVEL=DEBUG (gxnb_spiders/logs.py)
    "gxnb_spiders.logs.QuietLog": 0,
    "gxnb_spiders.monitors.RunHealth": 400,
    # the run context: the crawl's one store and its state; at close the reports the run
    # listed go to the store (gone-marking) and the run is recorded (gxnb_spiders/run.py)
    "gxnb_spiders.run.RunContext": 450,
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
    # every response also written as WARC (GXNB_WARC_DIR, default output/warc; "off" to stop)
    "gxnb_spiders.warc.WarcArchive": 600,
    # a line per portal as it starts and ends, at a terminal, where GXNB_PROGRESS is on
    "gxnb_spiders.progress.Progress": 900,
}
GXNB_WARC_DIR = os.environ.get("GXNB_WARC_DIR", "")
GXNB_PROGRESS = False  # `scrapy crawlall` and `scrapy demo` switch it on
# Scrapy's consoles (telnet; remote control, which runs code sent to a local port) are for
# debugging a live crawl; a scheduled one has no use for them. Taken out of the base list,
# not just switched off, because Scrapy imports every class named there, and remote
# control's aiohttp alone costs each run ~0.1 s. To debug a live crawl, empty _CONSOLES.
_CONSOLES = ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")
EXTENSIONS_BASE = {k: v for k, v in _default_settings.EXTENSIONS_BASE.items() if k not in _CONSOLES}
SPIDERMON_SPIDER_CLOSE_MONITORS = ["gxnb_spiders.monitors.RunMonitors"]
# a run stopped where -s CLOSESPIDER_ITEMCOUNT/PAGECOUNT/TIMEOUT asked did what was asked
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished", "closespider_itemcount", "closespider_pagecount",
                                     "closespider_timeout"]
GXNB_MAX_ERRORS = int(os.environ.get("GXNB_MAX_ERRORS", "10"))
GXNB_MAX_INVALID_SHARE = float(os.environ.get("GXNB_MAX_INVALID_SHARE", "0.5"))
