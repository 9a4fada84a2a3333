"""Re-read stored reports from the raw archive with the current readers (``scrapy
reextract``): no network, each document in the crawl's worker processes (``Workers``: the
same time limit and memory ceiling), each record kept through the one re-read path
(``pipelines/reread.py``: a new revision only where the record changed). What was kept
before Ctrl-C stays: every report is its own transaction.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

from pipelines.reread import keep
from pipelines.store.cells import flatten
from pipelines.store.reread import ArchiveFileMissing, archived_item, current_record
from pipelines.workers import Workers


@dataclass
class Summary:
    """What a re-read changed: reports and outcomes, cells, findings, statuses."""
    selected: int = 0
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)    # one line per report not read (which file, why)
    cells_gained: int = 0   # numbers where the old record had none
    cells_lost: int = 0     # numbers the old record had and the new one has not
    cells_changed: int = 0  # a different number in the same cell
    findings_added: Counter = field(default_factory=Counter)    # by rule
    findings_cleared: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)          # "unparsed → valid": reports

    def count(self, before: dict | None, after: dict | None, outcome: str) -> None:
        self.read += 1
        if outcome != "reread":
            self.unchanged += 1
            return
        self.changed += 1
        old, new = _numbers(before), _numbers(after)
        self.cells_gained += len(new.keys() - old.keys())
        self.cells_lost += len(old.keys() - new.keys())
        self.cells_changed += sum(1 for k in old.keys() & new.keys() if old[k] != new[k])
        was, now = _findings(before), _findings(after)
        self.findings_added.update(f[0] for f in (now - was).elements())
        self.findings_cleared.update(f[0] for f in (was - now).elements())
        old_status, new_status = (before or {}).get("status"), (after or {}).get("status")
        if old_status != new_status:
            self.statuses[f"{old_status} → {new_status}"] += 1

    def lines(self) -> list[str]:
        out = [f"reextract: {self.read} of {self.selected} reports read: {self.changed} changed (a new revision "
               f"each), {self.unchanged} unchanged, {len(self.failed)} failed",
               f"cells: {self.cells_gained} gained, {self.cells_lost} lost, {self.cells_changed} with another number",
               f"findings: {sum(self.findings_cleared.values())} cleared{_rules(self.findings_cleared)}, "
               f"{sum(self.findings_added.values())} added{_rules(self.findings_added)}"]
        if self.statuses:
            out.append("status: " + ", ".join(f"{k} {v}" for k, v in self.statuses.most_common()))
        return out


def _numbers(record: dict | None) -> dict:
    return {(t, r, c): v for t, r, c, v in flatten(record or {}) if v is not None}


def _findings(record: dict | None) -> Counter:
    return Counter((f.get("rule"), f.get("table"), f.get("row"), f.get("column"))
                   for f in (record or {}).get("findings") or [] if isinstance(f, dict))


def _rules(counts: Counter) -> str:
    return f" ({', '.join(f'{rule} {n}' for rule, n in counts.most_common())})" if counts else ""


def reextract(store, revision_ids: list[int], workers: Workers, on_done=None,
              summary: Summary | None = None) -> Summary:
    """Read each revision again and keep it; ``on_done()`` after each (a progress bar).
    ``summary`` is filled as reports are kept, so it holds what was done if interrupted."""
    summary = summary or Summary()
    summary.selected = len(revision_ids)
    try:
        asyncio.run(_read_all(store, revision_ids, workers, summary, on_done or (lambda: None)))
    except BaseException:  # Ctrl-C: what was kept stays; the reports being read are dropped
        workers.stop()
        raise
    workers.close()
    return summary


async def _read_all(store, revision_ids, workers: Workers, summary: Summary, on_done) -> None:
    # as many reports in flight as there are workers; the store is written from this thread only
    slots = asyncio.Semaphore(max(1, workers.processes))

    async def one(revision_id: int) -> None:
        async with slots:
            try:
                item = archived_item(store, revision_id)
                if item is None:  # deleted meanwhile
                    summary.failed.append(f"revision {revision_id}: no longer in the database")
                    return
                before = current_record(store, revision_id)
                record, source = await workers.read(item)
                outcome = keep(store, revision_id, item, record, source)
                summary.count(before, current_record(store, revision_id), outcome)
            except ArchiveFileMissing as exc:
                summary.failed.append(str(exc))
            finally:
                on_done()

    await asyncio.gather(*(one(r) for r in revision_ids))
