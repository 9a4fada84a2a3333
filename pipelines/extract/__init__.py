"""Bytes or text of a report → the canonical record (shared/schema/annual-report.md).

    extract(data, *, filename=None, content_type=None) -> dict
    empty_record() -> dict

``extract`` sniffs the format (pipelines/formats.py: magic bytes, extension, content type;
that table also names each format's reader), decodes text by BOM / declared charset / meta
charset / UTF-8 or GB18030, reads it into a Document (blocks.py), finds the template
and metadata, and maps the three tables (mapping.py). The record carries the readers'
and the mapper's findings and a provisional status: "unparsed" when no table could be
read, else "valid" until pipelines.validate decides. It never raises on bad input.

Findings added here (besides the mapper's placeholder / unreadable_cell / unmapped_row):
- ``unsupported_format``: a file we cannot read (zip, spreadsheet, unknown binary);
- ``unreadable_file``: a reader failed on the file; the message says why;
- ``no_tables``: nothing in the document looked like the template's tables;
- ``free_form``: a report under the 2007 条例, which has no template tables.
(Each rule's severity is ``pipelines.record.SEVERITY``'s.)
"""
from __future__ import annotations

import codecs
import importlib
import logging
import re

from pipelines.formats import HTML_EXTS, TEXT_EXTS, extension, format_of, looks_like_html, sniff
from pipelines.record import SCHEMA_VERSION, Record, empty_record, finding  # noqa: F401  (the record's shape)

from . import templates
from .blocks import Document, Line, Table
from .bodymeta import agency_elsewhere, read_meta
from .normalise import compact

log = logging.getLogger(__name__)

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CT_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)




def _ext(filename: str | None) -> str:
    return extension(filename)


def decode(data: bytes, content_type: str | None = None) -> str:
    """Bytes → text: BOM, then declared charset, then meta charset, then UTF-8 or GB18030."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    declared = None
    m = _CT_CHARSET_RE.search(content_type or "")
    if m:
        declared = m.group(1).decode() if isinstance(m.group(1), bytes) else m.group(1)
    else:
        m = _CHARSET_RE.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "ignore")
    try:
        utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if declared:
        enc = declared.lower()
        if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
            enc = "gb18030"  # the superset: pages declared GB2312 use GBK characters
        # a page that declares one charset but is valid UTF-8 is UTF-8 (common after CMS moves)
        if enc != "utf-8" and utf8 is not None and re.search(rb"[\x80-\xff]", data):
            return utf8
        try:
            return utf8 if enc == "utf-8" and utf8 is not None else data.decode(enc)
        except LookupError:
            pass
        except UnicodeDecodeError:
            # the label is wrong (GBK served as UTF-8 …): the other usual charset, if it fits
            for other in ("gb18030", "utf-8"):
                if other != enc:
                    try:
                        return data.decode(other)
                    except UnicodeDecodeError:
                        pass
            return data.decode(enc, errors="replace")
    if utf8 is not None:
        return utf8
    return data.decode("gb18030", errors="replace")


def read_document(data: bytes | str, *, filename: str | None = None,
                  content_type: str | None = None) -> tuple[Document, str]:
    """Any input → (Document, format name). Never raises."""
    if isinstance(data, str):
        fmt = "html" if (_ext(filename) in HTML_EXTS or looks_like_html(data[:2048].encode("utf-8", "ignore"))) \
            and _ext(filename) not in TEXT_EXTS else "text"
        text = data
    else:
        fmt = sniff(data or b"", filename, content_type)
        text = None
    try:
        form = format_of(fmt)
        if form is None or form.reader is None:
            return Document(blocks=[], findings=[finding(
                "unsupported_format", f"{filename or 'input'}: not HTML, text, PDF, Word or an image")]), fmt
        module, function = form.reader.rsplit(".", 1)
        read = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        if form.decoded:
            return read(text if text is not None else decode(data, content_type)), fmt
        return read(data, filename or f"report.{fmt}"), fmt
    except ImportError as exc:
        return Document(blocks=[], findings=[finding(
            "unsupported_format", f"{filename or 'input'}: no reader for {fmt} ({exc})")]), fmt
    except MemoryError:       # not the file's fault alone: extract says so
        raise
    except Exception as exc:  # a hostile or broken file must not cost the report
        log.debug("reader failed", exc_info=True)
        return Document(blocks=[], findings=[finding(
            "unreadable_file", f"{filename or 'input'}: {fmt} reader failed: {type(exc).__name__}: {exc}")]), fmt


def extract(data: bytes | str, *, filename: str | None = None, content_type: str | None = None,
            source: str | None = None, sha256: str | None = None) -> Record:
    """The canonical record of one report (unvalidated: see pipelines.validate).

    ``source`` and ``sha256`` name the file in the record's provenance: ``"page"`` for
    the report page, else the attachment's URL or name (default: ``filename``)."""
    def read() -> Document:
        return read_document(data if data is not None else b"", filename=filename, content_type=content_type)[0]

    return _record_of(read, lambda page: (source or filename or "page", sha256), filename or "input")


def extract_pictures(pictures: list[tuple[bytes, str, str | None]]) -> dict:
    """The record of a report whose tables are pictures (its article's, in page order),
    read by OCR together as one document: ``pictures`` are (bytes, URL or name, SHA-256).
    Each number's provenance names the picture it was read from (``page``: its place)."""
    origin: list[int] = []  # the picture each OCR'd page came from

    def read() -> Document:
        from . import ocr

        doc, pages = ocr.read_image_files([(data, name) for data, name, _ in pictures])
        origin.extend(pages)
        return doc

    def file_of(page) -> tuple[str, str | None]:
        _, name, sha = pictures[origin[page - 1] if isinstance(page, int) and 0 < page <= len(origin) else 0]
        return name, sha

    return _record_of(read, file_of, pictures[0][1])


def _record_of(read, file_of, name: str) -> dict:
    """``read()``'s Document → its record, each number's provenance naming its file
    (``file_of(page)`` → (file, sha256)). A bug or a memory ceiling costs a finding, never the report."""
    record = empty_record()
    try:
        record = record_from_document(read())
        for entry in record.get("provenance", {}).values():
            entry["file"], entry["sha256"] = file_of(entry.get("page"))
        return record
    except MemoryError:   # past the reading process's ceiling (pipelines/workers.py)
        log.error("out of memory reading %s", name)
        record = empty_record()
        record["findings"].append(finding("extraction_error", f"{name}: reading it needed "
                                          f"more memory than {_memory_ceiling()}"))
        return record
    except Exception as exc:  # a bug must not cost the report: say so, keep going
        log.exception("extraction failed")
        record["findings"].append(finding("extraction_error",
                                          f"extraction failed: {type(exc).__name__}: {exc}"))
        return record


def _memory_ceiling() -> str:
    import resource

    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    return "there is" if soft == resource.RLIM_INFINITY else f"this process may use ({soft >> 20} MB)"


def record_from_document(doc: Document) -> dict:
    from .mapping import map_document, simplified
    from .ocr_repair import repair
    from .active_structure import fill_active_by_structure
    from .confirm import confirm
    from .positions import fill_by_position
    from .wrapped_rows import fill_wrapped_rows

    record = empty_record()
    record["findings"].extend(doc.findings)
    sdoc = simplified(doc)  # the one traditional → simplified pass
    lines = [b.text for b in doc.blocks if isinstance(b, Line)]
    slines = [b.text for b in sdoc.blocks if isinstance(b, Line)]
    if not lines:  # PDFs/DOCX may hold the title only inside the text of tables
        lines, slines = doc.text.split("\n"), sdoc.text.split("\n")
    if len(lines) > 240:
        lines, slines = lines[:200] + lines[-40:], slines[:200] + slines[-40:]
    meta = read_meta(lines, doc.title, slines)
    agency = meta["agency"] or agency_elsewhere(doc.text, doc.author)
    record.update(year=meta["year"], agency=agency, title=meta["title"])
    template = templates.detect(compact(sdoc.text), meta["year"])
    record["template"] = template
    if template == templates.PRE2019:
        # free-form reports: no template tables to map
        if not any(isinstance(b, Table) for b in doc.blocks):
            record["findings"].append(finding("free_form", "report under the 2007 条例: no template tables"))
            return record
    cells: dict = {}
    active, applications, review, findings, provenance, by_order = map_document(sdoc, template, is_simplified=True,
                                                                               cells=cells)
    # a row that adds up both with its wrapped numbers joined and as printed (layout_wraps):
    # its own total says nothing, its columns' sums decide, once the table is as whole as it gets
    two_ways = {path for path, p in provenance.items()
                if p.get("locator") in doc.doubtful and not path.startswith("active_disclosure.")}
    confirm(template, applications, review, provenance, findings, active, by_order - two_ways)
    applications, review = fill_by_position(sdoc, template, applications, review, provenance, findings)
    repair(template, applications, review, provenance, findings, cells)
    if two_ways:
        confirm(template, applications, review, provenance, findings, None, two_ways, row_totals=False)
    applications = fill_wrapped_rows(sdoc, template, applications, provenance, findings)
    active = fill_active_by_structure(sdoc, template, active, provenance, findings)
    record["findings"].extend(findings)
    record.update(active_disclosure=active, applications=applications, review_litigation=review,
                  provenance=provenance)
    if active is None and applications is None and review is None:
        record["status"] = "unparsed"
        if not any(f["rule"] in ("needs_ocr", "unsupported_format", "unreadable_file") for f in doc.findings):
            record["findings"].append(finding("no_tables", "no table of the template could be read"))
    else:
        record["status"] = "valid"
        if template == templates.UNKNOWN:
            record["template"] = templates.T2019 if applications and "other" in applications else templates.T2021
    return record
