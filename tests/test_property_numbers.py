"""Property: any number placed in any cell of any seed's report, printed in any of the
ways reports print numbers, in any format we read, comes back as that number, or as
null with a finding about it; never as another number, in that cell or any other."""
from __future__ import annotations

import copy
import importlib.util

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from corpus import cells
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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
