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

The pure helpers (``parse_datastore``, ``jpage_config``, ``dataproxy_request(s)``,
``xxgk_link``) are shared with the generic spider.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import scrapy
from parsel import Selector

from gxnb_spiders.platforms.base import ReportSpider, body_in_title, is_report_title, year_in

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


def dataproxy_request(config: dict, group: int, **kwargs) -> scrapy.FormRequest:
    """The POST for group ``group`` (1-based; the page itself holds group 1) of a column,
    given ``jpage_config``'s result. ``kwargs`` go to the FormRequest (callback, cb_kwargs…)."""
    size = config["perpage"] * config["groupsize"]
    start, end = (group - 1) * size + 1, group * size
    url = f"{config['proxy']}?startrecord={start}&endrecord={end}&perpage={config['perpage']}"
    return scrapy.FormRequest(url, formdata=config["fields"], **kwargs)


def dataproxy_requests(response, **kwargs) -> list[scrapy.FormRequest]:
    """Every dataproxy.jsp POST a column page needs beyond its embedded first group
    (empty when the column fits in one group or the page has no datastore). When the page
    does not say its total, only group 2 is returned: its answer's ``<totalrecord>``
    tells the rest."""
    config = jpage_config(response.text, response.url)
    if not config:
        return []
    size = config["perpage"] * config["groupsize"]
    total = config["totalrecord"]
    if total is None:
        return [dataproxy_request(config, 2, **kwargs)] if config["first_count"] >= size else []
    groups = -(-total // size)
    return [dataproxy_request(config, g, **kwargs) for g in range(2, groups + 1)]


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


class HanwebReportPages(ReportSpider):
    """What both Hanweb bases share: reading a report page (JCMS article or xxgk report)."""

    def report_body_scope(self, response) -> str:
        for xp in ("//div[@id='zoom']", "//div[contains(@class,'xxgk_nb')]", "//div[@id='xxgk_content']"):
            if response.xpath(xp):
                return xp
        return "//body"

    def make_item(self, response, ctx: dict):
        item = super().make_item(response, ctx)
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
    column_urls: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._listed: set[str] = set()  # report URLs already requested (group edges repeat one)

    async def start(self):
        for url in self.column_urls:
            yield scrapy.Request(url, callback=self.parse_column)

    def parse_column(self, response):
        """A JCMS column page: the reports of its first group, the request for the next.

        @column
        @follows parse_report 1
        """
        config = jpage_config(response.text, response.url)
        if config is None:
            self.logger.warning("no Hanweb datastore on %s", response.url)
            return
        ds = parse_datastore(response.text, response.url)
        yield from self.report_requests(ds["records"])
        yield from self._next_group(config, 2, ds)

    def parse_dataproxy(self, response, config: dict, group: int):
        ds = parse_datastore(response.text, response.url)
        if ds["totalrecord"] is not None:
            config["totalrecord"] = ds["totalrecord"]
        yield from self.report_requests(ds["records"])
        yield from self._next_group(config, group + 1, ds)

    def _next_group(self, config: dict, group: int, ds: dict):
        # groups are asked one after the other, as the page's script does: a list runs
        # newest first, so once a group is all older than wanted the rest is skipped
        size = config["perpage"] * config["groupsize"]
        total = config["totalrecord"]
        more = (group - 1) * size < total if total is not None else len(ds["records"]) >= size
        if more and not self.past_wanted_years([year_in(r["title"]) for r in ds["records"]]):
            yield dataproxy_request(config, group, callback=self.parse_dataproxy,
                                    cb_kwargs={"config": config, "group": group})

    def report_requests(self, records: list[dict]):
        for rec in records:
            if rec["url"] in self._listed or not is_report_title(rec["title"]):
                continue
            self._listed.add(rec["url"])
            link = xxgk_link(rec["url"]) or {}
            req = self.report_request(rec["url"], title=rec["title"],
                                      year=link.get("year") or year_in(rec["title"]),
                                      body_name=body_in_title(rec["title"]),
                                      body_code=link.get("area"), listed_date=rec["date"])
            if req is not None:
                yield req


class HanwebXxgkSpider(HanwebReportPages):
    """Base spider of a Hanweb ``xxgk`` module's annual reports: units, then years.

    Site spiders set ``units_urls`` (pages of the 年报 navigation listing the reporting
    bodies with their xxgkAnnualReport.jsp?area=… links) and/or ``bodies`` (name → area
    code, optionally ``"code&showType=2"``) for bodies known in advance. Each unit's page
    lists its years (links with ``fbtime=``); each of those is one report.
    """

    platform = "hanweb_xxgk"
    units_urls: tuple[str, ...] = ()
    bodies: dict[str, str] = {}
    report_path = "/module/xxgk/xxgkAnnualReport.jsp"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._units: set[str] = set()

    async def start(self):
        for url in self.units_urls:
            yield scrapy.Request(url, callback=self.parse_units)
        base = self.portal_url.rstrip("/")
        for name, code in self.bodies.items():
            req = self.unit_request(f"{base}{self.report_path}?area={code}", name)
            if req is not None:
                yield req

    def unit_request(self, url: str, name: str | None):
        link = xxgk_link(url)
        if not link or not link["area"] or link["area"] in self._units:
            return None
        if not self.want_body(name, link["area"]):
            return None
        self._units.add(link["area"])
        return scrapy.Request(url, callback=self.parse_unit,
                              cb_kwargs={"body_name": name, "area": link["area"]})

    def parse_units(self, response):
        """The 年报 navigation: a request per reporting body (its years are on its page).

        @column
        @follows parse_unit 1
        """
        for a in response.xpath("//a[@href]"):
            url = response.urljoin(a.attrib["href"])
            link = xxgk_link(url)
            if not link or link["year"]:
                continue
            name = (a.attrib.get("title") or " ".join(a.xpath(".//text()").getall())).strip()
            req = self.unit_request(url, re.sub(r"\s+", "", name) or None)
            if req is not None:
                yield req

    def parse_unit(self, response, body_name: str | None, area: str):
        seen = set()
        for a in response.xpath("//a[@href]"):
            url = response.urljoin(a.attrib["href"])
            link = xxgk_link(url)
            if not link or link["area"] != area or not link["year"] or url in seen:
                continue
            seen.add(url)
            req = self.report_request(url, year=link["year"], body_name=body_name, body_code=area)
            if req is not None:
                yield req

