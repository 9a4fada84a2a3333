"""Incremental crawling: list pages are always read, report pages only when new or changed.

A report already stored is downloaded again only when the list entry shows it changed
(its date or title differs from what was stored) or the spider runs with ``-a full=1``.
Every report listed in a run, downloaded or not, is *seen*; at the end of a complete run
(finish reason ``finished``, no ``years``/``body`` narrowing, no failed request) the store
marks the portal's reports that were not seen as gone.

The base spider calls ``skip_unchanged`` from ``report_request``; what is stored and what
was listed are the run's (gxnb_spiders/run.py), which hands the listed reports to the
store (``mark_seen``) at spider close.
"""
from __future__ import annotations

STAT_UNCHANGED = "gxnb/reports_unchanged"


def portal_of(spider) -> str:
    """The portal a spider's reports are stored under (its host for the generic spider)."""
    return getattr(spider, "portal", None) or spider.name


def truthy(value) -> bool:
    """``-a full=1`` / ``true`` / ``yes`` → True."""
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _same(listed, stored) -> bool:
    # both missing counts as the same: a list without dates never shows a change
    return (listed or None) == (stored or None)


def skip_unchanged(spider, url: str, *, listed_date=None, title=None) -> bool:
    """Record ``url`` as seen this run; True when the stored copy is still current and the
    page need not be downloaded again. A spider outside a crawl knows nothing: never."""
    from gxnb_spiders.run import RunContext

    crawler = getattr(spider, "crawler", None)
    if crawler is None:
        return False
    run = RunContext.of(crawler)
    run.seen_urls.add(url)
    if truthy(getattr(spider, "full", None)):
        return False
    known = run.known_reports(portal_of(spider)).get(url)
    if known is None:
        return False
    if not _same(listed_date, known.get("listed_date")):
        return False
    if "title" in known and title and not _same(title, known.get("title")):
        return False
    crawler.stats.inc_value(STAT_UNCHANGED)
    return True


def complete_listing(spider, reason: str, stats: dict) -> bool:
    """Whether this run saw the portal's whole list, so unseen reports may be marked gone:
    it finished normally, was not narrowed and no request failed for good."""
    narrowed = getattr(spider, "years", None) or getattr(spider, "body_filter", None)
    # gxnb/errors: this spider's own errors (monitors.RunHealth); a list page that failed
    # after its retries logs one, and its reports must not be taken for gone
    failed = stats.get("gxnb/errors", 0) or stats.get("retry/max_reached", 0)
    return reason == "finished" and not narrowed and not failed
