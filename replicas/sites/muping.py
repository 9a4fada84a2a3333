"""Replica of www.muping.gov.cn (烟台市牟平区), Hanweb ``xxgk`` module: one portal, many
reporting bodies, each with its own ``area`` code.

What it serves (shapes in platforms/hanweb.py):

- ``/col/col39386/index.html``: the xxgk 年报 navigation, listing the reporting units,
  each linking to ``/module/xxgk/xxgkAnnualReport.jsp?area=<code>[&showType=2]``;
- ``/module/xxgk/xxgkAnnualReport.jsp?area=<code>&fbtime=<year>[&showType=2]``: one
  body's report for one year (title, 发布时间, tables, PDF), with the unit's years as
  links (without ``fbtime``: the newest year);
- ``/attach/0/<hex>.pdf``: the PDF of every report.

Data: 烟台市牟平区人民政府 2022 is the real report (seed 004, published
2023-01-17 10:40:09); every other body/year is derived from it by ``reportgen.derive``
with changed numbers that still add up (``Report.origin`` says which). One report is
published as a PDF only. Deterministic; built on first request.
"""
from __future__ import annotations

from replicas import reportgen
from replicas.hanweb import HanwebSite, Report, credit_code, digest, published_at, xxgk_page

HOST = "www.muping.gov.cn"
REGION = "370612"
SEED_BODY, SEED_YEAR = "烟台市牟平区人民政府", 2022
SEED_PUBLISHED = "2023-01-17 10:40:09"
# (body, area code, showType, years): the first two codes are the portal's own
BODIES = (
    (SEED_BODY, "113706000042603877A", "2", range(2019, 2025)),
    ("烟台市牟平区人民政府办公室", "113706120042717488", None, range(2019, 2025)),
    ("烟台市牟平区发展和改革局", credit_code(REGION, 427535), None, range(2019, 2025)),
    ("烟台市牟平区教育和体育局", credit_code(REGION, 427543), None, range(2020, 2025)),
    ("烟台市牟平区财政局", credit_code(REGION, 427578), None, range(2019, 2025)),
    ("烟台市牟平区卫生健康局", credit_code(REGION, 427594), None, range(2019, 2025)),
    ("烟台市牟平区宁海街道办事处", credit_code(REGION, 428317), None, range(2021, 2025)),
)
PDF_ONLY = {("烟台市牟平区财政局", 2019)}


class MupingSite(HanwebSite):
    name = "muping"
    hosts = (HOST, "muping.gov.cn")
    site_title = "烟台市牟平区人民政府"
    webid = 27
    units_path = "/col/col39386/index.html"

    def build_reports(self) -> list[Report]:
        seed = reportgen.load_record(4)
        out = []
        for n, (body, area, show_type, years) in enumerate(BODIES):
            for year in years:
                if (body, year) == (SEED_BODY, SEED_YEAR):
                    record, origin, published = seed, "seed 004 (the real report)", SEED_PUBLISHED
                else:
                    record = reportgen.derive(seed, year, seed=n, agency=None if body == SEED_BODY else body)
                    origin = f"derived from seed 004 for {body} {year}, numbers changed, tables add up"
                    published = published_at(year, f"muping/{body}")
                out.append(Report(body, area, year, record, origin, published,
                                  page=xxgk_page(area, year, show_type),
                                  pdf=f"/attach/0/{digest('muping', body, year)}.pdf",
                                  pdf_only=(body, year) in PDF_ONLY, show_type=show_type))
        return out

    def _unit_order(self, body: str) -> int:
        return [b[0] for b in BODIES].index(body)


SITE = MupingSite()
