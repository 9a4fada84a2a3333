"""Scheduled runs end to end: two `scrapy crawlall` runs of a replica portal that changes
between them (a new year, a revised report, a report gone from the list), the diff report
over them, and the incremental crawl that downloads nothing it already has."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from replicas.changes import EvolvingSite
from replicas.server import ReplicaServer
from crawling import FAST, ROOT, SCRAPY, crawl_env
from gxnb_spiders import incremental
from gxnb_spiders.platforms.base import ReportSpider
from gxnb_spiders.run import RunContext


def _store_ready() -> bool:
    try:
        from pipelines.store import Store  # noqa: F401
    except ImportError:
        return False
    return True


# the end-to-end tests need the database (pipelines.store), built alongside
needs_store = pytest.mark.skipif(not _store_ready(), reason="pipelines.store.Store not available")


class Portal(ReportSpider):
    name = "portal"


def spider_knowing(known: dict, **args) -> Portal:
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(Portal)
    spider = Portal.from_crawler(crawler, **args)
    RunContext.of(crawler).known["portal"] = known  # what the store said at the start of the run
    return spider


def test_known_unchanged_report_is_not_requested_but_seen():
    spider = spider_knowing({"http://p/a.html": {"listed_date": "2024-01-17"}})
    assert spider.report_request("http://p/a.html", title="2023年年度报告", listed_date="2024-01-17") is None
    assert spider.report_request("http://p/b.html", title="2023年年度报告", listed_date="2024-01-17") is not None
    assert RunContext.of(spider.crawler).seen_urls == {"http://p/a.html", "http://p/b.html"}


def test_redated_or_retitled_report_is_requested_again():
    known = {"http://p/a.html": {"listed_date": "2024-01-17", "title": "2023年年度报告"}}
    assert spider_knowing(known).report_request(
        "http://p/a.html", title="2023年年度报告", listed_date="2024-02-01") is not None
    assert spider_knowing(known).report_request(
        "http://p/a.html", title="2023年年度报告（修订）", listed_date="2024-01-17") is not None


def test_full_downloads_everything():
    spider = spider_knowing({"http://p/a.html": {"listed_date": "2024-01-17"}}, full="1")
    assert spider.report_request("http://p/a.html", title="2023年年度报告", listed_date="2024-01-17") is not None


def test_only_complete_runs_may_mark_reports_gone():
    assert incremental.complete_listing(Portal(), "finished", {})
    assert not incremental.complete_listing(Portal(), "shutdown", {})
    assert not incremental.complete_listing(Portal(years="2023"), "finished", {})
    assert not incremental.complete_listing(Portal(body="莱阳"), "finished", {})
    assert not incremental.complete_listing(Portal(), "finished", {"gxnb/errors": 1})


def scrapy(proxy: str, tmp: Path, *args: str, env: dict | None = None, timeout=240) -> subprocess.CompletedProcess:
    """Run ``scrapy <args>`` as a subprocess against the replicas at ``proxy``, with its
    database and raw archive under ``tmp`` (crawls with the quick test settings)."""
    full_env = crawl_env(proxy, f"sqlite:///{tmp / 'gxnb.sqlite'}", tmp / "raw")
    full_env.update(env or {})
    cmd = [SCRAPY, *args] + (FAST if args and args[0] in ("crawl", "crawlall") else [])
    return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout)


def crawlall(proxy: str, tmp: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return scrapy(proxy, tmp, "crawlall", "--spiders", "synthetic", *args, **kw)


@pytest.fixture
def evolving():
    """The synthetic portal with 6 reports: body 0 on 2021–2024, body 1 on 2021–2022."""
    site = EvolvingSite(6)
    with ReplicaServer([site]) as srv:
        yield site, srv


def report_pages(srv: ReplicaServer, since: int = 0) -> list[str]:
    """Report pages asked for after the first ``since`` requests (list pages excluded)."""
    return [u for u in srv.hits[since:] if "/index" not in u and u.endswith(".html")]


@needs_store
def test_two_crawls_and_the_diff_report(evolving, tmp_path):
    site, srv = evolving
    first = crawlall(srv.url, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert sorted(report_pages(srv)) == sorted(site.report_url(i) for i in range(6))

    # nothing changed: the list pages are read again, no report page is
    mark = len(srv.hits)
    second = crawlall(srv.url, tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert any("/index" in u for u in srv.hits[mark:])
    assert report_pages(srv, mark) == []
    assert "unchanged 6" in second.stderr

    # overnight: body 1 publishes 2023, body 0's 2022 report is revised (and re-dated on
    # the list), body 0's 2023 report leaves the list
    site.publish(7)
    site.revise(1, "active_disclosure.licensing.decisions", 17, listed_date="2025-03-01")
    site.unlist(2)
    mark = len(srv.hits)
    third = crawlall(srv.url, tmp_path)
    assert third.returncode == 0, third.stderr[-3000:]
    assert sorted(report_pages(srv, mark)) == sorted([site.report_url(6), site.report_url(1)])

    run = scrapy(srv.url, tmp_path, "diffreport", "--format", "json", "--today", "2025-03-01")
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["counts"] == {"new_years": 1, "revised": 1, "disappeared": 1, "overdue": 1,
                                "new_findings": 0}
    (new,) = report["new_years"]
    assert (new["body"], new["year"], new["published_date"], new["on_time"]) == (
        "西城区人民政府办公室", 2023, "2024-01-15", True)
    (revised,) = report["revised"]
    assert revised["url"] == site.report_url(1)
    assert [(c["cell"], c["old"], c["new"]) for c in revised["cells"]] == [
        ("active_disclosure.licensing.decisions", 1, 17)]
    (gone,) = report["disappeared"]
    assert gone["url"] == site.report_url(2)
    (late,) = report["overdue"]
    assert (late["body"], late["missing_years"]) == ("西城区人民政府办公室", [2024])

    # the Markdown form says the same, and a full crawl downloads everything again
    md = scrapy(srv.url, tmp_path, "diffreport", "--today", "2025-03-01").stdout
    assert "active_disclosure.licensing.decisions: 1 → 17" in md
    mark = len(srv.hits)
    full = crawlall(srv.url, tmp_path, "-a", "full=1")
    assert full.returncode == 0, full.stderr[-3000:]
    assert len(report_pages(srv, mark)) == 6  # every listed report (the unlisted one is not)


@needs_store
def test_narrowed_run_marks_nothing_gone(evolving, tmp_path):
    site, srv = evolving
    assert crawlall(srv.url, tmp_path).returncode == 0
    site.unlist(0)
    run = crawlall(srv.url, tmp_path, "-a", "years=2024")
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(scrapy(srv.url, tmp_path, "diffreport", "--format", "json",
                               "--today", "2025-03-01").stdout)
    assert report["disappeared"] == []
