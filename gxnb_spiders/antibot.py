"""Getting through anti-bot challenges (瑞数 412, 加速乐 521, WZWS "请开启JavaScript").

A challenge answers a plain HTTP client with a page whose script computes a cookie and
reloads. ``ChallengeMiddleware`` spots such an answer, renders that one request in
Chromium (scrapy-playwright) until the page shows real content, takes the cookies the
browser earned into Scrapy's cookie jar, and re-issues the request as a plain request.
Every later request to that host then passes with the cookies, without a browser.
After ``GXNB_CHALLENGE_MAX_TRIES`` failed rounds the request is dropped with a clear
error. Stats: ``gxnb/plain_requests``, ``gxnb/browser_requests``, ``gxnb/browser_share``,
``gxnb/challenges_seen``, ``gxnb/challenges_passed``, ``gxnb/challenges_failed``.
"""
from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

log = logging.getLogger(__name__)

CHALLENGE_STATUSES = {412: "ruishu", 521: "jiasule"}
# challenge pages answered with 200 say so in their text
CHALLENGE_TEXTS = ("请开启JavaScript并刷新该页", "请打开JavaScript并刷新", "Please enable JavaScript and refresh")
_COOKIE_SCRIPT_RE = re.compile(r"document\.cookie\s*=", re.I)
_RELOAD_RE = re.compile(r"location\.(reload|replace|href\s*=|assign)|window\.location\s*=", re.I)
_TAGS_RE = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)
# a page whose visible text is shorter than this and which sets a cookie and reloads is
# a challenge shell, not content
SHELL_TEXT_MAX = 200

META_KEYS = ("playwright", "playwright_page_methods", "playwright_context", "gxnb_challenge_browser",
             "dont_merge_cookies", "download_latency")


def visible_text(html: str) -> str:
    return re.sub(r"\s+", "", _TAGS_RE.sub(" ", html))


def challenge_kind(status: int, html: str | None) -> str | None:
    """The kind of anti-bot challenge a response is ("ruishu", "jiasule", "wzws",
    "script"), or None when it carries real content."""
    if status in CHALLENGE_STATUSES:
        return CHALLENGE_STATUSES[status]
    if not html:
        return None
    head = html[:20000]
    if any(t in head for t in CHALLENGE_TEXTS):
        return "wzws"
    if (_COOKIE_SCRIPT_RE.search(head) and _RELOAD_RE.search(head)
            and len(visible_text(head)) < SHELL_TEXT_MAX):
        return "script"
    return None


def _text_of(response) -> str | None:
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if ctype and "html" not in ctype and "text" not in ctype:
        return None
    if len(response.body) > 200_000:  # real pages are big; challenge shells are small
        return None
    try:
        return response.text
    except AttributeError:
        return response.body.decode("utf-8", "replace")


class ChallengeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.max_tries = settings.getint("GXNB_CHALLENGE_MAX_TRIES", 3)
        self.wait_seconds = settings.getfloat("GXNB_CHALLENGE_WAIT", 10.0)
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT", 60.0)
        # per host: how many times cookies were earned (and the latest), so requests
        # already in flight when a challenge was solved retry plainly with them
        self.generation: dict[str, int] = {}
        self.earned: dict[str, list[dict]] = {}
        # per host: the browser round under way (others wait for it) and hosts given up on
        self.solving: dict[str, asyncio.Event] = {}
        self.failed_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider):
        browser = self.stats.get_value("gxnb/browser_requests", 0)
        plain = self.stats.get_value("gxnb/plain_requests", 0)
        if browser + plain:
            self.stats.set_value("gxnb/browser_share", round(browser / (browser + plain), 4))

    # --- counting, and noting which cookies a request went out with
    def process_request(self, request, spider=None):
        if request.meta.get("playwright"):
            self.stats.inc_value("gxnb/browser_requests")
        else:
            self.stats.inc_value("gxnb/plain_requests")
            request.meta["gxnb_host_generation"] = self.generation.get(_host(request.url), 0)
        return None

    async def process_response(self, request, response, spider=None):
        if request.meta.get("gxnb_challenge_browser"):
            return self._after_browser(request, response)
        if request.meta.get("playwright"):
            return response  # a spider's own browser request: its business
        kind = challenge_kind(response.status, _text_of(response))
        if not kind:
            return response
        self.stats.inc_value("gxnb/challenges_seen")
        self.stats.inc_value(f"gxnb/challenges_seen/{kind}")
        tries = request.meta.get("gxnb_challenge_tries", 0)
        host = _host(request.url)
        solving = self.solving.get(host)
        if solving is not None and not solving.is_set():
            # one browser round per host at a time: the others wait for its cookies
            # (bounded: a round lost on the way must not hold them for ever)
            try:
                await asyncio.wait_for(solving.wait(), self.max_tries * (self.wait_seconds + self.timeout))
            except asyncio.TimeoutError:
                pass
        if request.meta.get("gxnb_host_generation", 0) < self.generation.get(host, 0):
            return self._plain(request, tries, self.earned.get(host))
        if host in self.failed_hosts or tries >= self.max_tries:
            return self._give_up(request, kind, tries)
        log.info("anti-bot challenge (%s, HTTP %s) at %s: rendering it in the browser (try %d/%d)",
                 kind, response.status, request.url, tries + 1, self.max_tries)
        self.solving[host] = asyncio.Event()
        return self._browser(request, tries + 1, kind)

    def process_exception(self, request, exception, spider=None):
        """A browser round that failed outright (timeout, crash) is a failed try."""
        kind = request.meta.get("gxnb_challenge_browser")
        if not kind:
            return None
        tries = request.meta.get("gxnb_challenge_tries", 1)
        log.warning("browser round %d for %s failed: %r", tries, request.url, exception)
        if tries >= self.max_tries:
            return self._give_up(request, kind, tries)
        return self._browser(request, tries + 1, kind)

    # --- the browser round
    def _browser(self, request, tries: int, kind: str):
        from scrapy_playwright.page import PageMethod

        meta = dict(request.meta)
        meta.update(playwright=True, gxnb_challenge_browser=kind, gxnb_challenge_tries=tries,
                    # the waiting happens inside the page, before scrapy-playwright reads
                    # its content, so a page that keeps reloading cannot trip it up
                    playwright_page_methods=[PageMethod(self._pass_in_page, request.url)],
                    # a picture that never comes must not hold the round: the DOM is enough
                    playwright_page_goto_kwargs={"wait_until": "domcontentloaded"},
                    # the browser keeps its own cookies; Scrapy's Cookie header would
                    # override what the challenge script sets before its reload
                    dont_merge_cookies=True)
        return request.replace(meta=meta, dont_filter=True)

    async def _pass_in_page(self, page, url: str) -> dict:
        """Wait until the challenge script has reloaded the page into real content;
        then hand back the cookies the browser earned. Runs as a page method."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_seconds
        while loop.time() < deadline:
            try:
                state = await page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return {ready: document.readyState,"
                    " status: n && n.responseStatus ? n.responseStatus : 0}; }")
                html = await page.content()
            except Exception:  # navigating right now: look again shortly
                state, html = None, None
            # "interactive" is enough: the cookies are earned once the real page's DOM is
            # there, and a subresource that never answers keeps it from "complete" for ever
            if (state and state["ready"] in ("interactive", "complete") and state["status"]
                    and not challenge_kind(state["status"], html)):
                cookies = await page.context.cookies(url)
                # only the cookies are wanted: leave the page, whose subresources could
                # hold its "load" (which scrapy-playwright waits for) past every timeout
                await _stop_reloading(page)
                return {"passed": True, "cookies": cookies}
            await asyncio.sleep(0.25)
        await _stop_reloading(page)
        return {"passed": False, "cookies": []}

    def _after_browser(self, request, response):
        kind = request.meta["gxnb_challenge_browser"]
        tries = request.meta.get("gxnb_challenge_tries", 1)
        methods = request.meta.get("playwright_page_methods") or []
        result = getattr(methods[0], "result", None) if methods else None
        result = result if isinstance(result, dict) else {"passed": False, "cookies": []}
        if result["passed"] and result["cookies"]:
            self.stats.inc_value("gxnb/challenges_passed")
            host = _host(request.url)
            self.generation[host] = self.generation.get(host, 0) + 1
            log.info("anti-bot challenge (%s) passed at %s; %d cookie(s) carried into plain requests",
                     kind, request.url, len(result["cookies"]))
            jar_cookies = [{"name": c["name"], "value": c["value"], "domain": c["domain"],
                            "path": c.get("path") or "/"} for c in result["cookies"]]
            self.earned[host] = jar_cookies
            self._release(host)
            return self._plain(request, tries, jar_cookies)
        if tries >= self.max_tries:
            return self._give_up(request, kind, tries)
        return self._browser(request, tries + 1, kind)

    def _plain(self, request, tries: int, cookies: list | None = None):
        meta = {k: v for k, v in request.meta.items() if k not in META_KEYS}
        meta["gxnb_challenge_tries"] = tries
        kwargs = {"meta": meta, "dont_filter": True}
        if cookies:
            old = request.cookies if isinstance(request.cookies, list) else [
                {"name": k, "value": v} for k, v in (request.cookies or {}).items()]
            kwargs["cookies"] = old + cookies
        return request.replace(**kwargs)

    def _release(self, host: str):
        if host in self.solving:
            self.solving.pop(host).set()

    def _give_up(self, request, kind: str, tries: int):
        host = _host(request.url)
        if request.meta.get("gxnb_challenge_browser"):  # the host's own round failed
            self.failed_hosts.add(host)
            self._release(host)
        self.stats.inc_value("gxnb/challenges_failed")
        how = (f"after {tries} browser tr{'y' if tries == 1 else 'ies'}" if tries
               else "(the browser already failed on this host)")
        msg = f"anti-bot challenge ({kind}) not passed at {request.url} {how}; giving up on this request"
        log.error(msg)
        raise IgnoreRequest(msg)


async def _stop_reloading(page, tries: int = 20) -> None:
    """Leave a page that keeps reloading on about:blank, so that its content can be read
    and the page closed while nothing navigates: scrapy-playwright reading a page in the
    middle of a navigation fails the round, and closing the page then could hang the
    crawl for good on a busy machine. A reload the challenge script started can interrupt
    the first goto; it is tried again until the blank page holds."""
    for _ in range(tries):
        try:
            await page.goto("about:blank")
            await page.content()  # raises while a navigation is still under way
            return
        except Exception:
            await asyncio.sleep(0.1)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
