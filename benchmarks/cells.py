"""Cells exact per input kind over the rendering corpus (prints figures; not a test).

Every input with a known record (seed HTML and PDFs, the shared samples, and their
renderings in tests/fixtures/renderings/: Chromium prints, pdftotext -layout, pdftotext,
pdfminer text, OCR-style Markdown) is extracted, validated and compared cell by cell
with the record it came from. ``wrong`` must be 0.

    .venv/bin/python benchmarks/cells.py [-v]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import Tally, inputs, kind_of, known_record  # noqa: E402
from pipelines.extract import extract  # noqa: E402
from pipelines.validate import validate  # noqa: E402


def main():
    tally = Tally(verbose="-v" in sys.argv)
    for path in inputs():
        record = validate(extract(path.read_bytes(), filename=path.name))
        tally.add(kind_of(path), path.name, record, known_record(path.stem))
    tally.print()


if __name__ == "__main__":
    main()
