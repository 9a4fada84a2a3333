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

from pipelines.extract.blocks import line_span

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


# ---- perturbation: one number of a table's text edited, and what reading it may give ----
# (benchmarks/perturb.py runs every text; tests/test_positions.py's hypothesis test a few)

# a table's area in a text: from the line holding its start marker to the line holding its
# end marker (table 二: 40 lines past it, where pdfminer prints some of table 二's columns;
# table 四: on to 六's heading, as pdfminer prints the lawsuit boxes of a Writer export after 五's)
AREAS = {"二": ("主动公开政府信息情况", "勾稽关系", 40),
         "三": ("收到和处理政府信息公开申请情况", "行政复议", 0),
         "四": ("行政复议", "其他需要报告的事项", 0)}
# a number printed as a word of its own: between spaces or a Markdown table's bars
SPOT = re.compile(r"(?:(?<=[\s|])|^)\d+(?:\.\d+)?(?=[\s|]|$)")
EDITS = ("blank", "stray", "change", "swap")


@dataclass(frozen=True)
class Spot:
    line: int       # 0-based
    start: int
    end: int
    text: str


def number_spots(lines: list[str], table: str) -> list[Spot]:
    """Every number printed as a word of its own in the table's area, in reading order."""
    first, last, past = AREAS[table]
    start = next((i for i, t in enumerate(lines) if first in t), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if last in lines[i]), None)
    if end is None:
        return []
    return [Spot(i, m.start(), m.end(), m.group()) for i in range(start, min(len(lines), end + past + 1))
            for m in SPOT.finditer(lines[i])]


def _number(text: str):
    return float(text) if "." in text else int(text)


def changed(text: str) -> str:
    """Another value for a printed number (11 more: no sum still holds)."""
    return f"{_number(text) + 11:.{len(text.split('.')[1])}f}" if "." in text else str(int(text) + 11)


def _put(line: str, spot: Spot, text: str) -> str:
    """``line`` with the spot's number replaced by ``text``, the columns after it kept where
    they were when the spaces after it allow (a text laid out by columns)."""
    rest = line[spot.end:]
    grow = len(text) - len(spot.text)
    if grow > 0:
        pad = len(rest) - len(rest.lstrip(" "))
        rest = rest[min(grow, max(pad - 2, 0)):]   # keep two spaces between columns
    elif grow < 0:
        rest = " " * -grow + rest
    return line[:spot.start] + text + rest


@dataclass
class Edit:
    """A text after one edit: ``lines``; ``printed``: {1-based line: numbers now printed on it
    that the report may not have}; ``was``: {0-based line of the text before: the number
    it printed there that is no longer printed}."""
    lines: list[str]
    printed: dict[int, list] = field(default_factory=dict)
    was: dict[int, str] = field(default_factory=dict)


def edited(lines: list[str], spots: list[Spot], i: int, how: str) -> Edit | None:
    """The text with its ``i``-th number spot edited (None when the edit does not apply):
    ``blank`` the number taken out (a cell printed blank; a line left empty goes), ``stray``
    a number 7 added beside it (a line of its own after a line that was just the number),
    ``change`` the number changed to another value, ``swap`` it and the next one on the same
    line (or the next line that is one number) swapped."""
    s, line = spots[i], lines[spots[i].line]
    alone = line.strip() == s.text
    out = list(lines)
    if how == "blank":
        if alone:
            return Edit(lines[:s.line] + lines[s.line + 1:], {}, {s.line: s.text})
        out[s.line] = line[:s.start] + " " * len(s.text) + line[s.end:]
        return Edit(out, {}, {s.line: s.text})
    if how == "stray":
        if alone:
            return Edit(lines[:s.line + 1] + ["7"] + lines[s.line + 1:], {s.line + 2: [7]}, {})
        if line.lstrip().startswith("|"):    # a Markdown cell of its own
            out[s.line] = line[:s.end] + " | 7" + line[s.end:]
        else:
            out[s.line] = _put(line, s, s.text + "  7")
        return Edit(out, {s.line + 1: [7]}, {})
    if how == "change":
        new = changed(s.text)
        out[s.line] = _put(line, s, new)
        return Edit(out, {s.line + 1: [_number(new)]}, {s.line: s.text})
    if how == "swap":
        if i + 1 >= len(spots):
            return None
        t = spots[i + 1]
        if s.text == t.text or not (t.line == s.line or (alone and lines[t.line].strip() == t.text)):
            return None
        if t.line == s.line:
            out[s.line] = line[:s.start] + t.text + line[s.end:t.start] + s.text + line[t.end:]
            return Edit(out, {s.line + 1: [_number(t.text), _number(s.text)]}, {s.line: s.text})
        out[s.line], out[t.line] = lines[t.line], lines[s.line]
        return Edit(out, {s.line + 1: [_number(t.text)], t.line + 1: [_number(s.text)]},
                    {s.line: s.text, t.line: t.text})
    raise ValueError(how)


def _single_line(locator: str) -> int | None:
    m = re.fullmatch(r"lines (\d+)-(\d+)", locator or "")
    return int(m.group(1)) if m and m.group(1) == m.group(2) else None


# the note of a number read from one of several printed numbers (runs.one_of)
ONE_OF = re.compile(r"one of (\d+) printed (\S+) \(lines ([\d, -]+)\)")


def read_lines(entry: dict) -> list[int]:
    """The text lines a provenance entry says its number was read from: its locator's range,
    or, where it is one of several printed numbers (its note names them), those lines only."""
    one_of = ONE_OF.search(entry.get("note") or "")
    if one_of:
        out = []
        for named in one_of.group(3).split(", "):
            a, _, b = named.partition("-")
            out += range(int(a), int(b or a) + 1)
        return out
    m = re.fullmatch(r"lines (\d+)-(\d+)", entry.get("locator") or "")
    return list(range(int(m.group(1)), int(m.group(2)) + 1)) if m else []


def wrong_cells(got: dict, known: dict, edit: Edit, before: dict | None = None) -> list[str]:
    """Cells of ``got`` (read from ``edit.lines``) that are wrong: a number that is neither
    the report's (``known``: cells()) nor one the edit printed, read from the line it is
    printed on (or from lines spanning it: a row whose numbers wrapped); and, given the reading of the text ``before`` the edit, a cell read there
    from a line whose number the edit took out or changed that still holds that number
    (a number the text no longer prints there: filled in or "repaired", e.g. by the sums).
    An extraction that failed (a bug caught as an ``extraction_error`` finding) is wrong too:
    it reads no cells, so without this an edit that crashes the reader would pass.
    """
    out = [f"extraction_error: {f['message']}" for f in got.get("findings", ())
           if f.get("rule") == "extraction_error"]
    for where, value in cells(got).items():
        if value is None:
            continue
        entry = got["provenance"].get(where) or {}
        locator = entry.get("locator", "")
        if any(value in edit.printed.get(n, ()) for n in read_lines(entry)):
            continue    # a number the edit printed, read from its own line (or a row's lines, or one of its candidates)
        if value != known.get(where):
            out.append(f"{where}: {value!r} (report {known.get(where)!r}, {locator})")
    if before is not None:
        had = cells(before)
        for line, text in edit.was.items():
            from_line = [w for w, p in before["provenance"].items()
                         if _single_line(p.get("locator")) == line + 1 and had.get(w) == _number(text)]
            if len(from_line) != 1:
                continue    # several cells of the line print this number: which one is unknown
            where = from_line[0]
            value = cells(got).get(where)
            if value == _number(text) and value not in edit.printed.get(line + 1, ()):
                out.append(f"{where}: {value!r} kept though its line {line + 1} no longer prints it")
    return out


def edits_with_wrong_cells(lines: list[str], name: str, known: dict, indices, how: str,
                          area: str = "三") -> tuple[int, list]:
    """Edit each number ``indices`` picks (number_spots of the table ``area``) by ``how`` and
    read the text again: how many edits were made, and the wrong cells each one gave."""
    from pipelines.extract import extract
    before = extract("\n".join(lines), filename=name)
    spots = number_spots(lines, area)
    made, wrong = 0, []
    for i in indices(spots):
        edit = edited(lines, spots, i, how)
        if edit is None:
            continue
        got = extract("\n".join(edit.lines), filename=name)
        wrong += [(how, spots[i], w) for w in wrong_cells(got, known, edit, before)]
        made += 1
    return made, wrong


def group_blank(record: dict, group: str) -> bool:
    """Table 四's ``group`` read as nothing (absent or all null)."""
    return all(v is None for v in ((record["review_litigation"] or {}).get(group) or {None: None}).values())


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


def assert_pieces_read(record: dict, known: dict, lines: list[str]) -> None:
    """Table 三 read from column pieces: nothing wrong, and the columns holding numbers other
    than 0 (自然人, 商业企业, 总计), which have one placement that adds up, read whole, each
    by position from the line its provenance names."""
    assert compare(record, known).wrong == []
    apps = record["applications"]
    for row in apps:
        for col in ("natural_person", "enterprise", "total"):
            assert apps[row][col] == known["applications"][row][col], (row, col)
            where = record["provenance"][f"applications.{row}.{col}"]
            assert where["method"] == "position_checked"
            first, _last = line_span(where["locator"])
            assert lines[first - 1].strip() == str(apps[row][col])

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
