"""Items through Scrapy's own feed exports (``-o items.jsonl``, ``FEEDS``), in every format.

A report's raw page and attachments are bytes, megabytes of them: they go to the raw
archive (``output/raw/``, named by SHA-256, written by the store pipeline), not into a text
file. So the text formats (JSON lines, JSON, CSV, XML) export every bytes value (the
item's ``body``, each attachment's ``data``) as ``sha256:<hex>``, the archive's name for
those bytes, and CSV cells hold nested values (metadata, attachments, the record) as JSON.
``pickle`` and ``marshal`` export Python objects and keep the bytes as they are.
"""
from __future__ import annotations

import hashlib
import json

from scrapy import exporters


def by_reference(value):
    """``value`` with every bytes value in it replaced by ``sha256:<hex>``."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, dict):
        return {k: by_reference(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [by_reference(v) for v in value]
    return value


class _RawByReference:
    def serialize_field(self, field, name, value):
        return super().serialize_field(field, name, by_reference(value))


class JsonLinesItemExporter(_RawByReference, exporters.JsonLinesItemExporter):
    pass


class JsonItemExporter(_RawByReference, exporters.JsonItemExporter):
    pass


class XmlItemExporter(_RawByReference, exporters.XmlItemExporter):
    pass


class CsvItemExporter(_RawByReference, exporters.CsvItemExporter):
    def serialize_field(self, field, name, value):
        value = super().serialize_field(field, name, value)
        if isinstance(value, (dict, list, tuple)):
            return json.dumps(value, ensure_ascii=False, default=str)
        return value

