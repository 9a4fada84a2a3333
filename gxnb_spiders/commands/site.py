"""``scrapy site [-o DIR] [--today DATE]``: write the static site for everything stored.

``DIR`` (default ``output/site``) gets ``index.html`` (the overview: every body, who is
late or overdue, whose numbers do not add up, the largest year-on-year changes), a page
per body (``bodies/``), the archived copy of each report (``archive/``), the wide table
as downloads (``data/``) and ``datasette-metadata.json``. The pages open from disk.
"""
from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from gxnb_spiders.commands import fail


def build(settings, out_dir=None, today=None) -> Path:
    """Write the site for the database in ``settings``; returns its index.html."""
    from pipelines.render.site import write_site
    from pipelines.store.db import sqlite_path

    from gxnb_spiders import config

    url = config.database_url(settings)
    out = Path(out_dir or Path(settings.get("GXNB_OUTPUT_DIR")) / "site")
    db_file = sqlite_path(url) if url else None
    with config.open_store(settings) as store:
        return write_site(store, out, today, database_name=db_file.stem if db_file else "gxnb")


class Command(ScrapyCommand):
    name = "site"
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self):
        return "[-o DIR] [--today DATE]"

    def short_desc(self):
        return "Write the static site: overview, every body's history with charts, archived copies"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("-o", "--output", metavar="DIR", help="folder to write (default output/site)")
        parser.add_argument("--today", help="date deciding what is overdue (default: today)")

    def run(self, args, opts):
        from datetime import date

        from pipelines.store import StoreUnavailable

        if args:
            raise UsageError(f"site takes no arguments, not {' '.join(args)!r}")
        try:
            today = date.fromisoformat(opts.today) if opts.today else None
        except ValueError:
            raise UsageError(f"--today takes a date such as 2025-02-01, not {opts.today!r}") from None
        try:
            index = build(self.settings, opts.output, today)
        except StoreUnavailable as exc:
            fail(self, exc)
            return
        except OSError as exc:  # the folder cannot be written (permissions, a full disk)
            fail(self, f"could not write {exc.filename or opts.output or 'the site'}: {exc.strerror or exc}")
            return
        print(f"site: {index}", file=sys.stderr)
