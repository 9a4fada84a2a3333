"""Read an archived report again into its record and keep it: what the cluster's ``read``
queue does per document (``gxnb_spiders/cluster/tasks.py``), and where OCR or a better
reader reaches the reports already collected. No network, no Scrapy: the bytes come from
the raw archive (local or S3) through the store.
"""
from __future__ import annotations

from pipelines.store import body_identity
from pipelines.store.reread import archived_item, replace_record
from pipelines.validate import validate
from pipelines.workers import read_item


def reread(store, revision_id: int) -> str:
    """Read revision ``revision_id`` from its archived files, validate it (with last year's
    record of the same body, like the crawl), and keep it: "reread", "unchanged", or
    "missing" (no such revision). Running it twice gives the same result."""
    item = archived_item(store, revision_id)
    if item is None:
        return "missing"
    record, source = read_item(item)
    key, _, _ = body_identity(item, record)
    previous = store.previous_record(item["portal"], key, record.get("year"))
    if previous:
        record = validate(record, previous)
    return replace_record(store, revision_id, record, source)
