"""A number printed right after a label that names one row of table 三 is that row's.

pdfminer prints a label's box before the numbers of its row, whether the row is printed
across or its column down the page (自然人's cells each after its row's label, then the other
columns; Chromium's print: 511 17 | 二、上年结转… 17 | （一）予以公开 178 | 0 3 0 …). With only
the sums to check a reading by position, rows of 0 add up in any layout, and an edited print
(a blank that moves a window's end, two neighbouring numbers swapped) may add up read in a
layout that takes such a number into another row: the same numbers, each from another cell's
place. Such a reading lays the print out otherwise than its labels say (as_labelled: head_rows
holds a head's readings to it in every layout giving them, positions' whole-table reading in
some layout: where none of its readings has one, the table is not read whole).

Only a label printed alone names the number after it (_named_row): a block of labels (a tool
that prints the labels' column as one block, then the numbers) names none, nor do a label's
last words that a text tool printed after its row's numbers, before the next row's.
"""
from __future__ import annotations

import re

from . import templates as T
from .bands import _places


def labelled_starts(runs, first: int, sizes: list, template: str) -> dict:
    """{window place of a run's first number: the row its label names}, for each run after
    the first of a window of whole runs (from run ``first``, of these sizes) whose texts name
    one row of the template and no other: that number was printed right after the row's
    label. (The window's first number is its first row's in every layout.)"""
    keys = T.rows_for(template)
    out, at = {}, 0
    for j, size in enumerate(sizes):
        row = _named_row(runs[first + j][1], keys) if j else None
        if row is not None:
            out[at] = keys.index(row)
        at += size
    return out


def _named_row(texts, keys) -> str | None:
    """The one row of ``keys`` the texts before a run name, where they hold one row's label
    alone: one numbering at most, and none after the name. Several labels printed as one
    block name none of the numbers after them ((六)其他处理 (七)总计 四、结转下年度继续办理, then
    其他处理's numbers: a Letter print), and a text tool that cuts a label around its row's
    numbers (pdftotext -layout: 2.其他 / 法律行 / 政法规, the numbers, then 禁止公 / 开 / 3.危及 /
    “三安) prints its naming words after them, right before the next row's numbers and that
    row's numbering (3., or (四1.本 where a group's label and its first row's begin on one
    line): those words name the run before."""
    joined = "".join(t.text for t in texts).replace(" ", "")
    named = [(m.end(), key) for key, rx in T.APPLICATION_ROW_LABELS if key in keys for m in rx.finditer(joined)]
    if len({key for _end, key in named}) != 1:
        return None
    numberings = [m.start() for m in _NUMBERING.finditer(joined)]
    if len(numberings) > 1 or any(n >= max(named)[0] for n in numberings):
        return None
    return named[0][1]


# a row's (or group's) numbering anywhere in a text: 3. 1、 （四 (四 二、
_NUMBERING = re.compile(r"\d[.．、]|[（(][一二三四五六七八九十]|[一二三四五六七八九十]、")


def as_labelled(places: tuple, labelled: dict, n_cols: int, every: bool = True) -> bool:
    """Every layout giving a reading (``places``: each cell's places in those layouts, in row
    order, as bands.Layouts holds them) takes each labelled number (``labelled``:
    labelled_starts) into its label's row; ``every=False``: some layout does, for each
    labelled number (the numbers of a reading are the same in every layout giving it: where
    one lays them out as the labels say, the others differ only in where the tool printed
    equal numbers, which the numbers cannot show). A reading no layout of which puts one
    there lays the print out otherwise than its labels say (h009: 自然人's column, each cell
    after its label, read as new_received's row of 0s, whose 1s the print has further on;
    h010's Chromium print with 上年结转's 17 and 予以公开's 178 swapped, read column by column,
    上年结转's 17 then taken from 本年新收's 商业企业 cell)."""
    rows_at: dict = {}
    for j, p in enumerate(places):
        for q in _places(p):
            rows_at.setdefault(q, set()).add(j // n_cols)
    if every:
        return all(rows_at.get(at) == {row} for at, row in labelled.items())
    return all(row in rows_at.get(at, ()) for at, row in labelled.items())
