"""Table 三's first page below its first row (first_row.first_page_rest), on pdfminer texts of
held-out LibreOffice exports of office-typed reports (copied from the held-out cache).

pdfminer prints that page's organisation columns after their headers: 商业企业 / 科研机构's,
社会公益组织's and 法律服务机构's first cells right after them, then the four columns' other
cells as one run in an order the print does not show; 其他's and 总计's columns after theirs.
Where that run and 其他's are all 0, every order gives each of those cells 0; the rows' 自然人
cells are then their totals (as many of each value among the page's other numbers), read only
where those totals are all one value. Never a wrong number when a number of the page is
blanked, added, changed or swapped with the next."""
from __future__ import annotations

import json

import pytest

from corpus import EDITS, RENDERINGS, cells, edits_with_wrong_cells
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

HELDOUT = RENDERINGS.parent / "heldout"
ORGS = ("enterprise", "research", "public_interest", "legal_service", "other_org")
ALL = ("natural_person", *ORGS, "total")


def _text(name: str) -> tuple[str, dict]:
    text = (HELDOUT / f"{name}.lo_office.pdfminer.txt").read_text(encoding="utf-8")
    return text, json.loads((HELDOUT / f"{name}.json").read_text(encoding="utf-8"))


# (report, the first page's rows below the first, the columns read in each)
CASES = [
    # 2021 template, ×25: twelve rows on the page, 其他 0 ×12, the run after 法律服务机构's 0 of
    # 44 zeros; the totals (88 319 147 0 … 29 0 30 0) differ, so 自然人 and 总计 stay blank
    ("h002_seed2_2021_s1_x25", ("carried_over", "granted", "partially_granted", "denied_state_secret",
                                "denied_prohibited", "denied_three_safety", "denied_third_party",
                                "denied_internal", "denied_process", "denied_enforcement_file",
                                "denied_inquiry"), ORGS),
    # 2020 template, ×0: ten rows, the totals below the first all 0: the rows whole
    ("h001_seed1_2020_s1_x0", ("carried_over", "granted", "partially_granted", "denied_state_secret",
                               "denied_prohibited", "denied_three_safety", "denied_third_party",
                               "denied_internal", "denied_process"), ALL),
]


@pytest.mark.parametrize("name, rows, read", CASES, ids=[c[0] for c in CASES])
def test_the_first_pages_rows_are_read_where_its_organisation_columns_print_only_0(name, rows, read):
    text, known = _text(name)
    record = validate(extract(text, filename=f"{name}.lo_office.pdfminer.txt"))
    lines = text.split("\n")
    for row in rows:
        got = record["applications"][row]
        assert {col for col, v in got.items() if v is not None} == set(read), row
        for col in read:
            assert got[col] == known["applications"][row][col], (row, col)
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            # one of the printed numbers every placement may take it from: each of them that value
            a, b = line_span(where["locator"])
            assert lines[a - 1].strip() == lines[b - 1].strip() == str(got[col])
    assert any(f"its first page's rows {', '.join(rows)}, below its first row" in f["message"]
               for f in record["findings"])


@pytest.mark.parametrize("how", EDITS)
@pytest.mark.parametrize("name", ["h002_seed2_2021_s1_x25", "h001_seed1_2020_s1_x0"])
def test_a_number_edited_on_the_first_page_never_gives_a_wrong_cell(name, how):
    """The runs' edges and their neighbours (a swap there brings another column's number into
    a run), and every fourth number inside them."""
    text, record = _text(name)
    path = f"{name}.lo_office.pdfminer.txt"
    lines = text.split("\n")
    before = extract(text, filename=path)
    read = set()
    for key, where in before["provenance"].items():
        if key.startswith("applications.") and not key.startswith("applications.new_received."):
            a, b = line_span(where["locator"])
            read |= set(range(a - 1, b))

    def near(spots):
        inside = [i for i, s in enumerate(spots) if s.line in read]
        edges = {i for i in inside if i - 1 not in inside or i + 1 not in inside}
        return sorted(k for k in {k for i in edges for k in (i - 1, i, i + 1)} | set(inside[::4])
                      if 0 <= k < len(spots))

    made, wrong = edits_with_wrong_cells(lines, path, cells(record), near, how)
    assert wrong == []
    assert made >= (1 if how == "swap" else 10)   # a swap of two 0s prints the same text: no edit
