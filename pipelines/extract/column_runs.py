"""Table 三's first rows from a band printed column by column under its own headers.

pdfminer prints a LibreOffice export of an office-typed report box by box. Where the
first rows of table 三 stand apart from the rest of the table, it prints them as one
band, column by column, and the header of each of the last columns just before that
column's numbers (55 3 12 | 0 0 0 | 0 0 0 — 自然人, 商业企业, 科研机构 unlabelled — then
社会公益组织 0 0 0, 法律服务机构 0 0 0, 其他 0 0 0, 总计 55 3 12). The rest of the table
comes in an order of pdfminer's own making (blocks of a few rows or columns, table 四's
numbers among its last rows) that no reading of the numbers' order can be trusted on.

Such a band is read only when everything about it says the same:
- each labelled run is preceded by exactly its column's header, the labelled columns
  are the table's last ones in the template's order, all of one length k, and the run
  before them holds the other columns' k numbers each;
- the row labels printed before the band name exactly k consecutive rows of the
  template, in order, and so say which rows the band holds;
- every row adds up (its total is the sum of the six applicant columns), and reading
  the unlabelled run row by row instead gives the same numbers or does not add up.

A single blank, stray, changed or swapped number breaks one of these (a run's length,
or a row's sum: numbers next to each other in a column are of different rows), so such a
text leaves the band blank. The cells are position_checked; their row totals are the
arithmetic that confirms them.
"""
from __future__ import annotations

from . import templates as T
from .runs import _all_numbers, _review_starts

_HEADER_NAMES = T.APPLICANT_HEADER_NAMES   # each applicant column's full header, as printed
_NAME = {key: name for key, name in reversed(_HEADER_NAMES)}   # each column's first name
MIN_LABELLED = 2   # labelled columns a band needs (总计 and at least one other)


def _header_columns(text: str) -> list[str] | None:
    """The applicant columns a text is the full headers of, one after another (其他总计:
    other_org, total), or None when it is anything else."""
    out = []
    while text:
        for key, name in _HEADER_NAMES:
            if text.startswith(name):
                out.append(key)
                text = text[len(name):]
                break
        else:
            return None
    return out or None


def joined(texts) -> str:
    """The texts as one string, without spaces or page breaks."""
    return "".join(t.text for t in texts).replace(" ", "").replace("\f", "")


def _row_keys_named(text: str, template: str) -> list[str]:
    """The template's table 三 rows whose labels the text names, in the order it names them."""
    named = [k for _at, k in T.application_labels(text, template)]
    # one label may hold two of its row's words (3.危及“三安全一稳定”)
    return [k for i, k in enumerate(named) if i == 0 or named[i - 1] != k]


def _rows_add_up(columns: list[list[int]], k: int) -> bool:
    return all(sum(col[i] for col in columns[:-1]) == columns[-1][i] for i in range(k))


def table_area(runs) -> tuple[int, int]:
    """The runs of table 三's area: from the one after its section heading up to table 四's
    headers (or the end)."""
    start = next((j for j, (_cells, texts) in enumerate(runs)
                  if any(T.section_of(t.text) == ("section", "applications") for t in texts)), 0)
    end = _review_starts(runs)
    return start, len(runs) if end is None or end < start else end


def _band_readings_of(chunks: list[list[int]], widths: list[int], k: int):
    """Each way the chunks (runs holding ``width`` columns of k rows each) may be read, each
    column by column or row by row: [(each column's values, (its chunk, the index in
    the chunk of each of its rows))]."""
    out = [([], [])]
    for n, (values, w) in enumerate(zip(chunks, widths)):
        col_major = [[c * k + i for i in range(k)] for c in range(w)]
        row_major = [[i * w + c for i in range(k)] for c in range(w)]
        orders = [col_major] if col_major == row_major else [col_major, row_major]
        out = [(cols + [[values[x] for x in ix] for ix in order], at + [(n, ix) for ix in order])
               for cols, at in out for order in orders]
    return out


def first_band(runs, template: str, start: int, end: int):
    """(rows {key: {column: value}}, {path: cell}) of a band of table 三 printed as above
    among runs[start:end] (table 三's area), or None."""
    found = bands(runs, template, start, end)
    if len(found) != 1:
        return None   # none, or several bands: none is read
    return found[0]


def bands(runs, template: str, start: int, end: int) -> list:
    """Every band printed as above among runs[start:end]: [(rows, {path: cell})]."""
    cols = T.APPLICANT_COLUMNS
    keys = T.rows_for(template)
    found = []
    for j in range(start, end):
        # the runs after run j under headers of their own, up to the one under 总计
        groups = []
        for i in range(j + 1, end):
            named = _header_columns(joined(runs[i][1]))
            if named is None:
                break
            groups.append(named)
            if "total" in named:
                break
        labelled = [c for g in groups for c in g]
        m = len(labelled)
        if m < MIN_LABELLED or m >= len(cols) or tuple(labelled) != cols[len(cols) - m:]:
            continue
        n_head = len(cols) - m
        k, rest = divmod(len(runs[j][0]), n_head)
        if k == 0 or rest or any(len(runs[j + 1 + i][0]) != k * len(g) for i, g in enumerate(groups)):
            continue
        # the headers before the band name its unlabelled columns, in order
        before = joined(runs[j][1])
        at = 0
        for col in cols[:n_head]:
            at = before.find(_NAME[col], at)
            if at < 0:
                break
        if at < 0:
            continue
        # and the row labels before it name k consecutive rows of the template
        named = _row_keys_named(before, template)
        if len(named) != k or len(set(named)) != k:
            continue
        r0 = keys.index(named[0])
        if tuple(named) != keys[r0:r0 + k]:
            continue
        chunk_cells = [runs[j][0]] + [runs[j + 1 + i][0] for i in range(len(groups))]
        chunk_values = [_all_numbers(c) for c in chunk_cells]
        if any(v is None for v in chunk_values):
            continue
        widths = [n_head] + [len(g) for g in groups]
        readings = [r for r in _band_readings_of(chunk_values, widths, k) if _rows_add_up(r[0], k)]
        if not readings or any(r[0] != readings[0][0] for r in readings):
            continue   # no reading adds up, or several that give other numbers
        values, at = readings[0]
        rows, where = {}, {}
        for i in range(k):
            key = keys[r0 + i]
            rows[key] = {col: values[c][i] for c, col in enumerate(cols)}
            for c, col in enumerate(cols):
                chunk, ix = at[c]
                where[f"applications.{key}.{col}"] = chunk_cells[chunk][ix[i]]
        found.append((rows, where))
    return found
