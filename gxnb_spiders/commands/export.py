"""``scrapy export --format jsonl|csv|wide-csv|wide-jsonl|parquet [-o FILE] [filters]``:
every stored report, current revision.

- ``jsonl``: one JSON object per report: its metadata (portal, body, year, url, title,
  索引号, 文号, dates, template, status, listed …) and ``record``, the canonical record.
- ``csv``: one row per table cell with the report's metadata, columns ``portal, body,
  year, url, title, index_no, doc_no, written_date, published_date, template, status,
  table, row, column, value``; UTF-8 with a BOM so that Excel opens it. A blank cell has
  an empty value; a report with no table (unparsed) has one row with empty cell columns.
  Text from a portal that a spreadsheet would run as a formula (starting with = + - @,
  tab or a line break) gets a leading apostrophe; numbers, negative ones too, stay numbers.

- ``wide-csv``, ``wide-jsonl``, ``parquet``: one row per report, one column per cell
  (``pipelines/render/wide.py``), Chinese labels beside the keys; Parquet needs pyarrow
  (``pip install 'gxnb[parquet]'``) and ``-o``.

Filters for every format: ``--portal NAME``, ``--body NAME|CODE`` (part of a name is
enough), ``--year 2023|2021-2023``, ``--status valid|inconsistent|incomplete|unparsed``.

Without ``-o`` the export goes to stdout. Reports gone from their portal's list are
exported too (JSONL ``listed: false``): nothing stored is left out. The database is
GXNB_DATABASE_URL (default output/gxnb.sqlite).
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import IO, Iterable

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from gxnb_spiders import config
from gxnb_spiders.commands import fail

CSV_COLUMNS = ["portal", "body", "year", "url", "title", "index_no", "doc_no", "written_date",
               "published_date", "template", "status", "table", "row", "column", "value"]
JSONL_KEYS = ["portal", "portal_url", "platform", "body_name", "body_code", "year", "url", "title",
              "index_no", "doc_no", "written_date", "published_date", "listed_date", "metadata",
              "template", "status", "listed", "gone_at", "revision_id", "content_hash", "source", "stored_at",
              "first_seen", "record"]


def cell_text(value) -> str:
    """A cell as CSV text: blank stays blank; 3 stays "3", 0.5 "0.5"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_jsonl(reports: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for rep in reports:
        out.write(json.dumps({k: rep.get(k) for k in JSONL_KEYS}, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(reports: Iterable[dict], out: IO[str]) -> int:
    from pipelines.render.safe import spreadsheet_cell
    from pipelines.store.cells import flatten

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for rep in reports:
        n += 1
        meta = [rep.get("portal"), rep.get("body_name") or rep.get("body_code") or (rep.get("record") or {}).get("agency"),
                rep.get("year"), rep.get("url"), rep.get("title"), rep.get("index_no"), rep.get("doc_no"),
                rep.get("written_date"), rep.get("published_date"), rep.get("template"), rep.get("status")]
        meta = ["" if v is None else spreadsheet_cell(v) for v in meta]
        cells = list(flatten(rep.get("record")))
        if not cells:
            writer.writerow(meta + ["", "", "", ""])
        for table, row, column, value in cells:
            # row and column names of added rows are portal text; numbers stay numbers
            writer.writerow(meta + [table, spreadsheet_cell(row), spreadsheet_cell(column),
                                    spreadsheet_cell(value) if isinstance(value, str) else cell_text(value)])
    return n


def write_wide_csv(reports: Iterable[dict], out: IO[str]) -> int:
    from pipelines.render import wide

    return wide.write_csv(*wide.table(reports), out)


def write_wide_jsonl(reports: Iterable[dict], out: IO[str]) -> int:
    from pipelines.render import wide

    return wide.write_jsonl(*wide.table(reports), out)


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "wide-csv": write_wide_csv,
           "wide-jsonl": write_wide_jsonl, "parquet": None}
FORMATS = tuple(WRITERS)


class Command(ScrapyCommand):
    name = "export"
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self):
        return "--format jsonl|csv|wide-csv|wide-jsonl|parquet [-o FILE] [--portal P] [--body B] [--year Y] [--status S]"

    def short_desc(self):
        return "Export stored reports (current revision): JSON lines, CSV cells, or one wide row per report"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--format", default="jsonl", choices=FORMATS,
                            help="jsonl: metadata + canonical record per report; csv: one row per cell; "
                                 "wide-csv, wide-jsonl, parquet: one row per report, one column per cell")
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--portal", help="only this portal (its spider name)")
        parser.add_argument("--body", help="only bodies whose name contains this, or with this code")
        parser.add_argument("--year", help="only these years: 2023, 2021-2023 or 2019,2021")
        parser.add_argument("--status", choices=("valid", "inconsistent", "incomplete", "unparsed"),
                            help="only reports with this status")

    def run(self, args, opts):
        from pipelines.store import StoreUnavailable

        from pipelines.render import wide

        if args:
            raise UsageError(f"export takes no arguments, not {' '.join(args)!r}")
        if opts.format == "parquet" and not opts.output:
            raise UsageError("parquet is a binary file: give it a name with -o FILE.parquet")
        try:
            years = wide.parse_years(opts.year)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        try:
            store = config.open_store(self.settings)
        except StoreUnavailable as exc:
            fail(self, exc)
            return
        write = WRITERS[opts.format]
        encoding = "utf-8-sig" if opts.format.endswith("csv") else "utf-8"

        def reports():
            return wide.select(store.current_reports(), portal=opts.portal, body=opts.body,
                               years=years, status=opts.status)
        try:
            if opts.format == "parquet":
                path = Path(opts.output)
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    n = wide.write_parquet(*wide.table(reports()), path)
                except RuntimeError as exc:  # pyarrow not installed
                    fail(self, exc)
                    return
                print(f"export: {n} reports to {path} (parquet)", file=sys.stderr)
            elif opts.output:
                path = Path(opts.output)
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "w", encoding=encoding, newline="") as fh:
                    n = write(reports(), fh)
                print(f"export: {n} reports to {path} ({opts.format})", file=sys.stderr)
            else:
                out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="", write_through=True)
                try:
                    write(reports(), out)
                    out.flush()
                finally:
                    out.detach()
        finally:
            store.close()
