"""bands._band_readings on the print with two neighbouring numbers swapped, given the bands
and rows checked on the print before the swap (swaps.SwapView): it reuses what the swap
cannot change (a band that failed on a row holding neither swapped number, the rows of a
band that passed, the reading of the rows after the swap), and must read exactly what a
reading of that print afresh reads: the whole-table swap doubt (positions._swap_doubts) and
head_rows' both rest on it."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from pipelines.extract import templates as T
from pipelines.extract.bands import _band_readings, _headed, _row_adds_up, _TooMany
from pipelines.extract.swaps import SwapView
from pipelines.extract.mapping import simplified
from pipelines.extract.runs import _all_numbers, _line_of, _not_other_tables, _windows, number_runs
from pipelines.extract.text import read as read_text

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"
RENDERINGS = Path(__file__).parent / "fixtures" / "renderings"
N_COLS = len(T.APPLICANT_COLUMNS)


def _read(*args, **kw):
    try:
        return _band_readings(*args, **kw)
    except _TooMany:
        return "too many"


@pytest.mark.parametrize("path, template", [
    # mostly zeros: the sums place the 1s in several rows, and many swaps read back
    (HELDOUT / "h009_seed4_2023_s2_x0.lo_page.raw.txt", T.T2021),
    (HELDOUT / "h025_seed0_2019_s6_x0.chromium_a4.raw.txt", T.T2019),
    # numbers of every size: most swaps break a row
    (RENDERINGS / "seed_000.raw.txt", T.T2021),
])
@pytest.mark.parametrize("reordered", [False, True])
def test_a_swapped_print_read_from_the_checks_before_it_reads_as_read_afresh(path, template, reordered):
    runs = number_runs(simplified(read_text(path.read_text(encoding="utf-8"))))
    n_rows = len(T.rows_for(template))
    windows = [w for w in _windows(runs, n_rows * N_COLS, _not_other_tables) if _all_numbers(w[1]) is not None]
    assert windows
    read_back = 0
    for start, cells, sizes in windows:
        values = _all_numbers(cells)
        args = (n_rows, N_COLS, _row_adds_up, [_line_of(c) for c in cells], reordered,
                frozenset(itertools.accumulate([0, *sizes])), _headed(runs, start, sizes, values))
        checked: dict = {}
        if _read(values, *args, checked=checked) == "too many":
            continue
        for i in range(len(values) - 1):
            if values[i] == values[i + 1]:
                continue
            swapped = values[:i] + [values[i + 1], values[i]] + values[i + 2:]
            afresh = _read(swapped, *args)
            assert _read(swapped, *args, checked=SwapView(checked, i, N_COLS)) == afresh, i
            read_back += afresh != "too many" and bool(afresh)
    # the case that matters is there: swaps whose print has readings of its own
    assert read_back or path.name == "seed_000.raw.txt"
