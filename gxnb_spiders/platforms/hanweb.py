"""Hanweb (大汉) portals: the JCMS column list and the ``xxgk`` (信息公开) module.

JCMS column pages (``/col/col<N>/index.html``) embed their first group of records::

    <script type="text/xml"><datastore>
      <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=…
          &path=/&columnid=…&unitid=…&webname=…&permissiontype=0"></a>]]></nextgroup>
      <recordset><record><![CDATA[<li><a href="…">title</a><span>2024-01-17</span></li>]]></record>…
    </recordset></datastore></script>
    … .jpage({ perPage: 15, groupSize: 3, totalRecord: 96, … })

and the later groups come from ``POST /module/web/jpage/dataproxy.jsp?startrecord=46&
endrecord=90&perpage=15`` with the nextgroup link's fields as the form (plus ``col=1``,
``sourceContentType=1``); the answer is the same ``<datastore>`` with ``<totalrecord>``
and ``<totalpage>``. A later group may begin with the last record of the one before.

The ``xxgk`` module serves one body's report for one year at
``/module/xxgk/xxgkAnnualReport.jsp?area=<unit code>&fbtime=<year>`` (title,
``发布时间:YYYY-MM-DD HH:MM:SS``, the body, the PDF of the same report); its 年报
navigation lists the units (each with its ``area`` code), and each unit's page lists its
years.

The platforms (``HanwebJcms``, ``HanwebXxgk``) are strategies shared by the site bases
below and the generic spider.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import scrapy
from parsel import Selector

from gxnb_spiders.platforms.base import ColumnSpider, Platform, link_title

DATASTORE_RE = re.compile(r"<datastore\b[^>]*>(.*?)</datastore>", re.S | re.I)
RECORD_RE = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
NEXTGROUP_RE = re.compile(r"<nextgroup\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup>", re.S | re.I)
DATE_RE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# numbers may be in the datastore's own tags or in the jpage({...}) call of the page
_NUMBERS = {
    "totalrecord": (r"<totalrecord>\s*(\d+)\s*</totalrecord>", r"totalRecord\s*[:=]\s*['\"]?(\d+)"),
    "totalpage": (r"<totalpage>\s*(\d+)\s*</totalpage>", r"totalPage\s*[:=]\s*['\"]?(\d+)"),
    "perpage": (r"<perpage>\s*(\d+)\s*</perpage>", r"perPage\s*[:=]\s*['\"]?(\d+)"),
    "groupsize": (r"<groupsize>\s*(\d+)\s*</groupsize>", r"groupSize\s*[:=]\s*['\"]?(\d+)"),
}
DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"
# form fields the jpage script always sends besides the nextgroup link's
DATAPROXY_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0"}
XXGK_REPORT_RE = re.compile(r"/module/xxgk/xxgkAnnualReport\.jsp", re.I)


def parse_datastore(text: str, base_url: str | None = None) -> dict:
    """Read a Hanweb ``<datastore>`` (embedded in a column page or a dataproxy.jsp answer).

    Returns ``{"records": [{"url", "title", "date"}], "totalrecord", "totalpage",
    "perpage", "groupsize", "nextgroup"}``; numbers are ints or None when the text does
    not say them (a column page gives them in its ``jpage({...})`` call, a dataproxy
    answer in ``<totalrecord>``/``<totalpage>``). ``nextgroup`` is the dataproxy link
    the page carries (absolute when ``base_url`` is given). Records keep their order;
    a record without a link is skipped; dates are given as ``YYYY-MM-DD``. Text with no
    datastore gives no records.
    """
    m = DATASTORE_RE.search(text)
    store = m.group(1) if m else ""
    records = []
    for rec in RECORD_RE.finditer(store):
        fragment = rec.group(1) if rec.group(1) is not None else rec.group(2)
        sel = Selector(text=f"<div>{fragment}</div>")
        a = sel.xpath("//a[@href]")
        if not a:
            continue
        href = a[0].attrib["href"].strip()
        title = (a[0].attrib.get("title") or " ".join(a[0].xpath(".//text()").getall())).strip()
        date = DATE_RE.search(" ".join(sel.xpath("//text()").getall()))
        records.append({
            "url": urljoin(base_url, href) if base_url else href,
            "title": re.sub(r"\s+", " ", title),
            "date": "{}-{:0>2}-{:0>2}".format(*date.groups()) if date else None,
        })
    out: dict = {"records": records}
    for key, (in_store, in_page) in _NUMBERS.items():
        n = re.search(in_store, store, re.I) or re.search(in_page, text)
        out[key] = int(n.group(1)) if n else None
    nxt = NEXTGROUP_RE.search(store)
    href = Selector(text=nxt.group(1) or nxt.group(2) or "").xpath("//a/@href").get() if nxt else None
    out["nextgroup"] = (urljoin(base_url, href) if base_url and href else href) or None
    return out


def jpage_config(text: str, base_url: str) -> dict | None:
    """How a column page pages: ``{"proxy", "fields", "perpage", "groupsize",
    "totalrecord"}``, or None when the page has no Hanweb datastore.

    ``proxy`` is the absolute dataproxy.jsp URL, ``fields`` the form to POST (from the
    nextgroup link, completed with the fields the jpage script always sends).
    """
    if not DATASTORE_RE.search(text):
        return None
    ds = parse_datastore(text, base_url)
    fields = dict(DATAPROXY_DEFAULTS)
    proxy = urljoin(base_url, DATAPROXY_PATH)
    if ds["nextgroup"]:
        parts = urlsplit(ds["nextgroup"])
        proxy = f"{parts.scheme}://{parts.netloc}{parts.path}"
        fields.update({k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()
                       if k not in ("page", "startrecord", "endrecord", "perpage")})
    else:  # older pages: the ids only in the page's script
        for key in ("webid", "columnid", "unitid"):
            m = re.search(rf"\b{key}\s*[:=]\s*['\"]?(\d+)", text, re.I)
            if m:
                fields[key] = m.group(1)
    return {"proxy": proxy, "fields": fields, "perpage": ds["perpage"] or 15,
            "groupsize": ds["groupsize"] or 3, "totalrecord": ds["totalrecord"],
            "first_count": len(ds["records"])}


def dataproxy_request(config: dict, start: int) -> scrapy.FormRequest:
    """The POST for the records from ``start`` (1-based) on, one group's worth
    (``perpage × groupsize``), given ``jpage_config``'s result."""
    end = start + config["perpage"] * config["groupsize"] - 1
    url = f"{config['proxy']}?startrecord={start}&endrecord={end}&perpage={config['perpage']}"
    return scrapy.FormRequest(url, formdata=config["fields"])


def asked_range(url: str) -> tuple[int, int] | None:
    """``(startrecord, endrecord)`` of a dataproxy.jsp URL, None for any other URL."""
    q = parse_qs(urlsplit(url).query)
    try:
        return int(q["startrecord"][0]), int(q["endrecord"][0])
    except (KeyError, ValueError):
        return None


def xxgk_link(url: str) -> dict | None:
    """``{"area", "year", "show_type"}`` of an xxgkAnnualReport.jsp URL (year None when
    the link has no ``fbtime``), or None for any other URL."""
    parts = urlsplit(url)
    if not XXGK_REPORT_RE.search(parts.path):
        return None
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    year = q.get("fbtime", "")
    return {"area": q.get("area"), "year": int(year) if year.isdigit() else None,
            "show_type": q.get("showType")}


def _unit_of(response) -> tuple[str | None, str] | None:
    """(body name, area) of the unit whose page this is, as the units page named it."""
    try:
        return response.meta.get("gxnb_body")
    except AttributeError:  # a response made without a request (tests, scrapy check)
        return None


class HanwebJcms(Platform):
    """A JCMS column: a ``<datastore>`` embedded in the page holds the first records; the
    rest come from dataproxy.jsp, one group at a time as the page's script asks them,
    starting after the records the page actually embeds (15, 45, 60 … whatever the
    portal put there, not ``perPage × groupSize``)."""

    name = "hanweb_jcms"
    detect_order = 10

    def detect(self, response) -> bool:
        return bool(DATASTORE_RE.search(response.text)) or "dataproxy.jsp" in response.text

    def entries(self, response):
        out = []
        for rec in parse_datastore(response.text, response.url)["records"]:
            link = xxgk_link(rec["url"]) or {}
            out.append({**rec, "year": link.get("year"), "body_code": link.get("area")})
        return out

    def told(self, response) -> dict:
        total = parse_datastore(response.text)["totalrecord"]
        return {"records": total} if total is not None else {}

    def next_pages(self, response, url, column, all_at_once):
        state = column.state
        asked = asked_range(url)
        if "config" not in state:  # the column page: its jpage settings, its embedded records
            config = jpage_config(response.text, url) if response is not None else None
            if config is None:
                return []
            state["config"], end = config, config["first_count"]
            got = config["first_count"]
        else:  # a dataproxy answer (or its failure): the records up to what was asked
            end = asked[1] if asked else state["end"]
            got = len(parse_datastore(response.text)["records"]) if response is not None else 0
        state["end"] = max(end, state.get("end", 0))
        total = column.told_records
        more = end < total if total is not None else got >= state["config"]["perpage"]
        return [dataproxy_request(state["config"], end + 1)] if more else []


class HanwebXxgk(Platform):
    """The ``xxgk`` module's 年报: a units page (the column) links each reporting body's
    page (``xxgkAnnualReport.jsp?area=…``, no year); a body's page links its years
    (``…&fbtime=<year>``), each one report. The units page says no total."""

    name = "hanweb_xxgk"
    detect_order = 20

    def detect(self, response) -> bool:
        return bool(XXGK_REPORT_RE.search(response.text))

    def entries(self, response):
        unit = _unit_of(response)
        out, seen = [], set()
        for a in response.xpath("//a[@href]"):
            url = response.urljoin(a.attrib["href"])
            link = xxgk_link(url)
            if not link or not link["year"] or url in seen or (unit and link["area"] != unit[1]):
                continue
            seen.add(url)
            out.append({"url": url, "title": link_title(a), "date": None, "year": link["year"],
                        "body_code": link["area"], "body_name": unit[0] if unit else None})
        return out

    def told(self, response) -> dict:
        return {}

    def next_pages(self, response, url, column, all_at_once):
        if response is None or _unit_of(response):  # a body's page leads nowhere further
            return []
        out = []
        for a in response.xpath("//a[@href]"):
            req = self.unit_request(response.urljoin(a.attrib["href"]),
                                    re.sub(r"\s+", "", link_title(a)) or None, column)
            if req is not None:
                out.append(req)
        return out

    def unit_request(self, url: str, name: str | None, column) -> scrapy.Request | None:
        link = xxgk_link(url)
        units = column.state.setdefault("units", set())
        if not link or link["year"] or not link["area"] or link["area"] in units:
            return None
        units.add(link["area"])
        return scrapy.Request(url, meta={"gxnb_body": (name, link["area"])})

    def report_scope(self, response) -> str:
        for xp in ("//div[@id='zoom']", "//div[contains(@class,'xxgk_nb')]", "//div[@id='xxgk_content']"):
            if response.xpath(xp):
                return xp
        return "//body"


# JCMS articles and xxgk pages have their body in the same places
HanwebJcms.report_scope = HanwebXxgk.report_scope


class HanwebReportPages(ColumnSpider):
    """What both Hanweb bases share: reading a report page (JCMS article or xxgk report)."""

    def make_item(self, response, ctx: dict):
        item = super().make_item(response, ctx)
        if not isinstance(response, scrapy.http.TextResponse):
            return item
        # JCMS article pages say in <meta> what the xxgk header says in text
        meta = item["metadata"]
        for name, key in (("PubDate", "published_date"), ("ContentSource", "publisher"),
                          ("ColumnName", "column")):
            value = (response.xpath(f"//meta[@name='{name}']/@content").get() or "").strip()
            if value and key not in meta:
                meta[key] = value
        if not item.get("title"):
            item["title"] = (response.xpath("//meta[@name='ArticleTitle']/@content").get() or "").strip() or None
        link = xxgk_link(response.url)
        if link and not item.get("body_code"):
            item["body_code"] = link["area"]
        return item


class HanwebColumnSpider(HanwebReportPages):
    """Base spider of a Hanweb JCMS annual-report column. Site spiders set ``column_urls``
    (the column's ``/col/col<N>/index.html``). Records link to JCMS articles
    (``/art/…``) or to the xxgk module's report pages; both are read the same way."""

    platform = "hanweb_jcms"
    strategy = HanwebJcms()
    needs = ("column_urls",)


class HanwebXxgkSpider(HanwebReportPages):
    """Base spider of a Hanweb ``xxgk`` module's annual reports: units, then years.

    Site spiders set ``units_urls`` (pages of the 年报 navigation listing the reporting
    bodies with their xxgkAnnualReport.jsp?area=… links) and/or ``bodies`` (name → area
    code, optionally ``"code&showType=2"``) for bodies known in advance. Each unit's page
    lists its years (links with ``fbtime=``); each of those is one report.
    """

    platform = "hanweb_xxgk"
    strategy = HanwebXxgk()
    needs = ("units_urls", "bodies")
    units_urls: tuple[str, ...] = ()
    bodies: dict[str, str] = {}
    report_path = "/module/xxgk/xxgkAnnualReport.jsp"

    async def start(self):
        for url in self.units_urls:
            yield self.list_request(scrapy.Request(url), url)
        base = self.portal_url.rstrip("/")
        column = self.run_context.coverage.column((self.units_urls or (self.portal_url,))[0], self.strategy.name)
        known = [self.strategy.unit_request(f"{base}{self.report_path}?area={code}", name, column)
                 for name, code in self.bodies.items()]
        for req in self.follow([r for r in known if r is not None], column.url, self.strategy):
            yield req

    def parse_list(self, response, column_url: str | None = None, strategy=None):
        """The 年报 navigation (and, through the same callback, each body's page of years).

        @column
        @follows parse_list 1
        """
        return super().parse_list(response, column_url, strategy)
