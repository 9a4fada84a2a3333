"""TRS-style static portals (TRS WCM publishing ``.shtml``/``.html`` files).

A column is a run of static list pages ``index.shtml``, ``index_1.shtml``, … whose number
is written into the first page as a call to the pager script::

    createPageHTML(3, 0, "index", "shtml");                          // older: current is 0-based
    createPageHTML('page_div', 3, 1, 'index', 'shtml', 25);          // newer: 1-based, + record count

Articles sit below the column at ``<YYYYMM>/t<YYYYMMDD>_<id>.html`` or
``<YYYYMM>/<32 hex>.shtml``; the body is in ``.TRS_Editor`` (or ``#zoom``,
``.Custom_UnionStyle``, ``#ivs_content``). The pure helpers here are shared with the
generic spider, which recognises TRS pages by the same pager call.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin


from gxnb_spiders.platforms.base import ColumnSpider, StaticPages, listed_links

_ARG = r"""\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))\s*"""
_CREATE_PAGE_RE = re.compile(r"createPageHTML\s*\(((?:" + _ARG + r",?)+)\)")
_ONE_ARG_RE = re.compile(_ARG)

# article links below a TRS column: 202301/t20230120_123456.html or 202301/<32 hex>.shtml
ARTICLE_HREF_RE = re.compile(r"(?:^|/)\d{6}/(?:t\d{8}_\d+\.s?html?|[0-9a-f]{32}\.s?html?)$", re.I)
BODY_SCOPES = ("TRS_Editor", "Custom_UnionStyle")
BODY_IDS = ("zoom", "ivs_content")


def parse_create_page_html(text: str) -> tuple[int, int, str, str, int | None] | None:
    """The pager call of a TRS list page → ``(page_count, current_page, prefix, suffix,
    record_count)``; ``record_count`` is None when the call does not say it (older form).

    ``current_page`` is normalised to 0-based (0 = ``index.shtml``, 1 = ``index_1.shtml``)
    whichever variant the page uses:

    - ``createPageHTML(count, current, "index", "shtml")`` — older, ``current`` 0-based;
    - ``createPageHTML('page_div', count, current, 'index', 'shtml', records)`` — newer,
      ``current`` 1-based, first argument the id of the pager element.

    None when the text holds no such call (not a TRS list, or a single page without pager).
    """
    for m in _CREATE_PAGE_RE.finditer(text):
        args = []
        for a in _ONE_ARG_RE.finditer(m.group(1)):
            if a.group(3) is not None:
                args.append(int(a.group(3)))
            else:
                args.append(a.group(1) if a.group(1) is not None else a.group(2))
        if len(args) >= 4 and isinstance(args[0], int) and isinstance(args[1], int) \
                and isinstance(args[2], str) and isinstance(args[3], str):
            count, current, prefix, suffix = args[:4]
            records = args[4] if len(args) > 4 and isinstance(args[4], int) else None
        elif len(args) >= 5 and isinstance(args[0], str) and isinstance(args[1], int) \
                and isinstance(args[2], int) and isinstance(args[3], str) and isinstance(args[4], str):
            count, current, prefix, suffix = args[1], args[2] - 1, args[3], args[4]
            records = args[5] if len(args) > 5 and isinstance(args[5], int) else None
        else:
            continue
        count = max(count, 1)
        return count, min(max(current, 0), count - 1), prefix, suffix, records
    return None


def list_page_urls(base_url: str, page_count: int, prefix: str = "index", suffix: str = "shtml") -> list[str]:
    """Every list page of a TRS column, in order: ``prefix.suffix``, ``prefix_1.suffix`` …

    ``base_url`` is any URL in the column's directory (a list page or the directory
    itself, ending in ``/``); the pages are resolved against it.
    """
    names = [f"{prefix}.{suffix}"] + [f"{prefix}_{i}.{suffix}" for i in range(1, page_count)]
    return [urljoin(base_url, n) for n in names]


def article_links(response) -> list[tuple[str, str, str | None]]:
    """``(url, title, listed_date)`` of the article links on a TRS list page, in order."""
    return listed_links(response, ARTICLE_HREF_RE)


class TRS(StaticPages):
    """The TRS platform: a ``createPageHTML(…)`` pager names the column's pages (and, in its
    newer form, its records); articles have TRS's dated URL shapes."""

    name = "trs"
    detect_order = 30

    def detect(self, response) -> bool:
        return parse_create_page_html(response.text) is not None

    def entries(self, response):
        return [{"url": u, "title": t, "date": d} for u, t, d in article_links(response)]

    def told(self, response) -> dict:
        pager = parse_create_page_html(response.text)
        if not pager:
            return super().told(response)
        count, _, _, _, records = pager
        return {"pages": count, "records": records}

    def list_pages(self, response):
        pager = parse_create_page_html(response.text)
        if not pager:
            return None
        count, current, prefix, suffix, _ = pager
        return list_page_urls(response.url, count, prefix, suffix), current

    def report_scope(self, response) -> str:
        # the editor's parent: the body and the attachment list that TRS puts beside it
        for cls in BODY_SCOPES:
            xp = f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
            if response.xpath(xp):
                return f"({xp})[1]/.."
        for id_ in BODY_IDS:
            if response.xpath(f"//*[@id='{id_}']"):
                return f"//*[@id='{id_}']/.."
        return "//body"


class TRSSpider(ColumnSpider):
    """Base spider of TRS-style portals. Site spiders set ``column_urls`` (the first
    list page of each annual-report column, newest column first)."""

    platform = "trs"
    strategy = TRS()
    needs = ("column_urls",)
