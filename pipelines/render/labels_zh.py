"""Chinese display labels for the record's keys (shared/schema/annual-report.md), for the
site and the wide exports: ``label("applications.granted.total")`` → ``依申请公开·予以公开·总计``.
Readers of these reports read Chinese; the keys stay beside the labels in every export."""
from __future__ import annotations

TABLES = {"active_disclosure": "主动公开", "applications": "依申请公开", "review_litigation": "复议诉讼"}

ROWS = {
    "active_disclosure": {
        "regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
        "other_services": "其他对外管理服务事项", "penalty": "行政处罚", "coercion": "行政强制",
        "fees": "行政事业性收费", "procurement": "政府集中采购",
    },
    "applications": {
        "new_received": "本年新收申请", "carried_over": "上年结转申请",
        "granted": "予以公开", "partially_granted": "部分公开",
        "denied_state_secret": "不予公开·国家秘密", "denied_prohibited": "不予公开·法律行政法规禁止",
        "denied_three_safety": "不予公开·危及“三安全一稳定”", "denied_third_party": "不予公开·保护第三方权益",
        "denied_internal": "不予公开·三类内部事务", "denied_process": "不予公开·四类过程性信息",
        "denied_enforcement_file": "不予公开·行政执法案卷", "denied_inquiry": "不予公开·行政查询事项",
        "unable_not_held": "无法提供·本机关不掌握", "unable_needs_creation": "无法提供·需另行制作",
        "unable_unclear": "无法提供·补正后仍不明确",
        "rejected_petition": "不予处理·信访举报投诉", "rejected_repeat": "不予处理·重复申请",
        "rejected_publication": "不予处理·要求提供公开出版物", "rejected_excessive": "不予处理·无正当理由大量反复申请",
        "rejected_confirmation": "不予处理·要求确认或重新出具",
        "other_no_correction": "其他处理·逾期不补正", "other_unpaid_fee": "其他处理·逾期未缴费",
        "other_misc": "其他处理·其他", "other": "其他处理",
        "total": "办理结果总计", "carried_forward": "结转下年度继续办理",
    },
    "review_litigation": {
        "review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
        "litigation_after_review": "行政诉讼·复议后起诉",
    },
}

COLUMNS = {
    "active_disclosure": {
        "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
        "decisions": "处理决定数量", "amount": "金额（万元）", "made": "本年新制作数量",
        "published": "本年新公开数量", "total_published": "对外公开总数量",
        "previous_items": "上一年项目数量", "change": "本年增/减", "items": "采购项目数量",
    },
    "applications": {
        "natural_person": "自然人", "enterprise": "商业企业", "research": "科研机构",
        "public_interest": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
        "total": "总计",
    },
    "review_litigation": {
        "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
        "total": "总计",
    },
}

STATUS = {"valid": "数据一致", "inconsistent": "数据不一致", "incomplete": "数据不完整",
          "unparsed": "未能读取表格"}

METADATA = {
    "portal": "门户", "body": "发布机构", "body_code": "机构代码", "year": "报告年度",
    "url": "网址", "title": "标题", "index_no": "索引号", "doc_no": "文号",
    "written_date": "成文日期", "published_date": "发布日期", "template": "模板",
    "status": "状态", "listed": "仍在列表中", "on_time": "按时发布（1月31日前）",
    "revision_id": "版本号", "stored_at": "采集时间", "source": "读取来源",
}


def row_label(table: str, row: str) -> str:
    if row.startswith("extra."):
        return row[len("extra."):]  # a row a province adds: its own label
    return ROWS.get(table, {}).get(row, row)


def column_label(table: str, column: str) -> str:
    return COLUMNS.get(table, {}).get(column, column)


def label(cell: str) -> str:
    """``table.row.column`` (rows a province adds: ``table.extra.<label>.column``) as
    ``表·行·列`` in Chinese; unknown keys are kept as they are."""
    table, _, rest = cell.partition(".")
    if rest.startswith("extra."):
        row, _, column = rest[len("extra."):].rpartition(".")
        row = "extra." + row
    else:
        row, _, column = rest.partition(".")
    parts = [TABLES.get(table, table), row_label(table, row)]
    if column:
        parts.append(column_label(table, column))
    return "·".join(parts)
