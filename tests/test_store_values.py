"""Numbers the database cannot hold, and reports it refuses (issue 13 row 3), on SQLite and
PostgreSQL (skipped where none runs).

A 400-digit cell overflowed the double (and SQLite's integer), ``Infinity`` is not JSON to
PostgreSQL: either closed the spider with ``storage_error`` on every run. Now such a cell
is stored blank with a finding naming it, ``Infinity`` is written nowhere, and a report
the database still refuses costs only that report: an ERROR naming its URL, the stat
``gxnb/items_not_stored``, and the crawl goes on.
"""
from __future__ import annotations

import copy
import logging

import pytest
import sqlalchemy as sa
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from gxnb_spiders.item_pipelines import STAT_NOT_STORED, StorePipeline
from pipelines.store import Store
from pipelines.store.cells import flatten
from test_store import make_item

HUGE = int("9" * 400)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def hostile(i: int):
    """Report ``i`` with a 400-digit cell, an infinite cell, and infinities elsewhere."""
    item, record = make_item(i)
    record = copy.deepcopy(record)
    record["applications"]["new_received"]["total"] = HUGE
    record["review_litigation"]["review"]["upheld"] = float("inf")
    record["findings"] = [{"rule": "row_total", "severity": "error", "table": "applications",
                           "row": "new_received", "column": "total", "expected": 3, "actual": HUGE,
                           "message": "new_received: total ≠ sum"}]
    record["provenance"] = {"applications.new_received.total": {"page": 1, "bbox": [0, float("-inf"), 1, 2]}}
    return item, record


def stored_rows(url: str, report_url: str):
    eng = sa.create_engine(url)
    try:
        with eng.connect() as c:
            rev = c.execute(sa.text("SELECT current_revision_id FROM reports WHERE url = :u"),
                            {"u": report_url}).scalar_one()
            cells = {(t, r, col): v for t, r, col, v in c.execute(sa.text(
                "SELECT table_name, row_name, column_name, value FROM cells WHERE revision_id = :r"), {"r": rev})}
            findings = c.execute(sa.text("SELECT rule, table_name, row_name, column_name, message, actual "
                                         "FROM findings WHERE revision_id = :r"), {"r": rev}).all()
            record_text = c.execute(sa.text("SELECT CAST(record AS TEXT) FROM revisions WHERE id = :r"),
                                    {"r": rev}).scalar_one()
    finally:
        eng.dispose()
    return cells, findings, record_text


def test_numbers_the_database_cannot_hold_are_stored_blank_with_a_finding(db_url, tmp_path):
    item, record = hostile(0)
    with Store(db_url, tmp_path / "raw") as store:
        assert store.store_item(item, record) == "new"
    cells, findings, record_text = stored_rows(db_url, item["url"])
    assert cells[("applications", "new_received", "total")] is None
    assert cells[("review_litigation", "review", "upheld")] is None
    # every other cell as the report gave it
    for t, r, c, v in flatten(record):
        if (t, r, c) not in {("applications", "new_received", "total"), ("review_litigation", "review", "upheld")}:
            assert cells[(t, r, c)] == (None if v is None else float(v)), (t, r, c)
    named = {(f.table_name, f.row_name, f.column_name) for f in findings if f.rule == "value_not_storable"}
    assert named == {("applications", "new_received", "total"), ("review_litigation", "review", "upheld")}
    assert any("999999999999… (400 digits)" in f.message for f in findings)
    assert all(f.actual is None for f in findings if f.rule == "row_total")  # the 400 digits are not a number here either
    assert "Infinity" not in record_text and "NaN" not in record_text and "9" * 30 not in record_text


def pipeline(db_url, tmp_path):
    crawler = get_crawler(Spider, {"GXNB_DATABASE_URL": db_url, "GXNB_RAW_DIR": str(tmp_path / "raw")})
    spider = Spider("testportal")
    crawler.spider = spider
    pipe = StorePipeline.from_crawler(crawler)
    pipe.open_spider(spider)
    return crawler, pipe


def test_a_report_the_database_refuses_costs_only_that_report(db_url, tmp_path, caplog):
    crawler, pipe = pipeline(db_url, tmp_path)
    # text no database column takes: a NUL byte (PostgreSQL), a lone surrogate (SQLite)
    refused_title = "年度报告\x00" if db_url.startswith("postgresql") else "年度报告\ud800"
    items = [make_item(1), hostile(2), make_item(3, title=refused_title), make_item(4)]
    outcomes = []
    with caplog.at_level(logging.ERROR):
        for item, record in items:
            try:
                pipe.process_item(dict(item, record=record))
                outcomes.append("stored")
            except DropItem:
                outcomes.append("dropped")
    try:
        assert outcomes == ["stored", "stored", "dropped", "stored"]
        assert crawler.stats.get_value(STAT_NOT_STORED) == 1
        assert not pipe.failed  # storing goes on
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1 and items[2][0]["url"] in errors[0], errors
        assert "closing the spider" not in errors[0]
        with Store(db_url, tmp_path / "raw") as store:
            stored = {r["url"]: r for r in store.current_reports()}
        assert set(stored) == {items[i][0]["url"] for i in (0, 1, 3)}
        hostile_record = stored[items[1][0]["url"]]
        assert hostile_record["status"] == "incomplete"  # the blank cell is missing, not a number
    finally:
        pipe.store.close()
