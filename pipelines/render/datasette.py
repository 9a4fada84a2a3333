"""Browsing the database with datasette (``pip install 'gxnb[browse]'``): metadata with
Chinese titles and descriptions for the tables and columns, and canned queries for the
questions people ask. ``scrapy site`` writes it beside the site; then

    datasette output/gxnb.sqlite --metadata output/site/datasette-metadata.json

The queries are plain SQLite SQL over the store's tables (``pipelines/store/models.py``),
usable without datasette too (``sqlite3 output/gxnb.sqlite``).
"""
from __future__ import annotations

from pipelines.render.labels_zh import ROWS

# the current revision's cells of each report, with its portal and body
_CURRENT = """
  from reports r
  join portals p on p.id = r.portal_id
  left join bodies b on b.id = r.body_id"""
# the latest year whose deadline (31 January of the year after) has passed today
_LAST_DUE = ("(cast(strftime('%Y', 'now') as integer) - 1 - "
             "(case when strftime('%m-%d', 'now') <= '01-31' then 1 else 0 end))")
_DENIED_LABELS = " ".join(f"when '{k}' then '{v}'" for k, v in ROWS["applications"].items()
                          if k.startswith("denied_"))

QUERIES = {
    "overdue_bodies": {
        "title": "逾期未发布年度报告的机构",
        "description": "最近一份报告的年度早于已过发布期限（次年1月31日）的最近年度的机构。",
        "sql": f"""select p.name as 门户, coalesce(b.name, b.key) as 发布机构, max(r.year) as 最近年度,
  {_LAST_DUE} as 应已发布至{_CURRENT}
 where r.year is not null
 group by r.portal_id, r.body_id
having max(r.year) < {_LAST_DUE}
 order by 门户, 发布机构""",
    },
    "late_reports": {
        "title": "晚于期限发布的报告",
        "description": "发布日期晚于次年1月31日的报告（发布日期为 YYYY-MM-DD 形式的）。",
        "sql": f"""select p.name as 门户, coalesce(b.name, b.key) as 发布机构, r.year as 年度,
  substr(r.published_date, 1, 10) as 发布日期, (r.year + 1) || '-01-31' as 期限, r.url as 网址{_CURRENT}
 where r.published_date glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
   and substr(r.published_date, 1, 10) > (r.year + 1) || '-01-31'
 order by 发布日期 desc""",
    },
    "inconsistent_reports": {
        "title": "合计对不上的报告",
        "description": "当前版本中行合计、列合计、收结平衡或复议诉讼合计不成立的报告，每个问题一行。",
        "sql": f"""select p.name as 门户, coalesce(b.name, b.key) as 发布机构, r.year as 年度,
  f.rule as 规则, f.table_name || '.' || coalesce(f.row_name, '') || '.' || coalesce(f.column_name, '') as 单元格,
  f.expected as 应为, f.actual as 实为, f.message as 说明, r.url as 网址{_CURRENT}
  join findings f on f.revision_id = r.current_revision_id and f.severity = 'error'
 where r.status = 'inconsistent'
 order by 门户, 发布机构, 年度""",
    },
    "refusals_by_reason": {
        "title": "不予公开的理由",
        "description": "各年度“不予公开”8类理由的件数（总计列），可按门户筛选（留空为全部）。",
        "sql": f"""select r.year as 年度, case c.row_name {_DENIED_LABELS} else c.row_name end as 理由,
  cast(sum(c.value) as integer) as 件数, count(distinct r.id) as 报告数{_CURRENT}
  join cells c on c.revision_id = r.current_revision_id
 where c.table_name = 'applications' and c.row_name like 'denied\\_%' escape '\\'
   and c.column_name = 'total' and (:portal = '' or p.name = :portal)
 group by r.year, c.row_name
 order by 年度 desc, 件数 desc""",
    },
    "body_figures": {
        "title": "一个机构的逐年数字",
        "description": "输入机构名称的一部分：其各年度每个单元格的数字（当前版本）。",
        "sql": f"""select r.year as 年度, c.table_name as 表, c.row_name as 行, c.column_name as 列, c.value as 数值{_CURRENT}
  join cells c on c.revision_id = r.current_revision_id
 where coalesce(b.name, b.key) like '%' || :body || '%'
 order by 年度, 表, 行, 列""",
    },
}


def metadata(database: str = "gxnb") -> dict:
    """``database``: the name datasette gives the file (its name without the extension)."""
    return {
        "title": "政府信息公开工作年度报告（gxnb）",
        "description": "gxnb 从各门户网站采集的政府信息公开工作年度报告：报告、版本、逐单元格数字与校验问题。",
        "databases": {database: {
            "tables": {
                "portals": {"title": "门户", "columns": {"name": "门户（爬虫名）", "base_url": "网址", "platform": "平台"}},
                "bodies": {"title": "发布机构", "columns": {"key": "标识（代码或名称）", "name": "名称", "code": "代码"}},
                "reports": {"title": "报告（每个网址一行，当前元数据）", "columns": {
                    "url": "网址", "year": "报告年度", "title": "标题", "index_no": "索引号", "doc_no": "文号",
                    "written_date": "成文日期", "published_date": "发布日期", "status": "状态",
                    "current_revision_id": "当前版本", "gone_at": "从列表消失的时间（空：仍在列表中）"}},
                "revisions": {"title": "版本（内容每变化一次一行）", "columns": {"record": "规范化记录（JSON）"}},
                "cells": {"title": "单元格（每个版本每个数字一行）", "columns": {
                    "table_name": "表", "row_name": "行", "column_name": "列", "value": "数值（空：原文空白）"}},
                "findings": {"title": "校验问题", "columns": {
                    "rule": "规则", "severity": "严重程度", "expected": "应为", "actual": "实为", "message": "说明"}},
                "events": {"title": "事件（新版本、撤下、重新列出）"},
                "runs": {"title": "采集运行", "columns": {
                    "spider": "门户（爬虫名）", "started_at": "开始", "finished_at": "结束", "finish_reason": "结束原因",
                    "requests": "请求数", "items": "采集报告数", "new": "新增", "revised": "修订", "unchanged": "未变",
                    "errors": "错误数", "browser_timeouts": "浏览器超时放弃的页面（空：当时未记录）"}},
                "raw_files": {"title": "原始文件（按 SHA-256）"},
                "fetched_files": {"title": "每个版本抓取的页面与附件"},
            },
            "queries": QUERIES,
        }},
    }
