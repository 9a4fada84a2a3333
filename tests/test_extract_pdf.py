"""The PDF reader on pages drawn the ways real exports draw them (fixtures from
scripts/make_fixtures.py): pages stored sideways, crop boxes off the origin, Word-style
borders and fake bold, form XObjects, curves, sideways labels, OCR layers; and its
pdfium page model against pdfminer's (pdfplumber's own reading of the same pages)."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdfplumber.utils import dedupe_chars as pdfplumber_dedupe_chars

from corpus import compare, known_record
from pipelines.extract import extract, pdf as pdf_reader, pdfium_fonts, pdfium_page
from pipelines.extract.blocks import Line, Table
from pipelines.validate import validate

FIXTURES = Path(__file__).parent / "fixtures"
LAYOUT_ROWS = [["项目", "本年新增", "累计"], ["规章", "3", "12"], ["规范性文件", "15", "140"], ["合计", "18", "152"]]


def read(name: str):
    return pdf_reader.read((FIXTURES / name).read_bytes())


@pytest.mark.parametrize("drawn, plain", [
    ("rotated_seed_001.pdf", "seed_001.pdf"),   # stored sideways, /Rotate 90
    ("word_seed_003.pdf", "seed_003.pdf"),      # borders as filled rectangles, fake bold
    ("cropped_seed_004.pdf", "seed_004.pdf"),   # crop box off the origin, a slug outside it
])
def test_a_report_drawn_otherwise_reads_the_same(drawn, plain):
    doc, ref = read(drawn), read(plain)
    assert doc.findings == ref.findings == []
    assert doc.blocks == ref.blocks
    assert doc.title == ref.title
    record = extract((FIXTURES / drawn).read_bytes(), filename="x.pdf")
    assert record == extract((FIXTURES / plain).read_bytes(), filename="x.pdf")
    assert record["status"] == "valid"


def test_text_outside_the_crop_box_is_not_read():
    doc = read("cropped_seed_004.pdf")
    assert not any("印刷标记" in b.text for b in doc.blocks if isinstance(b, Line))
    # so nothing stands between the two halves of table 三 and they are joined again
    assert [b.origin for b in doc.blocks if isinstance(b, Table)] == ["pdf p1", "pdf p1-2", "pdf p2"]


def test_fake_bold_is_read_once():
    doc = read("word_seed_003.pdf")
    assert doc.blocks[0] == Line("城乡一体化示范区党政办公室2023年政府信息公开工作年度报告")


def test_hand_laid_out_pages():
    doc = read("layouts.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    lines = [b.text for b in doc.blocks if isinstance(b, Line)]
    assert [t.origin for t in tables] == [f"pdf p{n}" for n in range(1, 7)]
    # nested form XObjects; a media box off the origin; sideways with /Rotate 90 and an
    # offset media box; invisible OCR text; filled-rectangle borders with fake bold
    for n in (0, 1, 2, 4, 5):
        assert tables[n].rows == LAYOUT_ROWS and not tables[n].spanned, n
    assert "表内数据（表单对象）" in lines
    # the bare page number at the foot of the page whose media box is off the origin
    assert "2" not in lines
    # stroked cell rectangles (one spanning four rows), a shaded cell, a diagonal in the
    # corner cell, Helvetica with Tz/Ts/Tc; the sideways label is read as pdfplumber reads
    # rotated text (top to bottom)
    assert tables[3].rows == [["", "项目", "数量A", "Total B"],
                              ["况情请申", "新收申请", "92", "1,234"], ["况情请申", "上年结转", "3", "56"],
                              ["况情请申", "办结", "90", "789"], ["况情请申", "结转下年", "5", "0"]]
    assert tables[3].spanned == {(2, 0), (3, 0), (4, 0)}
    # the text in the rounded frame is a line, the frame is no table
    assert "说明：本表数据截至12月31日。" in lines
    assert lines.count("一、主动公开政府信息情况") == 5
    assert doc.findings == []


def test_labels_run_over_their_cells_stay_in_their_cells():
    """LibreOffice's export of a report typed with its labels spread across their cells
    (分散对齐) and set vertically: "自然人" and "总计" end below their header cell's rule,
    inside the first row's numbers ("人41"); "三、本年度办理结果" ends below the table's
    last rule on page 2, where its "果" stood between the table and its continuation."""
    path = FIXTURES / "renderings" / "libreoffice_office_003_2020.pdf"
    doc = pdf_reader.read(path.read_bytes())
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.origin for t in tables] == ["pdf p1-2", "pdf p2-3", "pdf p4"]
    header, first = tables[1].rows[2], tables[1].rows[3]
    assert (header[3], header[-1]) == ("自然人", "总计")
    assert first[3:] == ["41", "0", "0", "0", "0", "0", "41"]
    assert {row[0] for row in tables[1].rows[5:-1]} == {"三、本年度办理结果"}
    assert not any(isinstance(b, Line) and b.text == "果" for b in doc.blocks)
    record = extract(path.read_bytes(), filename=path.name)
    assert record["status"] == "valid"
    assert record["applications"] == known_record(path.stem)["applications"]


def test_a_number_its_cell_wrapped_is_one_number():
    """LibreOffice's export of a report with five-digit numbers: table 三's narrow columns
    break "31143" into "3114" over "3" (the next digit did not fit beside the first four)."""
    path = FIXTURES / "renderings" / "libreoffice_office_004_2023_x300.pdf"
    record = validate(extract(path.read_bytes(), filename=path.name))
    known = known_record(path.stem)
    assert max(known["applications"]["new_received"].values()) >= 10000
    assert record["applications"] == known["applications"]
    assert record["review_litigation"] == known["review_litigation"]
    assert record["status"] == "valid"


def test_numbers_set_one_above_the_other_in_a_wide_cell_stay_apart():
    """Two short numbers on two lines of a cell wide enough for both on one line are not
    one number: the cell is unreadable, not 1213."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    xs, ys = [60, 200, 300], [700, 680, 650]
    c.grid(xs, ys)
    c.setFont("Helvetica", 10)
    c.drawString(64, 686, "A")
    c.drawString(204, 686, "5")
    c.drawString(64, 662, "B")
    c.drawString(240, 668, "12")
    c.drawString(240, 656, "13")
    c.showPage()
    c.save()
    (table,) = [b for b in pdf_reader.read(buf.getvalue()).blocks if isinstance(b, Table)]
    assert table.rows[1][1] == "12 13"


@pytest.mark.parametrize("name, known", [("no_tounicode_seed_000.pdf", "seed_000"),
                                         ("no_tounicode_html_seed_002.pdf", "seed_002")])
def test_fonts_without_tounicode_are_read_by_ocr_and_never_wrong(name, known):
    """LibreOffice's exports with their fonts' ToUnicode maps taken out: the pages are read
    by OCR. Before the OCR check of 1cf48e0 these gave 2 wrong numbers (OCR read table 二's
    zeros as '〇' and some labels wrongly; table 三's first row was paired with the labels
    it did read) and a failed reading (an unsure number in a misread row: the report lost)."""
    record = validate(extract((FIXTURES / name).read_bytes(), filename=name))
    assert "ocr_read" in {f["rule"] for f in record["findings"]}
    assert "extraction_error" not in {f["rule"] for f in record["findings"]}
    assert record["status"] != "unparsed"
    assert compare(record, known_record(known)).wrong == []


def _pages(name: str):
    pdf = pypdfium2.PdfDocument(FIXTURES / name)
    try:
        for index in range(len(pdf)):
            with pdfium_fonts.reading():       # as the reader loads pages
                page = pdf[index]
                textpage = page.get_textpage()
                loaded = pdfium_page.load(page, textpage)
            yield index, loaded
            textpage.close()
            page.close()
    finally:
        pdf.close()


def test_dedupe_chars_keeps_what_pdfplumber_keeps_in_the_same_order():
    doubled = dict(_pages("layouts.pdf"))[5].chars       # page 6: every glyph drawn twice
    kept = pdf_reader.dedupe_chars(doubled)
    assert len(kept) * 2 == len(doubled)
    assert [id(c) for c in kept] == [id(c) for c in pdfplumber_dedupe_chars(doubled)]
    for name in ("seed_000.pdf", "word_seed_003.pdf"):
        for _, page in _pages(name):
            assert [id(c) for c in pdf_reader.dedupe_chars(page.chars)] == \
                   [id(c) for c in pdfplumber_dedupe_chars(page.chars)]


def _key(c):
    return round(c["top"]), round(c["x0"], 1), c["text"]


# pdfium takes the descent of a standard-14 font (Helvetica on layouts.pdf) from the font
# it substitutes, pdfminer from the AFM metrics: 0.15 pt apart
@pytest.mark.parametrize("name, tolerance", [("seed_001.pdf", 0.001), ("rotated_seed_001.pdf", 0.001),
                                             ("layouts.pdf", 0.2)])
def test_page_objects_match_pdfminer(name, tolerance):
    """Chars and ruling edges as pdfplumber (pdfminer) sees the same pages."""
    keys = ("x0", "x1", "top", "bottom", "size")
    with pdfplumber.open(FIXTURES / name) as reference:
        for index, page in _pages(name):
            ref = reference.pages[index]
            if ref.mediabox[:2] != (0, 0):
                continue   # pdfplumber's frame is shifted for media boxes off the origin
            assert (page.width, page.height) == pytest.approx((ref.width, ref.height))
            ours, theirs = sorted(page.chars, key=_key), sorted(ref.chars, key=_key)
            assert [(c["text"], c["upright"]) for c in ours] == [(c["text"], c["upright"]) for c in theirs]
            for a, b in zip(ours, theirs):
                assert [a[k] for k in keys] == pytest.approx([b[k] for k in keys], abs=tolerance), \
                    (index, a["text"])
            edges = lambda es: sorted((e["orientation"], round(e["x0"], 2), round(e["top"], 2),  # noqa: E731
                                       round(e["x1"], 2), round(e["bottom"], 2)) for e in es if e["orientation"])
            assert edges(page.edges) == edges(ref.edges), index


def test_only_the_first_max_pages_are_read():
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for n in range(1, pdf_reader.MAX_PAGES + 2):
        c.drawString(72, 720, f"line {n}")
        c.showPage()
    c.save()
    doc = pdf_reader.read(buf.getvalue())
    assert [f["rule"] for f in doc.findings] == ["truncated"]
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "line 1" and texts[-1] == f"line {pdf_reader.MAX_PAGES}"
    assert len(texts) == pdf_reader.MAX_PAGES
