"""``scrapy crawlall [-a full=1] [-a years=…]``: every site spider in one process.

Portals are crawled concurrently, each politely (CONCURRENT_REQUESTS_PER_DOMAIN and the
download delay hold per host, as in a single crawl). Incremental by default (see
gxnb_spiders.incremental). Checked before it starts like ``scrapy crawl``; at a terminal
a line per portal as it starts and ends; at the end one line per portal, and exit status 1
when a spider could not start, a run failed its monitors (gxnb_spiders.monitors) or an
item could not be stored, saying why.
"""
from __future__ import annotations

import sys

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError

from gxnb_spiders import outcome
from gxnb_spiders.commands import fail
from gxnb_spiders.commands.crawl import checked_spiders, print_summary


def site_spider_names(spider_loader) -> list[str]:
    """Every spider that crawls a portal on its own: not one that is told what to crawl
    (``needs_argument``: generic's URL, portal's registry id), nor a registry row with
    ``enabled = false``."""
    classes = {n: spider_loader.load(n) for n in spider_loader.list()}
    return sorted(n for n, cls in classes.items() if not getattr(cls, "needs_argument", None)
                  and getattr(cls, "registry_row", {}).get("enabled", True))


class Command(BaseRunSpiderCommand):
    requires_project = True
    name = "crawlall"

    def syntax(self):
        return "[options]"

    def short_desc(self):
        return "Run every site spider in one process (incremental unless -a full=1)"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--spiders", metavar="NAMES",
                            help="comma-separated spider names (default: every site spider)")

    def process_options(self, args, opts):
        super().process_options(args, opts)
        if args:
            raise UsageError(f"crawlall takes no spider names ({' '.join(args)}): use --spiders a,b")
        from scrapy.spiderloader import get_spider_loader

        names = site_spider_names(get_spider_loader(self.settings))
        if opts.spiders:
            names = [n.strip() for n in opts.spiders.split(",") if n.strip()]
        if not names:
            sys.exit(fail(self, "no site spider found"))
        self.names = [c.name for c in checked_spiders(self, names, opts.spargs)]
        self.settings.set("GXNB_PROGRESS", True, priority="cmdline")

    def run(self, args, opts):
        process = self.crawler_process
        crawlers = {name: self._create_crawler(name) for name in self.names}
        for crawler in crawlers.values():
            process.crawl(crawler, **opts.spargs)
        process.start()
        self.exitcode = report_outcome(crawlers, self.settings, bootstrap_failed=process.bootstrap_failed)


def report_outcome(crawlers: dict, settings, bootstrap_failed: bool = False) -> int:
    """Print one line per spider and the reasons of any failure; the exit status."""
    print_summary(crawlers, settings, "crawlall")
    return outcome.exit_status(crawlers.values(), bootstrap_failed)
