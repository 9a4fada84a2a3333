"""Table 三 from pdfminer's text of a reportlab PDF that prints it as column pieces beside
a labelled 总计 column (column_pieces.py). The fixture is pdfminer.six's extract_text of
reportgen.render_pdf of a derived report (seed 101, ×10; not one of the held-out set):
自然人's and 商业企业's first 21 rows, then their last 2 rows, then the zero columns,
then 总计 and its 23 numbers; and one whose first column group is cut into bands of its own
(below). A number read is the report's and is printed on the line its provenance names; no
edit of one number makes any cell wrong."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import EDITS, assert_pieces_read, cells, compare, edits_with_wrong_cells
from pipelines.extract import column_pieces, extract
from pipelines.extract.blocks import line_span
from pipelines.extract import templates as T
from pipelines.extract.mapping import simplified
from pipelines.extract.runs import number_runs
from pipelines.extract.text import read as read_text
from pipelines.validate import validate

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"
PATH = HELDOUT / "derived_seed_001_2020_x10_s101.pdf.pdfminer.txt"
KNOWN = json.loads((HELDOUT / "derived_seed_001_2020_x10_s101.json").read_text(encoding="utf-8"))


def read(text: str, path: Path = PATH) -> dict:
    return validate(extract(text, filename=path.name))


def test_the_pieces_beside_the_total_column_are_read_where_only_one_placement_adds_up():
    text = PATH.read_text(encoding="utf-8")
    lines = text.split("\n")
    record = read(text)
    assert_pieces_read(record, KNOWN, lines)
    # every cell of table 三 read (its zero columns too: below)
    assert not [m for m in compare(record, KNOWN).missing if m.startswith("applications.")]


def test_a_zero_the_placements_take_from_different_printed_zeros_claims_none_of_them():
    """Placements of the same printed numbers that give the table the same numbers differ
    only in the layout the tool printed the pieces in (a zero column read in another group or
    band), which the numbers cannot show: such a cell is read, its locator spanning the zeros
    it may be and its note naming each (runs.one_of), as the layouts of a band reading."""
    text = PATH.read_text(encoding="utf-8")
    lines = text.split("\n")
    record = read(text)
    assert record["applications"]["new_received"]["public_interest"] == 0
    where = record["provenance"]["applications.new_received.public_interest"]
    assert where["method"] == "position_checked" and where["note"].startswith("one of ")
    named = printed_at(where)
    assert len(named) > 1 and all(lines[n - 1].strip() == "0" for n in named)
    first, last = line_span(where["locator"])
    assert (first, last) == (min(named), max(named))


def test_without_the_total_columns_header_the_pieces_are_not_read():
    """The 总计 header before the last 23 numbers says they are one column: without it the
    numbers are one run, which no band reading adds up, and column_pieces reads none. The
    page is then read as a page of whole rows (page_pieces: its count and its sums, the 总计
    column among the pieces), nothing wrong."""
    text, runs = without_total_header(PATH, KNOWN)
    assert list(column_pieces.readings(runs, T.rows_for(KNOWN["template"]))) == []
    assert compare(read(text), KNOWN).wrong == []


def printed_at(where: dict) -> list[int]:
    """The lines a cell's provenance says its number was printed on: its own, or each its
    note names where it is one of several (runs.one_of)."""
    if where["note"] and where["note"].startswith("one of "):
        return [int(n) for n in where["note"].split("(lines ")[1].split(")")[0].split(", ")]
    first, last = line_span(where["locator"])
    assert first == last
    return [first]


def without_total_header(path: Path, known: dict):
    """The text without its 总计 column's header (printed a character a line: 总 / 计, then
    a blank line, then the column), and its runs."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i in range(len(lines) - 3) if (lines[i], lines[i + 1]) == ("总", "计")
              and lines[i + 3].strip() == str(known["applications"]["new_received"]["total"]))
    text = "\n".join(lines[:at] + lines[at + 2:])
    return text, number_runs(simplified(read_text(text)))


# Table 三 as column pieces beside a labelled 总计 column whose first column group is cut
# into bands of its own (column_pieces.FirstGroupBands). The fixture is pdfminer.six's
# extract_text of reportgen.render_pdf of a derived report (seed 4, 2023, ×300, derive seed
# 102; not one of the held-out set): 自然人 and 商业企业 in bands each column by column, a
# row of wide numbers a band alone (20813 1623 | 1602 14002 … | 109 897 … | 2436 107 | …),
# then the other columns one after another, then 总计 and its 25 numbers, then
# 1.本机关不掌握相关政府信息 with that row's first two numbers. No one cut of every group's
# bands adds up, and main read none of table 三.
BANDS = HELDOUT / "derived_seed_004_2023_x300_s102.pdf.pdfminer.txt"
BANDS_KNOWN = json.loads((HELDOUT / "derived_seed_004_2023_x300_s102.json").read_text(encoding="utf-8"))


def read_as_pieces(path: Path, known: dict, blank: int, read_least: int) -> dict:
    """The record of the text at ``path``: no wrong cell, at most ``blank`` cells of table 三
    blank, at least ``read_least`` read, each by position where its provenance says it was
    printed."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    record = read(text, path)
    score = compare(record, known)
    assert score.wrong == []
    apps = [m for m in score.missing if m.startswith("applications.")]
    assert len(apps) <= blank, apps
    read_here = 0
    for row, cols in record["applications"].items():
        for col, value in cols.items():
            if value is None:
                continue
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            assert all(lines[n - 1].strip() == str(value) for n in printed_at(where)), (row, col)
            read_here += 1
    assert read_here >= read_least
    return record


def test_the_first_groups_bands_are_read_and_each_number_is_printed_where_its_provenance_says():
    # the cells a print with two neighbouring numbers swapped would place otherwise stay
    # blank (a row of wide numbers read across is a two-row band with its middle swapped)
    record = read_as_pieces(BANDS, BANDS_KNOWN, 10, 160)
    # the rows of wide numbers, read from their lines
    assert record["applications"]["new_received"] == BANDS_KNOWN["applications"]["new_received"]
    assert record["applications"]["unable_not_held"] == BANDS_KNOWN["applications"]["unable_not_held"]


def test_without_the_total_columns_header_the_first_groups_bands_are_not_read():
    """The 总计 header before the last 25 numbers says they are one column: without it no
    window is a labelled total column, and the first group's bands are not read."""
    text, runs = without_total_header(BANDS, BANDS_KNOWN)
    assert list(column_pieces.FirstGroupBands(runs, T.rows_for(BANDS_KNOWN["template"])).readings()) == []
    assert compare(read(text, BANDS), BANDS_KNOWN).wrong == []


def _piece_ends(spots, apps):
    """The ends of the pieces: each column's first numbers, the band cut, the 总计 column's."""
    first = next(i for i, s in enumerate(spots) if s.text == str(apps["new_received"]["natural_person"]))
    cut = next(i for i, s in enumerate(spots) if s.text == str(apps["total"]["natural_person"]))
    total = next(i for i, s in enumerate(spots) if i > cut and s.text == str(apps["new_received"]["total"]))
    return [*range(first, first + 3), *range(cut - 2, cut + 4), *range(total, total + 3)]


def _band_edges(spots, apps):
    """The first group's first band edges, the wide rows read across, 总计's first numbers."""
    first = next(i for i, s in enumerate(spots) if s.text == str(apps["new_received"]["natural_person"]))
    repeat = next(i for i, s in enumerate(spots) if s.text == str(apps["rejected_repeat"]["natural_person"]))
    total = next(i for i, s in enumerate(spots) if s.text == str(apps["new_received"]["total"]))
    return [*range(first, first + 4), *range(repeat - 1, repeat + 2), *range(total, total + 2)]


# The first group's last band printed after the other columns: pdfminer.six's extract_text of
# held-out h039's text PDF (reportgen.render_pdf, not split into pages): 自然人 and 商业企业's
# first 23 rows column by column (514 9 312 … | 26 2 16 …), then 科研机构 … 其他 each whole,
# then the first group's last two rows (498 25 | 28 0), then 总计 and its 25 numbers; table
# 四's heading printed among table 三's column headers. Main read none of its table 三.
TRAILING = HELDOUT / "h039_seed4_2023_s8_x5.pdf.pdfminer.txt"
TRAILING_KNOWN = json.loads((HELDOUT / "h039_seed4_2023_s8_x5.json").read_text(encoding="utf-8"))


def test_the_first_groups_band_after_the_other_columns_is_read_where_its_provenance_says():
    # a print with the trailing band's two middle numbers swapped (498 28 25 0) adds up as
    # well, read as that band across: those two cells stay blank
    record = read_as_pieces(TRAILING, TRAILING_KNOWN, 2, 170)
    known = TRAILING_KNOWN["applications"]
    assert record["applications"]["total"]["natural_person"] == known["total"]["natural_person"]
    assert record["applications"]["carried_forward"]["enterprise"] == known["carried_forward"]["enterprise"]


def _trailing_band(spots, apps):
    """The first group's first numbers, its trailing band and the numbers around it, 总计's first."""
    first = next(i for i, s in enumerate(spots) if s.text == str(apps["new_received"]["natural_person"]))
    trail = next(i for i, s in enumerate(spots) if s.text == str(apps["total"]["natural_person"]))
    total = next(i for i, s in enumerate(spots) if i > trail and s.text == str(apps["new_received"]["total"]))
    return [*range(first, first + 3), *range(trail - 2, trail + 4), *range(total, total + 2)]


# (the text, its record, the numbers edited, the area they are in: in BANDS and TRAILING
# pdfminer printed table 四's heading among table 三's column headers, before its numbers)
EDITED = {"pieces": (PATH, KNOWN, _piece_ends, "三"), "first_group_bands": (BANDS, BANDS_KNOWN, _band_edges, "四"),
          "trailing_band": (TRAILING, TRAILING_KNOWN, _trailing_band, "四")}


@pytest.mark.parametrize("text", EDITED)
@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_never_gives_a_wrong_cell(how, text):
    path, known, picked, area = EDITED[text]
    lines = path.read_text(encoding="utf-8").split("\n")
    edits, wrong = edits_with_wrong_cells(lines, path.name, cells(known),
                                          lambda spots: picked(spots, known["applications"]), how, area=area)
    assert wrong == []
    assert edits >= 5
