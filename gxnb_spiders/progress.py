"""A line per portal as its crawl starts and as it ends, for a person at a terminal.

Enabled by ``GXNB_PROGRESS`` (``scrapy crawlall`` and ``scrapy demo`` switch it on);
printed with rich on standard error, and only when that is a terminal (rich's own test:
``FORCE_COLOR``/``TTY_COMPATIBLE`` make it one), so cron mails and log files stay as they
were. The end line is the crawl's summary line (gxnb_spiders/outcome.py).
"""
from __future__ import annotations

import time

from scrapy import signals
from scrapy.exceptions import NotConfigured


def console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def portal(spider) -> str:
    return getattr(spider, "portal", None) or spider.name


class Progress:
    def __init__(self, crawler, out):
        self.crawler = crawler
        self.out = out
        self.started = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GXNB_PROGRESS"):
            raise NotConfigured
        out = console()
        if not out.is_terminal:
            raise NotConfigured  # quiet when not a terminal
        ext = cls(crawler, out)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        # after the monitors (connected earlier), so the line carries their verdict
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.started = time.monotonic()
        self.out.print(f"[bold]▶[/bold] {portal(spider)}: started", markup=True)

    def spider_closed(self, spider, reason):
        from gxnb_spiders import outcome

        seconds = time.monotonic() - (self.started or time.monotonic())
        failed = bool(outcome.reasons(self.crawler))
        mark = "[red]✗[/red]" if failed else "[green]✓[/green]"
        self.out.print(f"{mark} ", markup=True, end="")
        self.out.print(f"{outcome.line(portal(spider), self.crawler)} ({seconds:.0f} s)", markup=False)
