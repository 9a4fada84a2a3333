"""List coverage: per column, how many records its pages said it had and how many the
run collected.

Every platform's list page says how big its column is: a Hanweb ``totalRecord``, a TRS
``createPageHTML(…)`` page count (and record count in its newer form), a "共 N 条". The
walk of a column (platforms/base.py ``ColumnSpider``) notes what each page says and
which entries it lists; at the end the ``Coverage`` monitor (monitors.py) fails the run
for every column that collected fewer records (or read fewer pages) than it was told,
naming the column's URL. A column whose walk stopped early on purpose (``-a years``:
the rest is older than wanted) is not held to its total.
"""
from __future__ import annotations

from dataclasses import dataclass, field

STAT_COLUMNS = "gxnb/coverage"              # {column URL: its figures}, set when the spider closes
STAT_TOLD = "gxnb/coverage/told"            # records the lists said they had (columns that say it)
STAT_COLLECTED = "gxnb/coverage/collected"  # … of which the run collected
STAT_SHORT = "gxnb/coverage/short_columns"  # columns that collected less than they said


@dataclass
class Column:
    """One list (a column and its later pages) as this run walked it."""

    url: str
    platform: str
    told_records: int | None = None   # what the pages said: records …
    told_pages: int | None = None     # … or only pages (older TRS pagers)
    entries: set[str] = field(default_factory=set)     # distinct entries its pages listed (collected)
    # entries linking to hosts the crawl does not fetch (outside allowed_domains): listed, not collected
    offsite: set[str] = field(default_factory=set)
    pages_read: set[str] = field(default_factory=set)  # list pages (or groups) that answered
    pages_failed: list[str] = field(default_factory=list)
    narrowed: bool = False            # paging stopped on purpose (-a years): not held to its total
    state: dict = field(default_factory=dict)  # the platform's paging state (page URLs, jpage config)

    def told(self, records: int | None = None, pages: int | None = None):
        # the largest word counts: a later answer saying less (a dataproxy group answering
        # for nothing, 0) must not hide what the column page said
        if records is not None:
            self.told_records = max(records, self.told_records or 0)
        if pages is not None:
            self.told_pages = max(pages, self.told_pages or 0)

    @property
    def shortfall(self) -> str | None:
        """What is missing, in words, or None when the column is complete (or says nothing)."""
        if self.narrowed:
            return None
        if self.told_records is not None and len(self.entries) < self.told_records:
            missing = f"collected {len(self.entries)} of the {self.told_records} records its pages list"
            if self.offsite:
                missing += (f" ({len(self.offsite)} linked to other hosts, not fetched: "
                            f"{', '.join(sorted(self.offsite)[:3])}{' …' if len(self.offsite) > 3 else ''})")
            return missing
        if self.told_records is None and self.told_pages is not None and len(self.pages_read) < self.told_pages:
            return f"read {len(self.pages_read)} of its {self.told_pages} list pages"
        return None

    def figures(self) -> dict:
        return {"platform": self.platform, "told_records": self.told_records, "told_pages": self.told_pages,
                "collected": len(self.entries), "offsite": len(self.offsite), "pages_read": len(self.pages_read),
                "pages_failed": list(self.pages_failed), "narrowed": self.narrowed}


class Coverage:
    """The columns of one run, by URL."""

    def __init__(self):
        self.columns: dict[str, Column] = {}

    def column(self, url: str, platform: str) -> Column:
        col = self.columns.get(url)
        if col is None:
            col = self.columns[url] = Column(url, platform)
        return col

    def shortfalls(self) -> list[str]:
        """``"<column URL> (platform): collected 30 of the 45 records its pages list"`` per short column."""
        return [f"{c.url} ({c.platform}): {c.shortfall}" for c in self.columns.values() if c.shortfall]

    def record(self, stats):
        """The figures into the run's stats (called when the spider closes)."""
        told = [c for c in self.columns.values() if c.told_records is not None and not c.narrowed]
        stats.set_value(STAT_COLUMNS, {c.url: c.figures() for c in self.columns.values()})
        stats.set_value(STAT_TOLD, sum(c.told_records for c in told))
        stats.set_value(STAT_COLLECTED, sum(min(len(c.entries), c.told_records) for c in told))
        stats.set_value(STAT_SHORT, len(self.shortfalls()))
