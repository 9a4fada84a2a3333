"""Replica of www.laiyang.gov.cn (莱阳市, 烟台), Hanweb JCMS + its ``xxgk`` module.

What it serves (shapes in platforms/hanweb.py):

- ``/col/col7441/index.html``: the 政府信息公开年报 column, newest first, its first group
  of 45 records embedded as a ``<datastore>``; later groups from ``POST
  /module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15`` (each later
  group repeats the record before it);
- ``/module/xxgk/xxgkAnnualReport.jsp?area=<统一社会信用代码>&fbtime=<year>``: the report
  pages of the 市政府办公室 and the departments (title, 发布时间, tables, PDF);
- ``/art/<Y>/<M>/<D>/art_7441_<id>.html``: the towns' and streets' reports, posted as
  JCMS articles (ArticleTitle/PubDate/ContentSource metas, body in ``#zoom``);
- ``/attach/0/<hex>.pdf``: the PDF of every report.

Data: 莱阳市人民政府办公室 2023 is the real report (seed 000, published
2024-01-17 13:55:55); every other body/year is derived from it by ``reportgen.derive``
with changed numbers that still add up (``Report.origin`` says which). Two reports are
published as PDF only (their page has no tables). Deterministic; built on first request.
"""
from __future__ import annotations

from replicas import reportgen
from replicas.hanweb import (
    HanwebSite, Report, article_page, credit_code, digest, published_at, xxgk_page,
)

HOST = "www.laiyang.gov.cn"
REGION = "370682"
YEARS = range(2019, 2025)
SEED_BODY, SEED_YEAR, SEED_AREA = "莱阳市人民政府办公室", 2023, "11370682004276012B"
SEED_PUBLISHED = "2024-01-17 13:55:55"
# (body, serial of its organisation code, "xxgk" report pages or JCMS "art"icles)
BODIES = (
    (SEED_BODY, None, "xxgk"),
    ("莱阳市发展和改革局", 427631, "xxgk"),
    ("莱阳市教育和体育局", 427658, "xxgk"),
    ("莱阳市公安局", 427666, "xxgk"),
    ("莱阳市民政局", 427682, "xxgk"),
    ("莱阳市财政局", 427703, "xxgk"),
    ("莱阳市人力资源和社会保障局", 427711, "xxgk"),
    ("莱阳市自然资源和规划局", 427738, "xxgk"),
    ("莱阳市住房和城乡建设局", 427746, "xxgk"),
    ("莱阳市农业农村局", 427754, "xxgk"),
    ("莱阳市卫生健康局", 427789, "xxgk"),
    ("莱阳市市场监督管理局", 427797, "xxgk"),
    ("莱阳市城厢街道办事处", 428015, "art"),
    ("莱阳市古柳街道办事处", 428023, "art"),
    ("莱阳市穴坊镇人民政府", 428104, "art"),
    ("莱阳市姜疃镇人民政府", 428112, "art"),
)
# published as a PDF only: the page says "see the attachment"
PDF_ONLY = {("莱阳市穴坊镇人民政府", 2020), ("莱阳市财政局", 2021)}


class LaiyangSite(HanwebSite):
    name = "laiyang"
    hosts = (HOST, "laiyang.gov.cn")
    site_title = "莱阳市人民政府"
    webid = 12
    column_id = 7441
    unit_id = 36752

    def build_reports(self) -> list[Report]:
        seed = reportgen.load_record(0)
        out = []
        for n, (body, serial, kind) in enumerate(BODIES):
            area = SEED_AREA if serial is None else credit_code(REGION, serial)
            for year in YEARS:
                if (body, year) == (SEED_BODY, SEED_YEAR):
                    record, origin, published = seed, "seed 000 (the real report)", SEED_PUBLISHED
                else:
                    # one derive seed per body keeps its year-to-year chains
                    record = reportgen.derive(seed, year, seed=n, agency=None if body == SEED_BODY else body)
                    origin = f"derived from seed 000 for {body} {year}, numbers changed, tables add up"
                    published = published_at(year, f"laiyang/{body}")
                h = digest("laiyang", body, year)
                page = (xxgk_page(area, year) if kind == "xxgk"
                        else article_page(self.column_id, published, 2_870_000 + int(h[:5], 16) % 99_999))
                out.append(Report(body, area, year, record, origin, published, page,
                                  pdf=f"/attach/0/{h}.pdf", pdf_only=(body, year) in PDF_ONLY))
        return out


SITE = LaiyangSite()
