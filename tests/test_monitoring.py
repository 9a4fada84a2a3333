"""Monitoring of scheduled runs: a run that finds nothing or logs too many errors ends
with a non-zero exit status and says why."""
from __future__ import annotations

from replicas.changes import EvolvingSite
from replicas.faults import Fault, FaultInjector
from replicas.server import ReplicaServer
from test_incremental import crawlall


def test_run_that_finds_no_report_fails(tmp_path):
    with ReplicaServer([EvolvingSite(0)]) as srv:  # the column lists nothing
        run = crawlall(srv.url, tmp_path, *EXTRACT_ONLY)
    assert run.returncode != 0, run.stderr[-3000:]
    assert "FAILED: stored no item and saw no known report" in run.stderr


def test_run_with_errors_over_the_threshold_fails(tmp_path):
    site = EvolvingSite(4)
    with ReplicaServer([site]) as srv:
        srv.filters.append(FaultInjector([Fault("status", path=r"/t\d+_\d+\.html$", status=500)]))
        run = crawlall(srv.url, tmp_path, *EXTRACT_ONLY, env={"GXNB_MAX_ERRORS": "2"})
    assert run.returncode != 0
    assert "errors logged, more than GXNB_MAX_ERRORS=2" in run.stderr


# the monitors are about the crawl, not the database: extraction and validation only
EXTRACT_ONLY = ["-s", 'ITEM_PIPELINES={"gxnb_spiders.item_pipelines.ExtractPipeline": 300}']


def test_healthy_run_passes(tmp_path):
    with ReplicaServer([EvolvingSite(4)]) as srv:
        run = crawlall(srv.url, tmp_path, *EXTRACT_ONLY,
                       env={"GXNB_MAX_ERRORS": "0", "GXNB_MAX_INVALID_SHARE": "0"})
    assert run.returncode == 0, run.stderr[-3000:]
    summary = run.stderr[run.stderr.rindex("crawlall:"):]
    assert "synthetic    finished   stored 4, unchanged 0, listed 4 of 4, errors 0\n" in summary
    assert "▶" not in run.stderr  # progress lines only at a terminal


def test_run_whose_reports_fail_validation_fails(tmp_path):
    with ReplicaServer([EvolvingSite(4)]) as srv:
        # every report page gets a table row that no longer adds up
        srv.filters.append(FaultInjector([Fault("bad_table", path=r"/t\d+_\d+\.html$")]))
        run = crawlall(srv.url, tmp_path, *EXTRACT_ONLY, env={"GXNB_MAX_INVALID_SHARE": "0.5"})
    assert run.returncode != 0
    assert "4 of 4 stored reports failed validation" in run.stderr
