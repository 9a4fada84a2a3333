"""Numbers a narrow cell wrapped in `pdftotext -layout` text (pipelines/extract/layout_wraps.py),
read on the real output of poppler for a LibreOffice export of an office-typed report
with five-digit numbers ('1866' on the row's line, '8' under it two lines on)."""
from __future__ import annotations

import json
from pathlib import Path

from corpus import RENDERINGS, compare, known_record
from pipelines.extract import extract
from pipelines.extract.layout_wraps import join_wrapped
from pipelines.validate import validate

WRAPPED = RENDERINGS / "libreoffice_office_004_2023_x300.layout.txt"
HELDOUT = Path(__file__).parent / "fixtures" / "heldout"


def read_text(text: str) -> dict:
    return validate(extract(text.encode("utf-8"), filename=WRAPPED.name))


def line_with(text: str, *words: str) -> str:
    return next(ln for ln in text.split("\n") if all(w in ln for w in words))


def test_wrapped_numbers_are_joined_and_every_cell_is_read():
    """Tables 三 and 四 whole: each wrapped number joined ('1866' + '8' = 18668) where the
    row's sums hold joined and failed as printed; its provenance names both lines."""
    record = read_text(WRAPPED.read_text(encoding="utf-8"))
    score = compare(record, known_record(WRAPPED.stem))
    assert score.wrong == [] and score.missing == []
    assert record["applications"]["new_received"]["natural_person"] == 18668
    assert record["provenance"]["applications.new_received.natural_person"]["locator"] == "lines 46-47"
    assert record["review_litigation"]["review"]["pending"] == 1647      # '16' over '47'


def test_a_join_the_sums_do_not_confirm_is_not_made():
    """The continuation '8' changed to '9': 18669 + 1631 + 1 is not 20300, so the row is
    not joined; read as printed it does not add up either, and stays blank."""
    text = WRAPPED.read_text(encoding="utf-8")
    line = line_with(text, "开申请数量", "8")
    record = read_text(text.replace(line, line.replace("8", "9", 1)))
    row = record["applications"]["new_received"]
    assert row["natural_person"] is None and row["total"] is None
    assert compare(record, known_record(WRAPPED.stem)).wrong == []


def test_a_real_next_row_under_the_same_columns_is_never_swallowed():
    """A row of its own whose first number sits right under a wrapped number's first digit
    (its zeros under the other columns) is that row's, not a continuation: the row above
    keeps its blank, the 6 is not joined into it."""
    text = WRAPPED.read_text(encoding="utf-8")
    cont = next(ln for ln in text.split("\n") if ln.strip().startswith("、 "))  # '、 6 … 1' under （一）予以公开
    start, total = cont.index("6"), cont.rindex("1")
    own_row = cont[:start] + "6      0      0    0     0     0".ljust(total - start) + "6"
    record = read_text(text.replace(cont, own_row))
    granted = record["applications"]["granted"]
    assert 12216 not in granted.values() and 13041 not in granted.values()
    assert granted["natural_person"] is None     # 1221 … 1304 does not add up: not read


def test_any_continuation_changed_costs_its_row_never_a_wrong_number():
    """Every continuation of the corpus text changed to another digit: its row no longer adds
    up joined (nor as printed), so it is left blank; no cell anywhere becomes a wrong number."""
    lines = WRAPPED.read_text(encoding="utf-8").split("\n")
    joined, _spans, _doubts = join_wrapped(lines)
    # the digits the reader blanked in their lines to join them to the numbers above
    continuations = [(i, at) for i, (before, after) in enumerate(zip(lines, joined))
                     if before != after and len(before) == len(after)
                     for at, (b, a) in enumerate(zip(before, after)) if b != a]
    assert len(continuations) == 2 + 2 + 2 + 9    # 1866/8 … 2030/0, 1221/6 … 1304/1, 1942/1 … 2095/6; 四: 4 47 93 28 30
    for i, at in continuations:
        changed = list(lines)
        changed[i] = changed[i][:at] + str((int(changed[i][at]) + 3) % 10) + changed[i][at + 1:]
        record = read_text("\n".join(changed))
        assert compare(record, known_record(WRAPPED.stem)).wrong == [], (i + 1, changed[i])


BOTH_WAYS = HELDOUT / "office_seed_002_2021_x3000.lo_office.layout.txt"


def test_rows_that_add_up_both_ways_are_settled_by_their_columns():
    """An office-typed report ×3000 (made as benchmarks/heldout.py makes its exports): most
    of table 三's rows hold one applicant column, '1630 0 0 0 0 0 1630' over '04 … 04', which
    adds up as printed and joined alike. The columns' sums settle it: 163004, every cell
    exact (read as printed, 1630 was a wrong number before)."""
    record = validate(extract(BOTH_WAYS.read_bytes(), filename=BOTH_WAYS.name))
    known = json.loads((HELDOUT / "office_seed_002_2021_x3000.json").read_text(encoding="utf-8"))
    score = compare(record, known)
    assert score.wrong == [] and score.missing == []
    assert record["applications"]["new_received"]["natural_person"] == 163004


def test_a_row_that_adds_up_both_ways_and_no_column_confirms_is_blank():
    """The same text with the first row's continuations '04' made '05': 163005 … 163005 still
    adds up as a row, as does 1630 … 1630, but the balance of its columns no longer holds:
    the row is blank, neither 1630 nor 163005."""
    text = BOTH_WAYS.read_text(encoding="utf-8")
    below = line_with(text, "开申请数量", "04")
    record = validate(extract(text.replace(below, below.replace("04", "05")).encode(), filename=BOTH_WAYS.name))
    new = record["applications"]["new_received"]
    assert new["natural_person"] is None and new["total"] is None
    assert any(f["rule"] == "position_unconfirmed" and f["row"] == "new_received" and "as printed" in f["message"]
               for f in record["findings"])


def test_table_4s_one_row_is_joined_even_where_it_adds_up_as_printed_too():
    """Held out (benchmarks/heldout.py, ×25): table 四's '25 0 0 0 25' over '2 … 2' adds up
    both ways, but table 四 has one row: the 2s under it can only be its numbers' last digits."""
    path = HELDOUT / "derived_seed_004_2023_x25.lo_office.layout.txt"
    record = validate(extract(path.read_bytes(), filename=path.name))
    known = json.loads((HELDOUT / "derived_seed_004_2023_x25.json").read_text(encoding="utf-8"))
    assert known["review_litigation"]["litigation_direct"]["total"] == 252
    assert record["review_litigation"] == known["review_litigation"]
    assert compare(record, known).wrong == []


def test_a_number_wrapped_onto_three_lines_and_one_cut_by_a_page_break():
    """×3,000,000: '1305' over '3439' over '1' is 130534391, each line but the last full;
    table 三's total row, whose cells wrap onto the next page under its repeated header, is
    left blank (its pieces lie in another page's columns), never read as '1300'."""
    path = HELDOUT / "office_seed_003_2020_x3000000.lo_office.layout.txt"
    record = validate(extract(path.read_bytes(), filename=path.name))
    known = json.loads((HELDOUT / "office_seed_003_2020_x3000000.json").read_text(encoding="utf-8"))
    assert record["applications"]["new_received"] == known["applications"]["new_received"]
    assert known["applications"]["new_received"]["natural_person"] == 130534391
    assert record["applications"]["total"]["natural_person"] is None
    assert compare(record, known).wrong == []
