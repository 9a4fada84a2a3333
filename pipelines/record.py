"""The canonical record and its findings, typed (shared/schema/annual-report.md).

``Record`` and ``Finding`` are TypedDicts: the record stays the plain JSON object of the
contract (it is stored, exported and compared as JSON), and the types say which keys
it has. ``finding(rule, message, …)`` is the one way to make a finding: its severity
comes from ``SEVERITY``, one per rule, so a rule is the same severity from every reader
and path.

Severity: an ``error`` is something a person must look at, because numbers of the report
are wrong or were not read (the diff report and the site list errors only); a
``warning`` says how a number was read or why a cell is blank, where the record still
says everything it could read.
"""
from __future__ import annotations

from typing import Literal, Optional, TypedDict

SCHEMA_VERSION = 1

Severity = Literal["error", "warning"]

SEVERITY: dict[str, Severity] = {
    # the template's own arithmetic fails (the contract's hard rules: status inconsistent)
    "row_total": "error",
    "outcome_total": "error",
    "balance": "error",
    "group_total": "error",
    # the report's numbers were not read, or not all of them
    "no_tables": "error",              # no table of the template found in what was read
    "unreadable_file": "error",        # a reader failed on the file (broken, refused, over a cap)
    "unsupported_format": "error",     # no reader for the file (unknown binary, no converter)
    "needs_ocr": "error",              # pages are images and could not be OCR'd
    "extraction_error": "error",       # reading failed: out of time, memory, a crash, a bug
    "attachment_unavailable": "error",  # the document with the tables could not be fetched
    "too_large": "error",              # a table over the grid cap was left out
    "value_not_storable": "error",     # a number the database cannot hold, kept blank
    # how a number was read, or why a cell is blank
    "missing": "warning",              # a blank cell, row or table (the contract: not an error)
    "carry_over_chain": "warning",     # cross-year rules (the contract's soft rules)
    "in_force_chain": "warning",
    "placeholder": "warning",          # "-", "/", "无" … in a numeric cell: blank
    "unreadable_cell": "warning",      # text in a numeric cell that is no number: blank
    "unmapped_row": "warning",         # a row whose values could not be placed: blank
    "position_unconfirmed": "warning",  # placed by column order, not confirmed: blank
    "position_conflict": "warning",    # label and position disagree: the label's kept
    "ocr_unconfirmed": "warning",      # an unsure OCR read the sums do not confirm: blank
    "ocr_read": "warning",             # pages read by OCR (each number says its confidence)
    "ocr_corrected": "warning",        # an OCR'd number taken from the engine's other readings: the
                                       # only one the sums admit (its provenance says what was read)
    "documents_not_read": "warning",   # linked documents past the per-report cap
    "truncated": "warning",            # only the first pages of a long file were read (no tables: no_tables)
    "free_form": "warning",            # a report under the 2007 条例: no template tables to read
}


class Finding(TypedDict):
    rule: str
    severity: Severity
    table: Optional[str]
    row: Optional[str]
    column: Optional[str]
    expected: Optional[float]
    actual: Optional[float]
    message: str


class Record(TypedDict, total=False):
    schema_version: int
    template: str                        # "2021", "2019", "pre2019", "unknown"
    year: Optional[int]
    agency: Optional[str]
    title: Optional[str]
    active_disclosure: Optional[dict]    # table 二
    applications: Optional[dict]         # table 三
    review_litigation: Optional[dict]    # table 四
    findings: list[Finding]
    status: str                          # "valid", "inconsistent", "incomplete", "unparsed"
    provenance: dict                     # "<table>.<row>.<column>" → where it was read


def finding(rule: str, message: str, *, table: str | None = None, row: str | None = None,
            column: str | None = None, expected=None, actual=None) -> Finding:
    """A finding of ``rule`` at its one severity (``SEVERITY``; an unknown rule is a bug)."""
    return {"rule": rule, "severity": SEVERITY[rule], "table": table, "row": row, "column": column,
            "expected": expected, "actual": actual, "message": message}


def empty_record() -> Record:
    return {
        "schema_version": SCHEMA_VERSION,
        "template": "unknown",
        "year": None,
        "agency": None,
        "title": None,
        "active_disclosure": None,
        "applications": None,
        "review_litigation": None,
        "findings": [],
        "status": "unparsed",
    }
