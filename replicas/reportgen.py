"""From a canonical record to the documents a portal publishes: the report page body
(Word-pasted HTML), a PDF and a DOCX attachment; and `derive` to make a consistent
record for another year from one real seed.

The layouts follow the national templates (2021: 国办公开办函〔2021〕30号; 2019: the 试行
format), including the quirks of real pages: labels broken across spans and paragraphs,
vertical labels one character per line, blank cells as `&nbsp;` / `<o:p></o:p>`.
Every function is deterministic: same record in, same bytes out.
"""
from __future__ import annotations

import html
import io
import json
import random
import re
import zipfile
from functools import lru_cache
from pathlib import Path

RECORDS_DIR = Path(__file__).resolve().parent / "data" / "records"

APPLICANT_COLUMNS = ["natural_person", "enterprise", "research", "public_interest",
                     "legal_service", "other_org", "total"]
ORG_COLUMN_LABELS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
GROUP_FIELDS = ["upheld", "corrected", "other", "pending", "total"]
GROUP_FIELD_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Table 三 outcome blocks: (block label, [(row key, item label)]). A block with one
# item and an empty item label is a single row spanning both label columns.
_DENIED = [("denied_state_secret", "1.属于国家秘密"),
           ("denied_prohibited", "2.其他法律行政法规禁止公开"),
           ("denied_three_safety", "3.危及“三安全一稳定”"),
           ("denied_third_party", "4.保护第三方合法权益"),
           ("denied_internal", "5.属于三类内部事务信息"),
           ("denied_process", "6.属于四类过程性信息"),
           ("denied_enforcement_file", "7.属于行政执法案卷"),
           ("denied_inquiry", "8.属于行政查询事项")]
_UNABLE = [("unable_not_held", "1.本机关不掌握相关政府信息"),
           ("unable_needs_creation", "2.没有现成信息需要另行制作"),
           ("unable_unclear", "3.补正后申请内容仍不明确")]
_REJECTED = [("rejected_petition", "1.信访举报投诉类申请"),
             ("rejected_repeat", "2.重复申请"),
             ("rejected_publication", "3.要求提供公开出版物"),
             ("rejected_excessive", "4.无正当理由大量反复申请"),
             ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息")]
_OTHER_2021 = [("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
               ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
               ("other_misc", "3.其他")]


def outcome_blocks(template: str) -> list[tuple[str, list[tuple[str, str]]]]:
    other = _OTHER_2021 if template == "2021" else [("other", "")]
    return [("（一）予以公开", [("granted", "")]),
            ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [("partially_granted", "")]),
            ("（三）不予公开", _DENIED),
            ("（四）无法提供", _UNABLE),
            ("（五）不予处理", _REJECTED),
            ("（六）其他处理", other),
            ("（七）总计", [("total", "")])]


def application_rows(template: str) -> list[str]:
    rows = ["new_received", "carried_over"]
    for _, items in outcome_blocks(template):
        rows += [k for k, _ in items]
    return rows + ["carried_forward"]


def outcome_rows(template: str) -> list[str]:
    """Rows summed by the outcome_total rule: granted … the last other* row."""
    return [k for k in application_rows(template)[2:-1] if k != "total"]


# Table 二 blocks: (article header, column labels, [(row key, row label, fields)]).
def disclosure_blocks(template: str):
    if template == "2021":
        return [("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
                 [("regulations", "规章", ["issued", "repealed", "in_force"]),
                  ("normative_documents", "行政规范性文件", ["issued", "repealed", "in_force"])]),
                ("第二十条第（五）项", ["本年处理决定数量"],
                 [("licensing", "行政许可", ["decisions"])]),
                ("第二十条第（六）项", ["本年处理决定数量"],
                 [("penalty", "行政处罚", ["decisions"]), ("coercion", "行政强制", ["decisions"])]),
                ("第二十条第（八）项", ["本年收费金额（单位：万元）"],
                 [("fees", "行政事业性收费", ["amount"])])]
    three = ["previous_items", "change", "decisions"]
    return [("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
             [("regulations", "规章", ["made", "published", "total_published"]),
              ("normative_documents", "规范性文件", ["made", "published", "total_published"])]),
            ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
             [("licensing", "行政许可", three), ("other_services", "其他对外管理服务事项", three)]),
            ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
             [("penalty", "行政处罚", three), ("coercion", "行政强制", three)]),
            ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
             [("fees", "行政事业性收费", ["previous_items", "change"])]),
            ("第二十条第（九）项", ["采购项目数量", "采购总金额"],
             [("procurement", "政府集中采购", ["items", "amount"])])]


def load_record(n: int) -> dict:
    """The expected record of seed n (0…4)."""
    return json.loads((RECORDS_DIR / f"seed_{n:03d}.json").read_text(encoding="utf-8"))


def fmt(value) -> str:
    """A cell value as printed: '' for blank, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float):
        return ("%.2f" % value).rstrip("0").rstrip(".")
    return str(value)


def _get(record: dict, table: str, row: str, col: str):
    return ((record.get(table) or {}).get(row) or {}).get(col)


# ---------------------------------------------------------------------------- grids
# One neutral description of each table, shared by the HTML, PDF and DOCX renderers:
# a list of rows, each a list of cells (text, rowspan, colspan, kind); kind is "label",
# "vertical" (one character per line) or "number". Cells covered by a span are omitted.

def _cell(text, rowspan=1, colspan=1, kind="label"):
    return {"text": text, "rowspan": rowspan, "colspan": colspan, "kind": kind}


def _num(value, colspan=1):
    return _cell(fmt(value), colspan=colspan, kind="number")


def grid_disclosure(record: dict) -> tuple[int, list[list[dict]]]:
    template = record.get("template") or "2021"
    rows = []
    for header, col_labels, items in disclosure_blocks(template):
        rows.append([_cell(header, colspan=4)])
        # fewer than three columns: the last one spans the rest
        widths = [1] * len(col_labels)
        widths[-1] += 3 - len(col_labels)
        rows.append([_cell("信息内容")] + [_cell(t, colspan=w) for t, w in zip(col_labels, widths)])
        for key, label, fields in items:
            rows.append([_cell(label)] + [_num(_get(record, "active_disclosure", key, f), colspan=w)
                                          for f, w in zip(fields, widths)])
    return 4, rows


def grid_applications(record: dict) -> tuple[int, list[list[dict]]]:
    template = record.get("template") or "2021"
    blocks = outcome_blocks(template)
    vals = lambda key: [_num(_get(record, "applications", key, c)) for c in APPLICANT_COLUMNS]
    rows = [[_cell(BALANCE_NOTE, rowspan=3, colspan=3), _cell("申请人情况", colspan=7)],
            [_cell("自然人", rowspan=2, kind="vertical"), _cell("法人或其他组织", colspan=5),
             _cell("总计", rowspan=2, kind="vertical")],
            [_cell(t) for t in ORG_COLUMN_LABELS],
            [_cell("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new_received"),
            [_cell("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_over")]
    n_outcome = sum(len(items) for _, items in blocks)
    first = True
    for block_label, items in blocks:
        for i, (key, item_label) in enumerate(items):
            row = []
            if first:
                row.append(_cell("三、本年度办理结果", rowspan=n_outcome, kind="vertical"))
                first = False
            if not item_label:
                row.append(_cell(block_label, colspan=2))
            else:
                if i == 0:
                    row.append(_cell(block_label, rowspan=len(items)))
                row.append(_cell(item_label))
            rows.append(row + vals(key))
    rows.append([_cell("四、结转下年度继续办理", colspan=3)] + vals("carried_forward"))
    return 10, rows


def grid_review(record: dict) -> tuple[int, list[list[dict]]]:
    rl = record.get("review_litigation") or {}
    rows = [[_cell("行政复议", colspan=5), _cell("行政诉讼", colspan=10)],
            [_cell(t, rowspan=2) for t in GROUP_FIELD_LABELS]
            + [_cell("未经复议直接起诉", colspan=5), _cell("复议后起诉", colspan=5)],
            [_cell(t) for t in GROUP_FIELD_LABELS] * 2,
            [_num((rl.get(g) or {}).get(f)) for g in ("review", "litigation_direct",
                                                       "litigation_after_review")
             for f in GROUP_FIELDS]]
    return 15, rows


def placed(rows: list[list[dict]]):
    """(row, column, cell) of every cell of a grid, each in the first column that its
    row's cells before it and the spans from the rows above leave free (as HTML places them)."""
    occupied = set()
    for r, row in enumerate(rows):
        c = 0
        for spec in row:
            while (r, c) in occupied:
                c += 1
            for dr in range(spec["rowspan"]):
                for dc in range(spec["colspan"]):
                    occupied.add((r + dr, c + dc))
            yield r, c, spec
            c += spec["colspan"]


# ----------------------------------------------------------------------------- prose

def _year(record: dict) -> int:
    return record.get("year") or 2021


def _agency(record: dict) -> str:
    return record.get("agency") or "本机关"


def _title(record: dict) -> str:
    return record.get("title") or f"{_agency(record)}{_year(record)}年政府信息公开工作年度报告"


def prose_sections(record: dict) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the report; tables go after sections 二, 三 and 四."""
    year, agency = _year(record), _agency(record)
    new = _get(record, "applications", "new_received", "total")
    basis = ("国办公开办函〔2021〕30号" if record.get("template") == "2021"
             else "《中华人民共和国政府信息公开条例》")
    intro = (f"本报告根据{basis}要求，由{agency}编制。本报告所列数据的统计期限自{year}年1月1日起至"
             f"{year}年12月31日止。如对本报告有任何疑问，请与{agency}联系。")
    return [
        ("", [intro]),
        ("一、总体情况", [
            f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
            "不公开为例外，持续提升政务公开质量。",
            f"（一）主动公开。及时公开重点领域政府信息，做好政策解读和回应关切。",
            f"（二）依申请公开。全年共收到政府信息公开申请{fmt(new) or '若干'}件，均在法定期限内予以答复。",
            "（三）政府信息管理。严格落实信息发布审核制度，做好保密审查。",
            "（四）平台建设。持续优化政府网站和政务新媒体，提升平台服务能力。",
            "（五）监督保障。将政务公开纳入年度考核，加强培训和督查。"]),
        ("二、主动公开政府信息情况", []),
        ("三、收到和处理政府信息公开申请情况", []),
        ("四、政府信息公开行政复议、行政诉讼情况", []),
        ("五、存在的主要问题及改进情况", [
            "政务公开工作仍存在公开内容不够丰富、政策解读形式较为单一等问题。下一步将进一步拓展公开"
            "渠道，丰富解读形式，加强业务培训，提升工作水平。"]),
        ("六、其他需要报告的事项", [
            "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。无其他需要报告的事项。"]),
    ]


def signature(record: dict) -> list[str]:
    return [_agency(record), f"{_year(record) + 1}年1月20日"]


TABLE_AFTER = {"二、主动公开政府信息情况": grid_disclosure,
               "三、收到和处理政府信息公开申请情况": grid_applications,
               "四、政府信息公开行政复议、行政诉讼情况": grid_review}


# ------------------------------------------------------------------------------ HTML

_SPAN = "<span style='font-family:宋体'>"
_TD_STYLE = "border:solid windowtext 1.0pt;padding:0cm 5.4pt"


def _split_label(text: str) -> str:
    """A label the way Word pastes it: broken into runs, numbering and brackets apart."""
    esc = html.escape
    m = re.match(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)(.*)$", text)
    parts = [m.group(1), m.group(2)] if m else [text]
    if len(parts[-1]) > 8:    # long labels: Word often splits a run mid-phrase
        tail = parts.pop()
        parts += [tail[:len(tail) // 2], tail[len(tail) // 2:]]
    out = []
    for p in parts:
        if not p:
            continue
        if re.fullmatch(r"[\d.]+", p):
            out.append(f"<span lang=EN-US style='font-size:10.5pt'>{esc(p)}</span>")
        else:
            out.append(f"{_SPAN}{esc(p)}</span>")
    return "".join(out)


def _html_cell_content(cell: dict, index: int) -> str:
    text, kind = cell["text"], cell["kind"]
    if kind == "number":
        if text == "":
            # blank cells come both ways in real pages
            blank = "&nbsp;" if index % 2 else "<o:p></o:p>"
            return f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US>{blank}</span></p>"
        return (f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
                f"style='font-size:10.5pt'>{html.escape(text)}"
                f"<o:p></o:p></span></p>")
    if kind == "vertical":
        chars = "<br>\n".join(html.escape(ch) for ch in text)
        return f"<p class=MsoNormal align=center style='text-align:center'>{_SPAN}{chars}</span></p>"
    if "（" in text and "）" in text and len(text) > 14 and not text.startswith("（本列"):
        # a label with a parenthesised note: Word keeps the note as its own paragraph
        head, _, rest = text.partition("（区分")
        if rest:
            return (f"<p class=MsoNormal>{_split_label(head)}</p>\n"
                    f"<p class=MsoNormal>{_SPAN}（区分{html.escape(rest)}</span></p>")
    return f"<p class=MsoNormal>{_split_label(text)}<span lang=EN-US><o:p></o:p></span></p>"


def _html_table(width: int, rows: list[list[dict]]) -> str:
    out = ["<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=\"100%\" "
           "style='width:100.0%;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
           "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>"]
    counter = 0
    for r, row in enumerate(rows):
        out.append(f"<tr style='mso-yfti-irow:{r}'>")
        for cell in row:
            counter += 1
            attrs = f" width={int(100 * cell['colspan'] / width)}%"
            if cell["rowspan"] > 1:
                attrs += f" rowspan={cell['rowspan']}"
            if cell["colspan"] > 1:
                attrs += f" colspan={cell['colspan']}"
            out.append(f"<td{attrs} valign=middle style='{_TD_STYLE}'>\n"
                       f"{_html_cell_content(cell, counter)}\n</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(record: dict, *, traditional: bool = False) -> str:
    """The report page body, as it sits inside `#zoom` / `.TRS_Editor`."""
    esc = html.escape
    out = ["<div class=WordSection1 style='layout-grid:15.6pt'>",
           "<p class=MsoNormal align=center style='text-align:center'><b><span "
           f"style='font-size:22.0pt;font-family:方正小标宋简体'>{esc(_title(record))}</span></b></p>"]
    for heading, paragraphs in prose_sections(record):
        if heading:
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt'><b>{_SPAN}{esc(heading)}</span></b></p>")
        for p in paragraphs:
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt'>{_SPAN}{esc(p)}</span></p>")
        if heading in TABLE_AFTER:
            out.append(_html_table(*TABLE_AFTER[heading](record)))
            out.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    for line in signature(record):
        out.append(f"<p class=MsoNormal align=right style='text-align:right'>{_SPAN}{esc(line)}</span></p>")
    out.append("</div>")
    text = "\n".join(out) + "\n"
    return to_traditional(text) if traditional else text


@lru_cache(maxsize=1)
def _s2t():
    import opencc
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


# ------------------------------------------------------------------------------- PDF

_PAGE_CONTENT_WIDTH = 495.0   # A4 portrait less 50pt margins


def _column_widths(name: str, width: int) -> list[float]:
    if name == "applications":
        return [34.0, 62.0, 175.0] + [32.0] * 7
    return [_PAGE_CONTENT_WIDTH / width] * width


def render_pdf(record: dict, *, split_tables: bool = False, canvasmaker=None) -> bytes:
    """A PDF with a real text layer (built-in CID font STSong-Light) and ruled tables.

    split_tables=True lets a table run across a page break (with a merged label cell
    cut in two), as WPS/Word exports often do; by default each table is kept whole.
    canvasmaker: a reportlab Canvas subclass that draws differently (rotated pages,
    borders as filled rectangles …), for reader fixtures."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16,
                          firstLineIndent=21, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=20, firstLineIndent=0)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7.5, leading=9.5, wordWrap="CJK")
    cell_c = ParagraphStyle("cellc", parent=cell, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    esc = html.escape

    def table_flowable(name, width, rows):
        data = [["" for _ in range(width)] for _ in rows]
        styles = [("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                  ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                  ("FONT", (0, 0), (-1, -1), "STSong-Light", 7.5),
                  ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
        for r, c, spec in placed(rows):
            rs, cs = spec["rowspan"], spec["colspan"]
            if spec["kind"] == "number":
                data[r][c] = Paragraph(esc(spec["text"]), cell_c)
            elif spec["kind"] == "vertical":
                data[r][c] = Paragraph("<br/>".join(esc(ch) for ch in spec["text"]), cell_c)
            else:
                data[r][c] = Paragraph(esc(spec["text"]), cell)
            if rs > 1 or cs > 1:
                styles.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        t = Table(data, colWidths=_column_widths(name, width), style=TableStyle(styles))
        return t if split_tables else KeepTogether([t])

    story = [Paragraph(esc(_title(record)), title), Spacer(1, 8)]
    names = {grid_disclosure: "disclosure", grid_applications: "applications", grid_review: "review"}
    for heading, paragraphs in prose_sections(record):
        if heading:
            story.append(Paragraph(esc(heading), head))
        story += [Paragraph(esc(p), body) for p in paragraphs]
        if heading in TABLE_AFTER:
            grid = TABLE_AFTER[heading]
            story += [table_flowable(names[grid], *grid(record)), Spacer(1, 6)]
    story += [Paragraph(esc(line), right) for line in signature(record)]

    def page_number(canvas, doc):
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50,
                            bottomMargin=50, title=_title(record), author=_agency(record),
                            invariant=1)
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number,
              **({"canvasmaker": canvasmaker} if canvasmaker else {}))
    return buf.getvalue()


# ------------------------------------------------------------------------------ DOCX

_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _deterministic_zip(data: bytes) -> bytes:
    """python-docx stamps zip entries with the current time; rewrite them fixed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                              rb"<dcterms:\1\2>2020-01-01T00:00:00Z<", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, blob)
    return out.getvalue()


def render_docx(record: dict) -> bytes:
    """A Word document with real merged cells (gridSpan / vMerge)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    d.core_properties.title = _title(record)
    d.core_properties.author = _agency(record)
    p = d.add_paragraph(_title(record))
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading, paragraphs in prose_sections(record):
        if heading:
            d.add_paragraph(heading)
        for text in paragraphs:
            d.add_paragraph(text)
        if heading in TABLE_AFTER:
            width, rows = TABLE_AFTER[heading](record)
            table = d.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            # the unmerged grid, read once: table.cell() rebuilds the whole grid on every
            # call (quadratic; seconds a document). Merges below only swallow cells inside
            # their own span, which is never visited again, so these stay valid.
            grid = table._cells
            for r, c, spec in placed(rows):
                rs, cs = spec["rowspan"], spec["colspan"]
                target = grid[r * width + c]
                if rs > 1 or cs > 1:
                    target = target.merge(grid[(r + rs - 1) * width + c + cs - 1])
                text = spec["text"]
                if spec["kind"] == "vertical":
                    target.paragraphs[0].text = ""
                    for i, ch in enumerate(text):   # one character per line, as printed
                        para = target.paragraphs[0] if i == 0 else target.add_paragraph()
                        para.add_run(ch)
                else:
                    target.paragraphs[0].text = text
    for line in signature(record):
        d.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    d.save(buf)
    return _deterministic_zip(buf.getvalue())


# ---------------------------------------------------------------------------- derive

def _scaled(rng: random.Random, base, low=0.6, high=1.4) -> int:
    base = base or 0
    if base == 0:
        return rng.choice([0, 0, 0, 1, 2])
    return max(0, round(base * rng.uniform(low, high)))


def _column_scale(record: dict, col: str) -> int:
    """How big a column is in the base record: its new applications (or total handled)."""
    apps = record.get("applications") or {}
    return max((apps.get("new_received") or {}).get(col) or 0, (apps.get("total") or {}).get(col) or 0)


def _carried_forward(seed_key: str, year: int, col: str, scale: int) -> int:
    """Carried into the next year; a function of the year alone so that carried_over(Y)
    = carried_forward(Y-1) holds across derived years (the carry_over_chain rule)."""
    rng = random.Random(f"{seed_key}:cf:{year}:{col}")
    return round(scale * rng.uniform(0, 0.08)) if scale else 0


def _in_force(seed_key: str, year: int, key: str, base: int) -> int:
    rng = random.Random(f"{seed_key}:stock:{year}:{key}")
    return max(0, base + rng.randint(-2, 3))


def _outcome_weights(record: dict, template: str, col: str) -> dict[str, float]:
    """Weights of the target template's outcome rows from the base record's values."""
    apps = record.get("applications") or {}
    val = lambda k: ((apps.get(k) or {}).get(col) or 0) + ((apps.get(k) or {}).get("total") or 0) * 0.1
    weights = {}
    for key in outcome_rows(template):
        if key == "other":
            weights[key] = sum(val(k) for k in ("other", "other_no_correction", "other_unpaid_fee", "other_misc"))
        elif key == "other_misc":
            weights[key] = val("other_misc") + val("other")
        else:
            weights[key] = val(key)
    # a little everywhere the common outcomes are, so a zero base still spreads
    for key in ("granted", "partially_granted", "unable_not_held", "rejected_repeat"):
        weights[key] += 0.5
    return weights


def scaled(record: dict, factor: int) -> dict:
    """The record with every number of its tables multiplied by factor (derive() takes
    its magnitudes from the base record: ×0 a mostly-zero report, ×300 large numbers)."""
    import copy

    out = copy.deepcopy(record)
    for table in ("active_disclosure", "applications", "review_litigation"):
        for cols in (out.get(table) or {}).values():
            if isinstance(cols, dict):
                for col, value in cols.items():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        cols[col] = round(value * factor, 2) if isinstance(value, float) else value * factor
    return out


def derive(record: dict, year: int, *, seed: int = 0, agency: str | None = None) -> dict:
    """A new record for `year`, consistent by every hard rule, numbers varied from `seed`.

    year <= 2020 gives the 2019 template, year >= 2021 the 2021 template. Derived years of
    one (record, seed, agency) also keep the soft chains (carried_over = last year's
    carried_forward; in_force = last in_force + issued - repealed) within a template.
    """
    template = "2019" if year <= 2020 else "2021"
    new_agency = agency or record.get("agency")
    seed_key = f"{seed}:{new_agency}:{record.get('title')}"
    rng = random.Random(f"{seed_key}:{year}")

    applications = {k: {} for k in application_rows(template)}
    for col in APPLICANT_COLUMNS[:-1]:
        scale = _column_scale(record, col)
        cf = _carried_forward(seed_key, year, col, scale)
        co = _carried_forward(seed_key, year - 1, col, scale)
        new = max(_scaled(rng, scale) if scale else rng.choice([0] * 6 + [1]), cf)
        handled = new + co - cf
        weights = _outcome_weights(record, template, col)
        keys = list(weights)
        counts = dict.fromkeys(keys, 0)
        for _ in range(handled):
            counts[rng.choices(keys, weights=[weights[k] for k in keys])[0]] += 1
        applications["new_received"][col] = new
        applications["carried_over"][col] = co
        applications["carried_forward"][col] = cf
        applications["total"][col] = handled
        for k in keys:
            applications[k][col] = counts[k]
    for row in applications.values():
        row["total"] = sum(row[c] for c in APPLICANT_COLUMNS[:-1])
    applications = {k: {c: applications[k][c] for c in APPLICANT_COLUMNS} for k in applications}

    base_ad = record.get("active_disclosure") or {}
    base = lambda row, *fields: next((base_ad.get(row, {}).get(f) for f in fields
                                      if base_ad.get(row, {}).get(f) is not None), 0)
    if template == "2021":
        ad = {}
        for key in ("regulations", "normative_documents"):
            stock_base = base(key, "in_force", "total_published")
            now, before = (_in_force(seed_key, year, key, stock_base),
                           _in_force(seed_key, year - 1, key, stock_base))
            issued = max(now - before, 0) + rng.randint(0, 2)
            ad[key] = {"issued": issued, "repealed": issued - (now - before), "in_force": now}
        for key in ("licensing", "penalty", "coercion"):
            ad[key] = {"decisions": _scaled(rng, base(key, "decisions"))}
        fee = base("fees", "amount")
        ad["fees"] = {"amount": round(fee * rng.uniform(0.6, 1.4), 2) if fee else 0.0}
    else:
        ad = {}
        for key in ("regulations", "normative_documents"):
            made = _scaled(rng, base(key, "made", "issued"))
            ad[key] = {"made": made, "published": made,
                       "total_published": made + _scaled(rng, base(key, "total_published", "in_force"))}
        for key in ("licensing", "other_services", "penalty", "coercion"):
            prev = _scaled(rng, base(key, "previous_items"))
            ad[key] = {"previous_items": prev, "change": rng.randint(-min(prev, 2), 2),
                       "decisions": _scaled(rng, base(key, "decisions"))}
        prev = _scaled(rng, base("fees", "previous_items"))
        ad["fees"] = {"previous_items": prev, "change": rng.randint(-min(prev, 1), 1)}
        amount = base("procurement", "amount")
        ad["procurement"] = {"items": _scaled(rng, base("procurement", "items")),
                             "amount": round(amount * rng.uniform(0.6, 1.4), 2) if amount else 0.0}

    base_rl = record.get("review_litigation") or {}
    review = {}
    for group in ("review", "litigation_direct", "litigation_after_review"):
        g = {f: _scaled(rng, (base_rl.get(group) or {}).get(f), 0.3, 1.5) if f != "total" else 0
             for f in GROUP_FIELDS}
        g["total"] = g["upheld"] + g["corrected"] + g["other"] + g["pending"]
        review[group] = g

    return {"schema_version": 1, "template": template, "year": year, "agency": new_agency,
            "title": _derived_title(record, year, new_agency, agency is not None),
            "active_disclosure": ad, "applications": applications, "review_litigation": review,
            "findings": [], "status": "valid"}


def _derived_title(record: dict, year: int, agency: str | None, agency_changed: bool) -> str:
    old_title, old_year = record.get("title"), record.get("year")
    if old_title and old_year and str(old_year) in old_title and not agency_changed:
        return old_title.replace(str(old_year), str(year), 1)
    return f"{agency or '本机关'}{year}年政府信息公开工作年度报告"
