"""Table 三 from pdfminer's text of a Chromium print, read page by page as column pieces
(page_pieces.py). The fixtures are held-out renderings (benchmarks/heldout.py: A4 prints of
reports ×300, the 2019 and the 2021 template; a Letter print ×25): on each page pdfminer
prints the page's rows as column groups, some column by column (cut into bands where a tall
label's box ends), some row by row (31143 1752 | 365 72 …), the 总计 column among them, or
in bands of rows each printed so, in another way on each page. A number read is the
report's and is printed on the line its provenance names; where two readings of the pages
hold, the cells they differ on stay blank; no edit of one number makes any cell wrong."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import EDITS, cells, compare, edits_with_wrong_cells
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.validate import validate

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"
OLD = HELDOUT / "h020_seed0_2019_s5_x300.chromium_a4.pdfminer.txt"     # 2019 template
NEW = HELDOUT / "h004_seed4_2023_s1_x300.chromium_a4.pdfminer.txt"     # 2021 template
LETTER = HELDOUT / "h010_seed0_2019_s3_x25.chromium_letter.pdfminer.txt"
BANDS = HELDOUT / "h039_seed4_2023_s8_x5.chromium_a4.pdfminer.txt"     # 自然人's group in bands of its own
TOTAL_FIRST = HELDOUT / "h020_seed0_2019_s5_x300.chromium_letter.pdfminer.txt"   # 总计 header amid the numbers
# text PDFs with table 三 split over two pages: 自然人 and 商业企业 in bands each its own way
SPLIT = HELDOUT / "h020_seed0_2019_s5_x300.pdf_split.pdfminer.txt"
SPLIT_ASIDE = HELDOUT / "h004_seed4_2023_s1_x300.pdf_split.pdfminer.txt"   # other tables' text amid it


def known(path: Path) -> dict:
    return json.loads((HELDOUT / f"{path.name.split('.')[0]}.json").read_text(encoding="utf-8"))


def read(text: str, path: Path) -> dict:
    return validate(extract(text, filename=path.name))


def test_each_page_read_as_its_own_column_pieces_gives_the_whole_table():
    lines = OLD.read_text(encoding="utf-8").split("\n")
    record, report = read("\n".join(lines), OLD), known(OLD)
    assert compare(record, report).wrong == []
    apps = record["applications"]
    read_cells = 0
    for row, cols in report["applications"].items():
        for col, value in cols.items():
            if apps[row][col] is None:
                continue
            read_cells += 1
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            if value:     # a number other than 0 has one place: the line its provenance names
                first, _last = line_span(where["locator"])
                assert lines[first - 1].strip() == str(value), (row, col)
    # 23 rows × 7: on main, 110 of them were lost (no reading of the whole table added up)
    assert read_cells >= 23 * 7 - 4
    assert apps["partially_granted"] == report["applications"]["partially_granted"]   # 1472 40 … 1512


def test_where_two_readings_of_the_pages_hold_the_cells_they_differ_on_stay_blank():
    """A page's 1s of 法律服务机构 and 其他 (0 0 0 0 1 0 1 0 …) add up read down either
    column: both readings hold as table 三, and which is which is not proven."""
    record, report = read(NEW.read_text(encoding="utf-8"), NEW), known(NEW)
    assert compare(record, report).wrong == []
    apps = record["applications"]
    for row in ("granted", "unable_not_held"):
        assert apps[row]["legal_service"] is None and apps[row]["other_org"] is None
    for row in ("new_received", "carried_over", "granted", "partially_granted", "denied_prohibited"):
        assert apps[row]["natural_person"] == report["applications"][row]["natural_person"]
        assert apps[row]["enterprise"] == report["applications"][row]["enterprise"]


def test_a_letter_page_printed_in_bands_each_its_own_groups_is_read():
    """The Letter print's last page: its first row across (0 0 0 0 0 0 0), then the other
    rows' 自然人 and 商业企业 row by row (153 7 | 507 17 | 21 0), the four columns after them
    column by column, then 总计 (160 525 21): bands, each its own column groups."""
    lines = LETTER.read_text(encoding="utf-8").split("\n")
    record, report = read("\n".join(lines), LETTER), known(LETTER)
    assert compare(record, report).wrong == []
    apps, want = record["applications"], report["applications"]
    for row in ("new_received", "partially_granted", "denied_internal", "rejected_confirmation"):
        assert apps[row] == want[row]
    for row in ("other", "total", "carried_forward"):
        for col in ("natural_person", "enterprise", "total"):
            assert apps[row][col] == want[row][col]
            first, _last = line_span(record["provenance"][f"applications.{row}.{col}"]["locator"])
            assert lines[first - 1].strip() == str(want[row][col])


def test_a_page_whose_first_columns_are_printed_in_bands_each_its_own_way_is_read():
    """The first page: the first three rows' 自然人 and 商业企业 row by row (514 26 | 9 2 |
    312 16), the next three's column by column (48 0 18 | 3 0 2), then the other columns each
    whole (科研机构 … 其他, then 总计: 541 11 328 51 0 20). On main no layout of the page added
    up, and table 三 was lost but for the rows read by label."""
    lines = BANDS.read_text(encoding="utf-8").split("\n")
    record, report = read("\n".join(lines), BANDS), known(BANDS)
    assert compare(record, report).wrong == []
    apps, want = record["applications"], report["applications"]
    for row, cols in (("new_received", ("natural_person", "total")), ("carried_over", ("total",)),
                      ("granted", ("enterprise", "total")), ("partially_granted", want["partially_granted"]),
                      ("denied_prohibited", want["denied_prohibited"])):
        for col in cols:
            assert apps[row][col] == want[row][col], (row, col)
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            if want[row][col]:     # a number other than 0 has one place
                first, _last = line_span(where["locator"])
                assert lines[first - 1].strip() == str(want[row][col]), (row, col)
    # a swap of two of the first rows' numbers (26 9) is a print read row by row or column by
    # column alike: those cells stay blank; on main 46 cells were read
    read_cells = sum(v is not None for cols in apps.values() for v in cols.values())
    assert read_cells >= 140


def test_a_page_whose_total_header_is_printed_amid_its_numbers_starts_the_total_column_there():
    """The Letter print's first page: 自然人 and 商业企业 row by row (7638 273 | 553 13 | 2747 73 |
    1472 40), the zeros of the columns after them, then the 总计 header (总 / 计) and the first
    three rows' 总计 cells (7912 566 2820) before 其他's cells beside them (1 0 0), then the next
    row's 其他 and 总计 (0 1512): the header's box joins its column's first cells, and that piece
    comes first. On main no layout of the page added up, and table 三 was lost but for 总计's
    row (15 of 198 cells read)."""
    lines = TOTAL_FIRST.read_text(encoding="utf-8").split("\n")
    record, report = read("\n".join(lines), TOTAL_FIRST), known(TOTAL_FIRST)
    assert compare(record, report).wrong == []
    apps, want = record["applications"], report["applications"]
    for row in ("new_received", "carried_over", "granted"):
        assert apps[row] == want[row], row
        for col in ("natural_person", "other_org", "total"):
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            if want[row][col]:     # a number other than 0 has one place: 7912's line, then 1's
                first, _last = line_span(where["locator"])
                assert lines[first - 1].strip() == str(want[row][col]), (row, col)
    read_cells = sum(v is not None for cols in apps.values() for v in cols.values())
    assert read_cells >= 23 * 7 - 15


def _read_cells_on_their_lines(path: Path) -> tuple[dict, dict, int]:
    """The record of ``path``, the report's, and the cells of table 三 read, each read by
    position and (a number other than 0) printed on the line its provenance names."""
    lines = path.read_text(encoding="utf-8").split("\n")
    record, report = read("\n".join(lines), path), known(path)
    assert compare(record, report).wrong == []
    read_cells = 0
    for row, cols in report["applications"].items():
        for col, value in cols.items():
            if record["applications"][row][col] is None:
                continue
            read_cells += 1
            where = record["provenance"][f"applications.{row}.{col}"]
            if value:
                first, _last = line_span(where["locator"])
                assert lines[first - 1].strip() == str(value), (row, col)
    return record["applications"], report["applications"], read_cells


def test_a_page_whose_first_columns_are_printed_in_three_bands_each_its_own_way_is_read():
    """A text PDF whose table 三 runs onto a second page: there its first 6 rows' 自然人 and
    商业企业 column by column (2747 1472 0 0 0 0 | 73 40 0 0 0 0), the next 9 rows row by row
    (508 15 | 0 0 | … | 27 82 | … | 497 16), the last 6 column by column again (0 0 0 2271
    7522 669 | 0 0 0 53 279 7), then 科研机构 … 其他 and 总计 each whole. No layout of two
    bands adds up: on main only the first page's 2 rows and the 总计 column were read."""
    apps, want, read_cells = _read_cells_on_their_lines(SPLIT)
    for row in ("granted", "denied_internal", "unable_not_held", "rejected_repeat", "other", "total"):
        assert apps[row] == want[row], row
    assert read_cells >= 23 * 7 - 4


def test_a_split_table_with_other_tables_text_amid_its_pages_is_read():
    """The text PDF's first page ends with table 三's first 2 rows, then table 二's last
    numbers (行政事业性收费 0 2), and the second page starts with table 四's heading before
    table 三's last numbers (四、政府信息公开行政复议、行政诉讼情况 0 0 0 0 0 0 3174 117 …),
    table 四's headers and numbers after them: the runs after table 二's label are left out
    and the run after table 四's heading taken in, where only so do the pages hold whole
    rows of the table's count; the sums decide the rest. On main no cell of table 三 was read."""
    apps, want, read_cells = _read_cells_on_their_lines(SPLIT_ASIDE)
    for row in ("granted", "partially_granted", "denied_prohibited", "carried_forward"):
        assert apps[row] == want[row], row
    assert read_cells >= 25 * 7 - 12


@pytest.mark.parametrize("how", EDITS)
@pytest.mark.parametrize("path", [OLD, NEW, LETTER, BANDS, TOTAL_FIRST, SPLIT, SPLIT_ASIDE],
                         ids=["2019", "2021", "letter", "bands", "total_first", "split", "split_aside"])
def test_one_edited_number_never_gives_a_wrong_cell(path, how):
    lines = path.read_text(encoding="utf-8").split("\n")
    apps = known(path)["applications"]

    def picked(spots):
        # each page's first numbers and the 总计 column's last: where the pieces start and end
        # (the first row's, or the next page's where table 三's heading is printed after them)
        heads = (str(apps["new_received"]["natural_person"]), str(apps["granted"]["natural_person"]))
        first = next(i for i, s in enumerate(spots) if s.text in heads)
        total = max((i for i, s in enumerate(spots) if s.text == str(apps["carried_forward"]["total"])),
                    default=len(spots) - 1)
        return [first, first + 1, first + 2, first + 5, total - 3, total - 2, total - 1, total]

    edits, wrong = edits_with_wrong_cells(lines, path.name, cells(known(path)), picked, how)
    assert wrong == []
    assert edits >= 4


@pytest.mark.parametrize("how", EDITS)
def test_one_edited_number_after_table_4s_heading_never_gives_a_wrong_cell(how):
    """The split table's last page's numbers, printed after table 四's heading (SPLIT_ASIDE)."""
    lines = SPLIT_ASIDE.read_text(encoding="utf-8").split("\n")
    apps = known(SPLIT_ASIDE)["applications"]

    def picked(spots):
        # the first numbers after the heading, and the 总计 column's last
        total = max(i for i, s in enumerate(spots) if s.text == str(apps["carried_forward"]["total"]))
        return [0, 1, 6, 7, 20, total - 2, total - 1, total]

    edits, wrong = edits_with_wrong_cells(lines, SPLIT_ASIDE.name, cells(known(SPLIT_ASIDE)), picked, how, area="四")
    assert wrong == []
    assert edits >= 4
