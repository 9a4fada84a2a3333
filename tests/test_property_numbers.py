"""Property: any number placed in any cell of any seed's report, printed in any of the
ways reports print numbers, in any format we read, comes back as that number, or as
null with a finding about it; never as another number, in that cell or any other."""
from __future__ import annotations

import copy
import importlib.util
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from corpus import RENDERINGS, cells, known_record
from replicas import reportgen
from pipelines.extract import extract
from test_extract_text import render as render_tab_rows

_spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "scripts" / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
FORMATS = {
    "html": lambda r: (reportgen.render_html(r).encode("utf-8"), "page.html"),
    "markdown": lambda r: (make_fixtures.ocr_markdown(r).encode("utf-8"), "ocr.md"),
    "pdf": lambda r: (reportgen.render_pdf(r), "report.pdf"),
    "docx": lambda r: (reportgen.render_docx(r), "report.docx"),
    "tab rows": lambda r: (render_tab_rows(r, "\t").encode("utf-8"), "report.txt"),
}


def printed(value, style: str) -> str:
    """A number as reports print it."""
    if style == "money":
        return ("%.2f" % value).rstrip("0").rstrip(".")
    if style == "signed":
        return f"{value:+d}"
    return {"plain": str(value), "thousands": f"{value:,}", "full width": f"{value:,}".translate(FULL_WIDTH),
            "unit": f"{value}件", "annotated": f"{value}（其中{value // 2}件依申请）"}[style]


@st.composite
def placements(draw):
    n = draw(st.integers(0, 4))
    record = reportgen.load_record(n)
    fmt = draw(st.sampled_from([f for f in FORMATS if f != "tab rows" or record["template"] == "2021"]))
    path = draw(st.sampled_from(sorted(cells(record))))
    if path.endswith(".amount"):      # 万元, two decimals at most
        return n, fmt, path, draw(st.integers(0, 10**8)) / 100, "money"
    if path.endswith(".change"):      # 2019's 本年增/减 is signed
        return n, fmt, path, draw(st.integers(-10**5, 10**5)), "signed"
    value = draw(st.integers(0, 10**7))
    style = draw(st.sampled_from(["plain", "thousands", "full width", "unit", "annotated"]))
    return n, fmt, path, value, style


# the same draws on every run (derandomize), as in test_positions: the suite must not pass or
# fail by chance. The search for new cases: GXNB_PERTURB_EXAMPLES=2000 with a --hypothesis-seed
SEARCH = dict(max_examples=int(os.environ.get("GXNB_PERTURB_EXAMPLES", "60")),
              derandomize="GXNB_PERTURB_EXAMPLES" not in os.environ, database=None,
              deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(**SEARCH)
@given(placements())
def test_a_number_placed_anywhere_comes_back_or_is_null_with_a_finding(placement):
    n, fmt, path, value, style = placement
    record = copy.deepcopy(reportgen.load_record(n))
    table, row, column = path.split(".")
    record[table][row][column] = printed(value, style)   # the renderers print strings as given
    data, name = FORMATS[fmt](record)
    got = extract(data, filename=name)
    want = cells(record)
    want[path] = value
    have = cells(got)
    for where, expected in want.items():
        actual = have.get(where)
        if actual is None:
            continue
        assert actual == expected, (fmt, style, where, actual, expected)
    if have.get(path) is None:
        t, r, c = path.split(".")
        assert any(f["table"] == t and f["row"] in (r, None) and f["column"] in (c, None)
                   for f in got["findings"]), (fmt, style, path, got["findings"])


# ---- flattened text: numbers placed by position and structure ---------------------------

def _number_lines(path) -> list[int]:
    return [i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n")) if line.strip().isdigit()]


# pdftotext and pdfminer print a number a line: the line says which cell must hold it
TEXT_RENDERINGS = [p for p in sorted(RENDERINGS.glob("*.txt")) if _number_lines(p)]


@st.composite
def text_changes(draw):
    path = draw(st.sampled_from(TEXT_RENDERINGS))
    line = draw(st.sampled_from(_number_lines(path)))
    return path, line, draw(st.integers(0, 10**5))


@settings(**SEARCH)
@given(text_changes())
def test_one_number_changed_in_flattened_text_is_read_as_printed_or_left_blank(change):
    """pdftotext/pdfminer text with one number line changed: every cell read from that line
    says the new number, every other cell says the report's own (or is blank): placing by
    position or by structure never hands a number to the wrong cell."""
    path, at, value = change
    lines = path.read_text(encoding="utf-8").split("\n")
    old = int(lines[at].strip())
    lines[at] = lines[at].replace(lines[at].strip(), str(value))
    got = extract("\n".join(lines), filename=path.name)
    known = cells(known_record(path.stem))
    for where, actual in cells(got).items():
        if actual is None or where not in known:
            continue
        locator = (got["provenance"].get(where) or {}).get("locator", "")
        span = [int(x) for x in re.findall(r"\d+", locator)] or [0, 0]
        from_line = span[0] <= at + 1 <= span[-1]
        if from_line and span[0] == span[-1]:
            assert actual == value, (path.name, where, actual, value, old)
        elif not from_line:
            assert actual == known[where], (path.name, where, actual, known[where], locator)
        else:   # read from a range holding the changed line: all its numbers agreed
            assert actual == value == known[where] or value == old, (path.name, where, actual, locator)
