"""Crawling a portal gxnb has no site file for.

From a home or column URL the generic spider walks down to the annual-report column
(links named 政府信息公开年报, 政府信息公开工作年度报告, 年度报告 …, also one or two levels
below 政府信息公开 / 信息公开目录), recognises how the list is published — the first
platform of ``platforms/`` whose strategy ``detect``s the page (hanweb_jcms, hanweb_xxgk,
trs, lianyungang …), else the fallbacks here — and walks the column with that strategy,
exactly as the platform's own base spider does (``ColumnSpider``):

- ``paged``: plain numbered pages ``index_N.html`` / ``下一页`` links;
- ``links``: whatever report links the page has;
- ``script``: none of the above and no report links, but scripts: the list is written by
  JavaScript, so that one page is rendered in Chromium (scrapy-playwright) and the
  crawl goes on with plain requests.

Only links whose title names an annual report with a year are kept. On a report page the
body is looked for in the usual CMS containers, else the largest text block; attachments
(PDF/DOC/DOCX, PDF viewers) are the fallback, as in every spider (platforms/base.py).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import scrapy

from gxnb_spiders.platforms import hanweb
from gxnb_spiders.platforms.base import (ColumnSpider, Platform, attachment_links, is_report_title, link_title,
                                         listed_links, year_in)

# link text of an annual-report column (no year: with a year it is a report)
COLUMN_RE = re.compile(r"^(政府|政务)?(信息公开|政务公开|政府信息公开|政府信息公開)?(工作)?"
                       r"(年度报告|年报|年度報告|年報)(专栏|栏目|目录)?([（(].{0,12}[)）])?$")
# link text of the sections that hold that column, most specific first
NAV_NAMES = ("信息公开目录", "政府信息公开目录", "法定主动公开内容", "法定公开内容", "主动公开",
             "政府信息公开", "政务公开", "信息公开", "政府信息公开专栏", "政务公开专栏")
NEXT_PAGE_TEXTS = ("下一页", "下页", "后一页", ">", "›", "»")
PAGED_HREF_RE = re.compile(r"(?:^|/)(index|list|default)_(\d+)\.s?html?$", re.I)
BODY_CONTAINERS = (
    "//*[@id='zoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='ivs_content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' Custom_UnionStyle ')]",
    "//*[@id='webeditorview']",
)
MAX_NAV_DEPTH = 2        # 首页 → 政府信息公开 → 信息公开目录
MAX_LIST_PAGES = 100     # per column, for plain numbered pages


def compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def is_column_name(text: str) -> bool:
    """政府信息公开年报, 政府信息公开工作年度报告（2020年及以前）…: a column, not a report
    (a year outside the brackets makes it a report's title)."""
    t = compact(text)
    unbracketed = re.sub(r"[（(].*?[)）]", "", t)
    return bool(t) and len(t) <= 30 and not year_in(unbracketed) and bool(COLUMN_RE.match(t))


def column_links(response) -> list[str]:
    """URLs of links to an annual-report column, in page order."""
    out = []
    for a in response.xpath("//a[@href]"):
        if is_column_name(link_title(a)):
            url = response.urljoin(a.attrib["href"].strip())
            if url.startswith("http") and url not in out:
                out.append(url)
    return out


def nav_links(response) -> list[str]:
    """URLs of links to the sections that hold the column (政府信息公开, 信息公开目录 …),
    the more specific names first."""
    found: dict[str, int] = {}
    for a in response.xpath("//a[@href]"):
        name = compact(link_title(a))
        if name in NAV_NAMES:
            url = response.urljoin(a.attrib["href"].strip())
            if url.startswith("http"):
                found.setdefault(url, NAV_NAMES.index(name))
    return sorted(found, key=found.get)


def list_entries(response) -> list[dict]:
    """Every ``{url, title, date}`` the page lists: its links and, on Hanweb pages, the
    records of the embedded datastore (which are not links in the HTML tree)."""
    entries, seen = [], set()
    if hanweb.DATASTORE_RE.search(response.text):
        for rec in hanweb.parse_datastore(response.text, response.url)["records"]:
            if rec["url"] not in seen:
                seen.add(rec["url"])
                entries.append(rec)
    for url, title, date in listed_links(response):
        if url not in seen:
            seen.add(url)
            entries.append({"url": url, "title": title, "date": date})
    return entries


def is_report_entry(entry: dict) -> bool:
    """An annual report: the title names one and its year (or an xxgk link gives the year)."""
    link = hanweb.xxgk_link(entry["url"])
    if link and link["year"]:
        return True
    title = entry["title"]
    return is_report_title(title) and year_in(title) is not None and not is_column_name(title)


class NumberedPages(Platform):
    """No known platform, but numbered list pages (``index_1.html`` …) or a 下一页 link:
    each page's links are followed, at most ``MAX_LIST_PAGES`` per column."""

    name = "paged"
    detect_order = 90

    def detect(self, response) -> bool:
        return bool(paged_links(response) or next_page_links(response))

    def next_pages(self, response, url, column, all_at_once):
        if response is None:
            return []
        asked = column.state.setdefault("asked", {column.url})
        out = []
        for u in paged_links(response) + next_page_links(response):
            if u not in asked and len(asked) <= MAX_LIST_PAGES:
                asked.add(u)
                out.append(scrapy.Request(u))
        return out


class Links(NumberedPages):
    """Whatever report links the page has (and its numbered pages, if any turn up)."""

    name = "links"
    detect_order = 99

    def detect(self, response) -> bool:
        return True


FALLBACKS = (NumberedPages.name, Links.name)


def detect(response) -> Platform:
    """The platform of a list page: the first platform (platforms/__init__.py, in their
    ``detect_order``) that recognises it; ``links`` recognises any page."""
    from gxnb_spiders.platforms import strategies

    return next(p for p in strategies() if p.detect(response))


def detect_platform(response) -> str:
    return detect(response).name


def paged_links(response) -> list[str]:
    """Numbered list pages (``index_1.html`` …) in the same directory as this page."""
    here = response.url.rsplit("/", 1)[0] + "/"
    out = []
    for href in response.xpath("//a/@href").getall():
        url = response.urljoin(href.strip())
        if PAGED_HREF_RE.search(urlsplit(url).path) and url.startswith(here) and url not in out:
            out.append(url)
    return out


def next_page_links(response) -> list[str]:
    out = []
    for a in response.xpath("//a[@href]"):
        if compact(link_title(a)) in NEXT_PAGE_TEXTS:
            href = a.attrib["href"].strip()
            if href and not href.startswith(("javascript:", "#")):
                out.append(response.urljoin(href))
    return out


def has_scripts(response) -> bool:
    return bool(response.xpath("//script[not(@type) or contains(@type,'javascript')]"))


def body_container(response) -> str:
    """XPath of the report body: the first usual CMS container on the page, else the
    largest text block (walking down from <body> while one child holds most of the text)."""
    for xp in BODY_CONTAINERS:
        if response.xpath(xp):
            return f"({xp})[1]"
    root = response.xpath("//body")
    if not root:
        return "//body"
    node = root[0].root

    def text_len(el) -> int:
        return len(compact("".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))))

    total = text_len(node)
    while True:
        kids = [k for k in node.iterchildren() if isinstance(k.tag, str)
                and k.tag.lower() in ("div", "article", "section", "td", "table", "tbody", "tr", "main", "form")]
        if not kids or not total:
            break
        best = max(kids, key=text_len)
        best_len = text_len(best)
        if best_len < 0.7 * total:
            break
        node, total = best, best_len
    return node.getroottree().getpath(node)


class GenericSpider(ColumnSpider):
    """Finds the annual-report column from ``url`` and crawls it, whatever the platform."""

    platform = "generic"
    needs = ()  # it starts from the row's url

    @property
    def portal(self) -> str:
        return self._portal

    def __init__(self, *args, url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("the generic spider needs -a url=<portal home or column URL>")
        if "://" not in url:
            url = "http://" + url
        self.start_url = url
        parts = urlsplit(url)
        self.portal_url = f"{parts.scheme}://{parts.netloc}/"
        host = (parts.hostname or "").lower()
        # the portal's own domain: discovery stays on it (attachments may live elsewhere)
        self.allowed_domains = [host[4:] if host.startswith("www.") else host]
        self._portal = host
        self._rendered: set[str] = set()

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse_page,
                             cb_kwargs={"depth": 0, "column": True})

    # --- discovery
    def parse_page(self, response, depth: int, column: bool):
        """A home, section or column page: list it if it lists reports, else go down."""
        if not hasattr(response, "text"):
            return
        entries = [e for e in list_entries(response) if is_report_entry(e)]
        platform = detect(response)
        if entries:
            yield from self.walk(response, platform)
            return
        # a page of a known platform with nothing on it yet (a units page, an empty first
        # group): its platform's paging may still hold reports
        walked = [] if platform.name in FALLBACKS else list(self.walk(response, platform))
        yield from walked
        columns = [u for u in column_links(response) if u != response.url]
        for url in columns:
            yield scrapy.Request(url, callback=self.parse_page,
                                 cb_kwargs={"depth": depth + 1, "column": True})
        if columns or walked:
            return
        navs = [u for u in nav_links(response) if u != response.url] if depth < MAX_NAV_DEPTH else []
        scripted = has_scripts(response) and response.url not in self._rendered
        # a column page with no list in its HTML: the list is written by script, so this
        # one page goes to the browser (the start page only when it leads nowhere else)
        if scripted and (column and depth > 0 or not navs):
            yield self.render_request(response.url, depth)
            return
        for url in navs:
            yield scrapy.Request(url, callback=self.parse_page,
                                 cb_kwargs={"depth": depth + 1, "column": False})

    def walk(self, response, platform: Platform, seen_as: str | None = None):
        """This page is a column's first page: walk the column with its platform."""
        name = seen_as or platform.name
        self.crawler.stats.inc_value(f"gxnb/generic/platform/{name}")
        self.logger.info("annual-report list at %s (platform: %s)", response.url, name)
        yield from self.parse_list(response, column_url=response.url, strategy=platform)

    def render_request(self, url: str, depth: int) -> scrapy.Request:
        from scrapy_playwright.page import PageMethod

        from gxnb_spiders.browser import DEFAULT_TIMEOUT, Settle

        self._rendered.add(url)
        self.crawler.stats.inc_value("gxnb/generic/rendered_lists")
        self.logger.info("no report links in the HTML of %s but scripts: rendering it in the browser", url)
        # read once the DOM is ready and the network quiet (its script writes the list from
        # JSON); a subresource that never comes is waited for a quarter of the page's time
        settle = Settle(self.settings.getfloat("GXNB_BROWSER_TIMEOUT", DEFAULT_TIMEOUT) / 4)
        return scrapy.Request(url, callback=self.parse_rendered, dont_filter=True,
                              cb_kwargs={"depth": depth},
                              meta={"playwright": True, "playwright_page_methods": [PageMethod(settle)],
                                    "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded"}})

    def parse_rendered(self, response, depth: int):
        entries = [e for e in list_entries(response) if is_report_entry(e)]
        if not entries:
            self.logger.warning("no annual-report links on %s, even rendered in the browser", response.url)
            return
        yield from self.walk(response, detect(response), seen_as="script")

    def parse_list(self, response, column_url: str | None = None, strategy: Platform | None = None):
        # no contract here: the generic spider has no list page before it has found one
        return super().parse_list(response, column_url, strategy)

    def is_report(self, entry: dict) -> bool:
        return is_report_entry(entry)

    # --- report pages
    def report_body_scope(self, response) -> str:
        return body_container(response)

    def make_item(self, response, ctx: dict):
        item = super().make_item(response, ctx)
        if not isinstance(response, scrapy.http.TextResponse):
            return item
        if not any(a.get("kind") != "image" for a in item["attachments"]):
            # attachment lists often sit just beside the body container (the article's own
            # pictures, if any, stay: they are read only when no document has the tables)
            scope = self.report_body_scope(response)
            if scope != "//body" and scope != "/html/body":
                beside = attachment_links(response, f"{scope}/..")
                listed = {a["url"] for a in beside}
                item["attachments"] = beside + [a for a in item["attachments"] if a["url"] not in listed]
        if not item.get("title"):
            item["title"] = (response.xpath("//meta[@name='ArticleTitle']/@content").get() or "").strip() or None
        return item
