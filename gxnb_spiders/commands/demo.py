"""``scrapy demo``: start the built-in replicas, crawl every site into the database,
print a line per portal as it starts and ends, a summary of what was collected and where
the diff report is, stop the replicas.

The replicas answer for the real portal hosts (the top-level ``replicas`` package, beside
this one: the crawler never imports it, only this command does, when it runs), so this is
exactly a scheduled ``scrapy crawlall`` pointed at them: same spiders, same pipelines,
same checks before it starts and the same exit status.
"""
from __future__ import annotations

import collections
import sys
from urllib.parse import urlsplit

from scrapy.commands import ScrapyCommand

from gxnb_spiders import config, outcome
from gxnb_spiders.commands import fail
from gxnb_spiders.commands.crawl import checked_spiders
from gxnb_spiders.middlewares import allowed_domains, is_offsite

# portals with no site file, crawled by the generic spider from their home page
GENERIC_PORTALS = ["http://www.cxythsfq.gov.cn/"]
# what the replicas need to make their PDF and Word reports: the `demo` extra
REPLICA_PACKAGES = {"reportlab": "reportlab", "docx": "python-docx"}


def missing_replica_packages() -> list[str]:
    import importlib

    missing = []
    for module, dist in REPLICA_PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(dist)
    return missing


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = True
    name = "demo"

    def short_desc(self):
        return "Crawl the built-in offline replicas into the database and print a report"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--delay", type=float, default=0.1,
                            help="seconds between requests to one replica host (default 0.1; real portals get 1)")

    def process_options(self, args, opts):
        super().process_options(args, opts)
        missing = missing_replica_packages()
        if missing:
            sys.exit(fail(self, f"the replicas need {' and '.join(missing)} to make their reports: "
                                "pip install -e '.[demo]' (`make demo` does)"))
        from scrapy.spiderloader import get_spider_loader

        from gxnb_spiders.commands.crawlall import site_spider_names

        from replicas import challenges
        from replicas.server import ReplicaServer, all_sites

        self.names = site_spider_names(get_spider_loader(self.settings))
        classes = checked_spiders(self, self.names, {})  # the database and directories, before any server
        self.settings.set("GXNB_PROGRESS", True, priority="cmdline")
        # the replicas of the portals crawled, up before the crawler process reads its settings
        domains = [d for c in classes for d in allowed_domains(c)] + [urlsplit(u).hostname for u in GENERIC_PORTALS]
        self.server = ReplicaServer([s for s in all_sites()
                                     if any(not is_offsite(f"http://{h}/", domains) for h in s.hosts)])
        self.server.filters.extend(challenges.from_env())  # GXNB_REPLICA_CHALLENGE=ruishu:www.dt.gov.cn …
        self.server.start()
        proxy = self.server.url
        self.settings.set("GXNB_REPLICA_PROXY", proxy, priority="cmdline")
        launch = dict(self.settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
        launch["proxy"] = {"server": proxy}
        self.settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority="cmdline")
        if not opts.loglevel:  # a person reads the summary, not the crawl log (-L INFO for that)
            self.settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
        self.settings.set("DOWNLOAD_DELAY", opts.delay, priority="cmdline")
        self.settings.set("AUTOTHROTTLE_START_DELAY", opts.delay, priority="cmdline")

    def run(self, args, opts):
        names = self.names
        print(f"gxnb demo: replicas of {', '.join(sorted({s.name for s in self.server.sites.values()}))} "
              f"served at {self.server.url}; crawling {', '.join(names)} and "
              f"{len(GENERIC_PORTALS)} portal(s) with no site file …", flush=True)
        crawlers = {}
        try:
            for name in names:
                crawlers[name] = self.crawler_process.create_crawler(name)
                self.crawler_process.crawl(crawlers[name])
            for url in GENERIC_PORTALS:
                crawlers[urlsplit(url).hostname] = crawler = self.crawler_process.create_crawler("generic")
                self.crawler_process.crawl(crawler, url=url)
            self.crawler_process.start()
        finally:
            self.server.stop()
        from pipelines.diff import report_since_previous_run
        from pipelines.render import html
        # the database this crawl wrote to, whichever way it was given (-s or environment)
        store = config.open_store(self.settings)
        try:
            report = report_since_previous_run(store)
            out = config.output_dir(self.settings) / "diff-report.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(html(report), encoding="utf-8")
            print(summary(store))
        finally:
            store.close()
        print("\nThis run, per portal:")
        for name, crawler in crawlers.items():
            print("  " + outcome.line(name, crawler))
        challenges = sum(outcome.figures(c)["challenges"] for c in crawlers.values())
        print(f"\nAnti-bot challenges passed: {challenges}"
              + ("" if challenges else " (GXNB_REPLICA_CHALLENGE=ruishu:www.dt.gov.cn puts one in the way)"))
        from gxnb_spiders.commands.site import build as build_site
        print(f"What changed since the previous run: {out}")
        print(f"Open the site (overview, every body's figures and charts, archived copies): "
              f"{build_site(self.settings)}\n"
              "Again with nothing changed: `scrapy demo` (incremental: no report page is fetched twice).", flush=True)
        self.exitcode = outcome.exit_status(crawlers.values(), self.crawler_process.bootstrap_failed)


def summary(store) -> str:
    """Reports per portal and their statuses, as stored now."""
    by_portal: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for rep in store.snapshot():
        by_portal[rep["portal"]][rep["status"]] += 1
    lines = ["", f"Stored in {store.url_for_humans}:", "",
             f"{'portal':<20} {'reports':>7}  statuses", "-" * 60]
    for portal in sorted(by_portal):
        c = by_portal[portal]
        lines.append(f"{portal:<20} {sum(c.values()):>7}  " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    return "\n".join(lines)
