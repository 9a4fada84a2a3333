"""Spider contracts for ``scrapy check``: each site spider's list callback, run on the
spider's own first list page (against the replicas with ``GXNB_REPLICA_PROXY``, or the
real portal), must find what a list page of that portal holds.

    @column                  the request: the spider's first list URL (column_urls / units_urls)
    @follows parse_report 5  the callback yields at least 5 requests to that callback
"""
from __future__ import annotations

from scrapy import Request
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


class ColumnContract(Contract):
    name = "column"

    def __init__(self, method, *args):
        super().__init__(method, *args)
        self.method = method  # bound to the spider being checked

    def adjust_request_args(self, args):
        spider = self.method.__self__
        urls = getattr(spider, "column_urls", ()) or getattr(spider, "units_urls", ())
        if not urls:
            raise ContractFail(f"{spider.name} names no list page (column_urls or units_urls)")
        args["url"] = urls[0]
        return args


class FollowsContract(Contract):
    name = "follows"

    def post_process(self, output):
        callback, least = self.args[0], int(self.args[1]) if len(self.args) > 1 else 1
        found = [r for r in output
                 if isinstance(r, Request) and getattr(r.callback, "__name__", None) == callback]
        if len(found) < least:
            raise ContractFail(f"{len(found)} requests to {callback}, expected at least {least}")
