"""How the store writes an item, on SQLite and on PostgreSQL (skipped where none runs):
every cell, file and finding comes back exactly as given (the bulk insert paths), a file
that cannot be archived commits nothing (and the ids of that rolled-back transaction are
not remembered), and last year's record is found per portal and body."""
from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa

from pipelines.store import Store
from pipelines.store.cells import flatten
from test_store import make_item, table_counts

ODD = 'a "quoted" \\back\\slash, new\nline, 引号「」 and 🙂'


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store(db_url, tmp_path):
    s = Store(db_url, tmp_path / "raw")
    yield s
    s.close()


def test_cells_files_and_findings_come_back_exactly(store):
    item, record = make_item(0)
    record = copy.deepcopy(record)
    record["active_disclosure"]["extra"] = {ODD: {"本年新公开数量": 7, "blank": None}, "比例": {"x": 0.1 + 0.2}}
    record["findings"] = [
        {"rule": "sum", "severity": "error", "table": "applications", "row": "granted", "column": "total",
         "expected": 12, "actual": 11.5, "message": ODD},
        {"rule": "missing", "severity": "warning", "table": None, "row": None, "column": None,
         "expected": None, "actual": None, "message": None},
    ]
    item["attachments"][0]["name"] = ODD
    assert store.store_item(item, record) == "new"

    with store.engine.connect() as c:
        cells = c.execute(sa.text("SELECT table_name, row_name, column_name, value FROM cells")).all()
        findings = c.execute(sa.text("SELECT position, rule, severity, table_name, row_name, column_name, "
                                     "expected, actual, message FROM findings ORDER BY position")).all()
    expected = {(t, r, col): (float(v) if v is not None else None) for t, r, col, v in flatten(record)}
    assert {(t, r, col): v for t, r, col, v in cells} == expected
    assert len(cells) == len(expected) > 100
    assert expected[("active_disclosure", f"extra.{ODD}", "本年新公开数量")] == 7.0
    assert expected[("active_disclosure", "extra.比例", "x")] == 0.1 + 0.2  # not rounded on the way
    assert [tuple(f) for f in findings] == [
        (0, "sum", "error", "applications", "granted", "total", 12.0, 11.5, ODD),
        (1, "missing", "warning", None, None, None, None, None, None)]

    (entry,) = store.snapshot()
    files = store.fetched_files(entry["revision_id"])
    assert [(f["position"], f["role"], f["url"], f["name"], f["content_type"], f["encoding"], f["error"])
            for f in files] == [
        (0, "body", item["url"], None, item["content_type"], "utf-8", None),
        (1, "attachment", item["attachments"][0]["url"], ODD, "application/pdf", None, None),
        (2, "attachment", item["attachments"][1]["url"], "missing.docx", None, None, "404")]
    with open(files[1]["path"], "rb") as fh:
        assert fh.read() == item["attachments"][0]["data"]


def test_an_item_without_attachments_or_cells(store):
    item, record = make_item(1, attachments=[])
    empty = {k: v for k, v in record.items() if k not in ("active_disclosure", "applications", "review_litigation")}
    empty["findings"] = []
    assert store.store_item(item, empty) == "new"
    counts = table_counts(store)
    assert (counts["cells"], counts["findings"], counts["fetched_files"], counts["raw_files"]) == (0, 0, 1, 1)
    # no page bytes at all (only an attachment): its file is kept, the page row says so
    bare, _ = make_item(3)
    bare["body"] = None
    assert store.store_item(bare, empty) == "new"
    assert store.store_item(bare, empty) == "unchanged"
    entry = next(e for e in store.snapshot() if e["url"] == bare["url"])
    files = store.fetched_files(entry["revision_id"])
    assert [(f["role"], f["sha256"] is None) for f in files] == [("body", True), ("attachment", False),
                                                                ("attachment", True)]


def test_a_file_that_cannot_be_archived_commits_nothing(store, tmp_path):
    """The raw archive fails (here: a plain file stands where the file's directory must
    go): the error comes out of store_item, no row is committed — none pointing at the
    missing file, nor the portal and body the transaction had inserted — and once the
    archive works again the same item is stored as new."""
    item, record = make_item(2)
    from pipelines.store.archive import sha256_of

    blocker = tmp_path / "raw" / sha256_of(item["body"])[:2]
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("in the way")
    with pytest.raises(OSError):
        store.store_item(item, record)
    assert {k: v for k, v in table_counts(store).items() if v} == {}

    blocker.unlink()
    assert store.store_item(item, record) == "new"  # the portal and body are inserted again
    (entry,) = store.snapshot()
    assert entry["portal"] == "testportal" and entry["body_code"] == "area2"
    paths = [f["path"] for f in store.fetched_files(entry["revision_id"]) if f["path"]]
    assert len(paths) == 2
    for p in paths:
        with open(p, "rb") as fh:
            assert fh.read() in (item["body"], item["attachments"][0]["data"])


def test_previous_record_is_the_same_bodys_in_the_same_portal(store):
    item, record = make_item(0)  # body code area0, the seed's year
    store.store_item(item, record)
    other = copy.deepcopy(record)
    other["applications"]["new_received"]["total"] = 12345
    store.store_item(dict(make_item(0)[0], portal="otherportal", url="http://other.example/0.html"), other)
    year = record["year"] + 1
    assert store.previous_record("testportal", "area0", year) == record
    assert store.previous_record("otherportal", "area0", year) == other
    assert store.previous_record("otherportal", record["agency"], year) == other
    assert store.previous_record("thirdportal", "area0", year) is None
    assert store.previous_record("testportal", "area0", year + 1) is None
