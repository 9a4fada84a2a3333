"""The wide table: one row per report, one column per statistical cell, for researchers.

Columns are the report's metadata (``META``) then every cell any exported report has, in
the templates' order (``applications.granted.total`` …; rows a province adds last). Each
column has a Chinese label beside its key (``labels_zh``): in the CSV header as
``标签 (key)``, in Parquet as the field's ``label_zh`` metadata. Values are the stored
numbers as read; a blank cell is empty/null, never 0.

``select`` filters snapshot entries by portal, body (name or code), year and status.
"""
from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from pipelines.diff import on_time
from pipelines.render.history import figure_rows
from pipelines.render.labels_zh import METADATA, label
from pipelines.render.safe import spreadsheet_cell

META = ("portal", "body", "body_code", "year", "title", "url", "index_no", "doc_no", "written_date",
        "published_date", "on_time", "template", "status", "listed", "revision_id", "stored_at")


def parse_years(text: str | None) -> set[int] | None:
    """``"2023"`` → {2023}; ``"2021-2023"`` → {2021, 2022, 2023}; ``"2019,2021"`` too."""
    if not text:
        return None
    years: set[int] = set()
    for part in str(text).split(","):
        lo, _, hi = part.strip().partition("-")
        if not lo.strip().isdigit() or (hi and not hi.strip().isdigit()):
            raise ValueError(f"years look like 2023, 2021-2023 or 2019,2021, not {text!r}")
        years.update(range(int(lo), int(hi or lo) + 1))
    return years


def select(entries: Iterable[dict], portal=None, body=None, years=None, status=None) -> Iterable[dict]:
    """The entries matching every filter given: ``portal`` (its name), ``body`` (a name,
    or part of one, or the body's code), ``years`` (a set), ``status`` (valid …)."""
    for e in entries:
        if portal and e.get("portal") != portal:
            continue
        if body and not (body == e.get("body_code") or body in (body_name(e) or "")):
            continue
        if years is not None and e.get("year") not in years:
            continue
        if status and e.get("status") != status:
            continue
        yield e


def body_name(e: dict) -> str | None:
    return e.get("body_name") or (e.get("record") or {}).get("agency") or e.get("body_code")


def meta_values(e: dict) -> dict:
    return {"portal": e.get("portal"), "body": body_name(e), "body_code": e.get("body_code"),
            "year": e.get("year"), "title": e.get("title"), "url": e.get("url"),
            "index_no": e.get("index_no"), "doc_no": e.get("doc_no"),
            "written_date": e.get("written_date"), "published_date": e.get("published_date"),
            "on_time": on_time(e.get("year"), e.get("published_date")),
            "template": e.get("template"), "status": e.get("status"), "listed": e.get("listed"),
            "revision_id": e.get("revision_id"), "stored_at": e.get("stored_at")}


def table(entries: Iterable[dict]) -> tuple[list[str], list[dict]]:
    """``(columns, rows)``: every cell column any entry has, each row a dict by column key."""
    from pipelines.store.cells import flatten

    entries = list(entries)
    cells = [r["path"] for r in figure_rows([e.get("record") or {} for e in entries])]
    rows = []
    for e in entries:
        row = meta_values(e)
        for t, r, c, v in flatten(e.get("record")):
            row[f"{t}.{r}.{c}" if c else f"{t}.{r}"] = v
        rows.append(row)
    return list(META) + cells, rows


def column_label(key: str) -> str:
    return METADATA.get(key) or label(key)


def write_csv(columns: list[str], rows: list[dict], out: IO[str]) -> int:
    """UTF-8 CSV (the caller adds the BOM), header ``标签 (key)``; portal text that a
    spreadsheet would run as a formula is neutralised, numbers stay numbers."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(f"{column_label(k)} ({k})") for k in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(k)) for k in columns])
    return len(rows)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2 ** 53 else repr(value)
    if isinstance(value, int):
        return str(value)
    return spreadsheet_cell(str(value))


def write_jsonl(columns: list[str], rows: list[dict], out: IO[str]) -> int:
    """One JSON object per report, keys as columns (every column on every line, null when
    the report has no such cell)."""
    for row in rows:
        out.write(json.dumps({k: row.get(k) for k in columns}, ensure_ascii=False) + "\n")
    return len(rows)


def write_parquet(columns: list[str], rows: list[dict], path) -> int:
    """Parquet via pyarrow (``pip install 'gxnb[parquet]'``): counts as int64, amounts as
    float64, nulls kept; each field's Chinese label in its metadata (``label_zh``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet needs pyarrow: pip install 'gxnb[parquet]'") from None
    fields, arrays = [], []
    for k in columns:
        values = [row.get(k) for row in rows]
        kind = arrow_type(pa, k, values)
        fields.append(pa.field(k, kind, metadata={"label_zh": column_label(k)}))
        arrays.append(pa.array(values, type=kind))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), str(path))
    return len(rows)


def arrow_type(pa, key: str, values: list):
    known = [v for v in values if v is not None]
    if key in ("on_time", "listed"):
        return pa.bool_()
    if key in ("year", "revision_id") or (known and all(isinstance(v, int) and not isinstance(v, bool)
                                                        for v in known)):
        return pa.int64()
    if known and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in known):
        return pa.float64()
    if not known and "." in key:
        return pa.int64()  # a cell column blank everywhere
    return pa.string()
