"""Extraction speed over the seed fixtures (prints figures; not a test).

Median and p95 milliseconds per report for HTML, text, DOCX and PDF (per page), beside
the time lxml alone takes to parse the same HTML (the floor). Targets: HTML within 5×
of the bare lxml parse and under 20 ms a report; PDF under 1 s a page. Each line also
gives the median CPU time of this process: on a machine busy with other work the wall
time grows with the wait for a core, the CPU time much less.

    .venv/bin/python benchmarks/extract.py [--rounds N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

from pipelines.extract import extract  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


class Times(list):
    """Wall milliseconds, with the CPU milliseconds of each in ``cpu``."""

    def __init__(self):
        super().__init__()
        self.cpu: list[float] = []


def timed(fn, inputs, rounds, per=lambda name: 1):
    for data, name in inputs:  # warm caches and imports
        fn(data, name)
    out = Times()
    for _ in range(rounds):
        for data, name in inputs:
            t, c = time.perf_counter(), time.process_time()
            fn(data, name)
            out.append((time.perf_counter() - t) * 1000 / per(name))
            out.cpu.append((time.process_time() - c) * 1000 / per(name))
    return out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def line(name, ms, unit="report"):
    print(f"{name:<22} median {statistics.median(ms):8.2f} ms   p95 {pct(ms, 95):8.2f} ms   per {unit}  "
          f"(n={len(ms)}; CPU median {statistics.median(ms.cpu):.2f} ms)")


def pages(data: bytes) -> int:
    import pdfplumber, io
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    rounds = ap.parse_args().rounds
    load = lambda pattern: [(p.read_bytes(), p.name) for p in sorted(FIXTURES.glob(pattern))]  # noqa: E731
    html, docx, pdf = load("seed_00?.html"), load("seed_00?.docx"), load("seed_00?.pdf")
    text = [(p.read_bytes(), p.name) for p in sorted(SEEDS.glob("*.txt"))]
    run = lambda data, name: extract(data, filename=name)  # noqa: E731
    if html:
        floor = timed(lambda d, n: lxml.html.document_fromstring(d), html, rounds)
        ours = timed(run, html, rounds)
        line("lxml parse (floor)", floor)
        line("HTML extract", ours)
        print(f"{'HTML / lxml':<22} {statistics.median(ours) / statistics.median(floor):.1f}× (target ≤ 5×, < 20 ms)")
    if text:
        line("text extract", timed(run, text, rounds))
    if docx:
        line("DOCX extract", timed(run, docx, max(1, rounds // 4)))
    if pdf:
        n_pages = {name: pages(data) for data, name in pdf}
        line("PDF extract", timed(run, pdf, max(1, rounds // 10), per=n_pages.get), "page")
    sample = ROOT.parent / "shared" / "samples" / "005_huaian_city_gov_2024.pdf"
    if sample.exists():
        data = sample.read_bytes()
        t = time.perf_counter()
        extract(data, filename=sample.name)
        ms = (time.perf_counter() - t) * 1000
        print(f"{'real PDF (淮安, ' + str(pages(data)) + ' p)':<22} {ms / pages(data):8.2f} ms per page")


if __name__ == "__main__":
    main()
