"""Chromium (through scrapy-playwright) loaded and started only when a request needs it.

Most portals never need a browser: only anti-bot challenges and script-written lists go
through Chromium (``meta["playwright"]``). Registered as scrapy-playwright's own handler,
every crawl would import Playwright (~0.2 s) and start its Node.js driver (~120 MB per
scheme) whether or not a page ever asked for it. This handler downloads plain requests
itself, as Scrapy's HTTP/1.1 handler, and creates scrapy-playwright's handler on the first
request that wants the browser; from then on it behaves exactly as before.
"""
from __future__ import annotations

import asyncio

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Request, Response


class BrowserWhenNeeded(HTTP11DownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._browser = None                # scrapy-playwright's handler, once needed
        self._starting = asyncio.Lock()

    async def _browser_handler(self):
        async with self._starting:
            if self._browser is None:
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                handler = ScrapyPlaywrightDownloadHandler(self._crawler)
                # it launches on engine_started, which has passed by now
                await handler._maybe_launch_in_thread()
                self._browser = handler
        return self._browser

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright"):
            return await (await self._browser_handler()).download_request(request)
        return await super().download_request(request)

    async def close(self) -> None:
        await super().close()
        if self._browser is not None:
            await self._browser.close()
