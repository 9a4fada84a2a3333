"""Table 二 by perturbation: a blank cell or a stray number must never make a wrong number
(prints figures; not a test).

For each held-out report's flattened texts (plain pdftotext and pdfminer, the renderings
benchmarks/heldout.py cached), each line of its table 二 area holding one number is in turn
taken out (the cell printed blank) or followed by a stray ``7``; the text is extracted and
every table 二 cell read is compared with the report's record. A cell is wrong when it holds
a number other than the report's, except the stray number itself read from its own line
(as tests/test_positions.py's hypothesis test decides it). ``wrong`` must be 0.

    .venv/bin/python benchmarks/perturb.py [--n 20] [--out /work/heldout-cache] [-v]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import cells, edited, wrong_table_2_cells  # noqa: E402
from pipelines.extract import extract  # noqa: E402

TOOLS = (".raw.txt", ".pdfminer.txt")


def table_2_number_lines(lines: list[str]) -> list[int]:
    """The lines of table 二's area (its heading to table 三's header) holding one number."""
    start = next((i for i, t in enumerate(lines) if "主动公开政府信息情况" in t), None)
    end = next((i for i, t in enumerate(lines) if "勾稽关系" in t and start is not None and i > start), None)
    if start is None or end is None:
        return []
    return [i for i in range(start, min(len(lines), end + 40)) if re.fullmatch(r"\s*\d+(\.\d+)?\s*", lines[i])]


def wrong_cells(lines: list[str], at: int, how: str, name: str, known: dict) -> list[str]:
    """Table 二 cells read as a number other than the report's after one edit."""
    got = extract("\n".join(edited(lines, at, how)), filename=name)
    return wrong_table_2_cells(got, known, at, how)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20, help="held-out reports h000… to use")
    ap.add_argument("--out", default="/work/heldout-cache", help="the held-out renderings' cache (read only)")
    ap.add_argument("--only", default="", help="only texts whose name contains this")
    ap.add_argument("-v", action="store_true", help="print each wrong cell")
    args = ap.parse_args()
    cache = Path(args.out)
    texts = sorted(p for p in cache.glob("h*.txt") if p.name.endswith(TOOLS) and int(p.name[1:4]) < args.n
                   and args.only in p.name)
    tally, wrong_by_kind, edits = Counter(), Counter(), 0
    for path in texts:
        stem = path.name.split(".")[0]
        known = cells(json.loads((cache / f"{stem}.record.json").read_text(encoding="utf-8")))
        lines = path.read_text(encoding="utf-8").split("\n")
        at_lines = table_2_number_lines(lines)
        if not at_lines:
            continue
        tally["texts"] += 1
        for at in at_lines:
            for how in ("blank", "stray"):
                edits += 1
                wrong = wrong_cells(lines, at, how, path.name, known)
                if wrong:
                    kind = ".".join(path.name.split(".")[1:-1])
                    wrong_by_kind[kind] += len(wrong)
                    tally["wrong"] += len(wrong)
                    if args.v:
                        for w in wrong:
                            print(f"{path.name} {how} line {at + 1}: {w}")
    print(f"{tally['texts']} texts, {edits} edited texts; table 二 cells wrong: {tally['wrong']}")
    for kind, n in sorted(wrong_by_kind.items()):
        print(f"  {kind:30} {n}")
    return 1 if tally["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
