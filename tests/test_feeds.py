"""Items through Scrapy's own feed exports (-o/-O, FEEDS) in every format: the raw
page and files go to the archive and are exported by their SHA-256 name; a dropped
item is logged by its URL."""
from __future__ import annotations

import csv
import json
import logging
import re
import xml.etree.ElementTree as ET

from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawling import crawl_env, run_crawl
from gxnb_spiders.items import ReportItem
from gxnb_spiders.logs import LogFormatter

SHA_REF = re.compile(r"^sha256:([0-9a-f]{64})$")


def test_every_feed_format_with_raw_bytes_by_reference(tmp_path, replica):
    """Text formats; pickle keeps Python objects, bytes included (tests read items so)."""
    raw = tmp_path / "raw"
    feeds = {fmt: tmp_path / f"items.{fmt}" for fmt in ("jsonl", "json", "csv", "xml")}
    args = [a for path in feeds.values() for a in ("-O", str(path))]
    res = run_crawl("lyghz", crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", raw), *args)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Traceback" not in res.stderr and "not JSON serializable" not in res.stderr
    items = {
        "jsonl": [json.loads(line) for line in feeds["jsonl"].read_text("utf-8").splitlines()],
        "json": json.loads(feeds["json"].read_text("utf-8")),
        "csv": list(csv.DictReader(feeds["csv"].open(encoding="utf-8"))),
        "xml": [{c.tag: c.text for c in el} for el in ET.parse(feeds["xml"]).getroot()],
    }
    for fmt, rows in items.items():
        assert len(rows) == 22, fmt
        for row in rows:
            m = SHA_REF.match(row["body"])
            assert m, (fmt, row["body"][:80])
            # the bytes themselves are in the raw archive under that name
            assert (raw / m.group(1)[:2] / m.group(1)).is_file()
            assert row["url"].startswith("http://www.lyghz.gov.cn/")
    # CSV cells hold nested values as JSON, never Python's repr of bytes or dicts
    text = feeds["csv"].read_text("utf-8")
    assert "b'<" not in text and "b\"<" not in text and "\\x" not in text  # no repr of bytes
    assert "{'" not in text  # no repr of a dict
    record = json.loads(items["csv"][0]["record"])
    assert record["year"] == int(items["csv"][0]["year"])
    assert all(row["record"]["year"] == row["year"] for row in items["json"])


def test_dropped_item_is_logged_by_its_url():
    crawler = get_crawler(settings_dict={"LOG_FORMATTER": "gxnb_spiders.logs.LogFormatter"})
    spider = crawler._create_spider("x")
    item = ReportItem(url="http://www.dt.gov.cn/t1.html", title="大同市2023年报告",
                      body=b"<html>" + b"x" * 100_000, attachments=[{"url": "a.pdf", "data": b"%PDF" * 1000}])
    entry = LogFormatter.from_crawler(crawler).dropped(item, DropItem("not stored"), None, spider)
    message = entry["msg"] % entry["args"]
    assert message == "Dropped http://www.dt.gov.cn/t1.html (大同市2023年报告): not stored"
    assert entry["level"] == logging.WARNING
