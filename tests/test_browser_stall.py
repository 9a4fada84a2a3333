"""A page whose HTML arrives but one of whose subresources is never answered.

The replica's ``stalled_subresource`` fault adds to the seed-003 portal's script-written
list (the one page the generic spider renders in Chromium) a picture or a script on its
own host that the server never answers, the connection held open. What a user expects:
the crawl ends, and nothing is lost —

- a picture that never comes leaves the DOM ready and the page's own scripts run (the
  list is written from JSON): the page is read as it stands, the stalled picture named in
  a warning, every report collected, nothing given up;
- a script in the head that never comes leaves the DOM never ready: the request is given
  up (``GXNB_BROWSER_TIMEOUT`` or Playwright's navigation timeout, whichever comes first),
  retried, counted as a browser time-out with a message naming the page, and the reports
  a retry reaches are all stored.

Each crawl waits for its own end (the process exiting), never for a fixed time.
"""
from __future__ import annotations

import re

from conftest import needs_chromium
from crawling import crawl_env, run_crawl, serve
from replicas.faults import STALLED_PATH, Fault, FaultInjector
from replicas.server import all_sites
from replicas.sites import shifanqu
from test_browser_timeout import stored_browser_timeouts
from test_generic import read_items, stats_of

HOME = f"http://{shifanqu.HOST}/"
LIST = f"http://{shifanqu.HOST}/zfxxgk/xxgkml/ndbg/index.html"


def crawl(tmp_path, resource: str, burst: int | None, *settings: str):
    """The generic spider on the portal whose list page asks for a subresource never
    answered → (exit status, items, stats, log, injector)."""
    stall = FaultInjector([Fault("stalled_subresource", path=r"/ndbg/index\.html$", host=shifanqu.HOST,
                                 burst=burst, resource=resource)])
    srv = serve(*all_sites(), filters=[stall])
    try:
        out = tmp_path / "items.pickle"
        env = crawl_env(srv.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
        args = [a for s in settings for a in ("-s", s)]
        proc = run_crawl("generic", env, "-a", f"url={HOME}", "-s", "RETRY_TIMES=1", *args,
                         "-o", f"{out}:pickle", timeout=240)
    finally:
        stall.release()  # the held connections end, so the server stops at once
        srv.stop()
    return proc.returncode, read_items(out), stats_of(proc.stderr), proc.stderr, stall


@needs_chromium
def test_a_picture_never_answered_leaves_the_page_read_as_it_stands(tmp_path):
    status, items, stats, log, stall = crawl(tmp_path, "img", None, "GXNB_BROWSER_TIMEOUT=40")
    assert status == 0, log[-3000:]
    assert stall.held and all(STALLED_PATH in u for u in stall.held)  # Chromium did ask for it
    assert sorted(i["year"] for i in items) == list(shifanqu.YEARS), log[-3000:]
    assert stats.get("gxnb/browser_timeouts", 0) == 0 and stats["gxnb/browser_requests"] == 1
    assert stats["gxnb/browser_stalled_subresources"] == 1
    assert re.search(rf"WARNING: .*{re.escape(LIST)} read as it stood: 1 subresource never answered "
                     rf".*{re.escape(STALLED_PATH)}stalled\.gif", log), log[-3000:]
    assert stored_browser_timeouts(tmp_path) == [0]


@needs_chromium
def test_a_script_never_answered_is_given_up_retried_and_the_rest_collected(tmp_path):
    # the list page's first two answers ask for the script: the plain fetch (which does
    # not ask) and the first rendering, given up; the retry renders the list
    status, items, stats, log, stall = crawl(tmp_path, "script", 2, "GXNB_BROWSER_TIMEOUT=6")
    assert status == 0, log[-3000:]
    assert len(stall.held) == 1
    assert sorted(i["year"] for i in items) == list(shifanqu.YEARS)
    assert stats["gxnb/browser_timeouts"] == 1 and stats["gxnb/browser_requests"] == 2
    assert f"the browser gave up on {LIST} after 6 s (GXNB_BROWSER_TIMEOUT)" in log
    assert "browser pages timed out 1" in log
    assert stored_browser_timeouts(tmp_path) == [1]


@needs_chromium
def test_playwrights_navigation_timeout_is_a_browser_timeout_too(tmp_path):
    # GXNB_BROWSER_TIMEOUT longer than Playwright's navigation timeout (as by default,
    # 120 s against 30 s): the navigation gives up first, and that is the same event,
    # retried, counted and said the same way, never a raw Playwright error
    status, items, stats, log, stall = crawl(tmp_path, "script", None, "GXNB_BROWSER_TIMEOUT=120",
                                             "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT=4000")
    assert status == 1, log[-3000:]  # nothing found: the run fails its monitors, saying why
    assert items == []
    assert len(stall.held) == 2  # the try and its one retry
    assert stats["gxnb/browser_timeouts"] == 2 and stats["gxnb/browser_requests"] == 2
    assert re.search(rf"ERROR: .*{re.escape(LIST)}.*the browser gave up on {re.escape(LIST)} after 4 s "
                     rf"\(Playwright's navigation timeout, PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT\)", log), log[-3000:]
    assert "Timeout 4000ms exceeded" not in log.split("ERROR", 1)[-1].splitlines()[0]
    assert "browser pages timed out 2" in log
    assert stored_browser_timeouts(tmp_path) == [2]
    assert ("FAILED: pages rendered in the browser never finished (2 given up after Playwright's navigation "
            "timeout (PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT)") in log


@needs_chromium
def test_settle_with_no_time_at_all_still_ends_and_names_the_stalled_picture():
    # GXNB_BROWSER_TIMEOUT=0 gives Settle 0 s: Playwright would read a timeout of 0 as none
    # and wait for the quiet network for ever; the page is read as it stands instead
    import asyncio

    from playwright.async_api import async_playwright

    from gxnb_spiders.browser import Settle

    stall = FaultInjector([Fault("stalled_subresource", path=r"/ndbg/index\.html$", host=shifanqu.HOST)])
    srv = serve(*all_sites(), filters=[stall])

    async def read() -> tuple[list[str], str]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"],
                                              proxy={"server": srv.url})
            page = await browser.new_page()
            await page.goto(LIST, wait_until="domcontentloaded")
            stalled = await Settle(0)(page)
            await page.wait_for_load_state("load")  # comes once the picture is taken out
            await page.wait_for_selector("#list[data-loaded]", state="attached")  # the script's list
            html = await page.content()
            await browser.close()
            return stalled, html

    try:
        stalled, html = asyncio.run(read())
    finally:
        stall.release()
        srv.stop()
    assert stalled == [f"http://{shifanqu.HOST}{STALLED_PATH}stalled.gif"]
    assert all(str(year) in html for year in shifanqu.YEARS)
