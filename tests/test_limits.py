"""Caps on what a document may expand to (pipelines/extract/limits.py) and the worker's
memory ceiling (pipelines/workers.py): a hostile file costs little and says why it was
not read; what else the report holds is still read."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import tracemalloc
import zlib
from pathlib import Path

import pytest

from pipelines.extract import extract, limits
from pipelines.report import finish
from pipelines.workers import Workers
from test_pdf_streams import pdf_with_stream
from test_workers import pdf_only_item, read_all

FIXTURES = Path(__file__).parent / "fixtures"
RECORDS = Path(__file__).resolve().parents[1] / "replicas" / "data" / "records"
TABLES = ("active_disclosure", "applications", "review_litigation")
SPANS = "<table>" + "<tr><td rowspan=200 colspan=200>1</td></tr>" * 300 + "</table>"


def extract_measured(data: bytes, filename: str) -> tuple[dict, int]:
    """The record, and the most memory Python held while reading it (bytes)."""
    tracemalloc.start()
    try:
        record = extract(data, filename=filename)
        return record, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_page_of_huge_spans_is_refused_with_a_finding_and_the_real_tables_still_read():
    page = (FIXTURES / "seed_000.html").read_text("utf-8").replace("</body>", SPANS + "</body>")
    assert len(SPANS) < 16 << 10                  # 13 KB that expand to 12 million cells
    record, peak = extract_measured(page.encode("utf-8"), "page.html")
    assert peak < 64 << 20
    [too_large] = [f for f in record["findings"] if f["rule"] == "too_large"]
    assert "1 table(s) (html) not read" in too_large["message"]
    expected = json.loads((RECORDS / "seed_000.json").read_text("utf-8"))
    assert all(record[t] == expected[t] for t in TABLES)


def test_many_large_tables_share_one_cap():
    table = "<table>" + "<tr><td colspan=200>1</td></tr>" + "<tr><td>2</td></tr>" * 199 + "</table>"
    record, peak = extract_measured(("<html><body>" + table * 40 + "</body></html>").encode(), "page.html")
    assert peak < 64 << 20
    [too_large] = [f for f in record["findings"] if f["rule"] == "too_large"]
    # 40 tables of 200 × 200 cells; the cap holds five of them
    assert too_large["message"].startswith(f"{40 - limits.MAX_GRID_CELLS // 40_000} table(s) (html) not read")


@pytest.mark.parametrize("line", ["12 ", "|1", "申请"])
def test_a_ten_megabyte_line_of_text_is_refused_with_a_finding(line):
    text = (line * 5_000_000)[:10_000_000]
    record, peak = extract_measured(text.encode("utf-8"), "report.txt")
    assert peak < 4 * len(text.encode("utf-8"))   # the input and its decoded copies, nothing more
    assert record["status"] == "unparsed"
    [refused] = [f for f in record["findings"] if f["rule"] == "unreadable_file"]
    assert "10,000,000 characters" in refused["message"]


def test_a_spanned_cell_counts_as_often_as_it_is_copied():
    cell = "<td rowspan=200 colspan=200>" + "1 " * 50_000 + "</td>"
    page = "<table><tr>" + cell + "</tr>" + "<tr><td>2</td></tr>" * 199 + "</table>"
    record, peak = extract_measured(page.encode(), "page.html")
    assert peak < 64 << 20
    assert any(f["rule"] == "unreadable_file" and "page's text" in f["message"] for f in record["findings"])


def docx_with_span(span: int, cells: int) -> bytes:
    """A Word file made by python-docx whose table has ``cells`` cells, each claiming to
    span ``span`` grid columns."""
    import docx
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("某局2023年政府信息公开工作年度报告")
    table = document.add_table(rows=1, cols=cells)
    for cell in table.rows[0].cells:
        cell.text = "1"
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(span))
        cell._tc.get_or_add_tcPr().append(grid_span)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_table_claiming_huge_spans_is_refused_with_a_finding():
    record, peak = extract_measured(docx_with_span(10 ** 9, 1200), "report.docx")
    assert peak < 64 << 20
    [too_large] = [f for f in record["findings"] if f["rule"] == "too_large"]
    assert "(docx) not read" in too_large["message"]
    # an ordinary span is kept
    assert not any(f["rule"] == "too_large" for f in extract(docx_with_span(2, 3), filename="r.docx")["findings"])


def spaces_pdf(megabytes: int) -> bytes:
    """A PDF whose one content stream inflates to ``megabytes`` MB of spaces: within the
    stream caps, so pdfium reads it, and needs that much memory to."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    return pdf_with_stream(b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush(),
                           b"/Filter /FlateDecode")


def test_a_file_that_needs_more_than_the_memory_ceiling_costs_only_its_own_report():
    item = pdf_only_item(1)
    item["attachments"][0]["data"] = spaces_pdf(240)
    [(stopped, source), (next_one, _)] = read_all(Workers(1, memory_mb=200), [item, pdf_only_item(2)])
    assert stopped["status"] == "unparsed" and source == "html"
    [error] = [f for f in stopped["findings"] if f["rule"] == "extraction_error"]
    assert "over 200 MB" in error["message"]
    assert finish(item, stopped)["title"] == item["title"]  # what the portal said is kept
    assert next_one["status"] == "valid"


def test_running_out_of_memory_in_python_gives_a_finding():
    """Under a ceiling just above what the process holds, reading a long page raises
    MemoryError: the record says so instead of the reader crashing."""
    script = textwrap.dedent("""
        import json, resource
        from pipelines.extract import extract
        import pipelines.extract.html, pipelines.extract.mapping
        size = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (size + (48 << 20), resource.getrlimit(resource.RLIMIT_AS)[1]))
        record = extract(("<p>" + "12 " * 660000 + "</p>").encode(), filename="page.html")
        print(json.dumps(record["findings"]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    [error] = [f for f in json.loads(done.stdout) if f["rule"] == "extraction_error"]
    assert "more memory than this process may use" in error["message"]
