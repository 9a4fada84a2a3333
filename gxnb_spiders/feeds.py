"""Items through Scrapy's own feed exports (``-o items.jsonl``, ``FEEDS``), in every format.

A report's raw page and attachments are bytes, megabytes of them: they go to the raw
archive (``output/raw/``, named by SHA-256, written by the store pipeline), not into an
exported file. So the item's ``body`` is exported as ``sha256:<hex>`` (the archive's name
for those bytes) and each attachment's ``data`` likewise; everything else as it is.
CSV cells hold nested values (metadata, attachments, the record) as JSON.
"""
from __future__ import annotations

import hashlib
import json

from scrapy.exporters import CsvItemExporter as _CsvItemExporter


def raw_reference(data):
    """``sha256:<hex>`` of raw bytes (the raw archive's name for them); other values as given."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return "sha256:" + hashlib.sha256(data).hexdigest()
    return data


def attachments_by_reference(attachments):
    """Attachments with their bytes replaced by ``raw_reference``."""
    if not isinstance(attachments, (list, tuple)):
        return attachments
    return [{k: raw_reference(v) for k, v in a.items()} if isinstance(a, dict) else raw_reference(a)
            for a in attachments]


class CsvItemExporter(_CsvItemExporter):
    """Scrapy's CSV exporter, with dicts and lists as JSON (not Python's repr)."""

    def serialize_field(self, field, name, value):
        value = super().serialize_field(field, name, value)
        if isinstance(value, (dict, list, tuple)):
            return json.dumps(value, ensure_ascii=False, default=str)
        return value
