"""What every benchmark script shares: a verdict line per target and small timing helpers.

Each script prints its figures, then one line per target that ``run_all.py`` collects:

    PASS  crawl pages/s ≥ 50% of scrapy bench   212.0 vs 1520.0 pages/s (14%)
    MISS  …
    SKIP  …   (could not be measured here, and why)
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VERDICTS = ("PASS", "MISS", "SKIP")


def verdict(ok: bool | None, target: str, detail: str = "") -> bool | None:
    """Print the verdict line of one target (None = could not be measured)."""
    word = "SKIP" if ok is None else ("PASS" if ok else "MISS")
    print(f"{word}  {target:<46} {detail}", flush=True)
    return ok


def median_ms(fn, inputs, rounds: int) -> list[float]:
    """Milliseconds of ``fn(x)`` for each input, ``rounds`` times, after one warm-up pass."""
    for x in inputs:
        fn(x)
    out = []
    for _ in range(rounds):
        for x in inputs:
            t = time.perf_counter()
            fn(x)
            out.append((time.perf_counter() - t) * 1000)
    return out


def med(xs) -> float:
    return statistics.median(xs) if xs else float("nan")


def scrapy_bin() -> str:
    return str(Path(sys.executable).with_name("scrapy"))


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (e.g. extraction workers), in
    MB, summed: what the crawl as a whole holds right now (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # gone meanwhile
    return total / 1024


def run_measured(cmd: list[str], *, cwd, env, log: Path, timeout: float) -> dict:
    """Run ``cmd`` to the end; its wall time, exit code, log text and peak memory in MB:
    ``rss_mb`` is the peak of the process tree summed (the crawl and its extraction
    workers, sampled every 50 ms), ``main_rss_mb`` the crawling process's own peak."""
    t0 = time.monotonic()
    tree_peak = 0.0
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = t0 + timeout
        while True:  # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix runs)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, tree_rss_mb(proc.pid))
            if time.monotonic() > deadline:
                proc.kill()
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss of a reaped child is the largest single process of its tree, never a sum
    return {"wall": time.monotonic() - t0, "rc": proc.returncode, "main_rss_mb": usage.ru_maxrss / 1024,
            "rss_mb": max(tree_peak, usage.ru_maxrss / 1024), "log": log.read_text(errors="replace")}
