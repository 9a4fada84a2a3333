"""Table 三's rows of one page from pdfminer's text of LibreOffice exports of office-typed
reports (page_parts.py), on the fixture renderings (pdfminer.six of real LibreOffice PDFs):
the page holding rows 1.本机关不掌握… to 1.申请人无正当理由逾期不补正… alone, printed column
by column, is read where its labels, its count of numbers and its rows' sums agree; never a
wrong number when one of its numbers is blanked, added, changed or swapped."""
from __future__ import annotations

import json

import pytest

from corpus import EDITS, RENDERINGS, compare, edits_with_wrong_cells, known_record
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

OFFICE = sorted(RENDERINGS.glob("libreoffice_office_*.pdfminer.txt"))
READ = ("libreoffice_office_001_2022.pdfminer.txt", "libreoffice_office_004_2024.pdfminer.txt")
PAGE_ROWS = ("unable_not_held", "unable_needs_creation", "unable_unclear", "rejected_petition",
             "rejected_repeat", "rejected_publication", "rejected_excessive", "rejected_confirmation",
             "other_no_correction")


def read(text: str, name: str) -> dict:
    return validate(extract(text, filename=name))


@pytest.mark.parametrize("path", OFFICE, ids=lambda p: p.name)
def test_no_number_read_is_wrong(path):
    assert compare(read(path.read_text(encoding="utf-8"), path.name), known_record(path.stem)).wrong == []


# the rows about a lone row of 1 (11) among zeros, which a print one swap away, read in
# another layout of the page, puts a row up or down: what the page proves, it proves of
# every print the text may be (page_parts._swap_doubted)
SWAP_DOUBTED = {READ[0]: ("rejected_petition", "rejected_repeat", "rejected_publication"),
                READ[1]: ("rejected_petition", "rejected_repeat")}


@pytest.mark.parametrize("name", READ)
def test_what_the_rows_sums_prove_is_read_each_from_the_line_its_provenance_names(name):
    """Each row's total, and every cell of a row whose applicant numbers are all one value;
    not the applicant cells of a row such as 6 0 0 0 0 0 6, whose 6 the sums would put in
    any column, nor the rows a print one swap away reads otherwise."""
    path = RENDERINGS / name
    text = path.read_text(encoding="utf-8")
    record = read(text, name)
    known = known_record(path.stem)
    for row in PAGE_ROWS:
        want = known["applications"][row]
        applicants = [v for c, v in want.items() if c != "total"]
        got = (record["applications"] or {}).get(row) or dict.fromkeys(want)
        if row in SWAP_DOUBTED[name]:
            assert got == dict.fromkeys(want)
            continue
        assert got == (want if len(set(applicants)) == 1 else
                       {c: (v if c == "total" else None) for c, v in want.items()})
        for col, value in got.items():
            if value is None:
                continue
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            line = line_span(where["locator"])[0]
            assert text.split("\n")[line - 1].strip() == str(value)


def test_a_page_whose_labels_name_fewer_rows_than_its_numbers_fill_is_not_read():
    """Which rows the page holds is said by its labels: with 3.补正后申请内容仍不明确's
    label gone, eight labels for nine rows' numbers say nothing."""
    path = RENDERINGS / READ[1]
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, t in enumerate(lines) if t.startswith("3.补正"))
    assert lines[at + 1:at + 4] == ["后申请", "内容仍", "不明确"]
    record = read("\n".join(lines[:at] + lines[at + 4:]), path.name)
    assert all(v is None for row in PAGE_ROWS for v in ((record["applications"] or {}).get(row) or {}).values())


@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_of_the_page_never_gives_a_wrong_cell(how):
    path = RENDERINGS / READ[1]
    lines = path.read_text(encoding="utf-8").split("\n")
    known = {f"{t}.{r}.{c}": v for t in ("active_disclosure", "applications", "review_litigation")
             for r, cols in (known_record(path.stem).get(t) or {}).items() if isinstance(cols, dict)
             for c, v in cols.items()}
    page = next(i for i, t in enumerate(lines) if t.strip() == "— 2 —")

    def on_the_page(spots):
        first = next(i for i, s in enumerate(spots) if s.line > page)   # the page's first number
        return range(first, first + 63, 3)   # every third: all columns and rows, in a test's time

    edits, wrong = edits_with_wrong_cells(lines, path.name, known, on_the_page, how)
    assert wrong == []
    assert edits >= (3 if how == "swap" else 20)   # a swap of two equal numbers is no edit


HELDOUT = RENDERINGS.parent / "heldout"


def _area_texts(path):
    """(page, text) of the text cells of table 三's area, as page_parts sees them."""
    from pipelines.extract import read_document
    from pipelines.extract.column_runs import table_area
    from pipelines.extract.mapping import simplified
    from pipelines.extract.blocks import page_finder
    from pipelines.extract.runs import number_runs

    doc = simplified(read_document(path.read_bytes(), filename=path.name)[0])
    runs = number_runs(doc)
    start, end = table_area(runs)
    page_of = page_finder(doc)
    return [(page_of(t.src), t.text) for _cells, texts in runs[start:end] for t in texts]


def test_a_label_a_page_break_cuts_names_its_row_on_the_page_of_its_numbering():
    """pdfminer of a Chromium print (held out): 3.危及“三安 / 全一稳定” and 2.没有现成信息 /
    需要另行制作 are cut by page breaks, their numbers printed on the page of their first
    pieces. Named by the words that end on the next page, the rows of the page between would
    be read one row off (4.保护第三方合法权益's 0s as 3.危及's, 5.属于三类内部事务信息's 43 1 … 44
    as 4.保护's): they are named on the page of their numbering."""
    from pipelines.extract import templates as T
    from pipelines.extract.page_parts import _rows_by_page

    by_page = _rows_by_page(_area_texts(HELDOUT / "derived_seed_000_2019_s3_x25.chromium_letter.pdfminer.txt"),
                            T.T2019)
    assert by_page[2][-1] == "denied_three_safety"
    assert by_page[3] == ["denied_third_party", "denied_internal", "denied_process", "denied_enforcement_file",
                          "denied_inquiry", "unable_not_held", "unable_needs_creation"]
    assert by_page[4][0] == "unable_unclear"


def test_a_held_out_office_page_is_read_whole():
    path = HELDOUT / "derived_seed_004_2023_s2_x0.lo_office.pdfminer.txt"
    known = json.loads((HELDOUT / "derived_seed_004_2023_s2_x0.json").read_text(encoding="utf-8"))
    record = read(path.read_text(encoding="utf-8"), path.name)
    assert compare(record, known).wrong == []
    for row in PAGE_ROWS:
        assert record["applications"][row]["total"] == known["applications"][row]["total"]


LARGE = HELDOUT / "h004_seed4_2023_s1_x300.chromium_a4.pdfminer.txt"
GROUP_PAGE = ("new_received", "carried_over", "granted", "partially_granted", "denied_state_secret",
              "denied_prohibited")


def _large_known() -> tuple[list[str], dict]:
    record = json.loads((HELDOUT / "h004_seed4_2023_s1_x300.json").read_text(encoding="utf-8"))
    known = {f"{t}.{r}.{c}": v for t in ("active_disclosure", "applications", "review_litigation")
             for r, cols in (record.get(t) or {}).items() if isinstance(cols, dict) for c, v in cols.items()}
    return LARGE.read_text(encoding="utf-8").split("\n"), known


def test_a_page_printed_two_wide_columns_row_by_row_then_each_column_is_read():
    """pdfminer of a Chromium A4 print of a report ×300: a page's 自然人 and 商业企业 come row
    by row (31143 1752 | 365 72 | …), then each other column top to bottom (pdfminer groups
    wide numbers' boxes across before down). Each row's total is read from its own printed
    number, and 不予公开's 1.属于国家秘密 (all zeros) whole. The page's sums alone would put
    31143 in any column; the pages read together as column pieces (page_pieces), each column
    adding up down the table, place it."""
    lines, known = _large_known()
    record = read("\n".join(lines), LARGE.name)
    apps = record["applications"]
    for row in GROUP_PAGE:
        total = apps[row]["total"]
        assert total == known[f"applications.{row}.total"]
        where = record["provenance"][f"applications.{row}.total"]
        assert where["method"] == "position_checked"
        assert lines[line_span(where["locator"])[0] - 1].strip() == str(total)
    assert apps["denied_state_secret"] == {c: 0 for c in apps["denied_state_secret"]}
    assert apps["new_received"]["natural_person"] == known["applications.new_received.natural_person"]
    assert compare(record, json.loads((HELDOUT / "h004_seed4_2023_s1_x300.json").read_text(encoding="utf-8"))).wrong == []


@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_of_a_column_group_page_never_gives_a_wrong_cell(how):
    lines, known = _large_known()
    start = next(i for i, t in enumerate(lines) if t.startswith("一、本年新收"))

    def on_the_page(spots):
        first = next(i for i, s in enumerate(spots) if s.line > start)   # the page's first number
        return range(first, first + 42, 2)

    edits, wrong = edits_with_wrong_cells(lines, LARGE.name, known, on_the_page, how)
    assert wrong == []
    assert edits >= (3 if how == "swap" else 15)


def _heldout_known(stem: str) -> dict:
    record = json.loads((HELDOUT / f"{stem}.json").read_text(encoding="utf-8"))
    return {f"{t}.{r}.{c}": v for t in ("active_disclosure", "applications", "review_litigation")
            for r, cols in (record.get(t) or {}).items() if isinstance(cols, dict) for c, v in cols.items()}


def _swaps_on_lines(path, first: int, last: int) -> tuple[int, list]:
    """Each number of table 三 printed on lines first..last (1-based) swapped with the next."""
    lines = path.read_text(encoding="utf-8").split("\n")

    def on_the_page(spots):
        return [i for i, s in enumerate(spots) if first <= s.line + 1 <= last]

    return edits_with_wrong_cells(lines, path.name, _heldout_known(path.name.split(".")[0]), on_the_page, "swap")


def test_a_page_printed_column_by_column_is_not_read_row_by_row_after_a_swap():
    """pdfminer of a split-table PDF (held out, h001): table 三's first page, its two rows
    column by column (自然人 0 0, then 0 0 … 1 0 … 0 0, then 总计 1 0). With 总计's 1 and 0
    swapped the page no longer adds up so, but does row by row (a row of zeros, then
    0 1 0 0 0 0 1): the text may be that print swapped, so the page proves only what every
    reading of it and of each print one swap away says alike (here: nothing)."""
    path = HELDOUT / "h001_seed1_2020_s1_x0.pdf_split.pdfminer.txt"
    edits, wrong = _swaps_on_lines(path, 144, 189)
    assert wrong == []
    assert edits >= 3


def test_a_swap_on_a_page_printed_in_two_bands_leaves_no_zero_row_in_its_place():
    """pdfminer of a Chromium Letter print (held out, h006): a page of seven rows, its first
    two column by column, then the other five column by column (2 0 0 1 0 0 3 among them).
    The 1 swapped with the 0 below it, no layout page_parts reads adds up but one of two
    column groups, which makes 2.没有现成信息需要另行制作 a row of zeros, one of them the 0
    that line no longer prints: the print one swap away, read in the bands it was printed
    in, takes that cell from the swapped place, so it is not read."""
    path = HELDOUT / "h006_seed1_2020_s2_x1.chromium_letter.pdfminer.txt"
    edits, wrong = _swaps_on_lines(path, 398, 494)
    assert wrong == []
    assert edits >= 3


def test_a_last_page_printed_column_by_column_is_not_read_row_by_row_after_a_swap():
    """pdfminer of a Chromium A4 print (held out, h017): the last page's three rows (3.其他,
    总计, 结转) column by column, 其他 0 1 0 and 总计 0 1 0. With 总计's 1 and 0 swapped the page
    adds up row by row (0 0 0 0 0 0 0 | 0 0 0 0 0 0 0 | 0 0 1 0 0 0 1), which the plain reading
    of a page (_read_plain) took: 总计 a row of zeros. A print one swap away, column by column,
    says otherwise, so those rows are not read. (That swap only: others of the page are the
    whole table's reading by position, bands.py's.)"""
    path = HELDOUT / "h017_seed2_2021_s4_x0.chromium_a4.pdfminer.txt"
    edits, wrong = _swaps_on_lines(path, 665, 665)
    assert wrong == []
    assert edits == 1
