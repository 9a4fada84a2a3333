"""``scrapy crawlall [-a full=1] [-a years=…]``: every site spider in one process.

Portals are crawled concurrently, each politely (CONCURRENT_REQUESTS_PER_DOMAIN and the
download delay hold per host, as in a single crawl). Incremental by default (see
gxnb_spiders.incremental). Exits non-zero when a spider could not start or a run failed
its monitors (gxnb_spiders.monitors), and says why.
"""
from __future__ import annotations

import sys

from scrapy.commands import BaseRunSpiderCommand

from gxnb_spiders.monitors import failures

# not run unattended: generic needs a start URL, portal a registry id; synthetic crawls a
# made-up host that only the replicas serve (tests and benchmarks name it with --spiders)
NOT_SCHEDULED = {"generic", "portal", "synthetic"}


def site_spider_names(spider_loader) -> list[str]:
    """Every spider that crawls a real portal on its own (registry rows not ``enabled = false``)."""
    return sorted(n for n in spider_loader.list() if n not in NOT_SCHEDULED
                  and getattr(spider_loader.load(n), "registry_row", {}).get("enabled", True))


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self):
        return "[options]"

    def short_desc(self):
        return "Run every site spider in one process (incremental unless -a full=1)"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--spiders", metavar="NAMES",
                            help="comma-separated spider names (default: every site spider)")

    def run(self, args, opts):
        process = self.crawler_process
        names = site_spider_names(process.spider_loader)
        if opts.spiders:
            wanted = [n.strip() for n in opts.spiders.split(",") if n.strip()]
            unknown = sorted(set(wanted) - set(process.spider_loader.list()))
            if unknown:
                print(f"crawlall: unknown spider(s): {', '.join(unknown)}", file=sys.stderr)
                self.exitcode = 2
                return
            names = wanted
        if not names:
            print("crawlall: no site spider found", file=sys.stderr)
            self.exitcode = 1
            return
        crawlers = {name: self._create_crawler(name) for name in names}
        for name, crawler in crawlers.items():
            process.crawl(crawler, **opts.spargs)
        process.start()
        self.exitcode = report_outcome(crawlers, bootstrap_failed=process.bootstrap_failed)


def report_outcome(crawlers: dict, bootstrap_failed: bool = False) -> int:
    """Print one line per spider and the reasons of any failure; the exit status."""
    bad = bootstrap_failed
    print("crawlall:", file=sys.stderr)
    for name, crawler in crawlers.items():
        stats = crawler.stats.get_stats() if crawler.stats else {}
        reasons = failures(crawler)
        if stats.get("finish_reason") is None:
            reasons = reasons or ["did not run"]
        bad = bad or bool(reasons)
        line = (f"  {name:<12} {stats.get('finish_reason', '-'):<10} "
                f"stored {stats.get('item_scraped_count', 0)}, "
                f"unchanged {stats.get('gxnb/reports_unchanged', 0)}, "
                f"errors {stats.get('gxnb/errors', 0)}")
        print(line + ("" if not reasons else "  FAILED: " + "; ".join(reasons)), file=sys.stderr)
    return 1 if bad else 0
