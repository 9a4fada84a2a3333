"""Table 三's first rows from pdfminer's text of LibreOffice exports (column_runs.py), on
the fixture renderings (pdfminer.six of real LibreOffice PDFs): read where the band's
headers, row labels and row sums all agree, and never a wrong number when one of its
numbers is blanked, added, changed or swapped."""
from __future__ import annotations

import pytest

from corpus import EDITS, RENDERINGS, compare, edits_with_wrong_cells, known_record
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.extract.column_runs import first_band, table_area
from pipelines.extract.runs import number_runs
from pipelines.extract.text import read as read_text
from pipelines.validate import validate

SEEDS = sorted(RENDERINGS.glob("libreoffice_seed_00?.pdfminer.txt"))
BAND = {"libreoffice_seed_001.pdfminer.txt": ("new_received",)}   # its first band is one row
FIRST_ROWS = ("new_received", "carried_over", "granted")


def read(text: str, name: str) -> dict:
    return validate(extract(text, filename=name))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_the_first_band_is_read_and_every_number_read_is_the_reports(path):
    record = read(path.read_text(encoding="utf-8"), path.name)
    known = known_record(path.stem)
    assert compare(record, known).wrong == []
    rows = BAND.get(path.name, FIRST_ROWS)
    for row in rows:
        assert record["applications"][row] == known["applications"][row]
        for col, value in record["applications"][row].items():
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            line = line_span(where["locator"])[0]
            assert path.read_text(encoding="utf-8").split("\n")[line - 1].split()[-1] == str(value)


def test_rows_the_labels_before_the_band_do_not_name_are_not_read():
    """Which rows the band holds is said by the row labels printed before it: with the
    label of 上年结转 gone, two labels for a band of three rows say nothing."""
    path = RENDERINGS / "libreoffice_seed_002.pdfminer.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, t in enumerate(lines) if t.startswith("二、上年结转"))
    text = "\n".join(lines[:at] + lines[at + 2:])
    runs = number_runs(read_text(text))
    assert first_band(runs, "2021", *table_area(runs)) is None
    # (head_rows reads the first rows from new_received's label on, by their sums)
    assert compare(read(text, path.name), known_record(path.stem)).wrong == []


@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_of_the_band_never_gives_a_wrong_cell(how):
    path = RENDERINGS / "libreoffice_seed_004.pdfminer.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    known = {f"{t}.{r}.{c}": v for t in ("active_disclosure", "applications", "review_litigation")
             for r, cols in (known_record(path.stem).get(t) or {}).items() if isinstance(cols, dict)
             for c, v in cols.items()}

    def band(spots):
        first = next(i for i, s in enumerate(spots) if s.text == "92")   # the band's first number
        return range(first, first + 21)

    edits, wrong = edits_with_wrong_cells(lines, path.name, known, band, how)
    assert wrong == []
    assert edits >= 5
