"""A replica portal that changes between two crawls, as real ones do overnight.

``EvolvingSite`` is the synthetic TRS-style portal (replicas/sites/synthetic.py) with
three switches a test or a demo flips between crawls:

- ``publish(n)``: the portal now lists ``n`` reports (the new ones are newer years of
  the same bodies, so a new year appears);
- ``revise(i, cell, value, listed_date)``: report ``i``'s number at ``cell`` (a dotted
  path into the record, ``"active_disclosure.licensing.decisions"``) changes, and its
  list entry shows ``listed_date``, as portals re-date an edited article;
- ``unlist(i)``: report ``i``'s entry leaves the list (its page still answers, as
  removed articles' pages often do).
"""
from __future__ import annotations

import copy
import re

from replicas.server import Response
from replicas.sites.synthetic import COLUMN, SyntheticSite


class EvolvingSite(SyntheticSite):
    def __init__(self, n: int):
        super().__init__(n)
        self.revisions: dict[int, list[tuple[str, object]]] = {}
        self.redated: dict[int, str] = {}
        self.unlisted: set[int] = set()

    # --- the switches
    def publish(self, n: int):
        self.n = n

    def revise(self, i: int, cell: str, value, listed_date: str):
        self.revisions.setdefault(i, []).append((cell, value))
        self.redated[i] = listed_date
        self.record.cache_clear()

    def unlist(self, i: int):
        self.unlisted.add(i)

    # --- what changes in what is served
    def _record(self, i: int) -> dict:
        rec = copy.deepcopy(super()._record(i))
        for cell, value in self.revisions.get(i, []):
            *path, last = cell.split(".")
            node = rec
            for key in path:
                node = node[key]
            node[last] = value
        return rec

    def _list(self, path: str) -> Response | None:
        resp = super()._list(path)
        if resp is None or not (self.unlisted or self.redated):
            return resp
        body = resp.body if isinstance(resp.body, str) else resp.body.decode("utf-8")
        for i in self.unlisted:
            body = re.sub(rf'<li><a href="\./{re.escape(self._rel(i))}".*?</li>', "", body)
        # the pager's record count drops with them, as a portal's total does
        gone = len([i for i in self.unlisted if i < self.n])
        body = re.sub(r"('shtml', )(\d+)(\);)", lambda m: f"{m[1]}{int(m[2]) - gone}{m[3]}", body)
        for i, date in self.redated.items():
            body = re.sub(rf'(<li><a href="\./{re.escape(self._rel(i))}".*?<span>)[^<]*(</span>)',
                          rf"\g<1>{date}\g<2>", body)
        return Response(resp.status, body, resp.content_type)

    def _rel(self, i: int) -> str:
        return self.url_path(i)[len(COLUMN):]
