"""``scrapy crawl SPIDER [-a years=…] [-a body=…] [-o FILE]``: Scrapy's crawl, checked
before it starts and honest when it ends.

Before: the spider's name and ``-a`` arguments, the database, the raw archive and the
``-o`` files (gxnb_spiders/preflight.py); a wrong one costs one line and exit status 2
(1 for the database or a directory), with the traceback only at ``--loglevel DEBUG``.
After: a short summary (stored, unchanged, errors, challenges passed, where the data
is) and exit status 1 when a monitor failed or an item could not be stored
(gxnb_spiders/outcome.py), as ``scrapy crawlall`` does.
"""
from __future__ import annotations

import sys

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError

from gxnb_spiders import config, outcome, preflight
from gxnb_spiders.commands import fail


def stores(settings) -> bool:
    """Whether this crawl writes to the database (tests may run extraction only)."""
    return settings.getdict("ITEM_PIPELINES").get("gxnb_spiders.item_pipelines.StorePipeline") is not None


def checked_spiders(command, names: list[str], spargs: dict) -> list:
    """The spider classes after every check before a crawl. When the crawl must not start,
    the reason is printed (one line) and the process exits: 2 for a wrong name or
    argument, 1 for the database, a directory or an output file. Called from
    ``process_options``, before Scrapy's start-up lines, so that line is all there is."""
    from scrapy.spiderloader import get_spider_loader

    settings = command.settings
    try:
        try:
            loader = get_spider_loader(settings)
            classes = [preflight.spider_class(loader, name) for name in names]
            for spidercls in classes:
                preflight.spider_arguments(spidercls, spargs, settings)
        except preflight.CannotStart as exc:
            exc.exitcode = 2  # a usage error
            raise
        preflight.feeds(settings)
        if stores(settings):
            preflight.storage(settings)
    except preflight.CannotStart as exc:
        sys.exit(fail(command, exc, getattr(exc, "exitcode", 1)))
    return classes


def print_summary(crawlers: dict, settings, title: str) -> None:
    print(f"{title}:", file=sys.stderr)
    for name, crawler in crawlers.items():
        print("  " + outcome.line(name, crawler), file=sys.stderr)
    if stores(settings):
        print(f"  data in {config.database_for_humans(settings)}; "
              "what changed: `scrapy diffreport --format html -o diff.html`", file=sys.stderr)
    sys.stderr.flush()


class Command(BaseRunSpiderCommand):
    requires_project = True
    name = "crawl"

    def syntax(self):
        return "[options] <spider>"

    def short_desc(self):
        return "Run a spider of the project by name; exit 1 when its run failed a monitor"

    def process_options(self, args, opts):
        super().process_options(args, opts)
        if len(args) != 1:
            raise UsageError("give one spider name (`scrapy list` shows them)", print_help=len(args) == 0)
        self.spidercls, = checked_spiders(self, args[0:1], opts.spargs)

    def run(self, args, opts):
        spidercls = self.spidercls
        crawler = self._create_crawler(spidercls)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        spider = getattr(crawler, "spider", None)  # `crawl portal -a id=dt` runs dt's spider
        print_summary({getattr(spider, "name", None) or spidercls.name: crawler}, self.settings, "crawl")
        self.exitcode = outcome.exit_status([crawler], self.crawler_process.bootstrap_failed)
