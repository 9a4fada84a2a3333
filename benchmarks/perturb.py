"""Tables by perturbation: a blank cell, a stray, changed or swapped number must never make
a wrong number (prints figures; not a test).

For each held-out report's flattened texts (plain pdftotext, pdfminer, ``pdftotext -layout``
of the PDFs benchmarks/heldout.py cached, and the OCR-style re-cut Markdown), numbers of a
table's area (tests/corpus.py ``number_spots``) are in turn taken out (a blank cell), given
a stray ``7`` beside them, changed to another value, or swapped with the next one
(tests/corpus.py ``edited``); the text is extracted and every cell of the three tables read
is judged by tests/corpus.py ``wrong_cells``, as tests/test_positions.py's hypothesis test
judges it (an edit that makes the extraction fail counts as wrong): a number that is neither the report's nor the one the edit printed on the line
it was read from is wrong, and so is a cell that still holds the number its line no longer
prints (filled in, or "repaired" by the sums). ``wrong`` must be 0.

    .venv/bin/python benchmarks/perturb.py [--start 0] [--n 40] [--tables 三四] [--per 6] [--only lo_office] [-v]

``--per K`` edits K numbers (drawn, the same each run) per text, table and kind of edit;
``--per 0`` edits every number (hours on 40 reports).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import EDITS, cells, edited, number_spots, wrong_cells  # noqa: E402
from pipelines.extract import extract  # noqa: E402

TOOLS = (".raw.txt", ".pdfminer.txt", ".layout.txt", ".md")


def kind_of(name: str) -> str:
    return "md (OCR re-cut)" if name.endswith(".md") else {
        "raw": "pdftotext", "pdfminer": "pdfminer", "layout": "pdftotext -layout"}[name.split(".")[-2]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20, help="held-out reports h000… to use")
    ap.add_argument("--start", type=int, default=0, help="skip the reports before this one (hK), to sweep a range")
    ap.add_argument("--out", default="/work/heldout-cache", help="the held-out renderings' cache (read only)")
    ap.add_argument("--only", default="", help="only texts whose name contains this (comma-separated: each of these, h018_,pdfminer)")
    ap.add_argument("--tables", default="三四", help="the tables whose numbers are edited (二三四)")
    ap.add_argument("--edits", default=",".join(EDITS), help="kinds of edit, comma-separated")
    ap.add_argument("--per", type=int, default=6, help="numbers edited per text, table and edit (0: all)")
    ap.add_argument("-v", action="store_true", help="print each wrong cell")
    args = ap.parse_args()
    cache = Path(args.out)
    texts = sorted(p for p in cache.glob("h*") if p.name.endswith(TOOLS)
                   and args.start <= int(p.name[1:4]) < args.n
                   and all(part in p.name for part in args.only.split(",")))
    hows = args.edits.split(",")
    tally = Counter()
    per_kind = {}    # kind: [texts, edits, cells read, wrong]
    started = time.monotonic()
    for path in texts:
        stem = path.name.split(".")[0]
        known = cells(json.loads((cache / f"{stem}.record.json").read_text(encoding="utf-8")))
        lines = path.read_text(encoding="utf-8").split("\n")
        before = extract("\n".join(lines), filename=path.name)
        k = per_kind.setdefault(kind_of(path.name), [0, 0, 0, 0])
        k[0] += 1
        text_started, edits_before, wrong_before = time.monotonic(), k[1], k[3]
        for table in args.tables:
            spots = number_spots(lines, table)
            for how in hows:
                chosen = list(range(len(spots)))
                if args.per:
                    chosen = sorted(random.Random(f"{path.name} {table} {how}").sample(chosen, min(args.per, len(chosen))))
                for i in chosen:
                    edit = edited(lines, spots, i, how)
                    if edit is None:
                        continue
                    got = extract("\n".join(edit.lines), filename=path.name)
                    wrong = wrong_cells(got, known, edit, before)
                    k[1] += 1
                    k[2] += sum(v is not None for v in cells(got).values())
                    k[3] += len(wrong)
                    tally[(table, how)] += len(wrong)
                    if args.v:
                        for w in wrong:
                            print(f"{path.name} table {table} {how} line {spots[i].line + 1} "
                                  f"({spots[i].text!r}): {w}")
        if args.v:    # a sweep stopped midway still says which texts it covered
            print(f"# {path.name}: {k[1] - edits_before} edits, {k[3] - wrong_before} wrong, "
                  f"{time.monotonic() - text_started:.0f} s", flush=True)
    print(f"tables {args.tables}, edits {','.join(hows)}, --per {args.per}, {len(texts)} texts, "
          f"{time.monotonic() - started:.0f} s")
    print(f"{'kind':<20} {'texts':>6} {'edits':>7} {'cells read':>11} {'wrong':>6}")
    for kind, (n, edits, read, wrong) in sorted(per_kind.items()):
        print(f"{kind:<20} {n:>6} {edits:>7} {read:>11} {wrong:>6}")
    totals = [sum(v[j] for v in per_kind.values()) for j in range(4)]
    print(f"{'all':<20} {totals[0]:>6} {totals[1]:>7} {totals[2]:>11} {totals[3]:>6}")
    if totals[3]:
        print("wrong by table and edit: " + ", ".join(f"{t} {h} {n}" for (t, h), n in sorted(tally.items()) if n))
    return 1 if totals[3] else 0


if __name__ == "__main__":
    sys.exit(main())
