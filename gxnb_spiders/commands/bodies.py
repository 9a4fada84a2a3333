"""``scrapy bodies SPIDER``: the reporting bodies a portal's lists show, with their codes
and the years listed, read from the lists alone (no report page is fetched, nothing is
stored). Any of the names, or a short form of it (区政府办公室 for
烟台市牟平区人民政府办公室), or the code, is what ``-a body=`` takes.
"""
from __future__ import annotations

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError

from gxnb_spiders.commands import fail
from gxnb_spiders.commands.crawl import checked_spiders

# a listing stores nothing, marks nothing gone and is no run to monitor
LISTING_ONLY_EXTENSIONS = ("gxnb_spiders.run.RunContext", "gxnb_spiders.monitors.RunHealth",
                           "spidermon.contrib.scrapy.extensions.Spidermon", "gxnb_spiders.progress.Progress")


def year_span(years) -> str:
    known = sorted(y for y in years if y)
    if not known:
        return "-"
    span = str(known[0]) if known[0] == known[-1] else f"{known[0]}-{known[-1]}"
    return f"{span} ({len(known)})"


class Command(BaseRunSpiderCommand):
    requires_project = True
    name = "bodies"

    def syntax(self):
        return "[options] <spider>"

    def short_desc(self):
        return "List the reporting bodies a portal's lists show (names for -a body=)"

    def process_options(self, args, opts):
        super().process_options(args, opts)
        if len(args) != 1:
            raise UsageError("give one spider name (`scrapy list` shows them)", print_help=not args)
        self.settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        extensions = self.settings.getdict("EXTENSIONS")
        extensions.update(dict.fromkeys(LISTING_ONLY_EXTENSIONS))
        self.settings.set("EXTENSIONS", extensions, priority="cmdline")
        if not opts.loglevel:
            self.settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
        self.spidercls, = checked_spiders(self, args, opts.spargs)

    def run(self, args, opts):
        crawler = self._create_crawler(self.spidercls)
        self.crawler_process.crawl(crawler, listing_only="1", **opts.spargs)
        self.crawler_process.start()
        from gxnb_spiders.run import RunContext

        spider = crawler.spider
        bodies = RunContext.of(crawler).listed_bodies
        if not bodies:
            fail(self, f"{spider.name}: the lists showed no reporting body (run `scrapy crawl` to see why)")
            return
        rows = sorted(bodies.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or ""))
        named = [(name or "(named in each report)", code or "", year_span(years)) for (name, code), years in rows]
        from rich.cells import cell_len  # CJK characters take two columns in a terminal

        width = max(cell_len(n) for n, _, _ in named)
        print(f"{spider.name}: {len(named)} reporting bodies on the lists "
              f"(-a body= takes a name, a short form such as 区政府办公室, or a code)")
        for name, code, years in named:
            pad = " " * (width - cell_len(name))
            print(f"  {name}{pad}  {years:<16} {code}")
