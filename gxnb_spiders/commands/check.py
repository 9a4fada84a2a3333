"""``scrapy check [SPIDER]``: Scrapy's contract check of each site spider's list callback
(gxnb_spiders/contracts.py), e.g. against the replicas:
``GXNB_REPLICA_PROXY=http://127.0.0.1:8800 scrapy check``.

A check reads list pages only: every report is listed as if new (``-a full=1``: the
database is not read) and nothing is stored, monitored or marked gone.
"""
from __future__ import annotations

from scrapy.commands.check import Command as ScrapyCheck

from gxnb_spiders.commands.bodies import LISTING_ONLY_EXTENSIONS


class Command(ScrapyCheck):
    def process_options(self, args, opts):
        super().process_options(args, opts)
        opts.spargs.setdefault("full", "1")
        extensions = self.settings.getdict("EXTENSIONS")
        extensions.update(dict.fromkeys(LISTING_ONLY_EXTENSIONS))
        self.settings.set("EXTENSIONS", extensions, priority="cmdline")
