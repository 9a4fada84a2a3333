"""Anti-bot challenges: the replica's 瑞数 (412), 加速乐 (521) and WZWS (200 page) challenges
stop plain clients; every spider gets through them by rendering one request in Chromium
and carrying the earned cookies into plain requests; a challenge that never passes ends
in a clear error after a bounded number of tries; the crawl stats count browser use."""
from __future__ import annotations

import pickle
import re
import urllib.error
import urllib.request

import pytest

from gxnb_spiders.antibot import challenge_kind
from replicas import challenges
from replicas.server import all_sites
from replicas.sites import shifanqu
from conftest import needs_chromium
from crawling import crawl_env, run_crawl, serve

HOME = f"http://{shifanqu.HOST}/"


def get(proxy: str, url: str, cookies: dict | None = None) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))
    req = urllib.request.Request(url)
    if cookies:
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def what_the_script_computes(page: str) -> str:
    """The cookie value the challenge page's script would set (as a browser runs it)."""
    token = re.search(r"var t='([^']+)'", page).group(1)
    return f"{token}.{challenges._fold(token)}"


# --- recognising a challenge
def test_challenge_kind():
    assert challenge_kind(412, "") == "ruishu"
    assert challenge_kind(521, "<script>document.cookie=…</script>") == "jiasule"
    assert challenge_kind(200, "<p>请开启JavaScript并刷新该页.</p>") == "wzws"
    shell = "<html><script>document.cookie='a='+f();location.reload()</script></html>"
    assert challenge_kind(200, shell) == "script"
    # a real page that happens to set a cookie and redirect in a script is content
    real = "<html><script>document.cookie='x=1';location.href='/'</script><p>" + "政府信息公开" * 100 + "</p></html>"
    assert challenge_kind(200, real) is None
    assert challenge_kind(200, "<html><body>莱阳市人民政府</body></html>") is None
    assert challenge_kind(404, None) is None


# --- the replica's challenges
@pytest.mark.parametrize("kind, status", [("ruishu", 412), ("jiasule", 521), ("wzws", 200)])
def test_plain_clients_stay_stuck_and_script_value_passes(kind, status):
    srv = serve(*all_sites(), filters=[challenges.Challenge(kind, [shifanqu.HOST])])
    try:
        code, page = get(srv.url, HOME)
        assert code == status and "要闻动态" not in page
        assert challenge_kind(code, page) is not None
        code, again = get(srv.url, HOME, {challenges.KINDS[kind][1]: "guessed.value"})
        assert code == status and "要闻动态" not in again
        # the value the page's script computes is what opens the portal
        code, home = get(srv.url, HOME, {challenges.KINDS[kind][1]: what_the_script_computes(page)})
        assert code == 200 and "要闻动态" in home and challenge_kind(code, home) is None
        # other hosts are not challenged
        assert get(srv.url, "http://www.dt.gov.cn/")[0] == 200
    finally:
        srv.stop()


def test_never_passing_challenge_refuses_even_the_computed_value():
    srv = serve(*all_sites(), filters=[challenges.Challenge("ruishu", [shifanqu.HOST], never=True)])
    try:
        code, page = get(srv.url, HOME)
        token = re.search(r"var t='([^']+)'", page).group(1)
        value = f"{token}.{challenges._fold(token)}"
        assert get(srv.url, HOME, {challenges.KINDS["ruishu"][1]: value})[0] == 412
    finally:
        srv.stop()


def test_challenges_switched_by_spec():
    found = challenges.parse_spec("ruishu:www.dt.gov.cn,jiasule:www.laiyang.gov.cn|laiyang.gov.cn,never-wzws:*")
    assert [(c.kind, sorted(c.hosts), c.never) for c in found] == [
        ("ruishu", ["www.dt.gov.cn"], False),
        ("jiasule", ["laiyang.gov.cn", "www.laiyang.gov.cn"], False),
        ("wzws", [], True),
    ]
    with pytest.raises(ValueError):
        challenges.parse_spec("cloudflare:x")


# --- crawls through challenges (Chromium)
def crawl(srv, tmp_path, spider: str, *args: str, exit_status: int = 0) -> tuple[list[dict], dict, str]:
    out = tmp_path / f"{spider}.pickle"
    env = crawl_env(srv.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
    proc = run_crawl(spider, env, "-s", "ITEM_PIPELINES={}", "-s", "DOWNLOAD_TIMEOUT=30",
                     "-s", "GXNB_CHALLENGE_WAIT=5", "-o", f"{out}:pickle", *args)
    assert proc.returncode == exit_status, proc.stderr[-3000:]
    items = []
    if out.exists():
        with open(out, "rb") as f:
            while True:
                try:
                    items.append(pickle.load(f))
                except EOFError:
                    break
    stats = {k: float(v) for k, v in re.findall(r"'(gxnb/[^']*)': ([\d.]+)", proc.stderr)}
    return items, stats, proc.stderr


def test_a_crawl_without_challenges_never_starts_the_browser(tmp_path):
    # scrapy-playwright's handler (and its Node driver) is created on the first request
    # that needs Chromium (gxnb_spiders/browser.py); a plain portal never makes one
    from replicas.sites.dt import SITE as DT

    srv = serve(*all_sites())
    try:
        items, stats, log = crawl(srv, tmp_path, "dt", "-a", "years=2022")
    finally:
        srv.stop()
    assert {i["url"] for i in items} == {r.url for r in DT.reports if r.year == 2022}
    assert stats.get("gxnb/browser_requests", 0) == 0
    assert "[scrapy-playwright]" not in log


@needs_chromium
def test_site_spiders_pass_ruishu_and_jiasule(tmp_path):
    from replicas.sites.dt import SITE as DT
    from replicas.sites.laiyang import SITE as LAIYANG

    ruishu = challenges.Challenge("ruishu", ["www.dt.gov.cn"])
    jiasule = challenges.Challenge("jiasule", ["www.laiyang.gov.cn"])
    srv = serve(*all_sites(), filters=[ruishu, jiasule])
    try:
        for spider, site, challenge, urls in (
                ("dt", DT, ruishu, lambda s: {r.url for r in s.reports if r.year == 2022}),
                ("laiyang", LAIYANG, jiasule,
                 lambda s: {f"http://www.laiyang.gov.cn{r.page}" for r in s.reports if r.year == 2022})):
            items, stats, log = crawl(srv, tmp_path, spider, "-a", "years=2022")
            assert {i["url"] for i in items} == urls(site), spider
            # one browser round for the whole host (requests already in flight wait for
            # its cookies); every later request plain and let through on those cookies
            assert stats["gxnb/challenges_passed"] == 1 and stats["gxnb/browser_requests"] == 1, spider
            assert stats.get("gxnb/challenges_failed", 0) == 0
            assert challenge.passed >= stats["gxnb/plain_requests"] - stats["gxnb/challenges_seen"]
            share = stats["gxnb/browser_requests"] / (stats["gxnb/browser_requests"] + stats["gxnb/plain_requests"])
            assert stats["gxnb/browser_share"] == round(share, 4) and share < 0.2
            assert f"anti-bot challenge ({challenge.kind}) passed at" in log
    finally:
        srv.stop()


@needs_chromium
def test_generic_spider_passes_a_wzws_page(tmp_path):
    wzws = challenges.Challenge("wzws", [shifanqu.HOST])
    srv = serve(*all_sites(), filters=[wzws])
    try:
        items, stats, log = crawl(srv, tmp_path, "generic", "-a", f"url={HOME}")
        assert sorted(i["year"] for i in items) == list(shifanqu.YEARS)
        assert all("请开启JavaScript" not in i["body"].decode("utf-8") for i in items)
        # one round for the challenge, one for the script-written list
        assert stats["gxnb/challenges_passed"] == 1 and stats["gxnb/browser_requests"] == 2
        assert stats["gxnb/challenges_seen/wzws"] >= 1
    finally:
        srv.stop()


@needs_chromium
def test_never_ending_challenge_ends_in_a_clear_error(tmp_path):
    never = challenges.Challenge("ruishu", ["www.dt.gov.cn"], never=True)
    srv = serve(*all_sites(), filters=[never])
    try:
        items, stats, log = crawl(srv, tmp_path, "dt", "-a", "years=2022",
                                  "-s", "GXNB_CHALLENGE_MAX_TRIES=2", "-s", "GXNB_CHALLENGE_WAIT=2",
                                  exit_status=1)  # nothing stored: the run fails its monitors, saying why
        assert items == []
        assert "FAILED: an anti-bot challenge was not passed" in log
        assert re.search(r"ERROR: anti-bot challenge \(ruishu\) not passed at http://www\.dt\.gov\.cn/\S+ "
                         r"after 2 browser tries", log)
        # bounded: two browser rounds for the host, then every challenged request given up
        assert stats["gxnb/browser_requests"] == 2
        assert stats["gxnb/challenges_failed"] == stats["gxnb/challenges_seen"] >= 1
        assert "'finish_reason': 'finished'" in log
        assert never.passed == 0
    finally:
        srv.stop()


@needs_chromium
def test_a_challenge_passes_though_the_portals_page_has_a_picture_never_answered(tmp_path):
    # the challenge reloads into the real home page, whose picture never comes: its DOM is
    # there and the cookie earned, so the round passes; waiting for the page's "load"
    # would fail every round and lose the portal
    from replicas.faults import Fault, FaultInjector

    wzws = challenges.Challenge("wzws", [shifanqu.HOST])
    stall = FaultInjector([Fault("stalled_subresource", path=r"^/(index\.html)?$", host=shifanqu.HOST)])
    srv = serve(*all_sites(), filters=[wzws, stall])
    try:
        items, stats, log = crawl(srv, tmp_path, "generic", "-a", f"url={HOME}")
        assert stall.held, log[-3000:]  # Chromium did ask for the picture
        assert sorted(i["year"] for i in items) == list(shifanqu.YEARS), log[-3000:]
        assert stats["gxnb/challenges_passed"] == 1 and stats.get("gxnb/challenges_failed", 0) == 0
    finally:
        stall.release()
        srv.stop()
