"""Cells exact per input kind over the rendering corpus (prints figures; not a test).

Every input with a known record (seed HTML and PDFs, the shared samples, and their
renderings in tests/fixtures/renderings/: Chromium prints, pdftotext -layout, pdftotext,
pdfminer text, OCR-style Markdown) is extracted, validated and compared cell by cell
with the record it came from. ``wrong`` must be 0.

    .venv/bin/python benchmarks/cells.py [-v]
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import compare, inputs, kind_of, known_record  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from pipelines.validate import validate  # noqa: E402


def main():
    verbose = "-v" in sys.argv
    per_kind = defaultdict(lambda: [0, 0, 0, 0])   # exact, total, wrong, inputs
    for path in inputs():
        record = validate(extract(path.read_bytes(), filename=path.name))
        score = compare(record, known_record(path.stem))
        k = per_kind[kind_of(path)]
        k[0] += score.exact
        k[1] += score.total
        k[2] += len(score.wrong)
        k[3] += 1
        if verbose and (score.missing or score.wrong):
            print(f"{path.name}: {score.exact}/{score.total} exact, status {record['status']}")
            for w in score.wrong:
                print(f"   WRONG {w}")
            if score.missing:
                print(f"   missing {len(score.missing)}: {', '.join(score.missing[:8])}"
                      + (" …" if len(score.missing) > 8 else ""))
    all_exact = all_total = all_wrong = 0
    print(f"{'input kind':<30} {'inputs':>6} {'cells exact':>16} {'share':>7} {'wrong':>6}")
    for kind, (exact, total, wrong, n) in sorted(per_kind.items()):
        print(f"{kind:<30} {n:>6} {exact:>7} of {total:<6} {100 * exact / max(total, 1):6.1f}% {wrong:>6}")
        all_exact, all_total, all_wrong = all_exact + exact, all_total + total, all_wrong + wrong
    print(f"{'all':<30} {'':>6} {all_exact:>7} of {all_total:<6} {100 * all_exact / max(all_total, 1):6.1f}% {all_wrong:>6}")


if __name__ == "__main__":
    main()
