"""gxnb's extraction beside a pandas.read_html reading of the same HTML tables.

    .venv/bin/python benchmarks/tables_vs_pandas.py [--rounds N]

On the seed HTML fixtures (tests/fixtures/seed_00?.html, whose true numbers are the
seeds' expected records), per report:

- time: gxnb ``extract`` (decode, read, map all three tables to the record) against
  ``pandas.read_html`` alone (tables → DataFrames, no mapping at all);
- correctness: gxnb is right when its three tables equal the expected record's;
  pandas is right when the numeric cells of its DataFrames are exactly the report's
  numbers — none missing, none misread, none duplicated (read_html copies a spanned
  cell into every column it spans, so a number spanning three columns is read three times).

Target: gxnb faster than read_html, and exact on every fixture.
"""
from __future__ import annotations

import argparse
import io
import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from common import ROOT, med, median_ms, verdict

from replicas import reportgen
from pipelines.extract import extract

FIXTURES = ROOT / "tests" / "fixtures"
TABLES = ("active_disclosure", "applications", "review_litigation")
_NUMBER_RE = re.compile(r"^-?[\d,]+(\.\d+)?$")


def number(value) -> Decimal | None:
    """A cell as a number, or None when it is a label or blank."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN: a blank cell
        return None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if isinstance(value, bool) or not _NUMBER_RE.match(text):
        return None
    try:
        return Decimal(text.replace(",", "")).normalize()
    except InvalidOperation:
        return None


def record_numbers(record: dict) -> Counter:
    out: Counter = Counter()
    for table in TABLES:
        for row in (record.get(table) or {}).values():
            for v in row.values():
                n = number(v)
                if n is not None:
                    out[n] += 1
    return out


def pandas_tables(data: bytes):
    import pandas as pd

    return pd.read_html(io.BytesIO(data), encoding="utf-8")


def pandas_numbers(frames) -> Counter:
    out: Counter = Counter()
    for df in frames:
        for v in df.to_numpy().ravel():
            n = number(v)
            if n is not None:
                out[n] += 1
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args(argv)
    try:
        import pandas  # noqa: F401
    except ImportError:
        verdict(None, "gxnb faster than pandas.read_html, and exact", "pandas not installed (pip install '.[dev]')")
        return 0

    fixtures = sorted(FIXTURES.glob("seed_00?.html"))
    print(f"{'fixture':<16}{'gxnb ms':>9}{'pandas ms':>11}  {'gxnb exact':<11}{'pandas cells right / expected (extra)':<40}")
    gxnb_all, pandas_all, gxnb_exact, pandas_exact = [], [], 0, 0
    for path in fixtures:
        data = path.read_bytes()
        expected = reportgen.load_record(int(path.stem.split("_")[1]))
        ours = med(median_ms(lambda d: extract(d, filename=path.name), [data], args.rounds))
        theirs = med(median_ms(pandas_tables, [data], args.rounds))
        gxnb_all.append(ours)
        pandas_all.append(theirs)
        record = extract(data, filename=path.name)
        exact = all(record.get(t) == expected.get(t) for t in TABLES)
        want, got = record_numbers(expected), pandas_numbers(pandas_tables(data))
        right = sum((want & got).values())
        extra = sum((got - want).values())
        p_exact = right == sum(want.values()) and extra == 0
        gxnb_exact += exact
        pandas_exact += p_exact
        print(f"{path.name:<16}{ours:>9.2f}{theirs:>11.2f}  {str(exact):<11}"
              f"{right:>4} / {sum(want.values()):<4} ({extra} extra){'  exact' if p_exact else ''}")
    g, p = med(gxnb_all), med(pandas_all)
    print(f"{'median':<16}{g:>9.2f}{p:>11.2f}   gxnb exact {gxnb_exact}/{len(fixtures)}, "
          f"pandas exact {pandas_exact}/{len(fixtures)}; gxnb {p / g:.1f}× faster")
    verdict(g < p, "HTML: gxnb faster than pandas.read_html", f"{g:.2f} vs {p:.2f} ms median per report")
    verdict(gxnb_exact == len(fixtures), "HTML: gxnb tables exact",
            f"{gxnb_exact}/{len(fixtures)} fixtures (pandas cells exact on {pandas_exact}/{len(fixtures)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
