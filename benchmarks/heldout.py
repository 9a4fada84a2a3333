"""Cells exact and wrong on reports the fixtures never showed (prints figures; not a test).

benchmarks/cells.py measures the rendering corpus the extractors were developed on. This
one makes N new reports with ``replicas.reportgen.derive()`` from the five seed records:
years 2019–2024 (both templates), several seeds and agencies, and the seed's numbers
scaled first (×0: a small body's mostly-zero report; ×25, ×300: large numbers), so that
no number, page break or block shape is one the reading code was tuned on. Each report is
rendered the ways the corpus is (scripts/make_fixtures.py's renderers): the portal page
(simplified and 繁體), reportlab PDF with and without tables split across pages, DOCX,
Chromium prints in A4 and in Letter with wide margins (page breaks elsewhere), then
``pdftotext -layout``, plain ``pdftotext`` and pdfminer text of those four PDFs, and the
OCR-style re-cut Markdown; with ``--libreoffice`` also the page opened in LibreOffice Writer
and the report typed as an office does, both exported as PDF, and their texts. Each input is extracted, validated and compared cell by cell
with its record (tests/corpus.py ``compare``). ``wrong`` must be 0.

The renderings are cached under output/heldout/ (not committed): a second run only reads.

    .venv/bin/python benchmarks/heldout.py [--n 40] [-v] [--out DIR] [--libreoffice]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import make_fixtures  # noqa: E402
from corpus import TABLES, Tally  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from pipelines.validate import validate  # noqa: E402
from replicas import reportgen  # noqa: E402

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
# None keeps the seed's own agency; the others are bodies of other levels and name lengths
AGENCIES = (None, "烟台市教育局", "连云港市海州区财政局", "大同市平城区人民政府",
            "莱阳市卫生健康局", "某某自治县水利局", "浙江省杭州市西湖区市场监督管理局")
# the seed's numbers are multiplied by this before deriving: 0 gives a zeros-heavy report
SCALES = (1, 0, 25, 1, 300, 0, 1, 5)

PDFS = {"pdf": "text PDF", "pdf_split": "text PDF, tables split", "chromium_a4": "Chromium PDF A4",
        "chromium_letter": "Chromium PDF Letter, wide margins"}
# with --libreoffice (slow: a Writer start per file): the page opened in Writer and the
# report typed as an office does (make_fixtures.office_docx), each exported as PDF
OFFICE_PDFS = {"lo_page": "LibreOffice PDF of the page", "lo_office": "LibreOffice PDF, office-typed DOCX"}
TEXT_TOOLS = {"layout": "pdftotext -layout", "raw": "pdftotext", "pdfminer": "pdfminer text"}


def kinds(libreoffice: bool) -> dict[str, str]:
    """{rendering: the input kind it stands for}."""
    pdfs = {**PDFS, **(OFFICE_PDFS if libreoffice else {})}
    return {"html": "HTML", "html_trad": "HTML 繁體", "docx": "DOCX", "md": "OCR Markdown (re-cut)", **pdfs,
            **{f"{pdf}.{tool}": f"{label} of {pdfs[pdf]}" for pdf in pdfs for tool, label in TEXT_TOOLS.items()}}


SUFFIX = {"html": ".html", "html_trad": ".html", "docx": ".docx", "md": ".md",
          **dict.fromkeys({**PDFS, **OFFICE_PDFS}, ".pdf")}


def reports(n: int) -> list[tuple[str, dict]]:
    """N (name, record) pairs, deterministic: each varies seed, year, agency and scale."""
    out = []
    for i in range(n):
        base, year = i % 5, YEARS[(i + i // 5) % len(YEARS)]
        seed, agency, factor = 1 + i // 5, AGENCIES[i % len(AGENCIES)], SCALES[i % len(SCALES)]
        record = reportgen.derive(reportgen.scaled(reportgen.load_record(base), factor), year, seed=seed, agency=agency)
        out.append((f"h{i:03d}_seed{base}_{year}_s{seed}_x{factor}", record))
    return out


def render(name: str, record: dict, out: Path, browser, libreoffice: bool) -> dict[str, Path]:
    """Every rendering of one report (kind → file), made unless already in the cache."""
    files = {kind: out / f"{name}.{kind}{SUFFIX.get(kind, '.txt')}" for kind in kinds(libreoffice)}
    if not all(p.exists() for kind, p in files.items() if not kind.startswith("lo_")):
        render_base(name, record, out, files, browser)
    if libreoffice and not all(p.exists() for p in files.values()):
        render_office(name, record, files)
    return files


def render_base(name: str, record: dict, out: Path, files: dict[str, Path], browser) -> None:
    (out / f"{name}.record.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    page = make_fixtures.portal_page
    files["html"].write_text(page(record, reportgen.render_html(record), False), encoding="utf-8")
    files["html_trad"].write_text(page(record, reportgen.render_html(record, traditional=True), True),
                                  encoding="utf-8")
    files["pdf"].write_bytes(reportgen.render_pdf(record))
    files["pdf_split"].write_bytes(reportgen.render_pdf(record, split_tables=True))
    files["docx"].write_bytes(reportgen.render_docx(record))
    files["md"].write_text(make_fixtures.ocr_markdown(record), encoding="utf-8")
    make_fixtures.chromium_pdf(files["html"], files["chromium_a4"], browser=browser)
    make_fixtures.chromium_pdf(files["html"], files["chromium_letter"], paper="Letter", margin="0.9in",
                               browser=browser)
    pdf_texts(PDFS, files)


def render_office(name: str, record: dict, files: dict[str, Path]) -> None:
    import tempfile

    make_fixtures.libreoffice_pdf(files["html"], files["lo_page"], page=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(make_fixtures.office_docx(record))
        make_fixtures.libreoffice_pdf(source, files["lo_office"])
    pdf_texts(OFFICE_PDFS, files)


def pdf_texts(pdfs, files: dict[str, Path]) -> None:
    """pdftotext -layout, pdftotext and pdfminer text of each PDF."""
    for pdf in pdfs:
        for tool, text in make_fixtures.pdf_texts(files[pdf]).items():
            if not text.strip():   # poppler without poppler-data reads no CJK of a non-embedded font
                sys.exit(f"heldout: error: {TEXT_TOOLS[tool]} read no text from {files[pdf]} "
                         "(for the PDFs' standard CJK fonts poppler needs poppler-data: apt-get install poppler-data)")
            files[f"{pdf}.{tool}"].write_text(text, encoding="utf-8")


def make_corpus(n: int, out: Path, libreoffice: bool) -> list[tuple[str, dict, dict[str, Path]]]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    corpus = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, record in reports(n):
            corpus.append((name, record, render(name, record, out, browser, libreoffice)))
        browser.close()
    return corpus


def rows_of(paths: list[str]) -> str:
    """Missing cells by row: 'applications.granted (7), …'."""
    rows = defaultdict(int)
    for path in paths:
        rows[path.rsplit(".", 1)[0]] += 1
    return ", ".join(f"{row} ({n})" for row, n in rows.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40, help="how many reports (default 40)")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "heldout", help="the cache of renderings")
    parser.add_argument("-v", action="store_true", help="every wrong and missing cell")
    parser.add_argument("--libreoffice", action="store_true",
                        help="also the page and an office-typed DOCX exported by LibreOffice (slow; needs soffice)")
    args = parser.parse_args()

    tally = Tally(verbose=args.v, describe_missing=rows_of)
    failed = []
    if args.libreoffice and not shutil.which("soffice"):
        sys.exit("heldout: error: --libreoffice needs soffice (apt-get install libreoffice-writer)")
    names = kinds(args.libreoffice)
    for name, record, files in make_corpus(args.n, args.out, args.libreoffice):
        for kind, path in files.items():
            measure(tally, failed, names[kind], path, record)
    for line in failed:
        print(f"FAILED {line}")
    tally.print(names.values(), width=56)


def measure(tally: Tally, failed: list, kind: str, path: Path, record: dict) -> None:
    """One rendering read, validated and compared with its record into ``tally``."""
    try:
        got = validate(extract(path.read_bytes(), filename=path.name))
    except Exception as e:   # a reader that raises is a bug: named, the rest goes on
        failed.append(f"{path.name}: {type(e).__name__}: {e}")
        return
    tally.add(kind, path.name, got, record)


if __name__ == "__main__":
    main()
