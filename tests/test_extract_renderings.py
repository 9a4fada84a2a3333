"""The rendering corpus (tests/fixtures/renderings/, made with Chromium, poppler's
pdftotext, pdfminer and an OCR-style Markdown writer from the seeds and the shared
sample) read cell by cell against the known records: never a wrong number, and every
cell of every PDF, however it was printed."""
from __future__ import annotations

import pytest

from corpus import RENDERINGS, compare, inputs, kind_of, known_record
from pipelines.extract import extract
from pipelines.validate import validate

INPUTS = inputs()
# input kinds read cell-exact; the others must at least never be wrong
EXACT_KINDS = {"HTML", "text PDF", "PDF printed by Chromium", "PDF exported by LibreOffice",
               "OCR Markdown (re-cut tables)", "pdftotext -layout"}


def text_of_an_office_export(path) -> bool:
    """Text tools' output of LibreOffice's exports: they write its tables cell by cell,
    column after column, the labels far from their numbers. Not yet read whole (figures
    from benchmarks/cells.py -v); never a wrong number all the same."""
    return path.name.startswith("libreoffice_") and path.suffix == ".txt"


def read(path):
    return validate(extract(path.read_bytes(), filename=path.name))


def test_the_corpus_is_there():
    kinds = {kind_of(p) for p in INPUTS}
    assert kinds >= {"HTML", "text PDF", "PDF printed by Chromium", "PDF exported by LibreOffice",
                     "pdftotext -layout", "pdftotext", "pdfminer text", "OCR Markdown (re-cut tables)"}
    assert len(list(RENDERINGS.glob("libreoffice_*.pdf"))) == 15
    assert len(list(RENDERINGS.glob("*.txt"))) == 33 + 3 * 15


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_no_wrong_number(path):
    score = compare(read(path), known_record(path.stem))
    assert score.wrong == []
    if kind_of(path) in EXACT_KINDS and not text_of_an_office_export(path):
        assert score.missing == [], f"{len(score.missing)} cells missing"
    # table 三 has the arithmetic to place every number, whatever the tool did to its order
    if not text_of_an_office_export(path):
        assert [m for m in score.missing if m.startswith("applications.")] == []


@pytest.mark.parametrize("path", sorted(RENDERINGS.glob("chromium_seed_*.pdf")), ids=lambda p: p.name)
def test_a_page_printed_by_chromium_reads_as_the_page(path):
    """Tables cut by Chromium's page breaks (no rule closing the cut, a row split across
    pages, the browser's date/title header and URL/page footer between) come out whole."""
    record = read(path)
    assert record["status"] == "valid", [f["message"] for f in record["findings"]]
    assert record["applications"] == known_record(path.stem)["applications"]
