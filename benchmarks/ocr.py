"""OCR: cells exact, wrong numbers, seconds a page and peak memory, per dpi and engine.

The seed PDF fixtures and ../shared/samples/*.pdf are scanned (scripts/make_scans.py:
skew up to ±1°, grey paper, specks, blur, JPEG) at 150 and 200 dpi into image-only PDFs
and read back. The truth is the record read from the same PDF's text layer. A cell is
*exact* when the OCR'd record has the same number; *wrong* when it has another number
(a null is not wrong: it is a cell the reader declined, with a finding). Each engine × dpi
runs in its own process pinned to one core; seconds are the CPU time per page of that
process and the programs it runs (model loading excluded), memory the peak RSS of either.

Targets: ≥95% of cells exact at 150 dpi, ≥98% at 200 dpi, no wrong number, ≤3 s a page
on one core, peak memory of the reading process < 1 GB.

With ``--messy`` it measures RapidOCR on scans as portals post them instead, one line per
degradation of make_scans.DEGRADATIONS (skew to 3°, 100 dpi, JPEG 30-60, grain, blur, a
fold's shadow, a red seal over table 四 in colour and in grey, phone perspective, all of a
phone photo, a red letterhead above page 1), at 150 dpi unless the degradation says otherwise. Targets: no wrong number
in any; ≥90% of cells exact over all.

    .venv/bin/python benchmarks/ocr.py [--engines rapidocr,tesseract] [--dpis 150,200] [--quick]
    nice .venv/bin/python benchmarks/ocr.py --messy [seal,phone] [--quick]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from common import ROOT, verdict

sys.path.insert(0, str(ROOT / "scripts"))

FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"


def sources(quick: bool) -> list:
    files = sorted(FIXTURES.glob("seed_00[0-4].pdf")) + sorted(SAMPLES.glob("*.pdf"))
    return files[:2] if quick else files


def cells(record: dict) -> dict:
    """{"table.row.column": value} of every number in a record (extra rows included)."""
    from pipelines.diff import flatten_cells

    return {k: v for k, v in flatten_cells(record).items() if v is not None}


def cpu_seconds() -> float:
    """CPU time of this process and of the programs it ran (Tesseract runs as one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child(engine: str, dpi: int, quick: bool, how: str = "flatbed") -> None:
    """One engine at one dpi over every source scanned as ``how`` says, in this (pinned)
    process: prints JSON."""
    os.environ["GXNB_OCR_ENGINE"] = engine
    import pypdfium2
    from make_scans import scan_pdf

    from pipelines.extract import extract, ocr_engine
    from pipelines.validate import validate

    ocr_engine.engine(engine)  # load the models once, outside the timing
    exact = wrong = declined = total = pages = 0
    seconds = 0.0
    per_file = []
    for path in sources(quick):
        original = path.read_bytes()
        truth = cells(validate(extract(original, filename=path.name)))
        scan = scan_pdf(original, dpi, path.stem, how)
        n_pages = len(pypdfium2.PdfDocument(scan))
        t = cpu_seconds()
        record = validate(extract(scan, filename=path.name))
        seconds += cpu_seconds() - t
        pages += n_pages
        got = cells(record)
        f_exact = sum(1 for k, v in truth.items() if got.get(k) == v)
        f_wrong = [(k, v, got[k]) for k, v in truth.items() if got.get(k) is not None and got[k] != v]
        f_wrong += [(k, None, v) for k, v in got.items() if k not in truth]
        exact += f_exact
        wrong += len(f_wrong)
        declined += sum(1 for k in truth if got.get(k) is None)
        total += len(truth)
        per_file.append({"file": path.name, "cells": len(truth), "exact": f_exact, "wrong": f_wrong[:5],
                         "status": record["status"], "pages": n_pages})
    print(json.dumps({"engine": engine, "dpi": dpi, "how": how, "cells": total, "exact": exact, "wrong": wrong,
                      "declined": declined, "pages": pages, "seconds": seconds,
                      "peak_mib": max(resource.getrusage(who).ru_maxrss
                                      for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024,
                      "files": per_file}, ensure_ascii=False))


def run(engine: str, dpi: int, how: str, quick: bool) -> dict | None:
    """``child`` in a process of its own, pinned to one core, one thread; prints its figures."""
    core = sorted(os.sched_getaffinity(0))[-1]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OMP_THREAD_LIMIT": "1"}
    cmd = ["taskset", "-c", str(core), sys.executable, __file__, "--child", engine, str(dpi), how]
    cmd += ["--quick"] if quick else []
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode:
        print(f"{engine} at {dpi} dpi, {how}: failed:\n{proc.stderr[-2000:]}")
        return None
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    label = f"{engine:<10} {dpi} dpi" if how == "flatbed" else f"{how:<12}"
    print(f"{label}: {r['exact']}/{r['cells']} cells exact "
          f"({100 * r['exact'] / max(1, r['cells']):.1f}%), {r['wrong']} wrong, "
          f"{r['declined']} declined (null + finding); {r['seconds'] / max(1, r['pages']):.2f} s a page "
          f"on one core ({r['pages']} pages); peak {r['peak_mib']:.0f} MiB", flush=True)
    for f in r["files"]:
        if f["exact"] < f["cells"] or f["wrong"]:
            print(f"    {f['file']}: {f['exact']}/{f['cells']} exact, status {f['status']}"
                  + (f", wrong {f['wrong']}" if f["wrong"] else ""))
    return r


def messy(names: list[str], quick: bool) -> None:
    """RapidOCR over each of make_scans' degradations at 150 dpi (or the degradation's own)."""
    from make_scans import DEGRADATIONS

    results = [r for how in names if (r := run("rapidocr", DEGRADATIONS[how].dpi or 150, how, quick))]
    for r in results:
        verdict(r["wrong"] == 0, f"OCR wrong numbers, {r['how']} = 0", str(r["wrong"]))
    share = sum(r["exact"] for r in results) / max(1, sum(r["cells"] for r in results))
    verdict(share >= 0.9, "OCR cells exact, messy scans ≥ 90%", f"{share:.1%}")


def main() -> None:
    from make_scans import DEGRADATIONS

    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--dpis", default="150,200")
    ap.add_argument("--quick", action="store_true", help="two files only")
    ap.add_argument("--messy", nargs="?", const=",".join(DEGRADATIONS), metavar="NAMES",
                    help=f"RapidOCR per degradation instead (default all: {', '.join(DEGRADATIONS)})")
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "DPI", "HOW"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child[0], int(args.child[1]), args.quick, args.child[2])
    if args.messy:
        return messy(args.messy.split(","), args.quick)

    results = [r for engine in args.engines.split(",") for dpi in (int(d) for d in args.dpis.split(","))
               if (r := run(engine, dpi, "flatbed", args.quick))]
    for r in results:
        if r["engine"] != "rapidocr":
            continue
        share = r["exact"] / max(1, r["cells"])
        goal = 0.95 if r["dpi"] < 200 else 0.98
        verdict(share >= goal, f"OCR cells exact at {r['dpi']} dpi ≥ {goal:.0%}", f"{share:.1%}")
        verdict(r["wrong"] == 0, f"OCR wrong numbers at {r['dpi']} dpi = 0", str(r["wrong"]))
        verdict(r["seconds"] / r["pages"] <= 3.0, f"OCR s/page at {r['dpi']} dpi ≤ 3 (one core)",
                f"{r['seconds'] / r['pages']:.2f}")
        verdict(r["peak_mib"] < 1024, f"OCR peak memory at {r['dpi']} dpi < 1 GB", f"{r['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
