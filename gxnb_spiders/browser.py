"""Chromium (through scrapy-playwright) loaded and started only when a request needs it.

Most portals never need a browser: only anti-bot challenges and script-written lists go
through Chromium (``meta["playwright"]``). Registered as scrapy-playwright's own handler,
every crawl would import Playwright (~0.2 s) and start its Node.js driver (~120 MB per
scheme) whether or not a page ever asked for it. This handler downloads plain requests
itself, as Scrapy's HTTP/1.1 handler, and creates scrapy-playwright's handler on the first
request that wants the browser; from then on it behaves exactly as before.

A page in the browser asks for more than itself: frames, images, scripts, ``fetch()``.
Every such request to a host outside the spider's ``allowed_domains`` is aborted
(``OffsiteBrowserRequests``), as the downloader refuses offsite links
(``middlewares.StrictOffsiteMiddleware``); spiders without ``allowed_domains`` are not
restricted.

Playwright's own timeouts cover navigation, not a whole page: a page whose script never
yields (a busy loop after load) leaves ``page.evaluate()`` and ``page.content()`` waiting
for ever, and with them the crawl. So each browser request has an overall deadline,
``GXNB_BROWSER_TIMEOUT`` seconds: past it the request is cancelled, its page closed, the
stat ``gxnb/browser_timeouts`` counted and ``BrowserTimeout`` raised, a download timeout
like any other (retried up to ``RETRY_TIMES``, then logged as the page's error), so the
crawl goes on and ends. The deadline runs from the moment the request has its page: a
request queued for one of the context's ``PLAYWRIGHT_MAX_PAGES_PER_CONTEXT`` pages behind
slow ones is not slow itself (the queue is bounded apart, see ``queue_timeout``).
Playwright's own navigation timeout (``PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT``, shorter by
default) is the same event when it comes first: counted, retried and said the same way.

A page may also arrive whole and ask for a subresource its server never answers (a
picture, a frame, a script, the connection held open): its ``load`` event never comes,
nor does a quiet network. A request that reads a page once its network is quiet asks for
``Settle``: it waits for that at most a while, then takes the stalled pictures and frames
out of the page (their loads cancelled, so ``load`` comes) and the page is read as it
stands, with a warning naming what never came. A stalled script that the parser waits
for leaves the DOM never ready, and nothing can be read: that page is given up as above.
"""
from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Request, Response

from gxnb_spiders.middlewares import allowed_domains, is_offsite

log = logging.getLogger(__name__)
# requests that reach no host: nothing to keep off
LOCAL_SCHEMES = ("data", "blob", "about")
STAT_TIMEOUTS = "gxnb/browser_timeouts"
STAT_NAVIGATION_TIMEOUTS = "gxnb/browser_navigation_timeouts"  # of those, Playwright's own
DEFAULT_TIMEOUT = 120.0  # seconds: navigation (30), the challenge wait, page methods, reading
CLOSE_WAIT = 10.0        # seconds a given-up page may take to close before it is left alone


class BrowserTimeout(DownloadTimeoutError):
    """A page the browser did not finish within ``GXNB_BROWSER_TIMEOUT`` seconds."""


# the elements of the page whose resource has not come (no resource-timing entry yet), each
# taken out of the page: a picture's or frame's load is cancelled with it; → their URLs
UNHOOK_STALLED = """() => {
  const done = new Set(performance.getEntriesByType('resource').map(e => e.name));
  const stalled = [];
  for (const el of document.querySelectorAll(
      'img[src], iframe[src], frame[src], embed[src], object[data], video[src], audio[src], source[src],'
      + ' link[rel~=stylesheet][href], script[src]')) {
    const url = el.src || el.href || el.data;
    // data: and about: ask no server; a lazy picture not yet asked for holds nothing up
    if (!/^https?:/i.test(url || '') || done.has(url) || el.loading === 'lazy'
        || (el.tagName === 'IMG' && el.complete)) continue;
    stalled.push(url);
    if ('src' in el && el.tagName !== 'SCRIPT') el.src = 'about:blank';
    el.remove();
  }
  return stalled;
}"""


class Settle:
    """A page method (``PageMethod(Settle(seconds))``, with ``playwright_page_goto_kwargs``
    ``wait_until="domcontentloaded"``): the page's network quiet, waited for at most
    ``seconds``; past that, the subresources still not come are taken out of the page, so
    that it can be read as it stands. Its result is their URLs (``BrowserWhenNeeded`` logs
    and counts them)."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    async def __call__(self, page) -> list[str]:
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        try:
            # Playwright reads a timeout of 0 as none at all: never wait unbounded
            await page.wait_for_load_state("networkidle", timeout=max(self.seconds, 0.1) * 1000)
            return []
        except PlaywrightTimeout:
            return await page.evaluate(UNHOOK_STALLED)

    def __repr__(self) -> str:
        return f"Settle({self.seconds:g})"


class OffsiteBrowserRequests:
    """scrapy-playwright's ``abort_request`` predicate: True (abort) for a browser request
    to a host outside the spider's ``allowed_domains``; else whatever the predicate set
    in ``PLAYWRIGHT_ABORT_REQUEST`` (if any) says."""

    def __init__(self, crawler, configured=None):
        self.crawler = crawler
        self.configured = configured
        self.logged: set[str] = set()

    async def __call__(self, request) -> bool:
        url = request.url
        if urlsplit(url).scheme.lower() not in LOCAL_SCHEMES:
            domains = allowed_domains(self.crawler.spider)
            if is_offsite(url, domains):
                self.crawler.stats.inc_value("gxnb/browser_offsite_aborted")
                host = urlsplit(url).hostname or url
                if host not in self.logged:  # once per host: a page may ask hundreds of times
                    self.logged.add(host)
                    log.info("browser request to an offsite host aborted: %s (allowed: %s)",
                             url, ", ".join(domains))
                return True
        if self.configured is None:
            return False
        verdict = self.configured(request)
        return bool(await verdict) if asyncio.iscoroutine(verdict) else bool(verdict)


class PageGuard:
    """A page init callback noting the request's page (to close it if the request is given
    up) and, for a spider with ``allowed_domains``, keeping the page on its hosts where a
    route cannot: the redirects of its requests (Chromium follows them without asking the
    route) and WebSockets are blocked by URL pattern, every host but the allowed ones."""

    def __init__(self, domains: list[str], then=None):
        self.domains = domains
        self.then = then  # a page init callback the request had already
        self.pages: list = []  # the page(s) scrapy-playwright opened for the request
        self.opened = asyncio.Event()  # the request has its page: its deadline starts

    async def __call__(self, page, request) -> None:
        self.pages.append(page)
        self.opened.set()
        if self.domains:
            await self._keep_on_hosts(page)
        if self.then is not None:
            from scrapy.utils.misc import load_object

            await load_object(self.then)(page, request)

    async def _keep_on_hosts(self, page) -> None:
        async def refuse(ws) -> None:  # never connected to the server: closed at once
            log.info("browser WebSocket to an offsite host refused: %s", ws.url)
            await ws.close()

        await page.route_web_socket(lambda url: is_offsite(url, self.domains), refuse)
        session = await page.context.new_cdp_session(page)
        await session.send("Network.enable")
        await session.send("Network.setBlockedURLs", {"urlPatterns": url_patterns(self.domains)})


def url_patterns(domains: list[str]) -> list[dict]:
    """Chromium's URLPattern rules: the allowed hosts (and their subdomains), then everything."""
    allow = []
    for d in domains:
        if ":" in d:  # IPv6
            host = "\\[" + d.replace(":", "\\:") + "\\]"
        elif d.replace(".", "").isdigit():  # IPv4: no subdomains
            host = d
        else:
            host = f"{{*.}}?{d}"
        allow.append({"urlPattern": f"*://{host}:*/*", "block": False})
    return allow + [{"urlPattern": "*://*:*/*", "block": True}]


class BrowserWhenNeeded(HTTP11DownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._browser = None                # scrapy-playwright's handler, once needed
        self._starting = asyncio.Lock()
        settings = crawler.settings
        self.page_timeout = settings.getfloat("GXNB_BROWSER_TIMEOUT", DEFAULT_TIMEOUT)
        self.navigation_timeout = settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", 30_000) / 1000
        # a queued request waits for pages ahead of it, each done or given up within
        # page_timeout + CLOSE_WAIT: at most CONCURRENT_REQUESTS of them, so many a page at once
        pages = max(1, settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", 1))
        rounds = -(-settings.getint("CONCURRENT_REQUESTS", 16) // pages)
        self.queue_timeout = rounds * (self.page_timeout + CLOSE_WAIT)

    async def _browser_handler(self):
        async with self._starting:
            if self._browser is None:
                from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

                handler = ScrapyPlaywrightDownloadHandler(self._crawler)
                handler.abort_request = OffsiteBrowserRequests(self._crawler, handler.abort_request)
                # it launches on engine_started, which has passed by now
                await handler._maybe_launch_in_thread()
                self._browser = handler
        return self._browser

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright"):
            handler = await self._browser_handler()
            then = request.meta.get("playwright_page_init_callback")
            if isinstance(then, PageGuard):  # a retry's copy of the meta: guard once
                then = then.then
            guard = PageGuard(allowed_domains(self._crawler.spider), then)
            request.meta["playwright_page_init_callback"] = guard
            fetching = asyncio.ensure_future(handler.download_request(request))
            opened = asyncio.ensure_future(guard.opened.wait())
            try:
                await asyncio.wait({fetching, opened}, timeout=self.queue_timeout,
                                   return_when=asyncio.FIRST_COMPLETED)
                done = {fetching} if fetching.done() else set()
                if opened.done() and not done:
                    done, _ = await asyncio.wait({fetching}, timeout=self.page_timeout)
            finally:
                opened.cancel()
                if not fetching.done():  # given up, or this download itself cancelled
                    fetching.cancel()
            if fetching in done:
                from playwright.async_api import TimeoutError as PlaywrightTimeout

                try:
                    response = fetching.result()
                except PlaywrightTimeout:  # its navigation timeout came first: the same event
                    message = (f"the browser gave up on {request.url} after {self.navigation_timeout:g} s "
                               "(Playwright's navigation timeout, PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT): "
                               "the page never finished loading")
                    self._crawler.stats.inc_value(STAT_NAVIGATION_TIMEOUTS)
                else:
                    self._note_stalled(request)
                    return response
            else:
                message = (f"the browser gave up on {request.url} after {self.page_timeout:g} s "
                           f"(GXNB_BROWSER_TIMEOUT): the page never finished loading or being read"
                           if guard.pages else
                           f"the browser gave up on {request.url}: no page of the browser came free in "
                           f"{self.queue_timeout:g} s (GXNB_BROWSER_TIMEOUT × the pages queued ahead)")
            await self._give_up(guard.pages)
            self._crawler.stats.inc_value(STAT_TIMEOUTS)
            log.warning(message)  # a retry may still get the page; a last failure is an ERROR
            raise BrowserTimeout(message)
        return await super().download_request(request)

    def _note_stalled(self, request: Request) -> None:
        """A page read as it stood (``Settle``): warn, naming what never came, and count it."""
        for method in request.meta.get("playwright_page_methods") or ():
            if isinstance(getattr(method, "method", None), Settle) and method.result:
                stalled = list(method.result)
                self._crawler.stats.inc_value("gxnb/browser_stalled_subresources", len(stalled))
                log.warning("%s read as it stood: %d subresource%s never answered in %g s (%s)",
                            request.url, len(stalled), "" if len(stalled) == 1 else "s",
                            method.method.seconds, ", ".join(stalled))

    @staticmethod
    async def _give_up(pages) -> None:
        """Close a given-up request's page: its slot in the browser context is freed when
        it closes. A page that will not close in time is left to the browser's end."""
        for page in pages:
            if page.is_closed():  # closed already (scrapy-playwright closes a failed one)
                continue
            try:
                await asyncio.wait_for(page.close(), CLOSE_WAIT)
            except Exception as exc:  # closed already, crashed, or stuck: nothing more to do
                log.warning("a given-up browser page did not close: %r", exc)

    async def close(self) -> None:
        await super().close()
        if self._browser is not None:
            await self._browser.close()
