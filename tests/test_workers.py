"""Reading reports in worker processes (pipelines/workers.py): the same record as reading
in the crawling process, and a document that takes too long costs only itself."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from pipelines.report import finish
from pipelines.workers import Workers

FIXTURES = Path(__file__).parent / "fixtures"
RECORDS = Path(__file__).resolve().parents[1] / "replicas" / "data" / "records"
TABLES = ("active_disclosure", "applications", "review_litigation")


def pdf_only_item(seed: int) -> dict:
    """A report page that only links its PDF, the PDF fetched: what the spider hands on."""
    return {"url": f"http://www.example.gov.cn/ndbg/{seed}.html",
            "body": "<html><body><p>详见附件。</p><a href='r.pdf'>年报.pdf</a></body></html>".encode(),
            "content_type": "text/html; charset=utf-8", "year": None, "title": "某局年度报告",
            "body_name": "某局",
            "attachments": [{"url": f"http://www.example.gov.cn/ndbg/{seed}.pdf", "name": "r.pdf",
                             "data": (FIXTURES / f"seed_{seed:03d}.pdf").read_bytes(),
                             "content_type": "application/pdf", "error": None}]}


def read_all(workers: Workers, items: list[dict]) -> list[tuple[dict, str]]:
    async def run():
        return await asyncio.gather(*(workers.read(item) for item in items))
    try:
        return asyncio.run(run())
    finally:
        workers.close()


def test_a_worker_process_reads_what_the_crawling_process_reads():
    items = [pdf_only_item(seed) for seed in range(5)]
    inline = read_all(Workers(0), items)
    pooled = read_all(Workers(2), items)
    assert pooled == inline
    for seed, (record, source) in enumerate(pooled):
        expected = json.loads((RECORDS / f"seed_{seed:03d}.json").read_text("utf-8"))
        assert source.endswith(f"/{seed}.pdf")
        assert all(record[t] == expected[t] for t in TABLES), seed


def test_a_report_over_the_time_limit_is_stopped_and_the_next_one_still_read():
    # each is stopped, its worker replaced. The pool looks at its limits every 0.1 s
    # (pebble), so a document read sooner (a seed PDF: ~40 ms) may come back unstopped:
    # the attachments are scans, which OCR reads in half a second or more
    items = [pdf_only_item(0), pdf_only_item(1)]
    for item in items:
        item["attachments"][0]["data"] = (FIXTURES / "image_only.pdf").read_bytes()
    results = read_all(Workers(1, timeout=0.001), items)
    for (record, source), item in zip(results, items):
        assert record["status"] == "unparsed" and source == "html"
        # the limit holds per document: the PDF was stopped (and the page too, if it was slow)
        errors = [f["message"] for f in record["findings"] if f["rule"] == "extraction_error"]
        assert all("took longer than 0.001 s" in e for e in errors)
        assert any(item["attachments"][0]["url"] in e for e in errors), errors
        # what the portal said is kept when the reading is finished
        record = finish(item, record)
        assert record["title"] == item["title"] and record["agency"] == item["body_name"]


@pytest.mark.parametrize("processes", [0, 1])
def test_a_broken_file_gives_a_record_not_an_exception(processes):
    item = pdf_only_item(2)
    item["attachments"][0]["data"] = b"%PDF-1.7\n" + b"\x00garbage" * 100
    [(record, source)] = read_all(Workers(processes), [item])
    assert record["status"] == "unparsed" and source == "html"
    assert any(f["rule"] == "unreadable_file" for f in record["findings"])


def test_a_page_linking_many_documents_costs_at_most_max_documents_downloads():
    """A page without tables that links many files (a list of every body's reports) tries
    at most MAX_DOCUMENTS of them; the rest are named in a finding, not fetched."""
    import asyncio

    from pipelines.workers import MAX_DOCUMENTS, Workers

    many = [f"http://www.example.gov.cn/f/{i}.pdf" for i in range(MAX_DOCUMENTS + 3)]
    asked = []

    async def fetch(att):  # what the crawl's downloader hands back: a PDF that is no PDF
        asked.append(att["url"])
        att.update(data=b"%PDF-1.4 not really a PDF", content_type="application/pdf", error=None)

    item = {"url": "http://www.example.gov.cn/1.html", "content_type": "text/html",
            "body": b"<html><body><p>see the files</p></body></html>",
            "attachments": [{"url": u, "name": u.rsplit("/", 1)[1]} for u in many]}
    record, _source = asyncio.run(Workers(0).read(item, fetch))
    assert asked == many[:MAX_DOCUMENTS] and record["status"] == "unparsed"
    [skipped] = [f for f in record["findings"] if f["rule"] == "documents_not_read"]
    assert all(u in skipped["message"] for u in many[MAX_DOCUMENTS:])
    assert not any(u in skipped["message"] for u in many[:MAX_DOCUMENTS])
