"""The store on SQLite: migrations, revisions, idempotence, the raw archive, runs,
listings, snapshots in time, and two processes writing at once.

Items are ReportItem-like dicts around the five seeds' hand-made records
(replicas/data/records). Run as a script, this file is the writer process
of the concurrency tests: ``python tests/test_store.py URL RAW_DIR N GO_FILE``.
"""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RECORDS = sorted((ROOT / "replicas" / "data" / "records").glob("seed_*.json"))
if str(ROOT) not in sys.path:  # when run as the writer script
    sys.path.insert(0, str(ROOT))

from pipelines.store import Store, content_hash  # noqa: E402
from pipelines.store.cells import flatten  # noqa: E402


def seed_record(i: int) -> dict:
    return json.loads(RECORDS[i % len(RECORDS)].read_text(encoding="utf-8"))


def make_item(i: int, record: dict | None = None, body: bytes | None = None, **extra) -> tuple[dict, dict]:
    """Report ``i`` of a made-up portal: a ReportItem-like dict and its record."""
    record = record or seed_record(i)
    item = dict(
        portal="testportal", portal_url="http://www.example.gov.cn/", platform="generic",
        body_name=record.get("agency"), body_code=f"area{i % 5}", url=f"http://www.example.gov.cn/xxgk/{i}.html",
        title=record.get("title"), year=record.get("year"),
        metadata={"index_no": f"IDX-{i}", "doc_no": f"文号〔{i}〕", "written_date": "2024-01-10",
                  "published_date": "2024-01-17", "publisher": record.get("agency")},
        listed_date="2024-01-17", body=body if body is not None else f"<html>report {i}</html>".encode(),
        content_type="text/html; charset=utf-8", encoding="utf-8",
        attachments=[{"url": f"http://www.example.gov.cn/files/{i}.pdf", "name": "../../etc/passwd.pdf",
                      "content_type": "application/pdf", "data": b"%PDF-1.4 report " + str(i).encode(),
                      "error": None},
                     {"url": "http://www.example.gov.cn/files/missing.docx", "name": "missing.docx",
                      "content_type": None, "data": None, "error": "404"}],
    )
    item.update(extra)
    return item, record


def table_counts(store: Store) -> dict[str, int]:
    md = sa.MetaData()
    md.reflect(store.engine)
    with store.engine.connect() as c:
        return {name: c.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for name, t in md.tables.items() if name != "alembic_version"}


@pytest.fixture
def store(tmp_path, sqlite_url):
    s = Store(sqlite_url, tmp_path / "raw")
    yield s
    s.close()


# --------------------------------------------------------------------------- schema

def test_migrations_create_exactly_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from pipelines.store.db import SCHEMA_HEAD, current_revision, head_revision
    from pipelines.store.models import Base

    # the constant the quick check compares with is Alembic's own head
    assert SCHEMA_HEAD == head_revision()
    assert current_revision(store.engine) == SCHEMA_HEAD
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_revision() == head_revision()
        assert compare_metadata(ctx, Base.metadata) == []


def test_a_second_store_on_the_same_database_finds_it_migrated(tmp_path, sqlite_url, store):
    store.store_item(*make_item(0))
    with Store(sqlite_url, tmp_path / "raw") as again:
        assert len(again.snapshot()) == 1


def test_unreachable_database_is_a_clear_error(tmp_path):
    from pipelines.store import StoreUnavailable

    with pytest.raises(StoreUnavailable, match="database"):
        Store(f"sqlite:///{tmp_path}/no/such/dir/x.sqlite", tmp_path / "raw")


# --------------------------------------------------------------------------- revisions

def test_new_unchanged_revised_and_nothing_lost(store):
    item, record = make_item(0)
    assert store.store_item(item, record) == "new"
    assert store.store_item(item, record) == "unchanged"
    # republished under another attachment URL and order, same bytes: unchanged
    moved = copy.deepcopy(item)
    moved["attachments"] = list(reversed(moved["attachments"]))
    moved["attachments"][1]["url"] = "http://www.example.gov.cn/other/place.pdf"
    assert store.store_item(moved, record) == "unchanged"
    # the page changed and a number with it: a new revision, the old one kept
    record2 = copy.deepcopy(record)
    record2["applications"]["new_received"]["natural_person"] += 1
    item2 = dict(item, body=item["body"] + b"<!-- corrected -->")
    assert store.store_item(item2, record2) == "revised"
    assert store.store_item(item2, record2) == "unchanged"

    (current,) = store.snapshot()
    assert current["record"] == record2
    with store.engine.connect() as c:
        revs = c.execute(sa.text("SELECT id, record FROM revisions ORDER BY id")).all()
    assert len(revs) == 2
    assert json.loads(revs[0].record) == record  # the first version is still there, untouched
    # the attachment change alone is a revision too
    item3 = copy.deepcopy(item2)
    item3["attachments"][0]["data"] += b" v2"
    assert store.store_item(item3, record2) == "revised"


def test_storing_the_same_items_twice_changes_nothing(store):
    items = [make_item(i) for i in range(5)]
    for it in items:
        assert store.store_item(*it) == "new"
    before = table_counts(store)
    snap_before = store.snapshot()
    for it in items:
        assert store.store_item(*it) == "unchanged"
    assert table_counts(store) == before
    assert store.snapshot() == snap_before
    assert before["reports"] == 5 and before["revisions"] == 5


def test_cells_and_findings_rows_allow_sql_over_the_numbers(store):
    item, record = make_item(1)
    record = copy.deepcopy(record)
    record["active_disclosure"]["extra"] = {"其他主动公开文件": {"本年新公开数量": 7}}
    record["findings"] = [{"rule": "missing", "severity": "warning", "table": "applications",
                           "row": "granted", "column": "research", "expected": None, "actual": None,
                           "message": "blank"}]
    store.store_item(item, record)
    expected = {(t, r, c): v for t, r, c, v in flatten(record)}
    with store.engine.connect() as c:
        rows = c.execute(sa.text("SELECT table_name, row_name, column_name, value FROM cells")).all()
        total = c.execute(sa.text(
            "SELECT value FROM cells JOIN reports ON reports.current_revision_id = cells.revision_id "
            "WHERE table_name='applications' AND row_name='new_received' AND column_name='total'")).scalar()
        findings = c.execute(sa.text("SELECT rule, row_name, column_name FROM findings")).all()
    assert {(t, r, col): v for t, r, col, v in rows} == {
        k: (float(v) if v is not None else None) for k, v in expected.items()}
    assert ("active_disclosure", "extra.其他主动公开文件", "本年新公开数量") in expected
    assert total == record["applications"]["new_received"]["total"]
    assert findings == [("missing", "granted", "research")]


def test_metadata_bodies_and_portals_are_kept(store):
    item, record = make_item(2)
    store.store_item(item, record)
    (r,) = store.snapshot()
    assert (r["portal"], r["portal_url"], r["body_code"], r["body_name"]) == (
        "testportal", "http://www.example.gov.cn/", "area2", record["agency"])
    assert (r["index_no"], r["doc_no"], r["written_date"], r["published_date"]) == (
        "IDX-2", "文号〔2〕", "2024-01-10", "2024-01-17")
    assert (r["year"], r["title"], r["template"], r["status"]) == (
        record["year"], record["title"], record["template"], record["status"])
    # no body from the portal: the record's agency is the reporting body
    item2, _ = make_item(3, body_name=None, body_code=None)
    store.store_item(item2, record)
    by_url = {e["url"]: e for e in store.snapshot()}
    assert by_url[item2["url"]]["body_name"] == record["agency"]


# --------------------------------------------------------------------------- raw archive

def test_raw_archive_keeps_every_file_once_by_hash(store, tmp_path):
    item, record = make_item(4)
    store.store_item(item, record)
    other = dict(make_item(5)[0], attachments=item["attachments"])  # shares the attachment
    store.store_item(other, record)
    raw = tmp_path / "raw"
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    # two pages + one shared attachment; named by hash under <aa>/, nothing else (no temp files)
    assert len(files) == 3
    for p in files:
        assert p.parent.parent == raw and p.parent.name == p.name[:2] and len(p.name) == 64
    assert not list(raw.rglob("passwd*")) and not (tmp_path / "etc").exists()
    (entry,) = [e for e in store.snapshot() if e["url"] == item["url"]]
    fetched = store.fetched_files(entry["revision_id"])
    assert [f["role"] for f in fetched] == ["body", "attachment", "attachment"]
    assert Path(fetched[0]["path"]).read_bytes() == item["body"]
    assert Path(fetched[1]["path"]).read_bytes() == item["attachments"][0]["data"]
    assert fetched[1]["name"] == "../../etc/passwd.pdf"  # the web's name is data, not a path
    assert fetched[2]["sha256"] is None and fetched[2]["error"] == "404"
    assert store.raw_path(fetched[0]["sha256"]) == Path(fetched[0]["path"])
    with pytest.raises(ValueError):
        store.raw_path("../../etc/passwd")


def test_content_hash_is_of_the_bytes_not_the_names():
    assert content_hash("a" * 64, ["b" * 64, "c" * 64]) == content_hash("a" * 64, ["c" * 64, None, "b" * 64])
    assert content_hash("a" * 64, ["b" * 64]) != content_hash("a" * 64, [])


# --------------------------------------------------------------------------- runs, listings, time

def test_runs_listings_and_snapshots_in_time(store):
    run1 = store.start_run("testportal")
    for i in range(3):
        assert store.store_item(*make_item(i), run_id=run1) == "new"
    urls = [make_item(i)[0]["url"] for i in range(3)]
    store.mark_seen(run1, "testportal", urls, complete=True)
    store.finish_run(run1, "finished", {"requests": 9, "items": 3, "new": 3, "revised": 0,
                                        "unchanged": 0, "errors": 0})
    time.sleep(0.01)

    run2 = store.start_run("testportal")
    item0, rec0 = make_item(0)
    rec0 = copy.deepcopy(rec0)
    rec0["applications"]["carried_over"]["total"] = 99
    assert store.store_item(dict(item0, body=b"<html>v2</html>"), rec0, run_id=run2) == "revised"
    counts = store.mark_seen(run2, "testportal", urls[:2], complete=True)  # report 2 is gone
    assert counts["gone"] == 1
    store.finish_run(run2, "finished", {"items": 1, "revised": 1})

    runs = store.runs()
    assert [r["id"] for r in runs] == [run1, run2]
    assert runs[0]["finish_reason"] == "finished" and runs[0]["requests"] == 9 and runs[0]["new"] == 3
    assert runs[1]["finished_at"] >= runs[1]["started_at"]

    then = {e["url"]: e for e in store.snapshot(run1)}
    now = {e["url"]: e for e in store.snapshot()}
    assert then[urls[0]]["record"]["applications"]["carried_over"]["total"] != 99
    assert now[urls[0]]["record"]["applications"]["carried_over"]["total"] == 99
    assert then[urls[0]]["revision_id"] != now[urls[0]]["revision_id"]
    assert then[urls[2]]["listed"] and not now[urls[2]]["listed"]  # gone, never deleted
    assert then[urls[2]]["gone_at"] is None and now[urls[2]]["gone_at"] >= now[urls[2]]["first_seen"]
    assert store.snapshot(datetime(2000, 1, 1)) == []
    assert len(store.snapshot(datetime.now() + timedelta(days=1))) == 3
    assert now[urls[1]]["first_seen"] == then[urls[1]]["first_seen"]
    # listed again in a later run
    run3 = store.start_run("testportal")
    assert store.mark_seen(run3, "testportal", urls, complete=True)["back"] == 1
    assert all(e["listed"] for e in store.snapshot())
    assert not {e["url"]: e for e in store.snapshot(run2)}[urls[2]]["listed"]
    with pytest.raises(ValueError):
        store.snapshot(9999)


def test_known_reports_and_previous_record(store):
    item, record = make_item(0)  # seed_000: 2023
    store.store_item(item, record)
    known = store.known_reports("testportal")
    assert known[item["url"]]["listed_date"] == "2024-01-17"
    assert known[item["url"]]["revision_id"] and len(known[item["url"]]["content_hash"]) == 64
    assert store.known_reports("elsewhere") == {}
    assert store.previous_record("testportal", "area0", record["year"] + 1) == record
    assert store.previous_record("testportal", record["agency"], record["year"] + 1) == record
    assert store.previous_record("testportal", "area0", record["year"]) is None
    assert store.previous_record("testportal", "area1", record["year"] + 1) is None


def test_current_reports_are_every_report_once(store):
    for i in range(7):
        store.store_item(*make_item(i))
    store.store_item(make_item(3, body=b"changed")[0], make_item(3)[1])
    current = list(store.current_reports())
    assert len(current) == 7 and len({c["url"] for c in current}) == 7
    assert current == store.snapshot()


# --------------------------------------------------------------------------- two writers

def run_writers(url: str, raw: Path, n: int, tmp: Path, writers: int = 2) -> list[dict]:
    """``writers`` processes storing the same ``n`` items at the same moment, on a
    database none of them has migrated yet; each returns ``{url: outcome}``."""
    go = tmp / "go"
    procs = [subprocess.Popen([sys.executable, __file__, url, str(raw), str(n), str(go)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(writers)]
    # each writer says it has its store open; then all are let go at once
    deadline = time.monotonic() + 120
    while len(list(tmp.glob("ready-*"))) < writers and time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            break  # one failed before it was ready: its stderr below says why
        time.sleep(0.01)
    go.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr[-3000:]
        out.append(json.loads(stdout))
    return out


def check_no_duplicates(url: str, raw: Path, n: int, results: list[dict]):
    urls = {make_item(i)[0]["url"] for i in range(n)}
    for u in urls:  # each report new exactly once, whoever got there first
        outcomes = sorted(r[u] for r in results)
        assert outcomes == ["new"] + ["unchanged"] * (len(results) - 1), (u, outcomes)
    with Store(url, raw) as s:
        counts = table_counts(s)
        assert counts["reports"] == n and counts["revisions"] == n
        assert counts["portals"] == 1 and counts["bodies"] == 5
        assert counts["raw_files"] == 2 * n
        assert len(s.snapshot()) == n


def test_two_processes_storing_at_once_on_sqlite(tmp_path):
    url, raw = f"sqlite:///{tmp_path / 'race.sqlite'}", tmp_path / "raw"
    results = run_writers(url, raw, 40, tmp_path)
    check_no_duplicates(url, raw, 40, results)


def _writer(url: str, raw: str, n: int, go: str):
    store = Store(url, raw)
    Path(go).with_name(f"ready-{os.getpid()}").touch()
    while not os.path.exists(go):
        time.sleep(0.01)
    out = {}
    for i in range(n):
        item, record = make_item(i)
        out[item["url"]] = store.store_item(item, record)
    store.close()
    print(json.dumps(out))


if __name__ == "__main__":
    _writer(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
