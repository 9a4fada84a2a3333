"""A number printed on the line of a vertical column header's last character (glued_pieces),
on plain pdftotext of LibreOffice exports of office-typed reports (tests/fixtures/renderings/,
made by scripts/make_fixtures.py with the real tools)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import text as flat
from pipelines.extract.glued_pieces import unglue
from pipelines.extract.numbers import NUMBER
from pipelines.extract.positions import number_runs

RENDERINGS = Path(__file__).parent / "fixtures" / "renderings"


def _lines(name: str) -> list[str]:
    return (RENDERINGS / name).read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("name, header, number", [
    ("libreoffice_office_003_2020.raw.txt", "自然人", "41"),
    ("libreoffice_office_003_2020.raw.txt", "总计", "41"),
    ("libreoffice_office_001_2022.raw.txt", "自然人", "10"),
    ("libreoffice_office_001_2022.raw.txt", "总计", "13"),
])
def test_a_number_beside_a_headers_last_piece_is_read_after_the_header(name, header, number):
    lines = _lines(name)
    glued = f"{number} {header[-1]}"
    at = lines.index(glued)            # pdftotext printed them as one line
    assert unglue(lines)[at] == [header[-1], number]
    # the number is a cell of its own, after the header's pieces, read from that line
    runs = number_runs(flat.read("\n".join(lines)))
    hits = [(cells, texts) for cells, texts in runs
            if cells[0].text == number and "".join(t.text for t in texts[-len(header):]) == header]
    assert hits, f"{number} not read after {header}"
    cell = hits[0][0][0]
    assert cell.kind == NUMBER and cell.value == int(number)
    assert cell.src.locator == f"lines {at + 1}-{at + 1}"


def test_prose_ending_in_a_count_and_a_word_stays_one_text():
    lines = _lines("libreoffice_office_003_2020.raw.txt")
    at = lines.index("41 人")
    # the same line after prose, not after the header's other pieces: a count and its word
    prose = lines[:at - 2] + ["全年共接待来访群众", "41 人"] + lines[at + 1:]
    i = prose.index("41 人")
    assert unglue(prose)[i] == ["41 人"]
    # one piece missing (自 / 人): no header is spelled, nothing is parted
    short = lines[:at - 1] + lines[at:]
    assert unglue(short)[short.index("41 人")] == ["41 人"]


def test_lines_without_such_a_piece_are_kept_as_printed():
    lines = _lines("libreoffice_office_001_2022.raw.txt")
    parted = [i for i, texts in enumerate(unglue(lines)) if texts != [lines[i]]]
    assert [lines[i] for i in parted] == ["10 人", "13 计"]
