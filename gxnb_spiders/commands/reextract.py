"""``scrapy reextract [--portal P] [--year Y] [--status S] [--since DATE] [--until DATE] [--limit N]``

Reads the stored reports again from the raw archive with the current readers, without the
network (``pipelines/reextract.py``): in worker processes with the crawl's limits
(``GXNB_EXTRACT_WORKERS``, ``GXNB_EXTRACT_TIMEOUT``, ``GXNB_EXTRACT_MEMORY_MB``); a report
whose record changed gets a new revision, one that did not is left as it is (so running
it twice changes nothing the second time). A progress bar at a terminal, then a summary:
reports read, changed, unchanged, failed; cells gained and lost; findings cleared and
added; status changes. ``--since``/``--until`` narrow by when a report's current revision
was stored (ISO dates). A file missing from the archive is named and the others go on;
Ctrl-C stops with what was kept so far kept, and the summary so far.
"""
from __future__ import annotations

import sys
from datetime import date, datetime

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from gxnb_spiders import config
from gxnb_spiders.commands import fail

STATUSES = ("valid", "inconsistent", "incomplete", "unparsed")


def parse_moment(text: str | None, option: str) -> datetime | date | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} takes an ISO date such as 2025-02-01, not {text!r}") from None


class Command(ScrapyCommand):
    name = "reextract"
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self):
        return "[--portal P] [--year Y] [--status S] [--since DATE] [--until DATE] [--limit N]"

    def short_desc(self):
        return "Read the stored reports again from the raw archive with the current readers"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--portal", help="only this portal (its spider name)")
        parser.add_argument("--year", help="only these years: 2023, 2021-2023 or 2019,2021")
        parser.add_argument("--status", choices=STATUSES, help="only reports with this status")
        parser.add_argument("--since", help="only reports whose current revision was stored on or after this date")
        parser.add_argument("--until", help="only reports whose current revision was stored before this date")
        parser.add_argument("--limit", type=int, help="at most this many reports")

    def run(self, args, opts):
        from pipelines.reextract import Summary, reextract
        from pipelines.render.wide import parse_years
        from pipelines.store import Store
        from pipelines.store.repository import StoreUnavailable
        from pipelines.store.reread import revisions_to_read
        from pipelines.workers import Workers

        try:
            years = parse_years(opts.year)
        except ValueError as exc:
            raise UsageError(f"--year: {exc}") from None
        since, until = parse_moment(opts.since, "--since"), parse_moment(opts.until, "--until")
        try:
            store = Store(config.database_url(self.settings), config.raw_dir(self.settings))
        except StoreUnavailable as exc:
            return fail(self, exc)
        workers = Workers(*config.reading_limits(self.settings))
        summary = Summary()
        try:
            ids = revisions_to_read(store, opts.portal, opts.limit, years=years, status=opts.status,
                                    since=since, until=until)
            with _progress(len(ids)) as advance:
                reextract(store, ids, workers, advance, summary)
        except KeyboardInterrupt:
            print("reextract: interrupted; what was kept before stays", file=sys.stderr)
            self.exitcode = 130
        except Exception as exc:  # the database gone mid-run: one line, what was kept stays
            failure = RuntimeError(f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
            failure.__cause__ = exc  # its traceback at --loglevel DEBUG
            return fail(self, failure)
        finally:
            store.close()
        for line in summary.lines():
            print(line, file=sys.stderr)
        for line in summary.failed:
            print(f"reextract: not read: {line}", file=sys.stderr)
        if summary.failed and not self.exitcode:
            self.exitcode = 1


class _progress:
    """A rich progress bar on standard error at a terminal; nothing elsewhere."""

    def __init__(self, total: int):
        from gxnb_spiders.progress import console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        out = console()
        self.bar = Progress(TextColumn("reextract"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=out, disable=not out.is_terminal)
        self.task = self.bar.add_task("reextract", total=total)

    def __enter__(self):
        self.bar.start()
        return lambda: self.bar.advance(self.task)

    def __exit__(self, *exc):
        self.bar.stop()
