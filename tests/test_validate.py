"""The contract's rules: change one cell, the right rule fires naming the right cell."""
from __future__ import annotations

import copy

import jsonschema
import pytest

from conftest import FIXTURES
from test_extract_seeds import SCHEMA, expected, seed_path
from test_extract_text import render
from pipelines.extract import empty_record, extract
from pipelines.validate import validate


def rules(record, severity=None):
    return sorted(((f["rule"], f["table"], f["row"], f["column"]) for f in record["findings"]
                   if severity is None or f["severity"] == severity), key=lambda t: tuple(x or "" for x in t))


@pytest.mark.parametrize("n", range(5))
def test_expected_records_are_valid(n):
    record = validate(copy.deepcopy(expected(n)))
    assert record["status"] == "valid" and record["findings"] == []


def test_row_total_names_the_row():
    rec = copy.deepcopy(expected(0))
    rec["applications"]["denied_internal"]["total"] = 3          # was 2; the outcome sum changes too
    rec = validate(rec)
    assert rec["status"] == "inconsistent"
    errors = rules(rec, "error")
    assert ("row_total", "applications", "denied_internal", "total") in errors
    assert ("outcome_total", "applications", "total", "total") in errors
    f = next(f for f in rec["findings"] if f["rule"] == "row_total")
    assert (f["expected"], f["actual"]) == (2, 3) and "denied_internal" in f["message"]
    jsonschema.validate(rec, SCHEMA)


def test_outcome_total_names_the_column():
    rec = copy.deepcopy(expected(2))
    rec["applications"]["total"]["natural_person"] += 1
    rec["applications"]["total"]["total"] += 1
    rec["applications"]["carried_forward"]["natural_person"] -= 1  # keep balance; break only the outcome sum
    rec["applications"]["carried_forward"]["total"] -= 1
    rec = validate(rec)
    errors = rules(rec, "error")
    assert ("outcome_total", "applications", "total", "natural_person") in errors
    assert ("outcome_total", "applications", "total", "total") in errors
    assert not [e for e in errors if e[0] in ("balance", "row_total")]
    assert rec["status"] == "inconsistent"


def test_balance_names_the_column():
    rec = copy.deepcopy(expected(4))
    rec["applications"]["carried_over"]["enterprise"] = 2
    rec["applications"]["carried_over"]["total"] = 2
    rec = validate(rec)
    balance = [e for e in rules(rec, "error") if e[0] == "balance"]
    assert balance == [("balance", "applications", "total", "enterprise"), ("balance", "applications", "total", "total")]


def test_group_total_names_the_group():
    rec = copy.deepcopy(expected(1))
    rec["review_litigation"]["litigation_direct"]["corrected"] = 1
    rec = validate(rec)
    assert rules(rec, "error") == [("group_total", "review_litigation", "litigation_direct", "total")]
    assert rec["status"] == "inconsistent"


def test_blank_cell_is_missing_warning_not_error():
    rec = copy.deepcopy(expected(0))
    rec["applications"]["granted"]["enterprise"] = None
    rec = validate(rec)
    assert rules(rec) == [("missing", "applications", "granted", "enterprise")]
    assert rec["status"] == "incomplete"


def test_missing_table_and_row_make_incomplete():
    rec = copy.deepcopy(expected(3))
    rec["review_litigation"] = None
    del rec["applications"]["denied_inquiry"]
    rec = validate(rec)
    assert ("missing", "review_litigation", None, None) in rules(rec)
    assert ("missing", "applications", "denied_inquiry", None) in rules(rec)
    assert rec["status"] == "incomplete"


def test_inconsistent_wins_over_incomplete():
    rec = copy.deepcopy(expected(0))
    rec["applications"]["granted"]["enterprise"] = None
    rec["review_litigation"]["review"]["total"] = 5
    assert validate(rec)["status"] == "inconsistent"


def test_validating_twice_changes_nothing_and_keeps_extraction_findings():
    text = render(expected(0), "\t").replace("规章\t0\t0\t0", "规章\t0\t-\t0").replace("2.重复申请\t2\t0", "2.重复申请\t3\t0")
    once = validate(extract(text))
    twice = validate(copy.deepcopy(once))
    assert once == twice
    assert any(f["rule"] == "placeholder" for f in twice["findings"])
    # the tab rows are placed by column order: the changed cell adds up neither in its row
    # nor in its column, so it is left blank with the reason, not kept as a guess
    assert ("position_unconfirmed", "applications", "rejected_repeat", "natural_person") in rules(twice, "warning")


def test_mutated_seed_text_fires_the_rule_at_the_changed_cell():
    """End to end: one number of seed 000's text changed (予以公开, 自然人: 11 → 12).
    The seed's values are placed by column order, so the changed cell, which adds up in
    neither its row nor its column, is left blank with a finding that keeps what was
    printed; the cells the arithmetic confirms stay."""
    text = seed_path(0).read_text(encoding="utf-8").replace("(一)予以公开\n\n11\n", "(一)予以公开\n\n12\n")
    rec = validate(extract(text))
    assert rec["applications"]["granted"]["natural_person"] is None
    assert rec["applications"]["granted"]["total"] == 11
    doubt = next(f for f in rec["findings"] if f["rule"] == "position_unconfirmed")
    assert (doubt["row"], doubt["column"], doubt["actual"]) == ("granted", "natural_person", 12)
    assert rec["status"] == "incomplete"


def test_mutated_cell_placed_by_headers_fires_the_rule():
    """The same change in a page whose columns are placed by their headers: kept, and the
    report is inconsistent."""
    page = (FIXTURES / "seed_000.html").read_text(encoding="utf-8")
    at = page.index("予以公开", page.index("申请人情况"))    # the granted row of table 三
    cell = page.index(">11<", at)                               # its first number
    rec = validate(extract(page[:cell] + ">12<" + page[cell + 4:], filename="p.html"))
    assert rec["applications"]["granted"]["natural_person"] == 12
    errors = rules(rec, "error")
    assert ("row_total", "applications", "granted", "total") in errors
    assert ("outcome_total", "applications", "total", "natural_person") in errors
    assert rec["status"] == "inconsistent"


def test_unparsed_stays_unparsed():
    rec = validate(empty_record())
    assert rec["status"] == "unparsed" and rec["findings"] == []


def test_carry_over_chain_and_in_force_chain():
    prev = copy.deepcopy(expected(0))
    prev["year"] = 2022
    prev["applications"]["carried_forward"]["natural_person"] = 2
    prev["applications"]["carried_forward"]["total"] = 2
    prev["active_disclosure"]["normative_documents"]["in_force"] = 1   # 1 + 0 issued − 0 repealed ≠ 3
    rec = validate(copy.deepcopy(expected(0)), prev)
    warnings = rules(rec, "warning")
    assert ("carry_over_chain", "applications", "carried_over", "natural_person") in warnings
    assert ("carry_over_chain", "applications", "carried_over", "total") in warnings
    assert ("in_force_chain", "active_disclosure", "normative_documents", "in_force") in warnings
    assert rec["status"] == "valid"  # soft rules warn, they do not change the status
    chain = next(f for f in rec["findings"] if f["rule"] == "in_force_chain")
    assert (chain["expected"], chain["actual"]) == (1, 3)
    # the same previous record from another year is not chained
    prev["year"] = 2020
    assert validate(copy.deepcopy(expected(0)), prev)["findings"] == []


def test_chains_hold_when_years_agree():
    prev = copy.deepcopy(expected(0))
    prev["year"] = 2022
    assert validate(copy.deepcopy(expected(0)), prev)["findings"] == []
