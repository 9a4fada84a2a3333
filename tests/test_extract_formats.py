"""PDF and DOCX readers, and every fixture kind through extract + validate.

Fixtures are the seeds' hand-written expected records rendered by
replicas.reportgen (scripts/make_fixtures.py); the real PDF is
/work/shared/samples/005_huaian_city_gov_2024.pdf.
"""
from __future__ import annotations

import io
import json
import zipfile
import zlib

import pytest

from conftest import FIXTURES, SHARED
from replicas import reportgen
from pipelines.extract import docx as docx_reader
from pipelines.extract import pdf as pdf_reader
from pipelines.extract.blocks import Line, Table
from test_pdf_streams import pdf_with_stream

HUAIAN = SHARED / "samples" / "005_huaian_city_gov_2024.pdf"
SEEDS = range(5)
COMPARED = ("template", "year", "active_disclosure", "applications", "review_litigation", "status")


def _applications_table(doc) -> Table:
    """The table with the applicant columns (table 三)."""
    tables = [b for b in doc.blocks if isinstance(b, Table) and any("本年新收" in c for r in b.rows for c in r)]
    assert len(tables) == 1, [t.origin for t in tables]
    return tables[0]


def _values_in_contract_order(table: Table) -> list[str]:
    """Numbers of table 三, row by row, as the renderer lays them out (seven columns)."""
    return [c for r in table.rows if r[-1].replace(".", "").isdigit() for c in r[-7:]]


def _expected_values(record: dict) -> list[str]:
    return [reportgen.fmt(v) for row in record["applications"].values() for v in row.values()]


# ------------------------------------------------------------------ readers alone

@pytest.mark.parametrize("n", SEEDS)
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_reader_grid_of_table_three_is_cell_exact(n, kind):
    data = (FIXTURES / f"seed_{n:03d}.{kind}").read_bytes()
    doc = pdf_reader.read(data) if kind == "pdf" else docx_reader.read(data, f"seed.{kind}")
    assert doc.findings == []
    record = reportgen.load_record(n)
    table = _applications_table(doc)
    assert all(len(r) == 10 for r in table.rows)
    assert _values_in_contract_order(table) == _expected_values(record)
    # the 3-row header: 申请人情况 spans seven columns, its copies are marked
    assert table.rows[0][3] == "申请人情况" and (0, 4) in table.spanned and (0, 3) not in table.spanned
    # the outcome label spans every outcome row; only its first cell is the original
    col0 = [r[0] for r in table.rows]
    first = col0.index("三、本年度办理结果")
    assert (first, 0) not in table.spanned and (first + 1, 0) in table.spanned
    assert col0.count("三、本年度办理结果") == (22 if record["template"] == "2021" else 20)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_reader_keeps_text_as_lines_and_title(kind):
    data = (FIXTURES / f"seed_000.{kind}").read_bytes()
    doc = pdf_reader.read(data) if kind == "pdf" else docx_reader.read(data)
    lines = [b.text for b in doc.blocks if isinstance(b, Line)]
    assert "一、总体情况" in lines and "莱阳市人民政府办公室" in lines
    assert doc.title == "莱阳市人民政府办公室2023年政府信息公开工作年度报告"
    # page numbers ("- 1 -") never become text
    assert not any(t.startswith("- ") for t in lines)


def test_real_pdf_table_three_crosses_the_page_break_as_one_table():
    doc = pdf_reader.read(HUAIAN.read_bytes())
    assert doc.findings == []
    table = _applications_table(doc)
    assert table.origin == "pdf p4-5"
    rows = {r[2] if r[2] != r[1] else r[1]: r[3:] for r in table.rows}
    assert rows["一、本年新收政府信息公开申请数量"][-1] == "3119"
    assert rows["二、上年结转政府信息公开申请数量"][-1] == "34"
    assert rows["（七）总计"][-1] == "3050"
    assert rows["四、结转下年度继续办理"][-1] == "103"
    # the group label cut by the break is whole again, on all three of its rows
    assert [r[1] for r in table.rows].count("（四）无法提供") == 3
    # the vertical label printed one character per line reads as one label
    assert [r[0] for r in table.rows].count("三、本年度办理结果") == 22
    assert any(r[2].startswith("1、申请人无正当理由逾期不补正") for r in table.rows)
    lines = [b.text for b in doc.blocks if isinstance(b, Line)]
    assert not any(t.strip() in {"- 4 -", "- 5 -"} for t in lines)
    assert "四、政府信息公开行政复议、行政诉讼情况" in lines


@pytest.mark.parametrize("name", ["image_only.pdf", "cid_glyphs.pdf"])
def test_pdf_without_usable_text_is_read_by_ocr(name):
    doc = pdf_reader.read((FIXTURES / name).read_bytes())
    assert [f["rule"] for f in doc.findings] == ["ocr_read"]
    if name == "cid_glyphs.pdf":  # its glyphs have no Unicode mapping, but they can be seen
        assert "２３４５６７８９" in doc.text


@pytest.mark.parametrize("name", ["image_only.pdf", "cid_glyphs.pdf"])
def test_pdf_without_usable_text_needs_ocr_when_no_engine_is_installed(name, monkeypatch):
    import sys

    from pipelines.extract import ocr_engine

    monkeypatch.setattr(ocr_engine, "_ENGINES", {})
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails
    doc = pdf_reader.read((FIXTURES / name).read_bytes())
    assert doc.blocks == []
    assert [f["rule"] for f in doc.findings] == ["needs_ocr"]
    assert doc.findings[0]["severity"] == "error" and "no OCR engine" in doc.findings[0]["message"]


def test_broken_and_encrypted_pdf_give_a_finding_not_an_exception():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret", invariant=1)
    c.drawString(72, 720, "locked")
    c.save()
    for data in (b"%PDF-1.7\nnot really", b"", buf.getvalue(), (FIXTURES / "seed_000.pdf").read_bytes()[:3000]):
        doc = pdf_reader.read(data)
        assert doc.blocks == [] and [f["rule"] for f in doc.findings] == ["unreadable_file"], doc.findings


def test_docx_merged_cells_are_copied_and_marked():
    doc = docx_reader.read((FIXTURES / "seed_004.docx").read_bytes())
    review = [b for b in doc.blocks if isinstance(b, Table) and len(b.rows[0]) == 15][0]
    assert review.rows[0][:6] == ["行政复议"] * 5 + ["行政诉讼"]
    assert {(0, 1), (0, 2), (0, 6), (2, 0)} <= review.spanned       # gridSpan and vMerge copies
    assert review.rows[2][0] == "结果维持" and (2, 5) not in review.spanned
    assert review.rows[3] == ["0", "3", "0", "4", "7", "10", "0", "0", "0", "10", "0", "0", "0", "0", "0"]


def test_empty_docx_and_not_a_zip():
    assert docx_reader.read((FIXTURES / "empty.docx").read_bytes()).blocks == []
    doc = docx_reader.read(b"PK\x03\x04 broken", "a.docx")
    assert [f["rule"] for f in doc.findings] == ["unreadable_file"]


def test_docx_zip_bomb_is_refused_before_parsing():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * (60 * 1024 * 1024) + b"/>")
    doc = docx_reader.read(buf.getvalue(), "bomb.docx")
    assert doc.blocks == [] and [f["rule"] for f in doc.findings] == ["unreadable_file"]
    assert "zip bomb" in doc.findings[0]["message"] or "cap" in doc.findings[0]["message"]


def test_legacy_doc_without_libreoffice_says_what_is_needed(monkeypatch):
    monkeypatch.setattr(docx_reader, "_soffice", lambda: None)
    doc = docx_reader.read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "report.doc")
    assert [f["rule"] for f in doc.findings] == ["unsupported_format"]
    assert "LibreOffice" in doc.findings[0]["message"]


# ------------------------------------------------------- through extract + validate

def _pipeline():
    extract = pytest.importorskip("pipelines.extract").__dict__.get("extract")
    validate_mod = pytest.importorskip("pipelines.validate")
    if extract is None:
        pytest.skip("pipelines.extract.extract not there yet")
    return extract, validate_mod.validate


def _extract_and_validate(data: bytes, filename: str, content_type: str | None = None) -> dict:
    extract, validate = _pipeline()
    record = extract(data, filename=filename, content_type=content_type)
    out = validate(record)
    if isinstance(out, dict):
        return out
    if isinstance(out, tuple):          # (findings, status)
        record = dict(record, findings=out[0], status=out[1])
    return record


CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@pytest.mark.parametrize("n", SEEDS)
@pytest.mark.parametrize("kind", ["html", "pdf", "docx"])
def test_fixture_extracts_cell_exact(n, kind):
    data = (FIXTURES / f"seed_{n:03d}.{kind}").read_bytes()
    got = _extract_and_validate(data, f"seed_{n:03d}.{kind}", CONTENT_TYPES[kind])
    expected = reportgen.load_record(n)
    for key in COMPARED:
        assert got[key] == expected[key], (key, json.dumps(got[key], ensure_ascii=False))
    assert not [f for f in got["findings"] if f["severity"] == "error"]


def test_real_huaian_pdf_extracts_table_three():
    got = _extract_and_validate(HUAIAN.read_bytes(), HUAIAN.name, "application/pdf")
    apps = got["applications"]
    assert got["template"] == "2021" and got["year"] == 2024
    assert apps["new_received"]["total"] == 3119
    assert apps["carried_over"]["total"] == 34
    assert apps["total"]["total"] == 3050
    assert apps["carried_forward"]["total"] == 103
    assert apps["other_no_correction"]["total"] == 71 and apps["other_misc"]["total"] == 110
    assert got["review_litigation"]["review"]["total"] == 351


def test_image_only_pdf_without_a_report_is_unparsed_after_ocr():
    # a ruled grid with nothing written in it: read by OCR, and no table of the template
    got = _extract_and_validate((FIXTURES / "image_only.pdf").read_bytes(), "scan.pdf", "application/pdf")
    assert got["status"] == "unparsed"
    assert {"ocr_read", "no_tables"} <= {f["rule"] for f in got["findings"]}


@pytest.mark.parametrize("kind", ["html", "pdf", "docx"])
def test_blank_cells_come_out_null_not_zero(kind):
    record = reportgen.load_record(0)
    record["applications"]["granted"]["research"] = None
    record["review_litigation"]["review"]["pending"] = None
    if kind == "html":
        data = reportgen.render_html(record).encode("utf-8")
    else:
        data = reportgen.render_pdf(record) if kind == "pdf" else reportgen.render_docx(record)
    got = _extract_and_validate(data, f"blank.{kind}", CONTENT_TYPES[kind])
    assert got["applications"]["granted"]["research"] is None
    assert got["review_litigation"]["review"]["pending"] is None
    assert got["applications"]["granted"]["natural_person"] == 11
    assert got["status"] == "incomplete"


def pdf_with_content_stream(stream: bytes) -> bytes:
    """A minimal one-page PDF whose content stream is ``stream`` (already Flate-encoded)."""
    return pdf_with_stream(stream, b"/Filter /FlateDecode")


def test_pdf_decompression_bomb_is_refused_with_a_finding():
    from pipelines.extract import pdf, pdf_streams

    packer = zlib.compressobj(9)
    zeros = b"0" * (1 << 20)
    bomb = b"".join(packer.compress(zeros) for _ in range(pdf_streams.MAX_STREAM // len(zeros) + 8)) + packer.flush()
    assert len(bomb) < 2 * 2**20  # a small file …
    doc = pdf.read(pdf_with_content_stream(bomb))  # … that would inflate past the cap
    assert not doc.blocks and [f["rule"] for f in doc.findings] == ["unreadable_file"]
    assert "inflate" in doc.findings[0]["message"]
    # an ordinary content stream is not refused
    normal = pdf_with_content_stream(zlib.compress(b"BT /F1 12 Tf 72 712 Td (hello) Tj ET"))
    assert pdf_streams.refusal(normal) is None
    assert all(f["rule"] != "unreadable_file" for f in pdf.read(normal).findings)
