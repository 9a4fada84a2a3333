"""``scrapy demo``: start the built-in replicas, crawl every site into the database,
print what was collected and the diff report, stop the replicas.

The replicas answer for the real portal hosts (see gxnb_spiders/replicas), so this is
exactly a scheduled ``scrapy crawlall`` pointed at them: same spiders, same pipelines.
"""
from __future__ import annotations

import collections
from pathlib import Path

from scrapy.commands import ScrapyCommand

from gxnb_spiders.replicas import challenges
from gxnb_spiders.replicas.server import ReplicaServer, all_sites

# sites that exist for tests and benchmarks, not for a person to look at
NOT_IN_DEMO = {"synthetic"}
# portals with no site file, crawled by the generic spider from their home page
GENERIC_PORTALS = ["http://www.cxythsfq.gov.cn/"]


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = True

    def short_desc(self):
        return "Crawl the built-in offline replicas into the database and print a report"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--delay", type=float, default=0.1,
                            help="seconds between requests to one replica host (default 0.1; real portals get 1)")

    def process_options(self, args, opts):
        super().process_options(args, opts)
        # the replicas must be up before the crawler process reads its settings
        self.server = ReplicaServer([s for s in all_sites() if s.name not in NOT_IN_DEMO])
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
        from gxnb_spiders.commands.crawlall import site_spider_names

        names = [n for n in site_spider_names(self.crawler_process.spider_loader) if n not in NOT_IN_DEMO]
        print(f"gxnb demo: replicas of {', '.join(sorted({s.name for s in self.server.sites.values()}))} "
              f"served at {self.server.url}; crawling {', '.join(names)} …", flush=True)
        try:
            for name in names:
                self.crawler_process.crawl(name)
            for url in GENERIC_PORTALS:
                self.crawler_process.crawl("generic", url=url)
            self.crawler_process.start()
        finally:
            self.server.stop()
        from pipelines.diff import report_since_previous_run
        from pipelines.render import html, markdown
        from pipelines.store import Store

        store = Store()
        report = report_since_previous_run(store)
        print(markdown(report))
        out = Path(self.settings.get("GXNB_OUTPUT_DIR")) / "diff-report.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html(report), encoding="utf-8")
        print(summary(store))
        from gxnb_spiders.commands.site import build as build_site
        print(f"\nOpen the site (overview, every body's figures and charts, archived copies): "
              f"{build_site(self.settings)}")
        print(f"\nThe same report as a page: {out}\n"
              "Again with nothing changed: `scrapy demo` (incremental: no report page is fetched twice).", flush=True)
        failed = [c for c in self.crawler_process.crawlers if getattr(c, "stats", None)
                  and c.stats.get_value("finish_reason") not in ("finished", None)]
        if self.crawler_process.bootstrap_failed or failed:
            self.exitcode = 1


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
