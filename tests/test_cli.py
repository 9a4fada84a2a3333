"""A newcomer's first hour (issue 19): every wrong input gets one clear line and a
non-zero exit before anything is crawled; a crawl that goes wrong says the real cause and
exits non-zero; `-s` settings work like the environment; the end of a crawl is a short
summary, not library chatter."""
from __future__ import annotations

import re
import sqlite3
import subprocess

import pytest

from crawling import ROOT, crawl_cmd, crawl_env, read_only, run_crawl

NO_PROXY = "http://127.0.0.1:9"  # no request is made by a crawl refused at the start


def refused(args, env, prefix=()) -> subprocess.CompletedProcess:
    res = subprocess.run([*prefix, *crawl_cmd(*args)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert res.returncode != 0, res.stderr[-2000:]
    assert "Traceback" not in res.stderr
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr[-3000:]
    return res


@pytest.mark.parametrize("args, expected", [
    (["nosuch"], "no spider named 'nosuch': `scrapy list` shows the spiders (dt, generic,"),
    (["dt", "-a", "years=abc"], "'abc' is not a year or a range of years (write 2023, 2021-2023"),
    (["dt", "-a", "years=2023-2021"], "the range 2023-2021 runs backwards (write 2021-2023)"),
    (["generic"], "the generic spider needs -a url="),
])
def test_wrong_spider_or_argument_is_one_line_exit_2(tmp_path, args, expected):
    env = crawl_env(NO_PROXY, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
    res = refused(args, env)
    assert res.returncode == 2
    assert res.stderr.startswith("crawl: error: ")
    assert expected in res.stderr


@pytest.mark.parametrize("db_url, expected", [
    ("notaurl", "GXNB_DATABASE_URL='notaurl' is not a database URL: write sqlite:////"),
    ("postgresql+psycopg://postgres@127.0.0.1:9/gxnb",  # nothing listens on port 9
     'port 9 failed: Connection refused; is the server running, and GXNB_DATABASE_URL right?'),
])
def test_bad_or_unreachable_database_is_one_line(tmp_path, db_url, expected):
    res = refused(["dt"], crawl_env(NO_PROXY, db_url, tmp_path / "raw"))
    assert res.returncode == 1
    assert expected in res.stderr


def test_traceback_only_at_debug(tmp_path):
    env = crawl_env(NO_PROXY, "notaurl", tmp_path / "raw")
    res = subprocess.run(crawl_cmd("dt", "--loglevel", "DEBUG"), cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 1
    assert "is not a database URL" in res.stderr and "Traceback" in res.stderr


@pytest.mark.parametrize("what", ["output", "raw", "feed"])
def test_read_only_directory_is_one_line(tmp_path, what):
    ro = tmp_path / "ro"
    prefix = read_only(ro)
    out = tmp_path / "out"
    env = crawl_env(NO_PROXY, f"sqlite:///{out / 'gxnb.sqlite'}", out / "raw")
    args = ["dt"]
    if what == "output":  # the database's directory (GXNB_OUTPUT_DIR)
        env = crawl_env(NO_PROXY, "", ro / "raw")
        env.pop("GXNB_DATABASE_URL"), env.pop("GXNB_RAW_DIR")
        env["GXNB_OUTPUT_DIR"] = str(ro / "output")
        expected = f"cannot write the database's directory in {ro / 'output'} ({ro}: read-only"
    elif what == "raw":
        env["GXNB_RAW_DIR"] = str(ro / "raw")
        expected = f"cannot write the raw archive in {ro / 'raw'} ({ro}: read-only"
    else:
        args += ["-o", str(ro / "items.jsonl")]
        expected = f"cannot write the output file {ro / 'items.jsonl'} in {ro} ({ro}: read-only"
    res = refused(args, env, prefix)
    assert res.returncode == 1
    assert expected in res.stderr, res.stderr
    if what != "output":
        assert not (out / "gxnb.sqlite").exists() or what == "feed"


# --- what a crawl says at its end ---------------------------------------------------

def test_body_filter_matching_nothing_says_so(tmp_path, replica):
    res = run_crawl("muping", crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw"),
                    "-a", "body=海关")
    assert res.returncode == 1, res.stderr[-3000:]
    assert ("FAILED: the lists showed 7 bodies but none matched -a body=海关; "
            "`scrapy bodies muping` lists the bodies") in res.stderr
    assert "lists may have moved" not in res.stderr


def test_start_url_answering_404_says_so(tmp_path, replica):
    res = run_crawl("generic", crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw"),
                    "-a", "url=http://www.example.gov.cn/")
    assert res.returncode == 1, res.stderr[-3000:]
    assert "FAILED: the start URL http://www.example.gov.cn/ answered HTTP 404" in res.stderr
    assert "Traceback" not in res.stderr


def test_summary_settings_from_s_and_a_quiet_log(tmp_path, replica):
    """`-s GXNB_OUTPUT_DIR` moves the database and the archive (no environment variable
    names them); the log has no Alembic plugin lines nor deprecation warnings; the crawl
    ends with one summary line and where the data is."""
    env = crawl_env(replica.url, "", tmp_path / "raw")
    for name in ("GXNB_DATABASE_URL", "GXNB_RAW_DIR", "GXNB_OUTPUT_DIR"):
        env.pop(name)
    out = tmp_path / "elsewhere"
    res = subprocess.run(crawl_cmd("lyghz", "-s", f"GXNB_OUTPUT_DIR={out}"), cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=150)
    assert res.returncode == 0, res.stderr[-3000:]
    with sqlite3.connect(out / "gxnb.sqlite") as db:
        stored = db.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert stored == 22
    assert len([p for p in (out / "raw").rglob("*") if p.is_file()]) >= 22
    assert "alembic.runtime.plugins" not in res.stderr
    assert "Deprecat" not in res.stderr
    summary = res.stderr[res.stderr.rindex("\ncrawl:\n"):]
    assert "  lyghz        finished   stored 22 (new 22), unchanged 0, listed 22 of 22, errors 0\n" in summary
    assert f"data in sqlite:///{out / 'gxnb.sqlite'}" in summary


def test_archive_failing_mid_run_exits_non_zero_and_logs_items_by_url(tmp_path, replica):
    """The raw archive's directory is writable (the check at the start passes) but no file
    can be filed in it: where each hash prefix's directory should be, there is a file."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(256):
        (raw / f"{i:02x}").write_bytes(b"")
    res = run_crawl("lyghz", crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", raw))
    assert res.returncode == 1, res.stderr[-3000:]
    dropped = [line for line in res.stderr.splitlines() if "Dropped http://www.lyghz.gov.cn/" in line]
    assert dropped and all("not stored" in line for line in dropped)
    assert "'body'" not in res.stderr and "b'<" not in res.stderr  # no item dumped
    summary = res.stderr[res.stderr.rindex("\ncrawl:\n"):]
    assert "lyghz        storage_error stored 0" in summary
    assert "FAILED: reports were read but" in summary and "the database or the raw archive failed" in summary


@pytest.mark.parametrize("args, expected", [
    (["portal"], "portal: scrapy crawl portal needs -a id="),
    (["portal", "-a", "id=nosuch"], "portal: no portal 'nosuch' in the registry "),
])
def test_registry_portal_without_a_known_id_is_one_line(tmp_path, args, expected):
    res = refused(args, crawl_env(NO_PROXY, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw"))
    assert res.returncode == 2 and expected in res.stderr


def test_years_matching_nothing_counts_the_reports_the_lists_showed(tmp_path, replica):
    res = run_crawl("laiyang", crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw"),
                    "-a", "years=1990")
    assert res.returncode == 1, res.stderr[-3000:]
    # the reports listed, counted per link: not overwritten by the (none) the run wanted
    assert re.search(r"FAILED: the lists showed [1-9]\d* reports of \d+ bodies but none matched -a years=1990",
                     res.stderr), res.stderr[-3000:]
