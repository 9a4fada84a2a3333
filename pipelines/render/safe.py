"""Text from a portal made safe for each output format.

Titles, body names, URLs and finding messages come from the web: a portal (or someone who
controls one) can put ``<script>``, ``[x](javascript:…)`` or a ``|`` in them. Every
renderer passes them through here, so they show as the text they are and never become
markup, a link to anything but http(s), or an extra table column.
"""
from __future__ import annotations

import re
from html import escape as _html_escape
from urllib.parse import urlsplit

# the punctuation that can start or end markup in the middle of a line (emphasis, code,
# links and images, headings' closing #, table cells, strikethrough); text is kept on
# one line, so line-start markers (-, 1., =, >) cannot act, and with [ ] escaped neither
# can ( ). An underscore inside a word (new_received) cannot emphasise, so it stays.
_MD_SPECIAL = re.compile(r"([\\`*{}\[\]#!|~]|(?<!\w)_|_(?!\w))")
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")
# C0 and C1 controls: ESC and CSI would let a title drive the terminal `scrapy demo` prints to
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def safe_url(url) -> str | None:
    """``url`` when it is an absolute http(s) URL a reader may follow, else None
    (``javascript:``, ``data:``, relative or malformed URLs are never links)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _CONTROL.search(url) or any(c in url for c in ' <>"\'`\\\n\r\t'):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def one_line(text) -> str:
    """``text`` as one line: breaks and tabs become spaces, control characters go."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", "" if text is None else str(text)))


def md_text(text) -> str:
    """Portal text for Markdown: one line, HTML characters as entities (shown literally by
    CommonMark and by HTML), every Markdown punctuation mark backslash-escaped (so no
    emphasis, link, heading, list or table cell boundary can start)."""
    line = one_line(text)
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # the entities' own '&' and ';' must stay as they are; escape everything else
    out = []
    for piece in re.split(r"(&(?:amp|lt|gt);)", line):
        out.append(piece if re.fullmatch(r"&(?:amp|lt|gt);", piece) else _MD_SPECIAL.sub(r"\\\1", piece))
    return "".join(out)


def md_link(url, label=None) -> str:
    """An http(s) URL as a Markdown link (``label`` escaped); any other URL as plain
    escaped text, never a link."""
    ok = safe_url(url)
    if ok is None:
        return md_text(url) if url else ""
    # inside <…> a CommonMark link destination may hold anything but <, > and line breaks
    return f"[{md_text(label or ok)}](<{ok}>)"


def html_text(text) -> str:
    return _html_escape("" if text is None else str(text), quote=True)


def html_href(url) -> str | None:
    """An attribute-escaped href for an http(s) URL; None for anything else."""
    ok = safe_url(url)
    return None if ok is None else _html_escape(ok, quote=True)


# a spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_cell(value):
    """A CSV cell a spreadsheet will not run: text starting with = + - @ tab or a line
    break gets a leading apostrophe (OWASP's rule; Excel and LibreOffice show the text
    as it was). Numbers stay numbers, negative ones included; None stays None."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
