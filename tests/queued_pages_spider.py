"""A spider for tests/test_browser_timeout.py (``scrapy runspider``): two pages rendered in
the browser at once, ``busy`` asked first, then ``calm``, which waits for the browser's page
while ``busy`` holds it (run with PLAYWRIGHT_MAX_PAGES_PER_CONTEXT=1)."""
from __future__ import annotations

import scrapy
from scrapy_playwright.page import PageMethod


class QueuedPages(scrapy.Spider):
    name = "queued_pages"

    async def start(self):
        for priority, url in ((1, self.busy), (0, self.calm)):
            # read a second after load, as a list written by script is: the busy page's loop
            # (replicas.faults busy_script) has begun by then
            yield scrapy.Request(url, priority=priority, dont_filter=True, meta={
                "playwright": True, "playwright_page_methods": [PageMethod("wait_for_timeout", 1000)]})

    def parse(self, response):
        yield {"url": response.url}
