"""`scrapy check`: every site spider's list callback, on its first list page of the replicas."""
from __future__ import annotations

import subprocess

from crawling import FAST, ROOT, SCRAPY, crawl_env, serve
from replicas.server import Response, all_sites


def check(proxy, tmp_path, *args):
    env = crawl_env(proxy, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
    return subprocess.run([SCRAPY, "check", *FAST, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_every_site_spider_passes_its_contracts(tmp_path, replica):
    listed = subprocess.run([SCRAPY, "check", "-l"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert listed.stdout.split() == ["dt", "*", "parse_list", "laiyang", "*", "parse_list", "lyghz", "*",
                                     "parse_list", "muping", "*", "parse_list"]
    res = check(replica.url, tmp_path, "-v")  # FAST adds the replicas' synthetic spider
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Ran 5 contracts" in res.stderr and "\nOK" in res.stderr
    assert not (tmp_path / "gxnb.sqlite").exists()  # a check stores nothing


def column_moved(req, nxt):
    """The column's first page answers, but its reports have moved elsewhere."""
    if "/gkndbgz/index" in req.path:
        return Response(200, "<html><body><p>本栏目已迁移</p></body></html>")
    return nxt(req)


def test_a_list_that_moved_fails_the_check(tmp_path):
    srv = serve(*[s for s in all_sites() if s.name == "dt"], filters=[column_moved])
    try:
        res = check(srv.url, tmp_path, "dt")
    finally:
        srv.stop()
    assert res.returncode != 0
    assert "FAIL: [dt] parse_list (@follows post-hook)" in res.stderr
    assert "0 requests to parse_report, expected at least 1" in res.stderr
