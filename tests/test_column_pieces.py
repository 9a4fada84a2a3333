"""Table 三 from pdfminer's text of a reportlab PDF that prints it as column pieces beside
a labelled 总计 column (column_pieces.py). The fixture is pdfminer.six's extract_text of
reportgen.render_pdf of a derived report (seed 101, ×10; not one of the held-out set):
自然人's and 商业企业's first 21 rows, then their last 2 rows, then the zero columns,
then 总计 and its 23 numbers. A number read is the report's and is printed on the line its
provenance names; no edit of one number makes any cell wrong."""
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


def read(text: str) -> dict:
    return validate(extract(text, filename=PATH.name))


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
    named = [int(n) for n in where["note"].split("(lines ")[1].split(")")[0].split(", ")]
    assert len(named) > 1 and all(lines[n - 1].strip() == "0" for n in named)
    first, last = line_span(where["locator"])
    assert (first, last) == (min(named), max(named))


def test_without_the_total_columns_header_the_pieces_are_not_read():
    """The 总计 header before the last 23 numbers says they are one column: without it the
    numbers are one run, which no band reading adds up, and column_pieces reads none. The
    page is then read as a page of whole rows (page_pieces: its count and its sums, the 总计
    column among the pieces), nothing wrong."""
    lines = PATH.read_text(encoding="utf-8").split("\n")
    # the header is printed a character a line: 总 / 计, then a blank line, then the column
    at = next(i for i in range(len(lines) - 3) if (lines[i], lines[i + 1]) == ("总", "计")
              and lines[i + 3].strip() == str(KNOWN["applications"]["new_received"]["total"]))
    text = "\n".join(lines[:at] + lines[at + 2:])
    runs = number_runs(simplified(read_text(text)))
    assert list(column_pieces.readings(runs, T.rows_for(KNOWN["template"]))) == []
    assert compare(read(text), KNOWN).wrong == []


@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_never_gives_a_wrong_cell(how):
    lines = PATH.read_text(encoding="utf-8").split("\n")
    known = cells(KNOWN)
    apps = KNOWN["applications"]

    def picked(spots):
        # the ends of the pieces (each column's first numbers, the band cut, the 总计 column's)
        first = next(i for i, s in enumerate(spots) if s.text == str(apps["new_received"]["natural_person"]))
        cut = next(i for i, s in enumerate(spots) if s.text == str(apps["total"]["natural_person"]))
        total = next(i for i, s in enumerate(spots) if i > cut and s.text == str(apps["new_received"]["total"]))
        return [*range(first, first + 3), *range(cut - 2, cut + 4), *range(total, total + 3)]

    edits, wrong = edits_with_wrong_cells(lines, PATH.name, known, picked, how)
    assert wrong == []
    assert edits >= 5
