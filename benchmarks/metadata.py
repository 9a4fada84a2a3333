"""Agency, title and year as the reading finds them in a report's own file (prints figures;
not a test).

Over the held-out renderings (benchmarks/heldout.py's cache: each report rendered every
way, its true record beside them as ``<name>.record.json``), ``pipelines.extract.extract``
reads each file and its agency, title and year are compared with the record's: per input
kind, found right / found wrong / missing. A wrong agency is worse than a missing one.
The cache is only read (make it with benchmarks/heldout.py first).

    .venv/bin/python benchmarks/metadata.py [--cache DIR] [--kinds html,md] [-v]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.extract import extract  # noqa: E402
from pipelines.extract.normalise import t2s  # noqa: E402

FIELDS = ("agency", "title", "year")


def renderings(cache: Path) -> list[tuple[str, str, Path, dict]]:
    """(report name, kind, file, true record) for every rendering beside a record."""
    out = []
    for rec in sorted(cache.glob("*.record.json")):
        name = rec.name[: -len(".record.json")]
        truth = json.loads(rec.read_text(encoding="utf-8"))
        for path in sorted(cache.glob(f"{name}.*")):
            if path != rec:
                kind = path.name[len(name) + 1:].rsplit(".", 1)[0]  # chromium_a4.layout, html, pdf …
                out.append((name, kind, path, truth))
    return out


def verdict(field: str, got, want) -> str:
    if got is None or got == "":
        return "missing"
    if field == "title" and isinstance(got, str) and isinstance(want, str):
        return "right" if t2s(got) == t2s(want) else "wrong"
    return "right" if got == want else "wrong"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "output" / "heldout",
                        help="the held-out renderings (benchmarks/heldout.py --out)")
    parser.add_argument("--kinds", help="only these kinds, comma-separated (html,pdf.raw …)")
    parser.add_argument("-v", action="store_true", help="every wrong and missing value")
    args = parser.parse_args()
    wanted = set(args.kinds.split(",")) if args.kinds else None

    found = renderings(args.cache)
    if not found:
        sys.exit(f"metadata: error: no held-out renderings in {args.cache} "
                 "(make them with benchmarks/heldout.py --out DIR, then --cache DIR)")
    tally: dict[str, dict[str, Counter]] = defaultdict(lambda: {f: Counter() for f in FIELDS})
    shown = []
    for name, kind, path, truth in found:
        if wanted and kind not in wanted:
            continue
        got = extract(path.read_bytes(), filename=path.name)
        for field in FIELDS:
            v = verdict(field, got.get(field), truth.get(field))
            tally[kind][field][v] += 1
            if args.v and v != "right":
                shown.append(f"{v:7} {field:6} {path.name}: {got.get(field)!r} (true {truth.get(field)!r})")
    for line in shown:
        print(line)
    print(f"{'kind':22} " + " ".join(f"{f + ' right/wrong/missing':>28}" for f in FIELDS))
    total = {f: Counter() for f in FIELDS}
    for kind in sorted(tally):
        cells = []
        for f in FIELDS:
            c = tally[kind][f]
            total[f].update(c)
            cells.append(f"{c['right']:>12}/{c['wrong']}/{c['missing']}".rjust(28))
        print(f"{kind:22} " + " ".join(cells))
    print(f"{'all':22} " + " ".join(f"{total[f]['right']:>12}/{total[f]['wrong']}/{total[f]['missing']}".rjust(28)
                                    for f in FIELDS))


if __name__ == "__main__":
    main()
