"""Run every benchmark and print a summary of the targets (``make bench``).

    .venv/bin/python benchmarks/run_all.py [--quick]

Each benchmark runs as its own process (one does not warm or load the next), its output
shown as it comes; the PASS/MISS/SKIP lines are collected into the summary at the end.
benchmarks/extract.py prints figures only: its targets are judged here from them.
``--quick`` runs smaller sizes (for a look, not for the record). Under ten minutes on a
2-core machine; the exit status is 0 whatever the figures (a benchmark is not a test),
1 when a benchmark itself failed to run.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time

from common import ROOT, VERDICTS

HERE = ROOT / "benchmarks"


def run(script: str, *args: str, timeout: float) -> tuple[str, int, float]:
    """Run a benchmark script, echoing its output; (output, exit code, seconds)."""
    print(f"\n=== {script} {' '.join(args)}", flush=True)
    t = time.monotonic()
    lines = []
    proc = subprocess.Popen([sys.executable, str(HERE / script), *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1)
    try:
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    secs = time.monotonic() - t
    print(f"=== {script}: exit {proc.returncode}, {secs:.0f} s", flush=True)
    return "".join(lines), proc.returncode, secs


def extraction_verdicts(out: str) -> list[str]:
    """Targets of benchmarks/extract.py, judged from the figures it prints."""
    def median(name):
        m = re.search(rf"^{re.escape(name)}\s+median\s+([\d.]+) ms", out, re.M)
        return float(m.group(1)) if m else None

    lines = []

    def judge(ok, target, detail):
        word = "SKIP" if ok is None else ("PASS" if ok else "MISS")
        line = f"{word}  {target:<46} {detail}"
        print(line)
        lines.append(line)

    html, floor, text = median("HTML extract"), median("lxml parse (floor)"), median("text extract")
    docx, pdf = median("DOCX extract"), median("PDF extract")
    if html is not None:
        judge(html < 20, "HTML extract < 20 ms median", f"{html:.2f} ms")
    if html is not None and floor:
        judge(html <= 5 * floor, "HTML extract ≤ 5× lxml's bare parse", f"{html / floor:.1f}× ({floor:.2f} ms)")
    if text is not None:
        judge(text < 20, "text extract < 20 ms median", f"{text:.2f} ms")
    if docx is not None:
        judge(docx < 100, "DOCX extract < 100 ms median", f"{docx:.2f} ms")
    if pdf is not None:
        judge(pdf < 1000, "PDF extract < 1 s a page", f"{pdf:.0f} ms a page")
    m = re.search(r"real PDF.*?([\d.]+) ms per page", out)
    if m:
        judge(float(m.group(1)) < 1000, "PDF extract < 1 s a page (real PDF)", f"{float(m.group(1)):.0f} ms a page")
    if not lines:
        judge(None, "extraction targets", "benchmarks/extract.py printed no figures")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes: a look, not the record")
    args = ap.parse_args(argv)
    q = args.quick
    t0 = time.monotonic()
    summary: list[tuple[str, str]] = []
    failed = []

    def collect(name, out, rc):
        got = [ln for ln in out.splitlines() if ln.split(" ", 1)[0] in VERDICTS]
        summary.extend((name, ln) for ln in got)
        if rc != 0:
            failed.append(f"{name} (exit {rc})")

    out, rc, _ = run("extract.py", "--rounds", "5" if q else "20", timeout=300)
    collect("extraction", "\n".join(extraction_verdicts(out)), rc)
    out, rc, _ = run("tables_vs_pandas.py", "--rounds", "3" if q else "10", timeout=300)
    collect("extraction", out, rc)
    out, rc, _ = run("storage.py", *(["--records", "200", "--export-reports", "1000"] if q else []), timeout=420)
    collect("storage", out, rc)
    out, rc, _ = run("crawl.py", *(["--sizes", "50,200", "--bench-seconds", "5"] if q else []), timeout=600)
    collect("crawl", out, rc)
    if (HERE / "soak.py").exists():  # RELIABILITY's soak: no item lost under faults
        out, rc, _ = run("soak.py", "--reports", "100" if q else "300", timeout=300)
        collect("soak", out, 0)
        line = f"{'PASS' if rc == 0 else 'MISS'}  {'soak: no item lost under faults':<46} exit {rc}"
        print(line)
        summary.append(("soak", line))

    print(f"\n=== summary ({time.monotonic() - t0:.0f} s)")
    for name, line in summary:
        print(f"{name:<11} {line}")
    counts = {w: sum(1 for _, ln in summary if ln.startswith(w)) for w in VERDICTS}
    print(f"{counts['PASS']} passed, {counts['MISS']} missed, {counts['SKIP']} skipped"
          + (f"; failed to run: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
