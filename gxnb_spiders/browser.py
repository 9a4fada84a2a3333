"""The browser behind scrapy-playwright, started only when a request needs it.

scrapy-playwright starts Playwright's driver (a Node.js process of ~120 MB) for each of its
download handlers (http and https) when the crawl starts, whether or not any page needs a
browser. Most portals never do: only anti-bot challenges and script-written lists go
through Chromium (``meta["playwright"]``). This provider starts the driver on the first
browser request instead, so a plain crawl runs without ~250 MB of idle Node processes.
"""
from __future__ import annotations

import asyncio

from scrapy_playwright.provider import PlaywrightBrowserProvider


class OnDemandBrowserProvider(PlaywrightBrowserProvider):
    def __init__(self, config) -> None:
        super().__init__(config)
        self._starting = asyncio.Lock()

    async def start(self) -> None:
        """Nothing yet: see ``_started``."""

    async def _started(self) -> None:
        async with self._starting:
            if self.browser_type is None:
                await super().start()

    async def launch_browser(self):
        await self._started()
        return await super().launch_browser()

    async def launch_persistent_context(self, context_kwargs: dict):
        await self._started()
        return await super().launch_persistent_context(context_kwargs)
