"""The Scrapy item pipelines: thin glue between spiders and the pure pipeline code.

ExtractPipeline turns the fetched page (or, when the page has no tables, its best
attachment) into the canonical record and validates it; StorePipeline (pipelines.store)
keeps it. Nothing here parses or checks anything itself.
"""
from __future__ import annotations

import logging

from itemadapter import ItemAdapter

from pipelines.extract import extract
from pipelines.validate import validate

log = logging.getLogger(__name__)


def record_for(item: dict) -> tuple[dict, str]:
    """The best record an item yields, and where it was read from ("html" or a file URL)."""
    record = extract(item["body"], filename="page.html", content_type=item.get("content_type"))
    source = "html"
    if record.get("status") == "unparsed":
        for att in item.get("attachments") or []:
            if not att.get("data"):
                continue
            candidate = extract(att["data"], filename=att.get("name") or att["url"],
                                content_type=att.get("content_type"))
            if candidate.get("status") != "unparsed":
                record, source = candidate, att["url"]
                break
            # keep what the attachment said (needs_ocr, unsupported_format): it explains the status
            record["findings"].extend(candidate.get("findings", []))
    # what the portal says about the report fills what the body did not
    record["year"] = record.get("year") or item.get("year")
    record["title"] = record.get("title") or item.get("title")
    record["agency"] = record.get("agency") or item.get("body_name")
    return record, source


class ExtractPipeline:
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        try:
            record, source = record_for(adapter.asdict())
            record = validate(record)
        except Exception as exc:  # a bug or a hostile file must not cost the report
            log.exception("extraction failed for %s", adapter.get("url"))
            record, source = extract_failure(adapter, exc), "html"
        adapter["record"] = record
        adapter["record_source"] = source
        return item


def extract_failure(adapter, exc: Exception) -> dict:
    from pipelines.extract import empty_record

    record = empty_record()
    record.update(year=adapter.get("year"), title=adapter.get("title"), agency=adapter.get("body_name"),
                  status="unparsed")
    record["findings"].append({
        "rule": "extraction_error", "severity": "error", "table": None, "row": None, "column": None,
        "expected": None, "actual": None, "message": f"extraction failed: {type(exc).__name__}: {exc}",
    })
    return record
