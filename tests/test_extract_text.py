"""Flattened text in its real shapes, cell kinds, templates, metadata and bad input."""
from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import SEEDS
from test_extract_seeds import SCHEMA, expected, seed_path
from pipelines.extract import empty_record, extract
from pipelines.extract.bodymeta import read_meta
from pipelines.extract.numbers import BLANK, NUMBER, PLACEHOLDER, TEXT, classify
from pipelines.validate import validate

APP_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果\t（一）予以公开", "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "（三）不予公开\t1.属于国家秘密", "denied_prohibited": "2.其他法律行政法规禁止公开",
    "denied_three_safety": "3.危及“三安全一稳定”", "denied_third_party": "4.保护第三方合法权益",
    "denied_internal": "5.属于三类内部事务信息", "denied_process": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷", "denied_inquiry": "8.属于行政查询事项",
    "unable_not_held": "（四）无法提供\t1.本机关不掌握相关政府信息", "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确", "rejected_petition": "（五）不予处理\t1.信访举报投诉类申请",
    "rejected_repeat": "2.重复申请", "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请", "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他", "total": "（七）总计", "carried_forward": "四、结转下年度继续办理",
}


def fmt(v):
    if isinstance(v, str):   # a cell printed as given (tests/test_property_numbers.py)
        return v
    return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def render(record: dict, sep: str) -> str:
    """A 2021 record as text, one table row per line, cells joined by ``sep``."""
    a = record["active_disclosure"]
    lines = ["莱阳市人民政府办公室2023年政府信息公开工作年度报告", "二、主动公开政府信息情况",
             "第二十条第（一）项", sep.join(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])]
    lines += [sep.join([label] + [fmt(v) for v in a[key].values()])
              for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件"))]
    for head, rows in (("第二十条第（五）项", (("licensing", "行政许可"),)),
                       ("第二十条第（六）项", (("penalty", "行政处罚"), ("coercion", "行政强制")))):
        lines += [head, sep.join(["信息内容", "本年处理决定数量"])]
        lines += [sep.join([label, fmt(a[key]["decisions"])]) for key, label in rows]
    lines += ["第二十条第（八）项", sep.join(["信息内容", "本年收费金额（单位：万元）"]),
              sep.join(["行政事业性收费", fmt(a["fees"]["amount"])])]
    lines += ["三、收到和处理政府信息公开申请情况", sep.join(["申请人情况", "自然人", "法人或其他组织", "总计"]),
              sep.join(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    for key, label in APP_LABELS.items():
        lines.append(sep.join(label.split("\t") + [fmt(v) for v in record["applications"][key].values()]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", sep.join(["行政复议", "行政诉讼"]),
              sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]),
              sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
              sep.join(fmt(v) for g in record["review_litigation"].values() for v in g.values()),
              "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines)


def tables(record):
    return {k: record[k] for k in ("template", "year", "active_disclosure", "applications", "review_litigation")}


@pytest.mark.parametrize("sep", [" | ", "\t", " ", "\n"], ids=["pipes", "tabs", "spaces", "cell-per-line"])
def test_every_flattened_shape_reads_the_same_tables(sep):
    exp = expected(0)
    record = validate(extract(render(exp, sep)))
    jsonschema.validate(record, SCHEMA)
    assert tables(record) == tables(exp)
    assert record["status"] == "valid"


def test_table_four_as_one_run_of_fifteen_numbers_on_one_line():
    text = render(expected(4), "\n")
    head, _, tail = text.partition("四、政府信息公开行政复议、行政诉讼情况")
    tail = tail.replace("\n".join(str(v) for g in expected(4)["review_litigation"].values() for v in g.values()),
                        " ".join(str(v) for g in expected(4)["review_litigation"].values() for v in g.values()))
    record = extract(head + "四、政府信息公开行政复议、行政诉讼情况" + tail)
    assert record["review_litigation"] == expected(4)["review_litigation"]


def test_traditional_characters_and_mirror_words():
    text = render(expected(0), "\t").replace("行政规范性文件", "行政規範性檔案").replace("本年新收", "本年新收").replace(
        "政府信息公开申请数量", "政府資訊公開申請數量").replace("结转", "結轉").replace("总计", "總計")
    record = validate(extract(text))
    assert tables(record) == tables(expected(0))


def test_label_variants_and_typos():
    text = render(expected(4), "\n").replace("本年废止件数", "本年度止件数").replace("未经复议直接起诉", "未经复议直接诉讼") \
        .replace("行政规范性文件", "规范性文件")
    record = extract(text)
    assert record["active_disclosure"] == expected(4)["active_disclosure"]
    assert record["review_litigation"] == expected(4)["review_litigation"]


@pytest.mark.parametrize("mark", ["-", "—", "/", "无", "——", "－"])
def test_each_placeholder_is_null_with_a_finding_naming_the_cell(mark):
    text = render(expected(0), "\t").replace("规章\t0\t0\t0", f"规章\t0\t{mark}\t0")
    record = validate(extract(text))
    assert record["active_disclosure"]["regulations"] == {"issued": 0, "repealed": None, "in_force": 0}
    found = [f for f in record["findings"] if f["rule"] == "placeholder"]
    assert [(f["table"], f["row"], f["column"]) for f in found] == [("active_disclosure", "regulations", "repealed")]
    assert record["status"] == "incomplete"
    jsonschema.validate(record, SCHEMA)


def test_blank_cell_in_a_tab_row_is_null_not_zero():
    text = render(expected(0), "\t").replace("2.重复申请\t2\t0", "2.重复申请\t\t0")
    record = validate(extract(text))
    assert record["applications"]["rejected_repeat"]["natural_person"] is None
    assert record["status"] == "incomplete"
    missing = [f for f in record["findings"] if f["rule"] == "missing"]
    assert ("applications", "rejected_repeat", "natural_person") in {(f["table"], f["row"], f["column"]) for f in missing}
    assert not [f for f in record["findings"] if f["severity"] == "error"]


def test_numbers_with_units_separators_and_full_width_digits():
    exp = expected(4)
    text = render(exp, "\t").replace("行政许可\t30362", "行政许可\t30,362件").replace(
        "行政事业性收费\t4722", "行政事业性收费\t4722万元").replace("行政处罚\t2184", "行政处罚\t２１８４")
    record = extract(text)
    assert record["active_disclosure"] == exp["active_disclosure"]
    assert isinstance(record["active_disclosure"]["fees"]["amount"], float)


@pytest.mark.parametrize("text,kind,value", [
    ("251000元", NUMBER, 251000), ("1,234", NUMBER, 1234), ("３件", NUMBER, 3), ("-2", NUMBER, -2),
    ("12.5", NUMBER, 12.5), ("", BLANK, None), ("\xa0", BLANK, None), ("—", PLACEHOLDER, None),
    ("无", PLACEHOLDER, None), ("/", PLACEHOLDER, None), ("见附件", TEXT, None),
])
def test_cell_classification(text, kind, value):
    assert classify(text) == (kind, value)


def test_2019_template_has_one_other_row():
    record = extract(seed_path(1).read_bytes())
    assert record["template"] == "2019"
    assert "other" in record["applications"] and "other_misc" not in record["applications"]
    assert list(record["active_disclosure"]) == list(expected(1)["active_disclosure"])


def test_report_without_tables_is_unparsed_and_kept():
    text = "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n2023年，我县公开信息100条。\n"
    record = validate(extract(text.encode("gb18030"), filename="r.txt"))
    assert record["status"] == "unparsed"
    assert (record["year"], record["agency"]) == (2023, "某县人民政府")
    assert any(f["rule"] == "no_tables" for f in record["findings"])
    jsonschema.validate(record, SCHEMA)


def test_pre2019_report_is_recognised():
    text = "某市人民政府2016年政府信息公开工作年度报告\n一、概述\n全年主动公开政府信息1200条。"
    record = extract(text)
    assert record["template"] == "pre2019" and record["status"] == "unparsed"


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02garbage\xff" * 50, b"%PDF-1.4 broken", b"PK\x03\x04junk",
                                  b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1junk", "<html><body><table><tr><td>".encode(),
                                  b"\xff\xfe\xfd" * 1000, "随便一些文字".encode("utf-16")])
def test_bad_input_never_raises(data):
    record = validate(extract(data, filename="x.bin"))
    jsonschema.validate(record, SCHEMA)
    assert record["status"] == "unparsed"


def test_empty_record_has_every_contract_key():
    rec = empty_record()
    jsonschema.validate(rec, SCHEMA)
    assert set(rec) == set(SCHEMA["required"])
    assert (rec["status"], rec["template"], rec["schema_version"], rec["findings"]) == ("unparsed", "unknown", 1, [])


def test_metadata_from_the_body():
    lines = ["索引号: | 01426719-5/2021-00030 |", "名称: | 海州区政府办公室2020年度政府信息公开工作年度报告 |",
             "海州区政府办公室2020年度政府信息公开工作", "年度报告"]
    assert read_meta(lines) == {"year": 2020, "agency": "海州区政府办公室",
                                "title": "海州区政府办公室2020年度政府信息公开工作年度报告"}
    lines = ["2022年政府信息公开工作年度报告", "本报告所列数据的统计期限自2022年1月1日至2022年12月31日。",
             "……", "某某县交通运输局", "2023年1月20日"]
    assert read_meta(lines) == {"year": 2022, "agency": "某某县交通运输局", "title": "2022年政府信息公开工作年度报告"}
