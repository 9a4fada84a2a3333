"""Cells exact on Word files as an office saves them (prints figures; not a test).

benchmarks/heldout.py reads the DOCX that reportgen writes, and the office-typed DOCX
only after LibreOffice has printed it to PDF. This one reads the office-typed report
(scripts/make_fixtures.py ``office_docx``: official margins, 仿宋/宋体, repeated header
rows, vertical labels; also with labels spread across their cells, 分散对齐) as the file
itself, and saved again by LibreOffice as Word 97 ``.doc`` (the binary format most
older portals still attach; gxnb converts it back with LibreOffice) and as Word 2007
``.docx`` (an office suite's own DOCX writer, not python-docx's). Held-out reports as
heldout.py makes them (the same names and records). ``wrong`` must be 0.

    .venv/bin/python benchmarks/word.py [--n 40] [-v] [--out output/word]

Needs soffice (apt-get install libreoffice-writer); a conversion is a Writer start (~2 s).
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import make_fixtures  # noqa: E402
from corpus import Tally  # noqa: E402
from heldout import measure, reports  # noqa: E402

# LibreOffice's filter for each saved kind
SAVED = {"doc": "doc:MS Word 97", "lo.docx": "docx:MS Word 2007 XML"}
KINDS = {
    "office.docx": "office-typed DOCX", "office.doc": "office-typed, saved as Word 97 .doc",
    "office.lo.docx": "office-typed, saved again as DOCX by LibreOffice",
    "spread.docx": "office-typed DOCX, labels 分散对齐", "spread.doc": "labels 分散对齐, saved as Word 97 .doc",
}


def render(name: str, record: dict, out: Path) -> dict[str, Path]:
    files = {kind: out / f"{name}.{kind}" for kind in KINDS}
    for spread, stem in ((False, "office"), (True, "spread")):
        source = files[f"{stem}.docx"]
        if not source.exists():
            source.write_bytes(make_fixtures.office_docx(record, distributed=spread))
        for saved, filter_ in SAVED.items():
            target = files.get(f"{stem}.{saved}")
            if target is not None and not target.exists():
                make_fixtures.libreoffice_save(source, target, filter_)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=40, help="how many held-out reports (default 40)")
    ap.add_argument("--out", type=Path, default=ROOT / "output" / "word", help="the cache of saved files")
    ap.add_argument("-v", action="store_true", help="every wrong and missing cell")
    args = ap.parse_args()
    if not shutil.which("soffice"):
        sys.exit("word: error: needs soffice (apt-get install libreoffice-writer)")
    args.out.mkdir(parents=True, exist_ok=True)
    tally = Tally(verbose=args.v)
    failed = []
    for name, record in reports(args.n):
        for kind, path in render(name, record, args.out).items():
            measure(tally, failed, KINDS[kind], path, record)
    for line in failed:
        print(f"FAILED {line}")
    tally.print(KINDS.values(), width=50)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
