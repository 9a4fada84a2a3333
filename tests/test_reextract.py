"""`scrapy reextract`: stored reports read again from the raw archive with the current
readers, a new revision only where the record changed (issue 14 item 7, issue 16 item 4)."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import sqlalchemy as sa

from crawling import ROOT, SCRAPY
from pipelines.diff import report_since
from pipelines.store import Store
from test_schema_check import assert_one_clear_line
from test_store import make_item, table_counts

# what an older reader kept: nothing read
STALE = {"status": "unparsed", "findings": [{"rule": "no_tables", "severity": "warning", "table": None,
                                             "row": None, "column": None, "expected": None, "actual": None,
                                             "message": "no table of the template could be read"}],
         "template": None}


def report_item(i: int) -> dict:
    """A report whose page carries its tables (what the crawl fetched)."""
    from replicas import reportgen

    item, record = make_item(i)
    item["body"] = reportgen.render_html(record).encode("utf-8")
    item["attachments"] = []
    return item


def reextract(tmp_path, *args, workers: int = 0):
    env = {"PATH": "/usr/bin:/bin", "GXNB_DATABASE_URL": f"sqlite:///{tmp_path / 'gxnb.sqlite'}",
           "GXNB_RAW_DIR": str(tmp_path / "raw"), "GXNB_OUTPUT_DIR": str(tmp_path),
           "GXNB_EXTRACT_WORKERS": str(workers)}
    return subprocess.run([SCRAPY, "reextract", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)


def open_store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")


def test_a_better_reading_is_a_new_revision_and_a_second_run_changes_nothing(tmp_path):
    items = [report_item(i) for i in range(3)]
    with open_store(tmp_path) as s:
        assert [s.store_item(it, STALE) for it in items] == ["new"] * 3
        before = table_counts(s)

    stored = datetime.now(timezone.utc).replace(tzinfo=None)
    proc = reextract(tmp_path, workers=1)  # a worker process, as the crawl reads
    assert proc.returncode == 0, proc.stderr
    assert "3 of 3 reports read: 3 changed" in proc.stderr and "0 failed" in proc.stderr
    assert "unparsed → valid 3" in proc.stderr or "unparsed → inconsistent" in proc.stderr, proc.stderr
    assert "no_tables 3" in proc.stderr  # the findings cleared, by rule
    with open_store(tmp_path) as s:
        once = table_counts(s)
        assert once["revisions"] == before["revisions"] + 3 and once["cells"] > before["cells"]
        current = {e["url"]: e for e in s.current_reports()}
        assert all(e["status"] != "unparsed" and e["record"]["applications"] for e in current.values())
        with s.engine.connect() as c:  # the history: the old reading kept, the new one an event
            per_report = c.execute(sa.text("select report_id, count(*) from revisions group by report_id")).all()
            events = c.execute(sa.text("select count(*) from events where kind = 'revision'")).scalar()
        assert [n for _, n in per_report] == [2, 2, 2] and events == 6
        # the diff report since before the re-read shows the revisions and their cells
        report = report_since(s, since=stored)
        assert report["counts"]["revised"] == 3

    again = reextract(tmp_path)
    assert again.returncode == 0, again.stderr
    assert "3 of 3 reports read: 0 changed (a new revision each), 3 unchanged" in again.stderr
    with open_store(tmp_path) as s:
        assert table_counts(s) == once
        # the crawl fetching the same bytes again keeps the better reading
        assert [s.store_item(it, STALE) for it in items] == ["unchanged"] * 3
        assert {e["url"]: e["revision_id"] for e in s.current_reports()} == \
               {u: e["revision_id"] for u, e in current.items()}


def test_filters_and_a_missing_archive_file(tmp_path):
    with open_store(tmp_path) as s:
        for i in range(3):
            s.store_item(report_item(i), STALE)
        gone = list(s.current_reports())[0]
        (page,) = [f for f in s.fetched_files(gone["revision_id"]) if f["role"] == "body"]
        s.raw_path(page["sha256"]).unlink()

    proc = reextract(tmp_path, "--status", "valid")
    assert proc.returncode == 0 and "0 of 0 reports read" in proc.stderr, proc.stderr
    proc = reextract(tmp_path, "--portal", "testportal", "--since", "2000-01-01", "--until", "2999-01-01")
    assert proc.returncode == 1, proc.stderr
    assert "2 of 3 reports read: 2 changed" in proc.stderr and "1 failed" in proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if "not read" in ln]
    assert page["sha256"] in line and gone["url"] in line
    assert "Traceback" not in proc.stderr


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "GXNB_DATABASE_URL": f"sqlite:///{tmp_path / 'no' / 'such' / 'gxnb.sqlite'}",
           "GXNB_RAW_DIR": str(tmp_path / "raw")}
    proc = subprocess.run([SCRAPY, "reextract"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert_one_clear_line(proc, "reextract: error:", "cannot open the database")
    # the one failure line of every command (commands.fail): the cause's traceback at DEBUG
    debug = subprocess.run([SCRAPY, "reextract", "--loglevel", "DEBUG"], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env=env)
    assert debug.returncode == 1 and "reextract: error: cannot open the database" in debug.stderr
    assert "Traceback" in debug.stderr, debug.stderr
    proc = reextract(tmp_path, "--year", "twenty")
    assert proc.returncode == 2 and "--year" in proc.stderr


def test_a_scan_stored_before_ocr_is_read_by_reextract(tmp_path):
    """Issue 16 item 4: a report stored `unparsed` with `needs_ocr` (no OCR then) is read
    from its archived picture as a new revision."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_scans import scan_image

    from pipelines.reextract import reextract as reextract_all
    from pipelines.store.reread import revisions_to_read
    from pipelines.workers import Workers

    fixture = (ROOT / "tests" / "fixtures" / "seed_001.pdf").read_bytes()
    item, _ = make_item(0, body="<html><body><p>年度报告见附件</p></body></html>".encode())
    item["attachments"] = [{"url": "http://www.example.gov.cn/files/0.jpg", "name": "表格.jpg",
                            "content_type": "image/jpeg", "error": None,
                            "data": scan_image(fixture, 200, "seed_001", page=1, fmt="JPEG")}]
    needs_ocr = dict(STALE, findings=[dict(STALE["findings"][0], rule="needs_ocr", message="a scan")])
    with open_store(tmp_path) as s:
        s.store_item(item, needs_ocr)
        summary = reextract_all(s, revisions_to_read(s, status="unparsed"), Workers(0))
        (entry,) = s.current_reports()
        assert summary.changed == 1 and summary.cells_gained > 50, summary.lines()
        assert entry["status"] != "unparsed" and entry["source"] == item["attachments"][0]["url"]
        rules = {f["rule"] for f in entry["record"]["findings"]}
        assert "ocr_read" in rules and "needs_ocr" not in rules
        assert summary.findings_cleared["needs_ocr"] == 1
        assert table_counts(s)["revisions"] == 2
