"""Where one text tool's cells are lost: by table, rendering and the finding that says why
(prints figures; not a test).

benchmarks/cells.py and benchmarks/heldout.py say how many cells a kind of input loses; this
says which and why, to pick the next reading to build. Every text of one tool (``--tool``:
``pdfminer``, ``raw``, ``layout``) among the fixtures' renderings and the held-out cache
(benchmarks/heldout.py ``--out``; read only, the reports with their ``record.json``) is
extracted, validated and compared with its record (tests/corpus.py ``compare``); each lost
cell is counted under its table (二 三 四), its rendering (the fixture's kind, or the held-out
rendering: ``pdf``, ``chromium_a4``, ``lo_office`` …) and the finding that names it (else its
row, else its table), its numbers and lists written N and (…) so that findings of one kind
count together. A wrong cell is printed as such: there must be none.

    .venv/bin/python benchmarks/losses.py [--tool pdfminer] [--cache /work/heldout-cache] [--n 40] [--top 25]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import RENDERINGS, compare, known_record  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from pipelines.validate import validate  # noqa: E402

TABLE_NAMES = {"active_disclosure": "二", "applications": "三", "review_litigation": "四"}


def texts(tool: str, cache: Path, n: int) -> list[tuple[str, Path, dict]]:
    """(rendering, path, record) of every text of ``tool``: the fixtures', then the held-out ones."""
    out = []
    for path in sorted(RENDERINGS.glob(f"*.{tool}.txt")):
        # the fixture's kind: its name less the report (chromium_seed_000 → chromium)
        kind = re.sub(r"_?(seed_\d{3}|\d{3}_.*)$", "", path.name.split(".")[0]) or "reportlab"
        out.append((f"fixture {kind}", path, known_record(path.stem)))
    for record in sorted(cache.glob("h*.record.json"))[:n]:
        name = record.name.split(".")[0]
        for path in sorted(cache.glob(f"{name}.*.{tool}.txt")):
            out.append((path.name.split(".")[1], path, json.loads(record.read_text(encoding="utf-8"))))
    return out


def kind_of_finding(message: str) -> str:
    """A finding's message with what varies between reports (cells, numbers, lists) taken out."""
    message = re.sub(r"^[a-z_.]+(, [a-z_.]+)*: ", "", message)
    message = re.sub(r"（[^）]*）|\([^)]*\)", "(…)", message)
    return re.sub(r"\d+", "N", message)[:110]


def why_lost(findings: list[dict], cell: str) -> str:
    """The finding that names the cell, else one on its row, else one on its whole table."""
    table, row, _column = cell.split(".")
    mine = [f for f in findings if f["table"] == table and not f["message"].endswith("rules on it not checked")]
    for found in ([f for f in mine if cell in f["message"]],
                  [f for f in mine if f.get("row") == row or f"{table}.{row}:" in f["message"]],
                  [f for f in mine if f.get("row") is None and f["rule"] != "missing"]):
        if found:
            return f"{found[0]['rule']}: {kind_of_finding(found[0]['message'])}"
    return "(no finding)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", default="pdfminer", help="the text tool: pdfminer, raw (pdftotext), layout")
    ap.add_argument("--cache", type=Path, default=Path("/work/heldout-cache"), help="the held-out renderings")
    ap.add_argument("--n", type=int, default=40, help="held-out reports h000… to use")
    ap.add_argument("--top", type=int, default=25, help="findings listed per table")
    args = ap.parse_args()

    lost = defaultdict(Counter)     # rendering → {table: cells lost, "cells": cells in all}
    why = defaultdict(Counter)      # table → {(rendering, finding): cells lost}
    for kind, path, known in texts(args.tool, args.cache, args.n):
        record = validate(extract(path.read_bytes(), filename=path.name))
        score = compare(record, known)
        for wrong in score.wrong:
            print(f"WRONG {path.name}: {wrong}")
        lost[kind]["cells"] += score.total
        lost[kind]["texts"] += 1
        for cell in score.missing:
            table = TABLE_NAMES[cell.split(".")[0]]
            lost[kind][table] += 1
            why[table][(kind, why_lost(record["findings"], cell))] += 1

    print(f"{'rendering':<28} {'texts':>5} {'lost':>6} {'of':>7}   {'二':>5} {'三':>6} {'四':>5}")
    for kind, c in sorted(lost.items()):
        print(f"{kind:<28} {c['texts']:>5} {c['二'] + c['三'] + c['四']:>6} {c['cells']:>7}   "
              f"{c['二']:>5} {c['三']:>6} {c['四']:>5}")
    for table in "二三四":
        print(f"\ntable {table}: cells lost, rendering, the finding that says why")
        for (kind, reason), count in why[table].most_common(args.top):
            print(f"{count:>6}  {kind:<24} {reason}")


if __name__ == "__main__":
    main()
