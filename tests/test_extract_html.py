"""HTML tables pasted from Word: spans, broken labels, blank cells, misaligned headers,
tables outside the body container, legacy encodings, broken markup."""
from __future__ import annotations

import copy

import jsonschema

from test_extract_seeds import SCHEMA, expected
from test_extract_text import APP_LABELS, fmt
from pipelines.extract import extract
from pipelines.extract.blocks import Table
from pipelines.extract.html import read as read_html
from pipelines.validate import validate

GROUPS = {"granted": ("三、本年度办理结果", 22), "denied_state_secret": ("（三）不予公开", 8),
          "unable_not_held": ("（四）无法提供", 3), "rejected_petition": ("（五）不予处理", 5),
          "other_no_correction": ("（六）其他处理", 3)}


def broken(label: str) -> str:
    """A label as Word pastes it: one character per <span>, a <br>, an empty <o:p>."""
    mid = len(label) // 2
    return ("".join(f"<span style='font-size:10pt'>{ch}</span>" for ch in label[:mid]) + "<br/>"
            + f"<span lang=EN-US>{label[mid:]}<o:p></o:p></span>")


def table_two(rec) -> str:
    a = rec["active_disclosure"]
    rows = ["<tr><td colspan=4><p>第二十条第（一）项</p></td></tr>",
            "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"]
    rows += [f"<tr><td>{label}</td>" + "".join(f"<td>{fmt(v)}</td>" for v in a[k].values()) + "</tr>"
             for k, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件"))]
    for head, items in (("第二十条第（五）项", (("licensing", "行政许可"),)),
                        ("第二十条第（六）项", (("penalty", "行政处罚"), ("coercion", "行政强制")))):
        rows += [f"<tr><td colspan=4>{head}</td></tr>", "<tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr>"]
        rows += [f"<tr><td>{label}</td><td colspan=3>{fmt(a[k]['decisions'])}</td></tr>" for k, label in items]
    rows += ["<tr><td colspan=4>第二十条第（八）项</td></tr>",
             "<tr><td>信息内容</td><td colspan=3>本年收费金额（单位：万元）</td></tr>",
             f"<tr><td>行政事业性收费</td><td colspan=3>{fmt(a['fees']['amount'])}</td></tr>"]
    return "<table border=1>" + "".join(rows) + "</table>"


def table_three(rec, *, header_shift=False, blank=None) -> str:
    """Table 三 as Word pastes it. header_shift: the header's label block is one column
    narrower than the data's (real tables do that)."""
    label_cols = 2 if header_shift else 3
    head = [f"<tr><td colspan={label_cols} rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
            "<td colspan=7>申请人情况</td></tr>",
            "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>",
            "<tr>" + "".join(f"<td>{broken(x)}</td>" for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
            + "</tr>"]
    body = []
    for key, label in APP_LABELS.items():
        parts = label.split("\t")
        cells = ""
        if key in GROUPS:
            g, span = GROUPS[key]
            if key == "granted":
                cells += f"<td rowspan={span}>{broken(g)}</td><td colspan=2>{broken(parts[1])}</td>"
            else:
                cells += f"<td rowspan={span}>{g}</td><td>{broken(parts[1])}</td>"
        elif key in ("partially_granted", "total"):
            cells += f"<td colspan=2>{broken(parts[-1])}</td>"
        elif key in ("new_received", "carried_over", "carried_forward"):
            cells += f"<td colspan=3>{broken(parts[-1])}</td>"
        else:
            cells += f"<td>{broken(parts[-1])}</td>"
        for col, v in rec["applications"][key].items():
            text = "&nbsp;" if blank == (key, col) else fmt(v)
            cells += f"<td><p class=MsoNormal><span>{text}</span><o:p></o:p></p></td>"
        body.append(f"<tr>{cells}</tr>")
    return "<table border=1>" + "".join(head + body) + "</table>"


def table_four(rec) -> str:
    r = rec["review_litigation"]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = ["<tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>",
            "<tr>" + "".join(f"<td rowspan=2>{h}</td>" for h in heads)
            + "<td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>",
            "<tr>" + "".join(f"<td>{h}</td>" for h in heads * 2) + "</tr>",
            "<tr>" + "".join(f"<td>{fmt(v)}</td>" for g in r.values() for v in g.values()) + "</tr>"]
    return "<table border=1>" + "".join(rows) + "</table>"


def page(rec, *, three=None, outside=False, charset="utf-8") -> str:
    three = three or table_three(rec)
    body = (f"<div id=zoom><h1>莱阳市人民政府办公室2023年政府信息公开工作年度报告</h1>"
            f"<p>一、总体情况</p><p>2023年……</p><p>二、主动公开政府信息情况</p>{table_two(rec)}"
            f"<p>三、收到和处理政府信息公开申请情况</p>{three}")
    four = f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{table_four(rec)}"
    body = body + "</div>" + four if outside else body + four + "</div>"
    return (f"<html><head><meta http-equiv=Content-Type content='text/html; charset={charset}'>"
            f"<title>首页 &gt; 政府信息公开年报</title><script>var t='<table>';</script></head>"
            f"<body><div class=nav>首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>{body}"
            "<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>")


def tables(record):
    return {k: record[k] for k in ("template", "year", "agency", "title", "active_disclosure", "applications",
                                   "review_litigation")}


def test_word_pasted_page_is_read_cell_exact():
    rec = expected(0)
    out = validate(extract(page(rec).encode("utf-8"), filename="a.html"))
    jsonschema.validate(out, SCHEMA)
    assert tables(out) == tables(rec)
    assert out["status"] == "valid"


def test_grid_expansion_marks_span_copies():
    doc = read_html(page(expected(0)))
    grids = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(grids) == 3
    three = grids[1]
    assert all(len(r) == 10 for r in three.rows)
    assert three.rows[1][3] == "自然人" and three.rows[2][3] == "自然人" and (2, 3) in three.spanned
    assert three.rows[2][4] == "商业企业"          # one character per <span>, a <br> inside
    assert three.rows[8][1] == "（三）不予公开" and (9, 1) in three.spanned


def test_header_that_does_not_line_up_with_the_data():
    rec = expected(4)
    out = extract(page(rec, three=table_three(rec, header_shift=True)), filename="a.html")
    assert out["applications"] == rec["applications"]


def test_table_outside_the_body_container():
    rec = expected(0)
    out = extract(page(rec, outside=True), filename="a.html")
    assert out["review_litigation"] == rec["review_litigation"]


def test_nbsp_cell_is_blank():
    rec = expected(0)
    out = validate(extract(page(rec, three=table_three(rec, blank=("granted", "natural_person"))), filename="a.html"))
    assert out["applications"]["granted"]["natural_person"] is None
    assert out["status"] == "incomplete"
    assert ("missing", "granted", "natural_person") in {(f["rule"], f["row"], f["column"]) for f in out["findings"]}


def test_gbk_page_with_meta_charset():
    rec = expected(2)
    html = page(rec, charset="gb2312").replace("莱阳市人民政府办公室2023", "大同市人民政府办公室2022")
    out = extract(html.encode("gb18030"), filename="a.shtml")
    assert out["applications"] == rec["applications"]
    assert out["agency"] == "大同市人民政府办公室"


def test_traditional_page():
    import opencc
    rec = expected(0)
    html = opencc.OpenCC("s2t").convert(page(rec))
    out = extract(html.encode("utf-8"), filename="a.html")
    assert {k: out[k] for k in ("active_disclosure", "applications", "review_litigation")} == \
        {k: rec[k] for k in ("active_disclosure", "applications", "review_litigation")}
    assert out["agency"] == "莱阳市人民政府办公室"


def test_tables_inside_a_layout_table():
    rec = expected(0)
    html = page(rec).replace("<div id=zoom>", "<table><tr><td><div id=zoom>").replace(
        "<p>五、存在", "</td></tr></table><p>五、存在")
    out = extract(html, filename="a.html")
    assert tables(out) == tables(rec)


def test_broken_markup_does_not_raise():
    html = page(expected(0))
    out = validate(extract(html[: len(html) // 2].encode(), filename="a.html"))
    jsonschema.validate(out, SCHEMA)
    assert out["active_disclosure"] == expected(0)["active_disclosure"]


def test_page_without_tables_is_unparsed():
    out = validate(extract("<html><body><p>某区2023年政府信息公开工作年度报告</p><p>见附件。</p></body></html>",
                           filename="a.html"))
    assert out["status"] == "unparsed" and out["year"] == 2023


def test_gbk_page_labelled_utf8_is_read_as_gbk():
    """A wrong charset label (GBK bytes declared UTF-8) must not turn labels into U+FFFD."""
    from pipelines.extract import decode

    page = '<html><head><meta charset="utf-8"></head><body><p>本年新收政府信息公开申请数量</p></body></html>'
    text = decode(page.encode("gbk"), "text/html; charset=utf-8")
    assert "本年新收政府信息公开申请数量" in text and "\ufffd" not in text
