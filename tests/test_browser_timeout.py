"""A page that never finishes in the browser does not hang the crawl.

The replica's ``busy_script`` fault gives the script-written list of the seed-003 portal
(the one page the generic spider renders in Chromium) a loop that starts once the page
has loaded: Playwright's navigation timeout never fires, and reading the page
(``page.content()``) waits for ever. With ``GXNB_BROWSER_TIMEOUT`` the request is given
up after that many seconds, counted, retried like any timeout, and the crawl ends.
"""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess

from conftest import needs_chromium
from crawling import FAST, ROOT, SCRAPY, crawl_env, run_crawl, serve
from replicas.faults import Fault, FaultInjector
from replicas.server import all_sites
from replicas.sites import shifanqu
from test_generic import read_items, stats_of

HOME = f"http://{shifanqu.HOST}/"
LIST = f"http://{shifanqu.HOST}/zfxxgk/xxgkml/ndbg/index.html"
TIMEOUT = 5  # seconds: short, so each given-up page costs the test little


def crawl(tmp_path, burst: int | None):
    """The generic spider on the portal whose list page runs a never-ending script (every
    time, or for its first ``burst`` answers) → (exit status, items, stats, log, injector)."""
    busy = FaultInjector([Fault("busy_script", path=r"/ndbg/index\.html$", host=shifanqu.HOST, burst=burst)])
    srv = serve(*all_sites(), filters=[busy])
    try:
        out = tmp_path / "items.pickle"
        env = crawl_env(srv.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
        proc = run_crawl("generic", env, "-a", f"url={HOME}", "-s", f"GXNB_BROWSER_TIMEOUT={TIMEOUT}",
                         "-s", "RETRY_TIMES=1", "-o", f"{out}:pickle", timeout=150)
    finally:
        srv.stop()
    return proc.returncode, read_items(out), stats_of(proc.stderr), proc.stderr, busy


def stored_browser_timeouts(tmp_path) -> list:
    """The ``runs`` rows' browser time-outs, as the crawl stored them."""
    with sqlite3.connect(tmp_path / "gxnb.sqlite") as conn:
        return [n for (n,) in conn.execute("SELECT browser_timeouts FROM runs ORDER BY id")]


@needs_chromium
def test_a_page_given_up_in_the_browser_is_retried_and_the_rest_collected(tmp_path):
    # the list page's first two answers loop for ever: the plain fetch (no browser runs
    # the script: nothing happens) and the first rendering, which is given up; the retry
    # renders the list and every report is collected
    status, items, stats, log, busy = crawl(tmp_path, burst=2)
    assert status == 0, log[-3000:]
    assert busy.injected["busy_script"] == 2
    assert sorted(i["year"] for i in items) == list(shifanqu.YEARS)
    assert stats["gxnb/browser_timeouts"] == 1 and stats["gxnb/browser_requests"] == 2
    assert f"the browser gave up on {LIST} after {TIMEOUT} s (GXNB_BROWSER_TIMEOUT)" in log
    assert "browser pages timed out 1" in log  # the crawl's summary line
    assert "'finish_reason': 'finished'" in log
    assert stored_browser_timeouts(tmp_path) == [1]  # and its row in `runs`


@needs_chromium
def test_a_page_that_never_finishes_in_the_browser_ends_in_a_clear_error(tmp_path):
    status, items, stats, log, busy = crawl(tmp_path, burst=None)
    assert status == 1, log[-3000:]  # nothing found: the run fails its monitors, saying why
    assert items == []
    # given up twice (the try and its one retry), then the page's error, naming it
    assert stats["gxnb/browser_timeouts"] == 2 and stats["gxnb/browser_requests"] == 2
    assert re.search(rf"ERROR: .*{re.escape(LIST)}.*the browser gave up on {re.escape(LIST)} "
                     rf"after {TIMEOUT} s \(GXNB_BROWSER_TIMEOUT\)", log), log[-3000:]
    assert "browser pages timed out 2" in log
    assert stored_browser_timeouts(tmp_path) == [2]
    assert "FAILED: pages rendered in the browser never finished (2 given up after GXNB_BROWSER_TIMEOUT" in log
    assert "'finish_reason': 'finished'" in log


@needs_chromium
def test_a_page_waiting_for_the_browser_behind_a_stuck_one_is_not_given_up(tmp_path):
    # one browser page for the crawl: the busy list page holds it until it is given up
    # (TIMEOUT), the calm home page waits for it meanwhile; its deadline starts when it
    # has the page, so it is read at once then, not given up for the wait
    busy = FaultInjector([Fault("busy_script", path=r"/ndbg/index\.html$", host=shifanqu.HOST)])
    srv = serve(*all_sites(), filters=[busy])
    out = tmp_path / "items.jsonl"
    try:
        env = crawl_env(srv.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
        proc = subprocess.run([SCRAPY, "runspider", str(ROOT / "tests" / "queued_pages_spider.py"), *FAST,
                               "-a", f"busy={LIST}", "-a", f"calm={HOME}",
                               "-s", "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT=1", "-s", f"GXNB_BROWSER_TIMEOUT={TIMEOUT}",
                               "-s", "RETRY_TIMES=0", "-s", "ITEM_PIPELINES={}", "-o", f"{out}:jsonl"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
    finally:
        srv.stop()
    log = proc.stderr
    assert busy.injected["busy_script"] == 1, log[-3000:]
    assert f"the browser gave up on {LIST} after {TIMEOUT} s" in log, log[-3000:]
    assert not re.search(rf"gave up on {re.escape(HOME)}[ :]", log), log[-3000:]
    assert stats_of(log)["gxnb/browser_timeouts"] == 1, log[-3000:]
    items = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    assert [i["url"] for i in items] == [HOME], log[-3000:]
