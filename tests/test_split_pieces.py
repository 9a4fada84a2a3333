"""Table 三's rows on a later page of a split table, printed by pdfminer as column pieces
with their 总计 column last and no header before it (split_pieces.py). Fixtures: pdfminer.six's
extract_text of reportgen.render_pdf with tables split (copied from the held-out cache): h026
(2020, 予以公开's first two cells printed with its label), h039 (2023, table 四's heading
printed before the later page's numbers). Every cell of table 三 is read, none wrong, each
from the line its provenance names; no edit of one number there makes any cell wrong."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import EDITS, cells, compare, edits_with_wrong_cells, line_span
from pipelines.extract import extract
from pipelines.validate import validate

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"
CASES = ("h026_seed1_2020_s6_x25", "h039_seed4_2023_s8_x5")


def _case(stem: str):
    path = HELDOUT / f"{stem}.pdf_split.pdfminer.txt"
    return path, json.loads((HELDOUT / f"{stem}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", CASES)
def test_the_later_pages_rows_are_read_from_their_pieces(stem):
    path, known = _case(stem)
    lines = path.read_text(encoding="utf-8").split("\n")
    record = validate(extract("\n".join(lines), filename=path.name))
    assert compare(record, known).wrong == []
    assert record["applications"] == known["applications"]
    for row, cols in record["applications"].items():
        for col, value in cols.items():
            where = record["provenance"][f"applications.{row}.{col}"]
            first, _last = line_span(where["locator"])
            assert lines[first - 1].strip() == str(value), (row, col, where)


@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_never_gives_a_wrong_cell(how):
    path, known_record = _case(CASES[0])
    lines = path.read_text(encoding="utf-8").split("\n")
    apps = known_record["applications"]

    def picked(spots):
        # the later page's first pieces, its band cut (总计's first cells) and its 总计 column's
        first = next(i for i, s in enumerate(spots) if s.text == str(apps["granted"]["natural_person"]))
        cut = next(i for i, s in enumerate(spots) if i > first and s.text == str(apps["total"]["natural_person"]))
        total = next(i for i, s in enumerate(spots) if i > cut and s.text == str(apps["granted"]["total"]))
        return [*range(first, first + 4), *range(cut - 2, cut + 4), *range(total, total + 3), len(spots) - 1]

    edits, wrong = edits_with_wrong_cells(lines, path.name, cells(known_record), picked, how)
    assert wrong == []
    assert edits >= 5
