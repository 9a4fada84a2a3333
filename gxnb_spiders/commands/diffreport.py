"""``scrapy diffreport [--since RUN_ID|DATE] [--format md|html|json] [-o FILE] [--today DATE]``

Compares the database now with its state after the previous run (or at ``--since``: a
run id, or a date/datetime in ISO form) and prints or writes the report: new years,
revisions with the cells that changed, reports gone from their lists, overdue bodies,
new validation findings, and the bodies × years grid. ``--today`` fixes the date that
decides what is overdue, for reproducible output.
"""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from gxnb_spiders import config
from gxnb_spiders.commands import fail


def parse_since(text: str | None):
    """``None`` → previous run; ``"12"`` → run 12; ``"2024-02-01"`` / ISO datetime → that time."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since takes a run id or an ISO date, not {text!r}") from None


def parse_today(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today takes a date such as 2025-02-01, not {text!r}") from None


class Command(ScrapyCommand):
    name = "diffreport"
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self):
        return "[--since RUN_ID|DATE] [--format md|html|json] [-o FILE] [--today DATE]"

    def short_desc(self):
        return "Report what changed in the database since the previous run (or a given point)"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--since", help="run id or ISO date/datetime (default: the previous run)")
        parser.add_argument("--format", default="md", choices=("md", "html", "json"))
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--today", help="date deciding what is overdue (default: today)")

    def run(self, args, opts):
        from pipelines.diff import report_since
        from pipelines.render import render
        from pipelines.store import StoreUnavailable

        try:
            store = config.open_store(self.settings)
        except StoreUnavailable as exc:
            return fail(self, exc)
        try:
            report = report_since(store, since=parse_since(opts.since), today=parse_today(opts.today))
        except ValueError as exc:  # --since names a run the database does not have
            return fail(self, f"{exc}: `scrapy diffreport` without --since compares with the previous run")
        finally:
            store.close()
        text = render(report, opts.format)
        if opts.output:
            out = Path(opts.output)
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(text, encoding="utf-8")
            except OSError as exc:  # a folder that cannot be written, a full disk
                return fail(self, f"could not write {out}: {exc.strerror or exc}")
            print(f"diffreport: {out} ({', '.join(f'{v} {k}' for k, v in report['counts'].items())})",
                  file=sys.stderr)
        else:
            sys.stdout.write(text)
