"""What every annual-report spider shares, whatever the platform.

A platform base (hanweb.py, lianyungang.py, trs.py, generic.py) knows how its CMS lists
and pages reports; a site spider is configuration on top. This base knows what happens
once a report page is in hand: the metadata block, the links to candidate documents, the
``years``/``body`` arguments, the item. A spider only fetches: it never reads a report's
tables. Whether a linked document is needed, and which, is decided when the report is
read (``pipelines/workers.py``), which then fetches it through Scrapy.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy.utils.response import get_base_url

from gxnb_spiders import incremental
from gxnb_spiders.items import ReportItem
from gxnb_spiders.middlewares import allowed_domains, is_offsite
from pipelines.formats import LINKED_EXTENSIONS, VIEWED_EXTENSIONS

# links to documents a report may be published as (pipelines/formats.py): office files, PDF/OFD, images
ATTACHMENT_RE = re.compile(rf"\.({'|'.join(LINKED_EXTENSIONS)})(?:$|[?#])", re.I)
REPORT_TITLE_RE = re.compile(r"(政府信息公开|政務公開|政府信息公開|政务公开).{0,12}(年度報告|年度报告|年报|年報)|年度报告|年報|年报")
YEAR_RE = re.compile(r"(20[0-4]\d|19[89]\d)\s*年?")

# metadata labels as portals print them → item metadata keys
META_LABELS = {
    "索引号": "index_no",
    "分类": "category",
    "信息分类": "category",
    "主题分类": "category",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "文号": "doc_no",
    "发文字号": "doc_no",
    "成文日期": "written_date",
    "发布日期": "published_date",
    "发布时间": "published_date",
    "有效性": "validity",
    "时效": "validity",
    "名称": "name",
    "标题": "name",
}
_LABEL_ALT = "|".join(sorted(map(re.escape, META_LABELS), key=len, reverse=True))
_META_TEXT_RE = re.compile(rf"({_LABEL_ALT})\s*[:：]\s*")


# a date printed beside a list link: 2024-01-17, 2024.01.17, 2024/1/17, 2024年1月17日
LISTED_DATE_RE = re.compile(r"(19|20)\d\d[-./年]\d{1,2}[-./月]\d{1,2}")


def link_title(a) -> str:
    """A link's title: its ``title`` attribute (lists cut their text with …), else its text."""
    return re.sub(r"\s+", " ", (a.attrib.get("title") or " ".join(a.xpath(".//text()").getall()))).strip()


def listed_links(response, href_re: re.Pattern | None = None) -> list[tuple[str, str, str | None]]:
    """``(url, title, listed_date)`` of each link on a list page, once each, in page order.

    ``href_re`` keeps only links whose path matches (a platform's article URL shape); the
    date is the first date-looking text beside the link.
    """
    out, seen = [], set()
    for a in response.xpath("//a[@href]"):
        href = a.attrib["href"].strip()
        if href.startswith(("javascript:", "#", "mailto:")):
            continue
        if href_re is not None and not href_re.search(href.split("?")[0]):
            continue
        url = response.urljoin(href)
        if url in seen:
            continue
        seen.add(url)
        near = " ".join(a.xpath("../text()|../*[not(self::a)]//text()").getall())
        date = LISTED_DATE_RE.search(near)
        out.append((url, link_title(a), date.group(0) if date else None))
    return out


_YEAR_PART_RE = re.compile(r"^(\d{4})(?:\s*[-–~]\s*(\d{4}))?$")


def parse_years(spec: str | None) -> set[int] | None:
    """``"2021-2023"``, ``"2022"``, ``"2019,2021-2022"`` → set of years; None = all.
    Anything else (``abc``, ``2023-2021``, ``21``) is refused with a ValueError that says
    what to write instead."""
    if not spec:
        return None
    years: set[int] = set()
    for part in str(spec).split(","):
        part = part.strip()
        if not part:
            continue
        m = _YEAR_PART_RE.match(part)
        if not m:
            raise ValueError(f"-a years={spec}: {part!r} is not a year or a range of years "
                             "(write 2023, 2021-2023 or 2019,2021-2023)")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise ValueError(f"-a years={spec}: the range {part} runs backwards "
                             f"(write {last}-{first})")
        years.update(range(first, last + 1))
    return years or None


def year_in(text: str | None) -> int | None:
    """The year a title or URL speaks of: the first plausible 4-digit year."""
    if not text:
        return None
    m = YEAR_RE.search(text)
    return int(m.group(1)) if m else None


def is_report_title(text: str | None) -> bool:
    return bool(text and REPORT_TITLE_RE.search(text))


def body_in_title(title: str | None) -> str | None:
    """The reporting body a title names before its year: 大同市教育局2022年… → 大同市教育局."""
    m = re.match(r"\s*(.+?)\s*(?:19|20)\d\d\s*年", title or "")
    return m.group(1) if m else None


def page_metadata(sel: scrapy.Selector | scrapy.http.Response) -> dict:
    """The metadata block (索引号, 发布机构, 文号, 成文日期, 发布日期 …) of a report page.

    Read by label, whatever the markup: table cells (label cell then value cell) or
    ``label:value`` runs of text. Only labels that stand alone in their cell or are
    followed by a colon count, so body text does not leak in.
    """
    meta: dict[str, str] = {}
    # on the lxml tree itself: parsel wraps every node and string in a Selector
    root = sel.root if isinstance(sel, scrapy.Selector) else sel.selector.root
    # 1. label cell followed by value cell (tables, dl/dt/dd, li>span pairs); libxml2 keeps
    # only the elements whose text holds a label's last character, of hundreds of cells
    for node in _LABEL_CANDIDATES(root):
        label = _WS_RE.sub("", "".join(node.itertext())).rstrip(":：")
        key = META_LABELS.get(label)
        if not key or key in meta:
            continue
        nxt = _NEXT_ELEMENT(node)
        value = _WS_RE.sub(" ", "".join(nxt[0].itertext())).strip() if nxt else ""
        if not value:  # value as the text right after the label inside the same parent
            tail = (_NEXT_TEXT(node) or [""])[0]
            value = tail.strip().lstrip(":：").strip()
        if value and not _META_TEXT_RE.match(value):
            meta[key] = value
    # 2. "label:value" in running text of short elements (xxgk headers, 发布时间:…)
    for text in _BODY_TEXTS(root):
        if len(text) > 300 or (":" not in text and "：" not in text):
            continue
        for m in _META_TEXT_RE.finditer(text):
            key = META_LABELS[m.group(1)]
            if key in meta:
                continue
            rest = text[m.end():]
            nxt = _META_TEXT_RE.search(rest)
            value = (rest[: nxt.start()] if nxt else rest).strip()
            if value:
                meta[key] = value
    return meta


_WS_RE = re.compile(r"\s+")
# Every label, once whitespace and colons are gone, ends in one of these characters, and
# an element's string holds all of its text: so this never drops a label cell. (Naming
# the whitespace in XPath is not an option: lxml refuses \x0b, \x0c, \x1c-\x1f, which
# Python's \s strips.)
_LAST = "".join(sorted({label[-1] for label in META_LABELS}))
_LABEL_CANDIDATES = etree.XPath(
    f"(//td|//th|//dt|//span|//label|//strong|//b)"
    f"[contains(translate(., '{_LAST[1:]}', '{_LAST[0] * (len(_LAST) - 1)}'), '{_LAST[0]}')]")
_NEXT_ELEMENT = etree.XPath("following-sibling::*[1]")
_NEXT_TEXT = etree.XPath("following-sibling::text()[1]", smart_strings=False)
_BODY_TEXTS = etree.XPath("//body//text()", smart_strings=False)


def attachment_links(response: scrapy.http.Response, scope: str = "//body", pictures: bool = False) -> list[dict]:
    """Links to report files on the page: <a href>, PDF viewers (<iframe>/<embed>/<object>),
    and viewer URLs carrying ``?file=….pdf``. Absolute URLs, each once, in page order.
    With ``pictures`` (``scope`` is the article, not the whole page), the article's <img>
    pictures follow, in page order, as ``kind: "image"`` candidates (tables posted as
    pictures); a ``data:`` picture is handed on as it is, decoded when it is read."""
    if pictures:
        links = attachment_links(response, scope)
        linked = {a["url"] for a in links}
        return links + [p for p in _pictures(response, scope) if p["url"] not in linked]
    seen, out = set(), []

    def add(url: str, name):
        try:
            url = response.urljoin(url.strip())
            m = _VIEWER_FILE_RE.search(url)
            if m:
                url = urljoin(url, unquote(m.group(1)))
            path = urlsplit(url).path
        except ValueError:  # "http://[::1/x.pdf": one broken link must not cost the report
            return
        if not ATTACHMENT_RE.search(path) or url in seen:
            return
        seen.add(url)
        out.append({"url": url, "name": (name() if name else "") or url.rsplit("/", 1)[-1]})

    found = _scoped_links(response, scope)
    if found is None:  # a scope that is not a plain path: the queries as written
        for a in response.xpath(f"{scope}//a[@href]"):
            add(a.attrib["href"], lambda a=a: " ".join(a.xpath(".//text()").getall()).strip())
        for el in response.xpath(f"{scope}//iframe[@src]|{scope}//embed[@src]"):
            add(el.attrib["src"], None)
        for el in response.xpath(f"{scope}//object[@data]"):
            add(el.attrib["data"], None)
        return out
    for el in found:  # anchors first, then viewers, each in page order
        if el.tag == "a":
            add(el.get("href"), lambda a=el: " ".join(_ALL_TEXT(a)).strip())
    for el in found:
        if el.tag in ("iframe", "embed"):
            add(el.get("src"), None)
    for el in found:
        if el.tag == "object":
            add(el.get("data"), None)
    return out


def _pictures(response, scope: str) -> list[dict]:
    seen, out = set(), []
    for img in response.xpath(f"{scope}//img"):
        src = (img.attrib.get("src") or img.attrib.get("data-src") or "").strip()
        if src.startswith("data:"):
            url = src if src[5:].lower().startswith("image/") else ""
        else:
            try:
                url = response.urljoin(src) if src else ""
            except ValueError:  # a broken src must not cost the report
                continue
            if urlsplit(url).scheme not in ("http", "https"):
                continue
        if not url or url in seen:
            continue
        seen.add(url)
        name = (img.attrib.get("alt") or img.attrib.get("title") or "").strip()
        out.append({"url": url, "name": name or ("picture" if url.startswith("data:") else url.rsplit("/", 1)[-1]),
                    "kind": "image"})
    return out


_VIEWER_FILE_RE = re.compile(rf"[?&](?:file|url|path)=([^&#]+\.(?:{'|'.join(VIEWED_EXTENSIONS)}))", re.I)
_ALL_TEXT = etree.XPath(".//text()", smart_strings=False)
# An attachment URL's file name comes from the href, or from the page's base URL when the
# href has no path (``?x``, ``#y``): so when the base names no file kind, only hrefs that
# spell one can count: in any case, with the letters re.I also matches (ſ for s, ı and
# İ for i), and with tab/CR/LF anywhere (urlsplit drops them).
# (each linked extension, less those that hold a shorter one: "doc" covers "docx")
_KIND_HINTS = tuple(sorted({e for e in LINKED_EXTENSIONS if not any(o != e and o in e for o in LINKED_EXTENSIONS)}))
_KIND_HINT_RE = re.compile("|".join(_KIND_HINTS), re.I)
_LETTERS = sorted(set("".join(_KIND_HINTS)))
_FROM = "".join(c.upper() for c in _LETTERS) + "ſıİ"
_TO = "".join(_LETTERS) + "sii"
_HINTED = ("[" + " or ".join(f"contains(translate(@href, '{_FROM}\t\r\n', '{_TO}'), '{k}')"
                             for k in _KIND_HINTS) + "]")
_LINKS = etree.XPath("$s//a[@href] | $s//iframe[@src] | $s//embed[@src] | $s//object[@data]")
_HINTED_LINKS = etree.XPath(f"$s//a[@href]{_HINTED} | $s//iframe[@src] | $s//embed[@src] | $s//object[@data]")


def _scoped_links(response, scope: str) -> list | None:
    """The <a>/<iframe>/<embed>/<object> elements under ``scope`` in page order, the scope
    evaluated once (not once per query); None when ``scope`` is not a plain node path."""
    if "|" in scope:  # "{scope}//a" would bind to the union's last branch only
        return None
    nodes = [n.root for n in response.xpath(scope)]
    if not all(isinstance(n, etree._Element) for n in nodes):
        return None
    base = get_base_url(response).replace("\t", "").replace("\r", "").replace("\n", "")
    query = _LINKS if _KIND_HINT_RE.search(base) else _HINTED_LINKS
    return query(response.selector.root, s=nodes)


STAT_LISTED = "gxnb/reports_listed"          # report links the lists showed
STAT_NOT_WANTED = "gxnb/reports_not_wanted"  # … of which -a years/-a body left out


class ReportSpider(scrapy.Spider):
    """Base of every gxnb spider.

    Subclasses set ``platform``, ``portal_url`` and whatever their platform base needs,
    and call ``self.report_request(url, **context)`` for each report link they find.
    Arguments every spider takes: ``-a years=2021-2023``, ``-a body=<name or code>``.
    """

    platform = "generic"
    portal_url = ""

    @property
    def portal(self) -> str:
        """The portal's name in the database: the site spider's name; a spider that
        crawls any portal (generic) names it by its host instead."""
        return self.name

    def __init__(self, *args, years: str | None = None, body: str | None = None,
                 full: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = parse_years(years)
        self.years_spec = years
        self.body_filter = body
        self.full = full            # -a full=1: download every report, stored or not
        self._own_run = None        # the run context of a spider outside a crawl

    @property
    def run_context(self):
        """This crawl's run context (gxnb_spiders/run.py), where the run's state lives; a
        spider outside a crawl (a test calling its callbacks) keeps one of its own."""
        from gxnb_spiders.run import RunContext

        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            return RunContext.of(crawler)
        if self._own_run is None:
            self._own_run = RunContext(None)
        return self._own_run

    # --- narrowing
    def want_year(self, year: int | None) -> bool:
        return self.years is None or year is None or year in self.years

    def want_body(self, name: str | None = None, code: str | None = None) -> bool:
        """Whether ``-a body=`` means this body (as a person writes it: gxnb_spiders.bodies)."""
        self.run_context.listed_bodies.setdefault((name, code), set())
        if not self.body_filter:
            return True
        from gxnb_spiders.bodies import matches

        return matches(self.body_filter, name, code)

    def past_wanted_years(self, listed_years) -> bool:
        """True when every year on a newest-first list page is older than any wanted:
        later pages cannot hold a wanted report, so paging can stop."""
        known = [y for y in listed_years if y]
        return bool(self.years and known and max(known) < min(self.years))

    # --- reports
    def report_request(self, url: str, *, title: str | None = None, year: int | None = None,
                       body_name: str | None = None, body_code: str | None = None,
                       listed_date: str | None = None, **meta) -> scrapy.Request | None:
        """A request for one report page, or None when the arguments exclude it."""
        year = year or year_in(title)
        stats = self.crawler.stats if getattr(self, "crawler", None) else None
        if stats:  # the monitors tell "nothing listed" from "nothing matched -a years/body"
            stats.inc_value(STAT_LISTED)
        wanted = self.want_body(body_name, body_code)
        self.run_context.listed_bodies[(body_name, body_code)].add(year)
        if not wanted or not self.want_year(year):
            if stats:
                stats.inc_value(STAT_NOT_WANTED)
            return None
        if getattr(self, "listing_only", None):  # `scrapy bodies`: the lists, not the reports
            return None
        if incremental.skip_unchanged(self, url, listed_date=listed_date, title=title):
            return None  # stored, and the list shows no change
        ctx = dict(title=title, year=year, body_name=body_name, body_code=body_code,
                   listed_date=listed_date)
        return scrapy.Request(url, callback=self.parse_report, cb_kwargs={"ctx": ctx},
                              meta=meta or None)

    def report_body_scope(self, response) -> str:
        """XPath of the report's body container; platforms override for precision."""
        return "//body"

    def candidate_documents(self, response) -> list[dict]:
        """The report's linked documents, and the pictures of its article when the platform
        knows where the article is (a whole page's pictures are logos and icons)."""
        scope = self.report_body_scope(response)
        return attachment_links(response, scope, pictures=scope not in ("//body", "/html/body"))

    def parse_report(self, response, ctx: dict):
        item = self.make_item(response, ctx)
        # Scrapy keeps the response until the item pipelines are done with the item; its
        # parsed tree (~1 MB for a 70 KB Word-pasted page) is not needed after make_item
        if getattr(response, "_cached_selector", None) is not None:
            response._cached_selector = None
        yield item

    def make_item(self, response, ctx: dict) -> ReportItem:
        """The item of a report page; of a report file when the list links the file itself
        (a PDF, DOC …): then the file is the report's one attachment."""
        if isinstance(response, scrapy.http.TextResponse):
            meta = page_metadata(response)
            title = ctx.get("title") or meta.get("name") or (
                response.xpath("//meta[@name='ArticleTitle']/@content").get()
                or response.xpath("normalize-space(//title)").get())
            page = dict(body=response.body, content_type=response.headers.get("Content-Type", b"").decode("latin-1"),
                        encoding=getattr(response, "encoding", None),
                        attachments=self.candidate_documents(response))
        else:
            meta, title = {}, ctx.get("title")
            page = dict(body=b"", content_type="", encoding=None, attachments=[{
                "url": response.url, "name": title or response.url.rsplit("/", 1)[-1],
                "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
                "data": response.body, "error": None}])
        return ReportItem(
            portal=self.portal,
            portal_url=self.portal_url,
            platform=self.platform,
            body_name=ctx.get("body_name"),
            body_code=ctx.get("body_code"),
            url=response.url,
            title=(title or "").strip() or None,
            year=ctx.get("year") or year_in(title),
            metadata=meta,
            listed_date=ctx.get("listed_date"),
            **page,
        )


class Platform:
    """How one CMS platform publishes a list of reports: a strategy, shared by its site base
    spider (and so by registry rows of that platform) and by the generic spider, which
    picks the first platform whose ``detect`` says yes (platforms/__init__.py).

    - ``detect``: does this page belong to a list of this platform?
    - ``entries``: every ``{url, title, date}`` the list page lists (report or not; a
      platform may add ``year``, ``body_name``, ``body_code`` when its links say them);
    - ``told``: what the page says of the column's size, ``{"records": N}`` and/or
      ``{"pages": N}`` (monitored by gxnb_spiders/coverage.py);
    - ``next_pages``: the requests for the column's further pages after this one, given
      the column's state (``column.state``, the platform's own); the spider gives them
      its callback. ``response`` is None when the page failed: go on if the platform can;
    - ``report_scope``: XPath of a report page's body (where its attachment links are).
    """

    name = ""
    detect_order = 50  # the generic spider tries lower first: specific platforms before fallbacks

    def detect(self, response) -> bool:
        return False

    def entries(self, response) -> list[dict]:
        return [{"url": u, "title": t, "date": d} for u, t, d in listed_links(response)]

    def told(self, response) -> dict:
        m = RECORD_COUNT_RE.search(_flat_text(response.text))
        return {"records": int(m.group(1))} if m else {}

    def next_pages(self, response, url: str, column, all_at_once: bool) -> list[scrapy.Request]:
        return []

    def report_scope(self, response) -> str:
        return "//body"


# "共20条", "共 96 条记录", "共有 12 条"
RECORD_COUNT_RE = re.compile(r"共有?\s*(\d+)\s*条")


def _flat_text(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)


class StaticPages(Platform):
    """A column paged as static files (TRS ``index_N.shtml``, Lianyungang ``index_N.html``…)
    whose first page's pager names them all: ``list_pages`` gives every page URL and the
    index of this one. With ``all_at_once`` every page is queued from the first page (the
    scheduler paces them); otherwise they are read one after the other."""

    def list_pages(self, response) -> tuple[list[str], int] | None:
        raise NotImplementedError

    def next_pages(self, response, url, column, all_at_once):
        pages = column.state.get("pages")
        if pages is None:
            found = self.list_pages(response) if response is not None else None
            if not found:
                return []
            pages, index = found
            column.state["pages"] = pages
            if all_at_once:
                column.state["queued"] = True
                return [scrapy.Request(u) for u in pages[index + 1:]]
            column.state["queued"] = False
        if column.state.get("queued") or url not in pages:
            return []
        index = pages.index(url)
        return [scrapy.Request(pages[index + 1])] if index + 1 < len(pages) else []


class ColumnSpider(ReportSpider):
    """Walks report columns with a ``Platform`` strategy: each list page's entries become
    report requests, its ``told`` figures and entries go to the run's coverage, and its
    ``next_pages`` are followed, unless every year on it is older than any wanted (lists
    run newest first). A list page that fails every retry is logged and the walk goes on
    where the platform can, so the rest of the column is still read (and the coverage
    monitor names the column).

    Site bases set ``strategy`` (their platform) and ``column_urls``.
    """

    strategy: Platform = Platform()
    column_urls: tuple[str, ...] = ()
    needs: tuple[str, ...] = ("column_urls",)  # registry fields a row of this platform must have (one of)

    async def start(self):
        for url in self.column_urls:
            yield self.list_request(scrapy.Request(url), url)

    def list_request(self, req: scrapy.Request, column_url: str, strategy: Platform | None = None) -> scrapy.Request:
        return req.replace(callback=self.parse_list, errback=self.list_page_failed,
                           cb_kwargs={"column_url": column_url, "strategy": strategy})

    def parse_list(self, response, column_url: str | None = None, strategy: Platform | None = None):
        """A page of the column: its reports, and the column's other pages.

        @column
        @follows parse_report 1
        """
        strategy = strategy or self.strategy
        column = self.run_context.coverage.column(column_url or response.url, strategy.name)
        column.pages_read.add(response.url)
        if getattr(self, "crawler", None):
            self.crawler.stats.inc_value(f"gxnb/list_pages/{strategy.name}")
        column.told(**strategy.told(response))
        entries = strategy.entries(response)
        domains = allowed_domains(self)
        for e in entries:  # a link to another host is listed, but this crawl never fetches it
            (column.offsite if is_offsite(e["url"], domains) else column.entries).add(e["url"])
        reports = [e for e in entries if self.is_report(e)]
        yield from self.report_requests(reports)
        if self.past_wanted_years([e.get("year") or year_in(e["title"]) for e in reports]):
            column.narrowed = True
            return
        yield from self.follow(strategy.next_pages(response, response.url, column, not self.years),
                               column.url, strategy)

    def follow(self, requests, column_url: str, strategy: Platform):
        for req in requests:
            body = req.meta.get("gxnb_body")  # a page of one body's reports (xxgk units)
            if body and not self.want_body(*body):
                continue
            yield self.list_request(req, column_url, strategy)

    def list_page_failed(self, failure):
        kw = failure.request.cb_kwargs
        strategy = kw.get("strategy") or self.strategy
        column = self.run_context.coverage.column(kw.get("column_url") or failure.request.url, strategy.name)
        column.pages_failed.append(failure.request.url)
        self.logger.error("list page %s of column %s failed, going on with the next: %s",
                          failure.request.url, column.url, failure.value)
        yield from self.follow(strategy.next_pages(None, failure.request.url, column, not self.years),
                               column.url, strategy)

    def is_report(self, entry: dict) -> bool:
        return bool(entry.get("year")) or is_report_title(entry["title"])

    def report_requests(self, entries: list[dict]):
        handled = self.run_context.report_links
        for e in entries:
            if e["url"] in handled:  # Hanweb's groups repeat their edge records
                continue
            handled.add(e["url"])
            title = e["title"] if is_report_title(e["title"]) else None
            req = self.report_request(e["url"], title=title, year=e.get("year") or year_in(e["title"]),
                                      body_name=body_in_title(title) or e.get("body_name"),
                                      body_code=e.get("body_code"), listed_date=e.get("date"))
            if req is not None:
                yield req

    def report_body_scope(self, response) -> str:
        return self.strategy.report_scope(response)
