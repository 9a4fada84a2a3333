"""The one table of document formats: what each is called, how it is recognised (file
extension, content type, magic bytes), which reader reads it, and how much it is preferred.

Both sides use it: the spiders (``gxnb_spiders/platforms/base.py``) to know which links
are candidate documents, the readers (``pipelines/extract``) to sniff bytes and pick a
reader, and ``pipelines/workers.py`` to fetch the best kinds first. Pure Python, no
Scrapy, no reader imported here: adding a format is one row below plus its reader module.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Format:
    kind: str                           # the name a link, a sniff and a reader share
    extensions: tuple[str, ...]         # lower case, with the dot
    content_types: tuple[str, ...] = ()  # substrings of a Content-Type header
    magic: tuple[bytes, ...] = ()        # what the file's first bytes are
    reader: str | None = None           # "module.function" of pipelines.extract that reads it; None: none yet
    linked: bool = True                 # spiders take a link to it as a candidate document
    decoded: bool = False               # its reader takes text (decoded here), not bytes and a file name


# Preference is the order of the rows: of a report's linked documents, the first readable
# kind is fetched first. Text layers beat scans: images (read by OCR) come after Word.
FORMATS: tuple[Format, ...] = (
    Format("pdf", (".pdf",), ("pdf",), (b"%PDF",), "pdf.read"),
    Format("docx", (".docx",), ("wordprocessingml",), (b"PK\x03\x04",), "docx.read"),
    Format("doc", (".doc",), ("msword",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), "docx.read"),
    Format("wps", (".wps",), ("kswps", "vnd.ms-works"), (), "docx.read"),  # WPS Office: an OLE file, sniffs as doc
    Format("image", (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp"), ("image/",),
           (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM"), "ocr.read_image_file"),
    Format("xls", (".xls", ".xlsx", ".et"), ("spreadsheet", "ms-excel")),
    Format("ofd", (".ofd",), ("ofd",)),
    Format("html", (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"), ("html",),
           reader="html.read", linked=False, decoded=True),
    Format("text", (".txt", ".text", ".csv", ".tsv", ".md"), ("text/plain",), reader="text.read", linked=False, decoded=True),
)

_BY_KIND = {f.kind: f for f in FORMATS}
_BY_EXT = {ext: f for f in FORMATS for ext in f.extensions}

# kinds a report's linked documents can be read as, best first
READABLE_KINDS = tuple(f.kind for f in FORMATS if f.linked and f.reader)
# extensions (without the dot) of every document a spider takes as a candidate
LINKED_EXTENSIONS = tuple(ext[1:] for f in FORMATS if f.linked for ext in f.extensions)
# documents (not pictures) that viewer URLs carry as ``?file=…``
VIEWED_EXTENSIONS = tuple(ext[1:] for kind in READABLE_KINDS if kind != "image"
                          for ext in _BY_KIND[kind].extensions)
HTML_EXTS = frozenset(_BY_KIND["html"].extensions)
TEXT_EXTS = frozenset(_BY_KIND["text"].extensions)
IMAGE_EXTS = frozenset(_BY_KIND["image"].extensions)


def format_of(kind: str) -> Format | None:
    return _BY_KIND.get(kind)


def extension(name: str | None) -> str:
    """".pdf" …: the suffix of a file name or URL path (query and fragment dropped)."""
    if not name:
        return ""
    return PurePosixPath(name.split("?")[0].split("#")[0]).suffix.lower()


def kind_of_name(name: str | None) -> str:
    """The kind a file name or URL path says ("pdf", "image" …), "" when it says none."""
    f = _BY_EXT.get(extension(name))
    return f.kind if f else ""


def link_kind(url: str | None, name: str | None = None) -> str:
    """The kind of a linked document: by its URL's path, else by its link name."""
    for text in (urlsplit(url or "").path, name or ""):
        if extension(text):
            return kind_of_name(text) or extension(text).lstrip(".")
    return ""


def kind_of_content_type(content_type: str | None) -> str:
    """The kind a Content-Type header says, "" when none of ours (or a generic one)."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if not ct or ct in ("application/octet-stream", "application/download", "application/force-download"):
        return ""
    return next((f.kind for f in FORMATS if any(c in ct for c in f.content_types)), "")


def rank(kind: str) -> int:
    """Preference of a kind (lower is fetched first); unreadable kinds last."""
    return READABLE_KINDS.index(kind) if kind in READABLE_KINDS else len(READABLE_KINDS)


_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|p|meta|title)\b", re.I)


def looks_like_html(head: bytes) -> bool:
    return bool(_HTML_RE.search(head))


def sniff(data: bytes, filename: str | None = None, content_type: str | None = None) -> str:
    """The reading kind of some bytes: "pdf", "docx", "doc", "image", "html", "text" or
    "binary". Magic bytes first, then what the name and content type say."""
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:  # junk before the header happens
        return "pdf"
    ext = extension(filename)
    for f in FORMATS:
        if f.magic and head.startswith(f.magic) and f.reader:
            if f.kind == "docx" and not (b"word/" in data[:65536] or ext == ".docx"):
                return "binary"  # a zip that is not a Word file
            return f.kind
    ct = (content_type or "").lower()
    said = _BY_EXT.get(ext)
    if (said and said.linked and said.reader) or any(
            c in ct for f in FORMATS if f.linked and f.reader and f.kind != "image" for c in f.content_types):
        # the name says a document the bytes are not: maybe an HTML error page
        return "html" if looks_like_html(head) else "binary"
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary"
    if ext in HTML_EXTS or "html" in ct or looks_like_html(head):
        return "html" if ext not in TEXT_EXTS else "text"
    return "text"
