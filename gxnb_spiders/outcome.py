"""What a finished crawl did, in a few lines a person reads, and the exit status it earns.

Shared by ``scrapy crawl``, ``scrapy crawlall`` and ``scrapy demo``. A crawl fails (exit
status 1) when its spider did not run or finish, a monitor failed
(``gxnb_spiders.monitors``: the reasons are printed) or an item could not be stored
(``gxnb/items_not_stored``).
"""
from __future__ import annotations

from gxnb_spiders.browser import STAT_TIMEOUTS as STAT_BROWSER_TIMEOUTS
from gxnb_spiders.coverage import STAT_COLLECTED, STAT_TOLD
from gxnb_spiders.monitors import STAT_NOT_STORED, failures


def figures(crawler) -> dict:
    try:
        stats = crawler.stats.get_stats()
    except (AttributeError, RuntimeError):  # a crawler that never started has no stats
        stats = {}
    return {
        "finish_reason": stats.get("finish_reason"),
        "stored": stats.get("item_scraped_count", 0),
        "new": stats.get("gxnb/new", 0),
        "revised": stats.get("gxnb/revised", 0),
        "same": stats.get("gxnb/unchanged", 0),            # fetched again, content the same
        "unchanged": stats.get("gxnb/reports_unchanged", 0),  # not fetched: the list shows no change
        "not_stored": stats.get(STAT_NOT_STORED, 0),
        "errors": stats.get("gxnb/errors", 0),
        "challenges": stats.get("gxnb/challenges_passed", 0),
        "browser_timeouts": stats.get(STAT_BROWSER_TIMEOUTS, 0),  # pages the browser gave up on
        "told": stats.get(STAT_TOLD),          # records the lists said they had (gxnb_spiders.coverage)
        "collected": stats.get(STAT_COLLECTED, 0),
    }


def reasons(crawler) -> list[str]:
    """Why this crawler's run failed (empty when it did not)."""
    f = figures(crawler)
    out = failures(crawler)
    if f["finish_reason"] is None:
        out = out or ["did not run"]
    if f["not_stored"] and not out:  # the monitors say it, when they ran
        out.append(f"{f['not_stored']} reports could not be stored")
    return out


def line(name: str, crawler) -> str:
    """``laiyang  finished  stored 12 (new 10, revised 1, same 1), unchanged 40, …``"""
    f = figures(crawler)
    parts = [f"stored {f['stored']}"]
    detail = ", ".join(f"{k} {f[k]}" for k in ("new", "revised", "same") if f[k])
    if detail:
        parts[0] += f" ({detail})"
    parts.append(f"unchanged {f['unchanged']}")
    if f["told"]:
        parts.append(f"listed {f['collected']} of {f['told']}")
    if f["not_stored"]:
        parts.append(f"not stored {f['not_stored']}")
    parts.append(f"errors {f['errors']}")
    if f["browser_timeouts"]:
        parts.append(f"browser pages timed out {f['browser_timeouts']}")
    if f["challenges"]:
        parts.append(f"challenges passed {f['challenges']}")
    text = f"{name:<12} {f['finish_reason'] or '-':<10} " + ", ".join(parts)
    why = reasons(crawler)
    return text + ("  FAILED: " + "; ".join(why) if why else "")


def exit_status(crawlers, bootstrap_failed: bool = False) -> int:
    return 1 if bootstrap_failed or any(reasons(c) for c in crawlers) else 0
