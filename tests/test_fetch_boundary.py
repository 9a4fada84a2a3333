"""Spiders only fetch; reading (and deciding which linked document to read) happens in the
worker processes, under their limits (issue 13 rows 4 and 6, issue 14 item 1).

One crawl of a small hostile portal (``scrapy crawl generic``, a subprocess, through the
replica server):

- a 10 KB report page of 300 ``<td rowspan=200 colspan=200>`` cells (expanded, gigabytes)
  that links the report's real PDF. The crawling process must never parse it: its own
  peak memory stays that of a crawl (before the change: 1.4 GB, then out of address space),
  the page is read in a worker (under its time and memory limits), and the report is then
  read from its PDF, fetched through Scrapy.
- a report page with no tables whose only attachment URL is longer than 2,083 characters
  (Scrapy's URLLENGTH_LIMIT): the report is still stored, with a finding naming the URL,
  and an ERROR is logged.
"""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawling import FAST, ROOT, crawl_env, serve
from replicas.server import Response, Site

FIXTURES = Path(__file__).parent / "fixtures"
RECORDS = ROOT / "replicas" / "data" / "records"
TABLES = ("active_disclosure", "applications", "review_litigation")
HOST = "www.hostile.test"
BOMB_PAGE = f"http://{HOST}/ndbg/bomb.html"
BOMB_PDF = f"http://{HOST}/files/report-2023.pdf"
LONG_PAGE = f"http://{HOST}/ndbg/long.html"
LONG_PDF = f"http://{HOST}/files/{'a' * 2100}.pdf"
TIMEOUT = 3  # GXNB_EXTRACT_TIMEOUT for this crawl
# the crawling process's own ceiling: far above a crawl (~150-250 MB), far below what
# expanding the bomb takes (2.5 GB); also keeps a regression from taking the machine
ADDRESS_SPACE = 1536 << 20
PEAK_RSS_LIMIT_KB = 700 << 10


def bomb_page() -> str:
    cells = "".join("<td rowspan=200 colspan=200>1</td>" for _ in range(300))
    return (f"<html><head><title>某局2023年政府信息公开工作年度报告</title></head><body>"
            f"<h1>某局2023年政府信息公开工作年度报告</h1><div id='zoom'><table><tr>{cells}</tr></table>"
            f"<p>附件：<a href='/files/report-2023.pdf'>某局2023年政府信息公开工作年度报告.pdf</a></p>"
            f"</div></body></html>")


class HostileSite(Site):
    name = "hostile"
    hosts = (HOST,)

    def handle(self, req):
        if req.path == "/":
            return Response(body="<html><body><ul>"
                                 "<li><a href='/ndbg/bomb.html'>某局2023年政府信息公开工作年度报告</a> 2024-01-20</li>"
                                 "<li><a href='/ndbg/long.html'>某局2022年政府信息公开工作年度报告</a> 2023-01-20</li>"
                                 "</ul></body></html>")
        if req.path == "/ndbg/bomb.html":
            return Response(body=bomb_page())
        if req.path == "/ndbg/long.html":
            return Response(body=f"<html><body><h1>某局2022年政府信息公开工作年度报告</h1><p>详见附件。</p>"
                                 f"<a href='{LONG_PDF}'>年度报告.pdf</a></body></html>")
        if req.path == "/files/report-2023.pdf":
            return Response(body=(FIXTURES / "seed_000.pdf").read_bytes(), content_type="application/pdf")
        return None


# run scrapy with an address-space ceiling, and report the process's own peak RSS
# (VmHWM of its own memory: the worker processes are not counted; not RUSAGE_SELF, whose
# ru_maxrss Linux carries over an execve from the forking process, here pytest, which may be
# large by then) on the way out
WRAPPER = """
import atexit, re, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
def peak():
    status = open("/proc/self/status").read()
    sys.stderr.write("CRAWL_PEAK_RSS_KB %s\\n" % re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))
atexit.register(peak)
from scrapy.cmdline import execute
execute(["scrapy"] + sys.argv[2:])
"""


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    srv = serve(HostileSite())
    db = tmp / "gxnb.sqlite"
    env = crawl_env(srv.url, f"sqlite:///{db}", tmp / "raw", GXNB_EXTRACT_WORKERS=1,
                    GXNB_EXTRACT_TIMEOUT=TIMEOUT)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", WRAPPER, str(ADDRESS_SPACE), "crawl", "generic", *FAST,
             "-a", f"url=http://{HOST}/"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    finally:
        srv.stop()
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT r.url, v.record, v.source FROM reports r JOIN revisions v ON v.id = r.current_revision_id"
        ).fetchall()
    stored = {url: (json.loads(record) if isinstance(record, str) else record, source)
              for url, record, source in rows}
    return dict(proc=proc, stored=stored, hits=list(srv.hits))


def test_a_hostile_page_is_never_parsed_in_the_crawling_process(hostile_crawl):
    proc = hostile_crawl["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    peak = int(re.search(r"CRAWL_PEAK_RSS_KB (\d+)", proc.stderr).group(1))
    assert peak < PEAK_RSS_LIMIT_KB, f"the crawling process peaked at {peak // 1024} MiB"
    # the page was read in a worker (stopped at the time limit where the grid is slow to
    # expand), found without tables, and its PDF then fetched through Scrapy and read
    assert BOMB_PDF in hostile_crawl["hits"]
    record, source = hostile_crawl["stored"][BOMB_PAGE]
    assert source == BOMB_PDF
    seed = json.loads((RECORDS / "seed_000.json").read_text("utf-8"))
    assert all(record[t] == seed[t] for t in TABLES)


def test_an_attachment_url_over_the_length_limit_is_a_finding_not_a_lost_report(hostile_crawl):
    proc = hostile_crawl["proc"]
    record, source = hostile_crawl["stored"][LONG_PAGE]  # stored
    assert source == "html" and record["status"] == "unparsed"
    [finding] = [f for f in record["findings"] if f["rule"] == "attachment_unavailable"]
    assert LONG_PDF in finding["message"] and "URLLENGTH_LIMIT" in finding["message"]
    assert any("ERROR" in line and LONG_PDF in line for line in proc.stderr.splitlines())
    assert not [h for h in hostile_crawl["hits"] if "/files/aaaa" in h]  # never requested
