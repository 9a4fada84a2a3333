"""The PDF reader does not depend on the machine's fonts (pipelines/extract/pdfium_fonts.py).

Our reportlab fixtures name the CJK font ``STSong-Light`` without embedding it, as many
government PDFs do. The reader runs in a subprocess whose pdfium is initialised with a
font folder of our own (pdfium's ``m_pUserFontPaths`` replaces the system's folders), so
no test touches the system's fonts: an empty folder (a machine with no CJK font), and one
holding only Debian's Droid Sans Fallback (ghostscript's, no Latin glyphs). Before the
fix these read fewer glyphs, and other records, than a machine with a CJK font."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2
import pytest

from pipelines.extract import extract, pdf as pdf_reader

FIXTURES = Path(__file__).parent / "fixtures"
DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
# a label one character per line, a sideways page, fake bold drawn twice
NOT_EMBEDDED = ["seed_001.pdf", "rotated_seed_001.pdf", "word_seed_003.pdf"]

# pdfium again, seeing only the folder argv[1]; then, for each file, the glyphs pdfium's
# own text page holds with the system font info (what the reader saw before) and the record
_READ_WITH_FONTS_FROM = r"""
import ctypes, json, sys
import pypdfium2
import pypdfium2.raw as pdfium_c

pdfium_c.FPDF_DestroyLibrary()
folder = ctypes.cast(ctypes.c_char_p(sys.argv[1].encode()), ctypes.POINTER(ctypes.c_char))
paths = (ctypes.POINTER(ctypes.c_char) * 2)(folder, None)
pdfium_c.FPDF_InitLibraryWithConfig(pdfium_c.FPDF_LIBRARY_CONFIG(
    version=2, m_pUserFontPaths=ctypes.cast(paths, ctypes.POINTER(ctypes.POINTER(ctypes.c_char))),
    m_pIsolate=None, m_v8EmbedderSlot=0))

from pipelines.extract import extract

out = {}
for name in sys.argv[2:]:
    data = open(name, "rb").read()
    pdf = pypdfium2.PdfDocument(data)
    glyphs = sum(pdf[i].get_textpage().count_chars() for i in range(len(pdf)))
    pdf.close()
    out[name] = {"glyphs": glyphs, "record": extract(data, filename="x.pdf")}
print(json.dumps(out, ensure_ascii=False))
"""


def _glyphs(path: Path) -> int:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return sum(pdf[i].get_textpage().count_chars() for i in range(len(pdf)))
    finally:
        pdf.close()


def _read_elsewhere(folder: Path) -> dict:
    names = [str(FIXTURES / n) for n in NOT_EMBEDDED]
    done = subprocess.run([sys.executable, "-c", _READ_WITH_FONTS_FROM, str(folder), *names],
                          capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).parent.parent, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("fonts", ["none", "droid only"])
def test_a_pdf_without_its_cjk_font_reads_the_same_whatever_fonts_are_installed(fonts, tmp_path):
    if fonts == "droid only":
        if not DROID.exists():
            pytest.skip("Debian's fonts-droid-fallback is not installed")
        (tmp_path / DROID.name).symlink_to(DROID)
    elsewhere = _read_elsewhere(tmp_path)
    for name in NOT_EMBEDDED:
        there = elsewhere[str(FIXTURES / name)]
        # the machine there really lacks the font: pdfium's own text page holds other
        # glyphs (a glyph alone in its text object lost; fake bold no longer merged)
        assert there["glyphs"] != _glyphs(FIXTURES / name) or not _has_cjk_font(), name
        # … and the reader does not
        record = extract((FIXTURES / name).read_bytes(), filename="x.pdf")
        assert record["status"] == "valid", name
        assert there["record"] == json.loads(json.dumps(record, ensure_ascii=False)), name


def _has_cjk_font() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(listed.strip())


def _render(name: str) -> np.ndarray:
    pdf = pypdfium2.PdfDocument(FIXTURES / name)
    try:
        return pdf[0].render(scale=0.5, grayscale=True).to_numpy().copy()
    finally:
        pdf.close()


def test_pages_rendered_outside_the_reader_draw_with_the_systems_fonts():
    # scans are made, and OCR'd pages drawn, by rendering: the reader's fonts stay its own
    before = _render("seed_003.pdf")
    pdf_reader.read((FIXTURES / "seed_001.pdf").read_bytes())
    assert np.array_equal(_render("seed_003.pdf"), before)

