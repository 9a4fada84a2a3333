"""A number printed on the line of a vertical column header's last character (glued_pieces),
on plain pdftotext of LibreOffice exports of office-typed reports (tests/fixtures/renderings/,
made by scripts/make_fixtures.py with the real tools)."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus import compare, known_record
from pipelines.extract import extract, glued_pieces
from pipelines.extract import text as flat
from pipelines.extract.glued_pieces import unglue
from pipelines.extract.numbers import NUMBER
from pipelines.extract.runs import number_runs
from pipelines.validate import validate

RENDERINGS = Path(__file__).parent / "fixtures" / "renderings"


def _lines(name: str) -> list[str]:
    return (RENDERINGS / name).read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("name, header, number", [
    ("libreoffice_office_003_2020.raw.txt", "总计", "41"),
    ("libreoffice_office_001_2022.raw.txt", "总计", "13"),
])
def test_a_number_beside_a_headers_last_piece_is_parted_from_it(name, header, number):
    lines = _lines(name)
    at = lines.index(f"{number} {header[-1]}")      # pdftotext printed them as one line
    assert unglue(lines)[at] == [header[-1], number]


@pytest.mark.parametrize("name, header, number", [
    ("libreoffice_office_003_2020.raw.txt", "自然人", "41"),
    ("libreoffice_office_001_2022.raw.txt", "自然人", "10"),
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


@pytest.mark.parametrize("name, first, total", [
    ("libreoffice_office_003_2020.raw.txt", "41", "41"),
    ("libreoffice_office_001_2022.raw.txt", "10", "13"),
])
def test_the_first_rows_total_beside_总计_is_read_after_that_rows_numbers(name, first, total):
    """'41 人' and '41 计' stood on one line, table 三's first row; pdftotext prints 总计's
    header, and that number with it, after the rest of the page."""
    lines = _lines(name)
    at_first, at_total = lines.index(f"{first} 人"), lines.index(f"{total} 计")
    assert at_total > at_first
    cells = [c for cs, _texts in number_runs(flat.read("\n".join(lines))) for c in cs]
    place = next(i for i, c in enumerate(cells) if c.src.locator == f"lines {at_first + 1}-{at_first + 1}")
    row = cells[place:place + 7]
    # the row's six applicant numbers, then its total, still read from its own line
    assert row[0].text == first and row[6].text == total
    assert row[6].src.locator == f"lines {at_total + 1}-{at_total + 1}"
    assert sum(c.value for c in row[:6]) == row[6].value


def test_a_total_with_no_first_row_on_its_page_stays_where_it_was_printed():
    """A form feed between '41 人' and '41 计': not one line of one page, nothing is moved."""
    lines = _lines("libreoffice_office_003_2020.raw.txt")
    at_first, at_total = lines.index("41 人"), lines.index("41 计")
    paged = lines[:at_first + 1] + ["\f"] + lines[at_first + 1:]
    pieces = glued_pieces.pieces(paged)
    assert [n for n, _p in pieces] == sorted(n for n, _p in pieces)
    assert (at_total + 1, "41") in pieces


def test_the_whole_table_3_of_an_export_so_printed_is_read():
    path = RENDERINGS / "libreoffice_office_003_2020.raw.txt"
    record = validate(extract(path.read_bytes(), filename=path.name))
    known = known_record(path.stem)
    assert record["applications"] == known["applications"]
    assert compare(record, known).wrong == []
