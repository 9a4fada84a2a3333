"""Write tests/fixtures/: each seed's expected record rendered as a portal page (HTML),
a PDF and a DOCX attachment, plus edge cases (image-only PDF, PDF whose glyphs have no
Unicode mapping, empty DOCX). Deterministic: running it twice gives the same bytes.

    .venv/bin/python scripts/make_fixtures.py
"""
from __future__ import annotations

import html
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gxnb_spiders.replicas import reportgen  # noqa: E402

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


def cid_pdf() -> bytes:
    """Text drawn with an Identity-H CID font that has no ToUnicode map: extractors see
    only (cid:NN) codes, as with many PDFs whose fonts were subset without a map."""
    content = b"BT /F1 18 Tf 72 720 Td <00210022002300240025002600270028> Tj ET\n" * 10
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
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


def empty_docx() -> bytes:
    import docx
    buf = io.BytesIO()
    docx.Document().save(buf)
    return reportgen._deterministic_zip(buf.getvalue())


def main() -> None:
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
    for name, data in {"image_only.pdf": image_only_pdf(), "cid_glyphs.pdf": cid_pdf(),
                       "empty.docx": empty_docx()}.items():
        (FIXTURES / name).write_bytes(data)
        written.append((name, len(data)))
    for name, size in written:
        print(f"{size:8d}  tests/fixtures/{name}")


if __name__ == "__main__":
    main()
