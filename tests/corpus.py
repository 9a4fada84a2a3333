"""The rendering corpus (tests/fixtures/renderings/, made by scripts/make_fixtures.py
--renderings) and a cell-by-cell comparison with the known records.

Each input is a report whose record is known: the seeds' records
(replicas/data/records/) and the shared samples' (tests/fixtures/records/).
A cell is one number position of the three tables; a rendering's cells are compared
with the known record's: ``exact`` (same number, or both blank), ``missing`` (known
number read as null) and ``wrong`` (a number other than the known one, or a number
where the report has none) — the one outcome that must never happen.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RENDERINGS = FIXTURES / "renderings"
RECORDS = ROOT / "replicas" / "data" / "records"
SAMPLE_RECORDS = FIXTURES / "records"
SAMPLES = ROOT.parent / "shared" / "samples"
TABLES = ("active_disclosure", "applications", "review_litigation")


def known_record(stem: str) -> dict:
    """The record a rendering's source says: seed_00N → the seed's, else its own in
    tests/fixtures/records/ (the shared samples', the office-typed reports')."""
    m = re.search(r"seed_(\d{3})", stem)
    path = RECORDS / f"seed_{m.group(1)}.json" if m else SAMPLE_RECORDS / f"{stem.split('.')[0]}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def kind_of(path: Path) -> str:
    """The input kind a rendering stands for, as the issue counts them."""
    name = path.name
    if name.endswith(".md"):
        return "OCR Markdown (re-cut tables)"
    if name.endswith(".txt"):
        tool = name.rsplit(".", 2)[-2]
        return {"layout": "pdftotext -layout", "raw": "pdftotext", "pdfminer": "pdfminer text"}[tool]
    if name.startswith("chromium_"):
        return "PDF printed by Chromium"
    if name.startswith("libreoffice_"):
        return "PDF exported by LibreOffice"
    if name.endswith(".pdf"):
        return "text PDF"
    return "HTML"


def inputs() -> list[Path]:
    """Every input with a known record: the seed PDFs and HTML, the renderings, the samples."""
    out = sorted(FIXTURES.glob("seed_00?.html")) + sorted(FIXTURES.glob("seed_00?.pdf"))
    out += sorted(p for p in SAMPLES.glob("*.pdf") if (SAMPLE_RECORDS / f"{p.stem}.json").exists())
    out += sorted(p for p in RENDERINGS.iterdir() if p.suffix in (".pdf", ".txt", ".md"))
    return out


def cells(record: dict) -> dict[str, object]:
    """{"table.row.column": value} of every number position of the three tables."""
    out = {}
    for table in TABLES:
        for row, cols in (record.get(table) or {}).items():
            if row == "extra" or not isinstance(cols, dict):
                continue
            for col, value in cols.items():
                out[f"{table}.{row}.{col}"] = value
    return out


def edited(lines: list[str], at: int, how: str) -> list[str]:
    """Text lines with line ``at`` (0-based) taken out (``how="blank"``: a cell printed
    blank) or followed by a stray ``7`` (``how="stray"``)."""
    return lines[:at] + lines[at + 1:] if how == "blank" else lines[:at + 1] + ["7"] + lines[at + 1:]


def wrong_table_2_cells(got: dict, known: dict, at: int, how: str) -> list[str]:
    """Table 二 cells of ``got`` (read from ``edited(…, at, how)``) holding a number other
    than the report's (``known``: cells()), the stray number read from its own line aside."""
    out = []
    for where, value in cells(got).items():
        if not where.startswith("active_disclosure.") or value is None:
            continue
        locator = (got["provenance"].get(where) or {}).get("locator", "")
        if how == "stray" and locator == f"lines {at + 2}-{at + 2}":
            continue    # the stray number itself, read from its own line
        if value != known.get(where):
            out.append(f"{where}: {value!r} (report {known.get(where)!r}, {locator})")
    return out


@dataclass
class Score:
    exact: int = 0
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.exact + len(self.missing) + len(self.wrong)


def compare(got: dict, known: dict) -> Score:
    score = Score()
    got_cells, known_cells = cells(got), cells(known)
    for path, want in known_cells.items():
        have = got_cells.get(path)
        if have == want and (have is None) == (want is None):
            score.exact += 1
        elif have is None:
            score.missing.append(path)
        else:
            score.wrong.append(f"{path}: {have!r}, the report says {want!r}")
    for path, have in got_cells.items():   # numbers in cells the report does not have
        if path not in known_cells and have is not None:
            score.wrong.append(f"{path}: {have!r}, not a cell of the report")
    return score


class Tally:
    """Cells exact, total and wrong per input kind, as the benchmarks print them
    (benchmarks/cells.py, benchmarks/heldout.py). ``verbose``: each input that lost or
    got wrong a cell, its missing cells told by ``describe_missing``."""

    def __init__(self, verbose: bool = False, describe_missing=None):
        self.per_kind = defaultdict(lambda: [0, 0, 0, 0])   # exact, total, wrong, inputs
        self.verbose = verbose
        self.describe_missing = describe_missing or (
            lambda m: ", ".join(m[:8]) + (" …" if len(m) > 8 else ""))

    def add(self, kind: str, name: str, got: dict, known: dict) -> None:
        score = compare(got, known)
        k = self.per_kind[kind]
        k[0] += score.exact
        k[1] += score.total
        k[2] += len(score.wrong)
        k[3] += 1
        if self.verbose and (score.missing or score.wrong):
            print(f"{name}: {score.exact}/{score.total} exact, status {got['status']}")
            for w in score.wrong:
                print(f"   WRONG {w}")
            if score.missing:
                print(f"   missing {len(score.missing)}: {self.describe_missing(score.missing)}")

    def print(self, kinds=None, width: int = 30) -> None:
        """The table; ``kinds`` in this order (else sorted), each printed even when empty."""
        all_exact = all_total = all_wrong = 0
        print(f"{'input kind':<{width}} {'inputs':>6} {'cells exact':>16} {'share':>7} {'wrong':>6}")
        for kind in kinds if kinds is not None else sorted(self.per_kind):
            exact, total, wrong, n = self.per_kind[kind]
            print(f"{kind:<{width}} {n:>6} {exact:>7} of {total:<6} {100 * exact / max(total, 1):6.1f}% {wrong:>6}")
            all_exact, all_total, all_wrong = all_exact + exact, all_total + total, all_wrong + wrong
        print(f"{'all':<{width}} {'':>6} {all_exact:>7} of {all_total:<6} "
              f"{100 * all_exact / max(all_total, 1):6.1f}% {all_wrong:>6}")
