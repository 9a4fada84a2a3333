"""What every benchmark script shares: a verdict line per target and small timing helpers.

Each script prints its figures, then one line per target that ``run_all.py`` collects:

    PASS  crawl pages/s ≥ 50% of scrapy bench   212.0 vs 1520.0 pages/s (14%)
    MISS  …
    SKIP  …   (could not be measured here, and why)
"""
from __future__ import annotations

import statistics
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
