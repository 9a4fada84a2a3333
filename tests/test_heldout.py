"""Reports the reading code was not developed on (benchmarks/heldout.py makes them).

tests/fixtures/heldout/ keeps the renderings of derived reports where the held-out
benchmark found a wrong or lost number, each beside the record it was rendered from
(``<name>.json``): real tool output (Chromium prints, pdfminer and pdftotext text), not
text written for a test. A number read is the record's number; what the text cannot
prove stays blank."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus import ONE_OF, compare, read_lines
from pipelines.extract import extract
from pipelines.extract.blocks import line_span
from pipelines.extract.templates import ACTIVE_FIELD_LABELS, first_match
from pipelines.validate import validate

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"


def read(text: str, name: str = "x.txt") -> dict:
    return validate(extract(text, filename=name))


def record_of(path: Path) -> dict:
    return json.loads((HELDOUT / f"{path.name.split('.')[0]}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(HELDOUT.glob("*.txt")), ids=lambda p: p.name)
def test_no_wrong_number_in_a_held_out_rendering(path):
    record = read(path.read_text(encoding="utf-8"), path.name)
    score = compare(record, record_of(path))
    assert score.wrong == []
    assert not (score.missing and record["status"] == "valid"), score.missing[:4]   # no cell lost silently


def test_a_header_followed_by_values_no_row_names_does_not_name_the_next_row():
    """pdfminer text of a Chromium print whose page break falls inside table 二: the
    header 处理决定数量 comes with the previous row's value 0 after it, then the next page's
    其他对外管理服务事项 with one of its three values. That header was spent on the 0: the
    1 is not the row's 处理决定数量 (it is its 上一年项目数量)."""
    path = HELDOUT / "derived_seed_000_2019.chromium_a4.pdfminer.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    assert record_of(path)["active_disclosure"]["other_services"] == {"previous_items": 1, "change": 0,
                                                                      "decisions": 0}
    assert record["active_disclosure"]["other_services"]["decisions"] is None
    assert any(f["rule"] == "unmapped_row" and f["row"] == "other_services" for f in record["findings"])


def test_a_header_row_still_names_the_values_of_the_row_after_it():
    """The same header on its own, then a row with as many values: read by that header."""
    text = ("二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\n处理决定数量\n"
            "其他对外管理服务事项\n7\n")
    record = read(text)
    assert record["active_disclosure"]["other_services"]["decisions"] == 7


def test_numbers_on_one_line_are_one_row_of_table_3():
    """pdftotext -layout of a Chromium print of a mostly-zero report: every row of table 三
    is one line of seven numbers, some rows' labels cut around them. The sums alone allow
    a second reading (a band of rows read column by column moves 1 0 0 0 0 0 1 to
    3.危及“三安全一稳定”); numbers side by side on one line are one row, which leaves one."""
    path = HELDOUT / "derived_seed_000_2019_zeros.chromium_a4.layout.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    assert record["applications"] == record_of(path)["applications"]
    assert record["provenance"]["applications.unable_not_held.total"]["method"] == "position_checked"


def test_the_rows_read_by_label_choose_among_readings_that_add_up():
    """Plain pdftotext of the same report: two readings of table 三 add up, and the rows
    whose labels were read (with their numbers) agree with one of them only."""
    path = HELDOUT / "derived_seed_000_2019_zeros.pdf.raw.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    assert record["applications"] == record_of(path)["applications"]


def test_readings_that_add_up_but_disagree_with_no_label_leave_those_cells_blank():
    """Without the label-read rows to choose, the same numbers give two readings that add
    up: the cells they give different numbers stay blank, every other cell is the report's."""
    from pipelines.extract import positions, templates
    from pipelines.extract.mapping import simplified
    from pipelines.extract.runs import number_runs
    from pipelines.extract.text import read as read_text

    path = HELDOUT / "derived_seed_000_2019_zeros.pdf.raw.txt"
    runs = number_runs(simplified(read_text(path.read_text(encoding="utf-8"))))
    rows, where = positions.applications_by_position(runs, templates.T2019)
    known = record_of(path)["applications"]
    blank = {(r, c) for r, cols in rows.items() for c, v in cols.items() if v is None}
    assert blank
    assert all(v == known[r][c] for r, cols in rows.items() for c, v in cols.items() if v is not None)
    # a blank cell is one the report prints non-zero, or zero where the other reading has its number
    assert any(known[r][c] != 0 for r, c in blank)
    assert all(f"applications.{r}.{c}" not in where for r, c in blank)


def test_a_run_after_row_labels_whose_headers_name_only_some_columns_is_not_those_rows():
    """pdfminer text of a Chromium print, table 二 cut by a page break: after 上一年项目数量
    本年增/减 行政处罚 行政强制 comes a run of six numbers, as many as the two rows' three
    columns, but 处理决定数量 is printed after it: the run holds another row's numbers (其他
    对外管理服务事项's), and reading it as 行政处罚 and 行政强制 put 1 for a 0. Their own
    column is the run after the second 处理决定数量 header (the first heads 行政许可's block):
    read from there, or not at all."""
    path = HELDOUT / "derived_seed_001_2020.chromium_a4.pdfminer.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    lines = path.read_text(encoding="utf-8").split("\n")
    second_header = [i for i, ln in enumerate(lines) if ln == "处理决定数量"][1] + 1   # 1-based
    assert record_of(path)["active_disclosure"]["penalty"]["decisions"] == 0
    assert compare(record, record_of(path)).wrong == []
    for row in ("penalty", "coercion"):
        if ((record["active_disclosure"] or {}).get(row) or {}).get("decisions") is not None:
            locator = record["provenance"][f"active_disclosure.{row}.decisions"]["locator"]
            assert int(re.fullmatch(r"lines (\d+)-\d+", locator).group(1)) > second_header


@pytest.mark.parametrize("name, row", [("derived_seed_001_2020_b", "procurement"), ("derived_seed_003_2022", "fees")])
def test_numbers_after_a_label_column_are_not_the_last_labels_row(name, row):
    """Plain pdftotext of a report typed as an office does, exported by LibreOffice: table
    二's labels come as one column, then each column's header and numbers. The numbers
    after 政府集中采购 follow 上一年项目数量 (a column it does not have); those after
    行政事业性收费 follow 行政许可 … 行政强制 with no numbers between: neither are that row's.
    The row's own numbers stand under its columns' headers, and are read from there."""
    path = HELDOUT / f"{name}.lo_office.raw.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    lines = path.read_text(encoding="utf-8").split("\n")
    known = record_of(path)["active_disclosure"][row]
    for field, value in record["active_disclosure"][row].items():
        assert value == known[field]
        entry = record["provenance"][f"active_disclosure.{row}.{field}"]
        at = int(re.fullmatch(r"lines (\d+)-\d+", entry["locator"]).group(1)) - 1
        header = next(ln for ln in reversed(lines[:at]) if ln.strip())
        assert entry["method"] == "position_checked" and first_match(ACTIVE_FIELD_LABELS, header) == field
    assert compare(record, record_of(path)).wrong == []


def test_a_row_printed_short_leaves_the_next_rows_numbers_unread_by_count():
    """pdfminer text of a Chromium print of a 2019 report: 行政事业性收费 prints one number
    under its two headers; its 本年增/减 comes after 政府集中采购's label, before that row's
    two (1, then 1 0). With 政府集中采购's 采购总金额 blank (its 0 taken out), the two numbers
    after its label are as many as its columns by chance: the fee's 1 was read as its
    采购总金额. A row after a short one is not read by count: it stays blank, and says why."""
    path = HELDOUT / "derived_seed_000_2019_x0.chromium_a4.pdfminer.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    label = lines.index("政府集中采购")
    numbers = [i for i in range(label, lines.index("三、收到和处理政府信息公开申请情况"))
               if re.fullmatch(r"-?\d+", lines[i])]
    assert [lines[i] for i in numbers] == ["1", "1", "0"]
    assert record_of(path)["active_disclosure"]["procurement"] == {"items": 1, "amount": 0.0}
    blank = lines[:numbers[-1]] + lines[numbers[-1] + 1:]     # 采购总金额 printed blank
    record = read("\n".join(blank), path.name)
    assert record["active_disclosure"]["procurement"] == {"items": None, "amount": None}
    assert any(f["rule"] == "unmapped_row" and f["row"] == "procurement" and "fewer numbers" in f["message"]
               for f in record["findings"])
    assert compare(record, record_of(path)).wrong == []


def _without_line(lines: list[str], at: int) -> str:
    return "\n".join(lines[:at] + lines[at + 1:])


def test_a_blank_cell_under_a_second_header_is_not_the_first_sub_tables():
    """Plain pdftotext of a report typed as an office does: 行政许可's 本年处理决定数量 header
    comes before a page break and its number (1) is printed elsewhere; the second such header
    heads 行政处罚 and 行政强制 (1, 0). With 行政处罚's 1 printed blank, one number is left
    under the second header: as many as 行政许可's one row, but the run after the second
    header is the second sub-table's column. It stays blank, never 行政许可's 0."""
    path = HELDOUT / "derived_seed_003_2022.lo_office.raw.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    second = [i for i, ln in enumerate(lines) if ln == "本年处理决定数量"][1]
    assert lines[second + 1:second + 3] == ["1", "0"]
    record = read(_without_line(lines, second + 1), path.name)
    assert compare(record, record_of(path)).wrong == []
    assert (record["active_disclosure"].get("licensing") or {}).get("decisions") in (None, 1)


def test_a_blank_last_cell_of_table_2_is_not_filled_from_table_3():
    """pdfminer text of a report page exported by LibreOffice: 行政事业性收费's amount is the
    last number of table 二, then 三、… 申请人情况 … 自然人 … 2072 (table 三's first cell).
    With the amount printed blank, the label's next numbers are table 三's: not the fee's."""
    path = HELDOUT / "derived_seed_004_2023_x25.lo_page.pdfminer.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("95112.53")
    record = read(_without_line(lines, at), path.name)
    assert compare(record, record_of(path)).wrong == []
    assert (record["active_disclosure"].get("fees") or {}).get("amount") is None


def _review_row(record: dict) -> list:
    groups = record["review_litigation"]
    return [groups[g][f] for g in ("review", "litigation_direct", "litigation_after_review")
            for f in ("upheld", "corrected", "other", "pending", "total")]


def test_a_running_title_amid_table_4s_numbers_is_no_text_of_the_table():
    """Plain pdftotext of a Chromium print (A4): table 四's numbers open page 6, and the
    browser's running header (the report's title, printed on every page) comes after its
    first number (1 | title | 2 0 0 3 …). The title is furniture: the 15 numbers are one
    run, read in the row's order, each group's total holding."""
    path = HELDOUT / "derived_seed_003_2022_x25.chromium_a4.raw.txt"
    text = path.read_text(encoding="utf-8")
    title = "莱阳市卫生健康局2022年政府信息公开工作年度报告"
    assert text.count(title) >= 6 and re.search(r"\n1\n\n" + title + r"\n\n2\n\n0\n\n0\n\n3\n", text)
    record = read(text, path.name)
    assert _review_row(record) == _review_row(record_of(path)) == [1, 2, 0, 0, 3, 1, 12, 0, 2, 15, 2, 2, 0, 2, 6]
    assert record["provenance"]["review_litigation.review.upheld"]["method"] == "position_checked"


def test_a_number_held_back_past_its_header_is_not_read_in_the_printed_order():
    """Plain pdftotext of a Chromium print (Letter): 行政复议's five headers, then its four
    numbers (1 0 0 0); 未经复议直接起诉's headers, then its four and 行政复议's total (1 0 0 0
    1); 复议后起诉's with the rest (1 0 1 2 1 4). Read as printed every group adds up and
    未经复议直接起诉 comes out 0 0 0 1 1 for 1 0 0 0 1. A header printed before its number
    says the print is not the row's order: of the pieces' other orders two add up (1 0 0 0 1
    for 行政复议 in both, the other two groups swapped), so only 行政复议 is read."""
    path = HELDOUT / "derived_seed_001_2020_x0.chromium_letter.raw.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    known = record_of(path)["review_litigation"]
    assert compare(record, record_of(path)).wrong == []
    got = record["review_litigation"]
    assert got["review"] == known["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    for group in ("litigation_direct", "litigation_after_review"):
        assert set(got[group].values()) == {None}
    assert any(f["rule"] == "position_unconfirmed" and "litigation_direct, litigation_after_review differ"
               in f["message"] for f in record["findings"])


def test_pieces_of_table_4_that_add_up_in_one_other_order_only_are_read_in_it():
    """Plain pdftotext of a Chromium print (Letter): 复议后起诉's last four numbers come
    first (0 1 0 1, under its four headers), then 行政复议's five, 未经复议直接起诉's five and
    复议后起诉's first (2 0 1 2 5 2 2 0 2 6 0). As printed the sums fail; of the pieces'
    other orders one adds up, and it is read."""
    path = HELDOUT / "derived_seed_000_2019_x0_c.chromium_letter.raw.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    assert _review_row(record) == _review_row(record_of(path)) == [2, 0, 1, 2, 5, 2, 2, 0, 2, 6, 0, 0, 1, 0, 1]


def test_a_band_whose_column_order_nothing_in_the_print_shows_leaves_table_3_blank():
    """pdfminer text of a Chromium print (A4) of a 2022 report: table 三's numbers add up
    only with its last three rows read column by column in an order of columns the sums
    choose, a band starting mid-run, one number a line. Nothing in the print says they were
    printed so: a swap of two numbers of rows printed row by row reads back the same way
    (benchmarks/perturb.py: plain pdftotext of h001, h007, h009), so the table stays blank,
    with a finding, rather than read on the sums' say-so. (Main read 132 cells here, none
    wrong, from three such readings.) Read page by page (page_parts), its pages' rows give
    only what no order of the columns changes: each row's total, and the cells of rows all 0
    (9 0 0 0 0 0 9 of 2.重复申请 is 自然人's 9, printed after 其他's column: not read)."""
    path = HELDOUT / "derived_seed_003_2022_x1.chromium_a4.pdfminer.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    assert compare(record, record_of(path)).wrong == []
    for cols in (record["applications"] or {}).values():
        applicants = [v for c, v in cols.items() if c != "total"]
        # a zero of a row of zeros that a print one swap away takes from a swapped place is
        # blank too (page_parts._swap_doubted): the row's others still read
        assert all(v in (None, 0) for v in applicants)
    assert all(v is None for c, v in (record["applications"].get("rejected_repeat") or {}).items() if c != "total")
    assert any(f["rule"] == "position_unconfirmed" and f.get("table") == "applications"
               and "not read by position" in f["message"] for f in record["findings"])


def test_a_table_3_row_label_wrapped_onto_two_lines_names_the_row_after_it():
    """pdfminer text of a Chromium Letter print: 一、本年新收政府信息 / 公开申请数量 is one
    label its narrow cell wrapped, and its seven numbers follow it, each on its own line. The
    row is read, each number from its own line, and its total holds over it."""
    path = HELDOUT / "h034_seed4_2023_s7_x25.chromium_letter.pdfminer.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    want = record_of(path)["applications"]["new_received"]
    assert record["applications"]["new_received"] == want
    lines = path.read_text(encoding="utf-8").split("\n")
    for column, value in want.items():
        locator = record["provenance"][f"applications.new_received.{column}"]["locator"]
        first, last = line_span(locator)
        assert first == last and lines[first - 1].strip() == str(value)
    assert compare(record, record_of(path)).wrong == []


def test_zeros_the_readings_dispute_are_read_from_the_page_that_holds_their_rows():
    """pdftotext of a Chromium A4 print of a mostly-zero report: 二、上年结转政府信息公开 /
    申请数量, then seven 0s. A row of zeros adds up whatever it is, and the readings of table
    三 by position that add up place its one row of 1s (1 0 0 0 0 0 1, 1.本机关不掌握) in
    different rows, so they take the zeros' 0s from different printed numbers: not read by
    the wrapped label, nor by the readings. Pages 1 and 2 hold whole rows only, named by
    their labels' numbering; read alone, each row adding up, their rows of zeros are read,
    each 0 from the line it is printed on or, where the layouts that read it take it from
    different printed 0s (a row's column order, a band read row or column-wise), named as one
    of them (runs.one_of), each of those lines printing 0. The row of 1s and the row
    after it, whose cells the readings still dispute, stay blank with the finding that says why;
    the row before it too: a print one swap away, read column by column, puts the 1s there
    (page_parts._swap_doubted)."""
    path = HELDOUT / "h025_seed0_2019_s6_x0.chromium_a4.raw.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    known = record_of(path)["applications"]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert all(v is None for v in record["applications"]["denied_inquiry"].values())
    for row in ("carried_over", "granted", "denied_state_secret"):
        assert record["applications"][row] == known[row]
        for column in known[row]:
            entry = record["provenance"][f"applications.{row}.{column}"]
            first, last = line_span(entry["locator"])
            one_of = ONE_OF.search(entry["note"] or "")
            named = read_lines(entry)
            assert len(named) == (int(one_of.group(1)) if one_of else 1)
            assert all(first <= n <= last and lines[n - 1].strip() == "0" for n in named)
    blank = {c for c, v in record["applications"]["unable_not_held"].items() if v is None}
    assert "natural_person" in blank
    assert {f["column"] for f in record["findings"] if f["rule"] == "position_unconfirmed"
            and f.get("row") == "unable_not_held"} == blank
    assert any("the whole rows of one page" in f["message"] for f in record["findings"])
    assert compare(record, record_of(path)).wrong == []


def test_a_row_printed_among_its_blocks_headers_is_read_in_their_order():
    """Plain pdftotext of a Chromium print (2019) whose page opens with table 二's 第二十条第
    (五)项 block: 行政许可 上一年项目数量 0 本年增/减 处理决定数量 1 2, the row's numbers among
    its block's headers. The headers are the block's, each once, in the template's column
    order, and the three numbers each after its column's header: 0 1 2 are the row's. With
    the headers out of their order, or a number blank, the row's last two stay blank."""
    path = HELDOUT / "h010_seed0_2019_s3_x25.chromium_a4.raw.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    known = record_of(path)["active_disclosure"]["licensing"]
    record = read("\n".join(lines), path.name)
    assert record["active_disclosure"]["licensing"] == known == {"previous_items": 0, "change": 1, "decisions": 2}
    assert record["provenance"]["active_disclosure.licensing.decisions"]["method"] == "position_checked"

    change, decisions = lines.index("本年增/减"), lines.index("处理决定数量")
    assert change < decisions and lines[decisions + 1:decisions + 4] == ["1", "", "2"]
    swapped = lines[:change] + ["处理决定数量"] + lines[change + 1:decisions] + ["本年增/减"] + lines[decisions + 1:]
    blank = _without_line(lines, decisions + 1)
    for text in ("\n".join(swapped), blank):
        record = read(text, path.name)
        assert compare(record, record_of(path)).wrong == []
        licensing = record["active_disclosure"].get("licensing") or {}
        assert licensing.get("change") is None and licensing.get("decisions") is None


def test_table_4_numbers_wrapped_in_narrow_cells_are_joined_where_the_sums_say_so():
    """Plain pdftotext of a Writer export of an office-typed report, numbers ×300: table 四's
    narrow cells wrap 392 as 39 / 2 and 1055 as 10 / 55, so its pieces hold 18 numbers for
    15 fields. 未经复议直接起诉 (0 0 0 2 under its four headers, 总计 2) and 复议后起诉 are
    read once the count is 15 again, each number from its own line. 行政复议's 392 and 661
    are two blocks under headers read across their columns, an order nothing confirms (the
    sums hold either way): it stays blank."""
    path = HELDOUT / "h020_seed0_2019_s5_x300.lo_office.raw.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    want = record_of(path)["review_litigation"]
    for group in ("litigation_direct", "litigation_after_review"):
        assert record["review_litigation"][group] == want[group]
    assert all(v is None for v in record["review_litigation"]["review"].values())
    assert compare(record, record_of(path)).wrong == []


def test_table_4_is_read_from_its_headers_when_table_3_was_located_but_not_all_read():
    """Plain pdftotext of a Writer export of an office-typed report (2020, numbers ×0): table
    三 is read whole by position, but for four cells of its sparse 1s (rejected_repeat's and
    the total's 法律服务机构 / 其他, which a print one swap away places otherwise): blank.
    Its numbers were all located before table 四's heading, so none of them stands among
    table 四's pieces, and table 四's groups are read from the headers printed before them
    (行政复议 1 0 0 1 0: 结果维持, 其他结果, 尚未审结, 总计, then 结果纠正). Before, a table 三
    left incomplete in any cell kept table 四 to the lawsuit boxes' reader, and it stayed blank."""
    path = HELDOUT / "h001_seed1_2020_s1_x0.lo_office.raw.txt"
    record = read(path.read_text(encoding="utf-8"), path.name)
    known = record_of(path)
    assert record["applications"]["total"]["legal_service"] is None    # table 三 not all read
    assert record["review_litigation"] == known["review_litigation"]
    lines = path.read_text(encoding="utf-8").split("\n")
    for group, fields in known["review_litigation"].items():
        for field, value in fields.items():
            entry = record["provenance"][f"review_litigation.{group}.{field}"]
            assert entry["method"] == "position_checked"
            assert any(lines[n - 1].strip() == str(value) for n in read_lines(entry))
    assert compare(record, known).wrong == []
