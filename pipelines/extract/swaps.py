"""The text may be a print with two neighbouring numbers swapped.

A reading the arithmetic confirms is no proof where the print with two neighbouring numbers
swapped has a reading of its own that adds up too: with only sums to check them, rows of
mostly 0 add up in more than one arrangement, and a tool (or a typist) that swapped two
numbers leaves a text whose other reading is the wrong one. The readers by position
(head_rows, positions' whole-table reading, page_parts, review_sums) read every such print
and leave a cell unproven where one of them takes it from another printed number (doubtful,
taken_otherwise, row_taken_otherwise); SwapView lets a band reader reuse the checks of the
print before the swap.
"""
from __future__ import annotations


def swap(values: list, i: int) -> list:
    """``values`` with the two at ``i`` and ``i + 1`` swapped."""
    return values[:i] + [values[i + 1], values[i]] + values[i + 2:]


def taken_otherwise(here: int, there: int, i: int, same_number: bool) -> bool:
    """A cell read from place ``here`` that a reading of the print swapped at ``i`` takes
    from place ``there`` is not proven where that reading took it from one of the two
    swapped places (its number may be the one the swap moved away), or gives it another
    number from a place the swap left alone."""
    return here != there and (there in (i, i + 1) or not same_number and here not in (i, i + 1))


def row_taken_otherwise(here: frozenset, there: frozenset, i: int, same_number: bool) -> bool:
    """taken_otherwise for what a page's rows prove (page_parts): a row's total, or its
    applicant cells all of one value. The sums there do not tell which of the row's numbers
    of that value a cell is, so ``here`` and ``there`` are sets of places (every printed
    number it may be), and what is proven is the row's number, not one place's: a reading of
    the print swapped at ``i`` that may take it from a swapped place it may not be here, or
    gives it another number (from whatever place: no place of the row is known to be the
    cell's), leaves it unproven."""
    return not same_number or bool((there - here) & {i, i + 1})


def swapped_prints(values: list, outside: tuple = (None, None)):
    """Each print of ``values`` with two neighbouring numbers swapped that differs from it:
    (the first of the two, the print). ``outside``: the numbers printed right before and
    right after ``values`` (None: none, or not a number). A window's edge is no edge of the
    print: its first or last number swapped with the one beyond it is a print one swap away
    too (the first of the two at -1, or at the last place), its window holding the number
    from outside."""
    before, after = outside
    ext = [before] * (before is not None) + list(values) + [after] * (after is not None)
    lo = int(before is not None)
    for k in range(len(ext) - 1):
        if ext[k] != ext[k + 1]:
            yield k - lo, swap(ext, k)[lo:lo + len(values)]


def swapped_readings(values: list, read, outside: tuple = (None, None)) -> list:
    """The readings of the print with two neighbouring numbers swapped, each swap that
    changes it (``outside`` as swapped_prints): [(the first of the two, values by row, print
    index of each cell)]."""
    return [(i, *r) for i, printed in swapped_prints(values, outside) for r in read(printed, i).items()]


def places_taken_otherwise(here: frozenset, there: frozenset, i: int, same_number: bool) -> bool:
    """taken_otherwise for a cell the layouts may take from any of several printed places
    (``here``; ``there`` in the reading of the print swapped at ``i``; page_pieces): unproven
    where that reading may take it from a swapped place it may not be here, or gives it
    another number from places not all swapped. With one place each, taken_otherwise."""
    swapped = {i, i + 1}
    return here != there and (bool((there - here) & swapped) or not same_number and not here <= swapped)


def doubtful(reading, at, swapped, taken=taken_otherwise) -> dict:
    """The cells another print could as well have made: with only row sums to check
    them, a head's rows of mostly 0 add up in more than one arrangement, and a print with
    two numbers swapped (a 10 moved one place along a column) may have a reading of its
    own that adds up. The text may be that print with the swap: a cell that reading took
    from one of the two swapped places is not proven here unless read from that place
    (its number may be the one the swap moved away), nor one it gives another number,
    taken from another place than either of them. {cell: the numbers those readings
    give it}. ``taken``: taken_otherwise, or places_taken_otherwise where ``at`` holds
    each cell's set of places."""
    flat = [v for row in reading for v in row]
    out: dict = {}
    for i, other, other_at in swapped:
        other_flat = [v for row in other for v in row]
        for j, (here, there) in enumerate(zip(at, other_at)):
            if taken(here, there, i, other_flat[j] == flat[j]):
                out.setdefault(j, set()).add(other_flat[j])
    return out


class SwapView(dict):
    """The bands checked on a print (``base``) as seen by a reading of the same print with
    the numbers at ``i`` and ``i + 1`` swapped: a band (or rows checked as a page part)
    that holds neither is checked as before; one that holds either, anew."""

    def __init__(self, base: dict, i: int, n_cols: int):
        super().__init__()
        self.base, self.i, self.n_cols = base, i, n_cols

    def _shared(self, key) -> bool:
        r, r2 = key[0], key[1]
        return not (r * self.n_cols <= self.i + 1 and self.i < r2 * self.n_cols)

    def __contains__(self, key):
        return key in self.base if self._shared(key) else super().__contains__(key)

    def __getitem__(self, key):
        return self.base[key] if self._shared(key) else super().__getitem__(key)

    def get(self, key, default=None):
        return self.base.get(key, default) if self._shared(key) else super().get(key, default)

    def __setitem__(self, key, value):
        if self._shared(key):
            self.base[key] = value
        else:
            super().__setitem__(key, value)
