"""Write tests/fixtures/: each seed's expected record rendered as a portal page (HTML),
a PDF and a DOCX attachment, plus edge cases (image-only PDF, PDF whose glyphs have no
Unicode mapping, empty DOCX) and PDFs drawn the ways real exports draw them (pages
stored sideways with /Rotate, a crop box off the origin, Word-style borders and fake
bold, form XObjects …). Deterministic: running it twice gives the same bytes.

    .venv/bin/python scripts/make_fixtures.py
    .venv/bin/python scripts/make_fixtures.py --renderings   # tests/fixtures/renderings/ (Chromium, poppler,
                                                             # LibreOffice when installed)
"""
from __future__ import annotations

import html
import io
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replicas import reportgen  # noqa: E402
from reportlab.lib.colors import black  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = range(5)
# the 大同 portal's seed was saved from its 繁體 view
TRADITIONAL = {2}
# this seed's PDF lets table 三 run across the page break, as many exports do
SPLIT_TABLES = {4}


def portal_page(record: dict, body: str, traditional: bool) -> str:
    title = html.escape(reportgen._title(record))
    year = (record.get("year") or 2021) + 1
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{year}-01-20 09:00">
</head>
<body>
<div class="header"><a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
<table class="xxgk-meta"><tr><td>索引号：</td><td>000000000/{year}-00001</td><td>发布机构：</td><td>{html.escape(reportgen._agency(record))}</td></tr>
<tr><td>发布日期：</td><td>{year}-01-20</td><td>文号：</td><td>无</td></tr></table>
<h1 class="title">{title}</h1>
<div id="zoom" class="TRS_Editor">
{body}</div>
</div>
<div class="footer">主办单位：{html.escape(reportgen._agency(record))} 网站标识码 0000000000</div>
</body>
</html>
"""
    return reportgen.to_traditional(page) if traditional else page


def image_only_pdf() -> bytes:
    """A scanned-looking page: one raster image, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (300, 200), 255)
    draw = ImageDraw.Draw(img)
    for i in range(0, 200, 20):       # ruled lines of a "table"
        draw.line([(10, i + 5), (290, i + 5)], fill=0)
    for x in range(10, 300, 40):
        draw.line([(x, 5), (x, 185)], fill=0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(img), 50, 400, width=495, height=330)
    c.showPage()
    c.save()
    return buf.getvalue()


class RotatedCanvas(Canvas):
    """Pages stored sideways (landscape media box, content turned) with /Rotate 90, so
    that they display upright: what scanners and some landscape exports produce."""

    def setPageRotation(self, rot):   # the document template resets it on every page
        super().setPageRotation(90)

    def _make_preamble(self):
        super()._make_preamble()
        self._preamble = "0 1 -1 0 %s 0 cm " % self._pagesize[1] + self._preamble


class CropCanvas(Canvas):
    """A printer's sheet: a larger media box with crop marks and a slug line outside a
    crop box that is off the origin (what a viewer shows is the crop box)."""
    BORDER = 36
    # the document template sets _cropMarks after making the canvas: keep ours
    _cropMarks = property(lambda self: _Marks(self.BORDER), lambda self, value: None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        w, h = self._pagesize
        self.setCropBox((self.BORDER, self.BORDER, self.BORDER + w, self.BORDER + h))

    def showPage(self):
        self.saveState()
        self.setFont("STSong-Light", 7)
        self.drawString(0, -22, "印刷标记 裁切线外 校样")   # on the sheet, outside the crop box
        self.restoreState()
        super().showPage()


class _Marks:
    def __init__(self, border):
        self.borderWidth, self.markLength, self.markWidth = border, 18, 0.5
        self.markColor, self.bleedWidth, self.markLast = black, 0, 1


class WordCanvas(Canvas):
    """Table borders as thin filled rectangles, and every glyph drawn twice 0.3 pt apart
    (fake bold): how Word and WPS exports draw them."""
    RULE = 0.5

    def line(self, x1, y1, x2, y2):
        if x1 != x2 and y1 != y2:
            return super().line(x1, y1, x2, y2)
        t = self.RULE
        self.saveState()
        self.setFillColor(self._strokeColorObj)
        if y1 == y2:
            self.rect(min(x1, x2) - t / 2, y1 - t / 2, abs(x2 - x1) + t, t, stroke=0, fill=1)
        else:
            self.rect(x1 - t / 2, min(y1, y2) - t / 2, t, abs(y2 - y1) + t, stroke=0, fill=1)
        self.restoreState()

    def drawText(self, textobject):
        self.saveState()
        self.translate(0.3, 0)
        super().drawText(textobject)
        self.restoreState()
        super().drawText(textobject)


def cid_pdf() -> bytes:
    """Text drawn with an Identity-H CID font that has no ToUnicode map: extractors see
    only (cid:NN) codes, as with many PDFs whose fonts were subset without a map."""
    content = b"BT /F1 18 Tf 72 720 Td <00210022002300240025002600270028> Tj ET\n" * 10
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ])


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1; the first is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# a small table of the report's first kind, drawn by hand in layout_pdf()
LAYOUT_ROWS = [["项目", "本年新增", "累计"], ["规章", "3", "12"], ["规范性文件", "15", "140"], ["合计", "18", "152"]]


def layout_pdf() -> bytes:
    """Pages laid out the ways real PDFs are and reportlab never does, one per page:
    1. the table inside a form XObject inside another, the outer one scaled;
    2. the media box not at the origin, a bare page number at the foot;
    3. stored sideways with /Rotate 90 and the media box not at the origin;
    4. cell borders as stroked rectangles (one spanning four rows), a shaded cell, a
       diagonal in the corner cell, a rounded frame (Bézier corners), a dashed rule, a
       label written sideways, Helvetica numbers with Tz, Ts and Tc;
    5. an OCR layer: the text invisible (3 Tr) over the ruling;
    6. borders as thin filled rectangles, and all the text drawn a second time 0.3 pt
       to the right after the rest of the page (fake bold that pdfium does not merge).
    """
    def cjk(s):    # a string in the UniGB-UCS2-H encoding
        return "<" + s.encode("utf-16-be").hex() + ">"

    def text(x, y, s, size=12, font="F2"):
        return f"BT /{font} {size} Tf {x} {y} Td {cjk(s) if font == 'F2' else '(' + s + ')'} Tj ET"

    def grid(x0, y0, widths, heights, rects=False, fills=False):
        xs, ys = [x0], [y0]
        for w in widths:
            xs.append(xs[-1] + w)
        for h in heights:
            ys.append(ys[-1] - h)
        out = ["0.6 w"]
        if fills:
            out += [f"{xs[0] - 0.25} {y - 0.25} {xs[-1] - xs[0] + 0.5} 0.5 re f" for y in ys]
            out += [f"{x - 0.25} {ys[-1] - 0.25} 0.5 {ys[0] - ys[-1] + 0.5} re f" for x in xs]
        elif rects:
            out += [f"{xs[i]} {ys[j + 1]} {widths[i]} {heights[j]} re S"
                    for i in range(len(widths)) for j in range(len(heights))]
        else:
            out += [f"{xs[0]} {y} m {xs[-1]} {y} l S" for y in ys]
            out += [f"{x} {ys[0]} m {x} {ys[-1]} l S" for x in xs]
        return out, xs, ys

    def cells(xs, ys, rows, font="F2"):
        return [text(xs[i] + 3, ys[j + 1] + 5, t, 9, font)
                for j, row in enumerate(rows) for i, t in enumerate(row) if t is not None]

    def table_page(x0=60, y0=700, fills=False):
        g, xs, ys = grid(x0, y0, [200, 120, 120], [24] * 4, fills=fills)
        return "\n".join([text(60, 760, "一、主动公开政府信息情况", 14), *g, *cells(xs, ys, LAYOUT_ROWS),
                          text(280, 30, "- 1 -", 9)])

    g, xs, ys = grid(0, 300, [200, 120, 120], [24] * 4)
    forms = [("Inner", "/BBox [0 0 500 320] /Matrix [1 0 0 1 5 5]", "\n".join(g + cells(xs, ys, LAYOUT_ROWS))),
             ("Outer", "/BBox [0 0 600 400] /Matrix [1 0 0 1 20 10]",
              text(0, 340, "表内数据（表单对象）", 11) + "\nq 1 0 0 1 10 0 cm /Inner Do Q")]
    page1 = text(60, 780, "一、主动公开政府信息情况", 14) + "\nq 0.9 0 0 0.9 30 300 cm /Outer Do Q\n" + text(280, 30, "- 1 -", 9)
    page2 = "q 1 0 0 1 100 200 cm\n" + table_page() + "\n" + text(290, 50, "2", 9, "F1") + "\nQ"
    page3 = "q 0 1 -1 0 942 200 cm\n" + table_page() + "\nQ"
    g, xs, ys = grid(60, 700, [40, 160, 120, 120], [24] * 5, rects=True)
    g = [ln for ln in g if not ln.startswith(f"{xs[0]} ") or ln.startswith(f"{xs[0]} {ys[1]} ")]
    g.append(f"{xs[0]} {ys[-1]} 40 96 re S")         # the label cell spans four rows
    rows = [[None, "项目", "数量A"], [None, "新收申请", "92"], [None, "上年结转", "3"], [None, "办结", "90"],
            [None, "结转下年", "5"]]
    page4 = "\n".join([
        text(60, 760, "二、收到和处理政府信息公开申请情况", 14), *g,
        f"1 1 1 rg {xs[1]} {ys[2]} 160 24 re f 0 0 0 rg",
        f"{xs[1]} {ys[0]} m {xs[2]} {ys[1]} l S",
        *cells(xs, ys, rows),
        "BT /F2 9 Tf 0 1 -1 0 %g %g Tm %s Tj ET" % (xs[0] + 25, ys[-1] + 10, cjk("申请情况")),
        f"BT /F1 9 Tf {xs[3] + 3} {ys[1] + 5} Td (Total B) Tj ET",
        f"BT /F1 9 Tf 80 Tz {xs[3] + 3} {ys[2] + 5} Td (1,234) Tj ET",
        f"BT /F1 9 Tf 2 Ts {xs[3] + 3} {ys[3] + 5} Td (56) Tj ET",
        f"BT /F1 9 Tf 1.5 Tc {xs[3] + 3} {ys[4] + 5} Td (789) Tj ET",
        f"BT /F1 9 Tf {xs[3] + 3} {ys[5] + 5} Td (0) Tj ET",
        "0.5 w 60 420 m 300 420 l 310 420 310 430 310 430 c 310 500 l 310 510 300 510 300 510 c 60 510 l "
        "50 510 50 500 50 500 c 50 430 l 50 420 60 420 60 420 c S",
        text(70, 470, "说明：本表数据截至12月31日。", 10),
        "[3 2] 0 d 60 400 m 540 400 l S [] 0 d",
        text(280, 30, "第 1 页", 9)])
    page5 = table_page().replace("BT ", "BT 3 Tr ")
    page6 = table_page(fills=True)
    page6 += "\nq 1 0 0 1 0.3 0 cm\n" + "\n".join(ln for ln in page6.split("\n") if ln.startswith("BT")) + "\nQ"
    pages = [(page1, "/MediaBox [0 0 595 842]"), (page2, "/MediaBox [100 200 695 1042]"),
             (page3, "/MediaBox [100 200 942 795] /Rotate 90"), (page4, "/MediaBox [0 0 595 842]"),
             (page5, "/MediaBox [0 0 595 842]"), (page6, "/MediaBox [0 0 595 842]")]

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
               b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
               b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
               b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor 4 0 R /DW 1000 /W [1 95 500] >>",
               b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H "
               b"/DescendantFonts [5 0 R] >>"]
    fonts = "/Font << /F1 3 0 R /F2 6 0 R >>"

    def stream(content: str, extra: str = "") -> bytes:
        data = zlib.compress(content.encode("latin-1"), 9)
        return (f"<< {extra} /Filter /FlateDecode /Length {len(data)} >>\nstream\n").encode() + data + b"\nendstream"

    xobjects = ""
    for name, extra, content in forms:
        objects.append(stream(content, f"/Type /XObject /Subtype /Form {extra} "
                                       f"/Resources << {fonts} /XObject << {xobjects} >> >>"))
        xobjects += f" /{name} {len(objects)} 0 R"
    kids = []
    for content, boxes in pages:
        objects.append(stream(content))
        objects.append(f"<< /Type /Page /Parent 2 0 R {boxes} /Resources << {fonts} /XObject << {xobjects} >> >> "
                       f"/Contents {len(objects)} 0 R >>".encode())
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return _pdf(objects)


def empty_docx() -> bytes:
    import docx
    buf = io.BytesIO()
    docx.Document().save(buf)
    return reportgen._deterministic_zip(buf.getvalue())


RENDERINGS = FIXTURES / "renderings"
SAMPLES = ROOT.parent / "shared" / "samples"


HEADER = ('<div style="font-size:8px;width:100%;margin:0 0.4in;display:flex;justify-content:space-between">'
          '<span class="date"></span><span class="title"></span><span></span></div>')
FOOTER = ('<div style="font-size:8px;width:100%;margin:0 0.4in;display:flex;justify-content:space-between">'
          '<span>{name}</span><span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>')


def chromium_pdf(html_path: Path, out: Path, *, paper: str = "A4", margin: str = "0.4in",
                 browser=None) -> None:
    """The page printed by Chromium (A4, default margins, a header and footer like its own):
    how a reader saves a report page as PDF; tables break across pages wherever they fall.
    Another ``paper``/``margin`` moves the page breaks. The footer names the file, not its
    path on this machine. ``browser``: a Playwright Chromium to reuse (else one is started)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            chromium_pdf(html_path, out, paper=paper, margin=margin, browser=browser)
            browser.close()
        return
    page = browser.new_page()
    page.goto(html_path.resolve().as_uri())
    page.pdf(path=str(out), format=paper, display_header_footer=True, header_template=HEADER,
             footer_template=FOOTER.format(name=html_path.name),
             margin={"top": margin, "bottom": margin, "left": margin, "right": margin})
    page.close()


# Reports typed the way offices type them and saved as PDF by LibreOffice: other years,
# templates and numbers than the seeds' (derived records). (name, seed, its numbers
# scaled by, year, derive's seed, labels distributed across their cells)
OFFICE_REPORTS = [("libreoffice_office_000_2019", 0, 1, 2019, 1, False),
                  ("libreoffice_office_001_2022", 1, 1, 2022, 2, True),
                  ("libreoffice_office_003_2020", 3, 1, 2020, 3, True),
                  ("libreoffice_office_004_2024", 4, 1, 2024, 4, False),
                  # five-digit numbers that table 三's narrow columns wrap onto two lines
                  ("libreoffice_office_004_2023_x300", 4, 300, 2023, 1, False)]


def _xml(tag: str, **attrs) -> object:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(name), value)
    return element


def office_docx(record: dict, *, distributed: bool = False) -> bytes:
    """The report's DOCX as an office types it: A4 with the official document margins,
    仿宋 16 pt justified body text, 宋体 10.5 pt tables, a "— N —" page number, table
    三's header rows repeated on every page, vertical labels as vertical text (not one
    character per line) and, with ``distributed``, the labels spread across their cells
    (分散对齐), which lets a tight cell's text run over its border."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document(io.BytesIO(reportgen.render_docx(record)))

    def set_font(paragraph, font: str, size: float):
        for run in paragraph.runs:
            run.font.size, run.font.name = Pt(size), font
            run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("— ")
        for part in (_xml("w:fldChar", **{"w:fldCharType": "begin"}), _xml("w:instrText"),
                     _xml("w:fldChar", **{"w:fldCharType": "end"})):
            if part.tag == qn("w:instrText"):
                part.text = "PAGE"
            footer.add_run()._r.append(part)
        footer.add_run(" —")
    for paragraph in document.paragraphs:
        set_font(paragraph, "仿宋_GB2312", 16)
        if paragraph.alignment is None:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Pt(32)
    for table in document.tables:
        for cell in table._tbl.iter(qn("w:tc")):
            paragraphs = cell.findall(qn("w:p"))
            texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs]
            if len(paragraphs) > 1 and all(len(t) == 1 for t in texts):   # one character a line
                for p in paragraphs[1:]:
                    paragraphs[0].extend(p.findall(qn("w:r")))
                    cell.remove(p)
                cell.get_or_add_tcPr().append(_xml("w:textDirection", **{"w:val": "tbRlV"}))
            for p, text in zip(cell.findall(qn("w:p")), texts):
                set_font(docx.text.paragraph.Paragraph(p, None), "宋体", 10.5)
                if distributed and text and not text[0].isdigit():
                    p.get_or_add_pPr().append(_xml("w:jc", **{"w:val": "distribute"}))
    for row in document.tables[1].rows[:3]:     # table 三's header
        row._tr.get_or_add_trPr().append(_xml("w:tblHeader"))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def libreoffice_pdf(source: Path, out: Path, page: bool = False) -> None:
    """``source`` opened by LibreOffice Writer and exported as PDF (an HTML page opened
    in Writer itself, as an office opens a saved page, not in its web view)."""
    libreoffice_save(source, out, "pdf:writer_pdf_Export", infilter="HTML (StarWriter)" if page else None)


def libreoffice_save(source: Path, out: Path, filter_: str, infilter: str | None = None) -> None:
    """``source`` opened by LibreOffice Writer (headless, in a profile of its own, so that
    runs side by side do not share one) and saved as ``out`` with ``filter_`` (the
    extension, then the export filter: ``pdf:writer_pdf_Export``, ``doc:MS Word 97``)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        args = ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless"]
        if infilter:
            args += [f"--infilter={infilter}"]
        subprocess.run([*args, "--convert-to", filter_, "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=300)
        out.write_bytes((Path(tmp) / f"{source.stem}.{filter_.split(':')[0]}").read_bytes())


def libreoffice_exports() -> list[Path]:
    """tests/fixtures/renderings/libreoffice_*.pdf: each seed's DOCX and page, and the
    office-typed reports of OFFICE_REPORTS (their records in tests/fixtures/records/)."""
    import shutil
    import tempfile

    if not shutil.which("soffice"):
        print("make_fixtures: soffice not found: LibreOffice exports not made (apt-get install "
              "libreoffice-writer)", file=sys.stderr)
        return []
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SEEDS:
            for source, page in ((FIXTURES / f"seed_{n:03d}.docx", False), (FIXTURES / f"seed_{n:03d}.html", True)):
                pdf = RENDERINGS / f"libreoffice_{'html_' if page else ''}seed_{n:03d}.pdf"
                libreoffice_pdf(source, pdf, page=page)
                out.append(pdf)
        for name, n, scale, year, seed, distributed in OFFICE_REPORTS:
            record = reportgen.derive(reportgen.scaled(reportgen.load_record(n), scale), year, seed=seed)
            (FIXTURES / "records" / f"{name}.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            source = Path(tmp) / f"{name}.docx"
            source.write_bytes(office_docx(record, distributed=distributed))
            libreoffice_pdf(source, RENDERINGS / f"{name}.pdf")
            out.append(RENDERINGS / f"{name}.pdf")
    for name in NO_TOUNICODE:
        (FIXTURES / f"no_tounicode_{name}").write_bytes(without_tounicode((RENDERINGS / f"libreoffice_{name}").read_bytes()))
    return out


# LibreOffice exports whose fonts lose their ToUnicode maps (tests/fixtures/no_tounicode_*):
# read by OCR, and the reading after it must hold (not in the corpus: not read cell-exact)
NO_TOUNICODE = ("seed_000.pdf", "html_seed_002.pdf")


def without_tounicode(pdf: bytes) -> bytes:
    """The PDF with its fonts' ToUnicode maps taken out, as some exporters and printers
    write them: the glyphs' codes say nothing of their characters. Each reference is
    blanked with spaces, so every offset of the file stays as it was."""
    import re

    return re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group()), pdf)


def pdf_texts(pdf_path: Path) -> dict[str, str]:
    """What text tools make of a PDF: `pdftotext -layout`, plain `pdftotext` (poppler-utils)
    and pdfminer.six's extract_text."""
    import subprocess

    from pdfminer.high_level import extract_text

    out = {}
    for kind, args in (("layout", ["-layout"]), ("raw", [])):
        out[kind] = subprocess.run(["pdftotext", *args, "-enc", "UTF-8", str(pdf_path), "-"],
                                   check=True, capture_output=True).stdout.decode("utf-8")
    out["pdfminer"] = extract_text(str(pdf_path))
    return out


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_md_row(header), _md_row(["---"] * len(header)), *(_md_row(r) for r in rows), ""]


def _visible_rows(width: int, rows: list[list[dict]]) -> list[list[str]]:
    """A grid as an OCR tool sees it row by row: a merged cell's text in its first
    position only, the positions it covers blank."""
    out, taken = [], {}
    for r, row in enumerate(rows):
        line, c = [], 0
        cells = iter(row)
        while c < width:
            if (r, c) in taken:
                line.append("")
                c += 1
                continue
            spec = next(cells, None)
            if spec is None:
                line.append("")
                c += 1
                continue
            for dr in range(spec["rowspan"]):
                for dc in range(spec["colspan"]):
                    if dr or dc:
                        taken[(r + dr, c + dc)] = True
            line.append(spec["text"])
            line += [""] * (spec["colspan"] - 1)
            c += spec["colspan"]
        out.append(line)
    return out


def ocr_markdown(record: dict) -> str:
    """The report as OCR tools put it out in Markdown: prose as lines; table 二 under
    placeholder headers; table 三 re-cut into one small table per row (placeholder
    headers 数据1…); table 四 as three tables, one per group, each with its own header."""
    out = [reportgen._title(record), ""]
    for heading, paragraphs in reportgen.prose_sections(record):
        if heading:
            out += [heading, ""]
        out += [p for p in paragraphs] + [""]
        grid = reportgen.TABLE_AFTER.get(heading)
        if grid is reportgen.grid_disclosure:
            width, rows = grid(record)
            out += _md_table([f"列{i + 1}" for i in range(width)], _visible_rows(width, rows))
        elif grid is reportgen.grid_applications:
            width, rows = grid(record)
            visible = _visible_rows(width, rows)
            out += _md_table([f"列{i + 1}" for i in range(width)], visible[:3])
            for row in visible[3:]:
                labels = " ".join(t for t in row[:3] if t)
                out += _md_table(["项目"] + [f"数据{i + 1}" for i in range(7)], [[labels] + row[3:]])
        elif grid is reportgen.grid_review:
            rl = record.get("review_litigation") or {}
            for group, name in (("review", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
                                ("litigation_after_review", "行政诉讼（复议后起诉）")):
                out += [name, ""]
                out += _md_table(list(reportgen.GROUP_FIELD_LABELS),
                                 [[reportgen.fmt((rl.get(group) or {}).get(f)) for f in reportgen.GROUP_FIELDS]])
    out += reportgen.signature(record)
    return "\n".join(out) + "\n"


def renderings() -> list[tuple[str, int]]:
    """tests/fixtures/renderings/: each HTML fixture printed by Chromium; the LibreOffice
    exports; every seed PDF, Chromium print, LibreOffice export and shared sample run
    through pdftotext -layout, pdftotext and pdfminer; each seed as OCR-style Markdown.
    Needs /usr/bin/chromium and poppler-utils (LibreOffice: skipped, saying so, without)."""
    RENDERINGS.mkdir(parents=True, exist_ok=True)
    written = []
    pdfs = []
    for n in SEEDS:
        printed = RENDERINGS / f"chromium_seed_{n:03d}.pdf"
        chromium_pdf(FIXTURES / f"seed_{n:03d}.html", printed)
        pdfs += [FIXTURES / f"seed_{n:03d}.pdf", printed]
        md = RENDERINGS / f"ocr_seed_{n:03d}.md"
        md.write_text(ocr_markdown(reportgen.load_record(n)), encoding="utf-8")
        written += [(printed.name, printed.stat().st_size), (md.name, md.stat().st_size)]
    exports = libreoffice_exports()
    written += [(pdf.name, pdf.stat().st_size) for pdf in exports]
    pdfs += exports + sorted(SAMPLES.glob("*.pdf"))
    for pdf in pdfs:
        for kind, text in pdf_texts(pdf).items():
            out = RENDERINGS / f"{pdf.stem}.{kind}.txt"
            out.write_text(text, encoding="utf-8")
            written.append((out.name, len(text.encode("utf-8"))))
    return written


def main() -> None:
    if "--renderings" in sys.argv:
        for name, size in renderings():
            print(f"{size:8d}  tests/fixtures/renderings/{name}")
        return
    FIXTURES.mkdir(parents=True, exist_ok=True)
    written = []
    for n in SEEDS:
        record = reportgen.load_record(n)
        trad = n in TRADITIONAL
        files = {
            f"seed_{n:03d}.html": portal_page(record, reportgen.render_html(record, traditional=trad), trad).encode("utf-8"),
            f"seed_{n:03d}.pdf": reportgen.render_pdf(record, split_tables=n in SPLIT_TABLES),
            f"seed_{n:03d}.docx": reportgen.render_docx(record),
        }
        for name, data in files.items():
            (FIXTURES / name).write_bytes(data)
            written.append((name, len(data)))
    seed = reportgen.load_record
    for name, data in {"image_only.pdf": image_only_pdf(), "cid_glyphs.pdf": cid_pdf(),
                       "empty.docx": empty_docx(),
                       # the same reports as seed_001.pdf, seed_004.pdf and seed_003.pdf, drawn otherwise
                       "rotated_seed_001.pdf": reportgen.render_pdf(seed(1), canvasmaker=RotatedCanvas),
                       "cropped_seed_004.pdf": reportgen.render_pdf(seed(4), split_tables=True,
                                                                    canvasmaker=CropCanvas),
                       "word_seed_003.pdf": reportgen.render_pdf(seed(3), canvasmaker=WordCanvas),
                       "layouts.pdf": layout_pdf()}.items():
        (FIXTURES / name).write_bytes(data)
        written.append((name, len(data)))
    for name, size in written:
        print(f"{size:8d}  tests/fixtures/{name}")


if __name__ == "__main__":
    main()
