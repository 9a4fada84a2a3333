"""``scrapy export`` round-trips what was stored: JSONL gives back each report's metadata
and canonical record, CSV (UTF-8 with BOM) gives back every cell of every report."""
from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.report import finish
from pipelines.store import Store
from pipelines.store.cells import flatten, unflatten
from test_store import make_item

ROOT = Path(__file__).resolve().parent.parent
SCRAPY = str(Path(sys.executable).with_name("scrapy"))


@pytest.fixture
def stored(tmp_path, sqlite_url):
    """Seven reports (the five seeds' records, one revised, one unparsed, one with an
    added row and a blank cell); ``{url: (item, record)}`` as last stored."""
    out = {}
    with Store(sqlite_url, tmp_path / "raw") as store:
        for i in range(5):
            item, record = make_item(i)
            store.store_item(item, record)
            out[item["url"]] = (item, record)
        item, record = make_item(1)
        record = copy.deepcopy(record)
        record["applications"]["granted"]["research"] = None  # blank, not 0
        record["active_disclosure"]["extra"] = {"其他, \"quoted\" 文件": {"本年新公开数量": 3, "金额": 0.5}}
        store.store_item(dict(item, body=b"<html>v2</html>"), record)
        out[item["url"]] = (item, record)
        item, _ = make_item(5, title="图片版报告")
        unparsed = finish(item, {"schema_version": 1, "template": "unknown", "year": 2024, "agency": None,
                                 "title": "图片版报告", "active_disclosure": None, "applications": None,
                                 "review_litigation": None, "findings": [], "status": "unparsed"})
        store.store_item(item, unparsed)
        out[item["url"]] = (item, unparsed)
    return out


def export(tmp_path, sqlite_url, fmt: str, to_file: bool) -> bytes:
    env = dict(os.environ, GXNB_DATABASE_URL=sqlite_url, GXNB_RAW_DIR=str(tmp_path / "raw"))
    cmd = [SCRAPY, "export", "--format", fmt]
    target = tmp_path / f"export.{fmt}"
    if to_file:
        cmd += ["-o", str(target)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return target.read_bytes() if to_file else proc.stdout


@pytest.mark.parametrize("to_file", [True, False])
def test_jsonl_round_trip(tmp_path, sqlite_url, stored, to_file):
    lines = export(tmp_path, sqlite_url, "jsonl", to_file).decode("utf-8").splitlines()
    got = {d["url"]: d for d in map(json.loads, lines)}
    assert set(got) == set(stored)
    for url, (item, record) in stored.items():
        d = got[url]
        assert d["record"] == record
        assert (d["portal"], d["body_code"], d["year"], d["title"]) == (
            item["portal"], item["body_code"], record["year"], item["title"])
        assert {k: d[k] for k in ("index_no", "doc_no", "written_date", "published_date")} == {
            k: item["metadata"][k] for k in ("index_no", "doc_no", "written_date", "published_date")}
        assert (d["template"], d["status"], d["listed"]) == (record["template"], record["status"], True)


@pytest.mark.parametrize("to_file", [True, False])
def test_csv_round_trip_with_bom(tmp_path, sqlite_url, stored, to_file):
    data = export(tmp_path, sqlite_url, "csv", to_file)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == ["portal", "body", "year", "url", "title", "index_no", "doc_no", "written_date",
                             "published_date", "template", "status", "table", "row", "column", "value"]

    def parse(v: str):
        return None if v == "" else float(v) if any(ch in v for ch in ".eE") else int(v)

    by_url: dict[str, list] = {}
    for r in rows:
        by_url.setdefault(r["url"], []).append(r)
    assert set(by_url) == set(stored)
    for url, (item, record) in stored.items():
        mine = by_url[url]
        assert {(r["portal"], r["year"], r["title"], r["index_no"], r["doc_no"], r["status"]) for r in mine} == {
            (item["portal"], str(record["year"]), item["title"], item["metadata"]["index_no"],
             item["metadata"]["doc_no"], record["status"])}
        cells = [(r["table"], r["row"], r["column"], parse(r["value"])) for r in mine if r["table"]]
        assert cells == list(flatten(record))  # every cell, in order, blanks blank, 0.5 stays 0.5
        tables = unflatten(cells)
        for t in ("active_disclosure", "applications", "review_litigation"):
            assert tables.get(t) == record[t]
            if record[t]:
                assert all(type(a) is type(b) for a, b in zip(
                    [v for *_, v in flatten({t: tables[t]})], [v for *_, v in flatten({t: record[t]})]))


def test_export_of_an_unreachable_database_says_so(tmp_path):
    env = dict(os.environ, GXNB_DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/x.sqlite")
    proc = subprocess.run([SCRAPY, "export", "--format", "csv"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1 and "database" in proc.stderr
