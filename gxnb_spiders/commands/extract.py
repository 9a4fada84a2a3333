"""``scrapy extract PATH [PATH ...]``: read report files, print one validated JSON record
per input, one per line, in the order given.

Reads .html/.htm/.shtml, .txt, .pdf, .docx and .doc/.wps (the format is sniffed from
the bytes too). A path that cannot be read (missing, a directory, no permission) gives
one line on stderr as every command says it cannot do its job (``extract: error: cannot
read PATH: why``, ``commands.fail``) and exit code 1, and the other paths are still read
and printed. No path at all is a usage error (exit code 2).
``--previous FILE`` gives last year's record (JSON) of the same body for the soft rules
(one that cannot be read is said the same way; the files are read without it).
``--explain`` prints, instead of JSON, every cell of the three tables beside where it was
read (file, page, locator, method, note) or, for a blank cell, the findings about it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from gxnb_spiders.commands import fail
from pipelines.extract import extract
from pipelines.report import finish


class Command(ScrapyCommand):
    requires_project = True
    name = "extract"
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self):
        return "PATH [PATH ...]"

    def short_desc(self):
        return "Extract and validate annual reports from files; print one JSON record per line"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--json", action="store_true",
                            help="print JSON records (the default and only format; kept for the contract's wording)")
        parser.add_argument("--no-validate", action="store_true",
                            help="print the extracted record without the validation rules")
        parser.add_argument("--previous", metavar="FILE",
                            help="JSON record of the same body's report on the year before (soft rules)")
        parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
        parser.add_argument("--explain", action="store_true",
                            help="print each cell beside its source (file, page, locator, method) instead of JSON")

    def process_options(self, args, opts):
        super().process_options(args, opts)
        if not args:
            raise UsageError("give one or more report files (HTML, text, PDF, Word)")

    def run(self, args, opts):
        previous = None
        if opts.previous:
            try:
                previous = json.loads(Path(opts.previous).read_text(encoding="utf-8"))
            except OSError as exc:
                fail(self, f"cannot read --previous {opts.previous}: {exc.strerror or exc}")
            except ValueError as exc:
                fail(self, f"cannot read --previous {opts.previous}: not a JSON record ({exc})")
        for arg in args:
            path = Path(arg)
            try:
                data = path.read_bytes()
            except OSError as exc:  # said, and the other paths still read
                fail(self, f"cannot read {arg}: {exc.strerror or exc}")
                continue
            record = extract(data, filename=path.name)
            if not opts.no_validate:  # a file alone: no portal facts, the document's own stand
                record = finish({}, record, previous)
            if opts.explain:
                sys.stdout.write(explain(record, arg))
            else:
                sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=opts.indent) + "\n")
            sys.stdout.flush()


TABLES = ("active_disclosure", "applications", "review_litigation")


def explain(record: dict, name: str) -> str:
    """Every cell of the record, one per line, beside its provenance or why it is blank."""
    out = [f"{name}: template {record.get('template')}, year {record.get('year')}, "
           f"agency {record.get('agency')}, status {record.get('status')}"]
    provenance = record.get("provenance") or {}
    about: dict[str, list[str]] = {}
    for f in record.get("findings") or []:
        if f.get("table") and f.get("row") and f.get("column"):
            about.setdefault(f"{f['table']}.{f['row']}.{f['column']}", []).append(f"{f['rule']}: {f['message']}")
    for table in TABLES:
        for row, cols in (record.get(table) or {}).items():
            if not isinstance(cols, dict) or row == "extra":
                continue
            for col, value in cols.items():
                path = f"{table}.{row}.{col}"
                p = provenance.get(path)
                if value is None:
                    why = "; ".join(about.get(path, [])) or "blank in the report"
                    out.append(f"  {path:<58} {'null':>10}   {why}")
                    continue
                where = p["file"] if p else "?"
                if p and p.get("page"):
                    where += f" p.{p['page']}"
                if p and p.get("locator"):
                    where += f" {p['locator']}"
                how = p["method"] if p else "?"
                if p and p.get("confidence") is not None:
                    how += f" ({p['confidence']:.2f})"
                note = f"  note: {p['note']}" if p and p.get("note") else ""
                out.append(f"  {path:<58} {value!s:>10}   {how:<16} {where}{note}")
    return "\n".join(out) + "\n"
