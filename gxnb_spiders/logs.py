"""What the crawl log says: items by their URL, errors on one line, no library chatter.

- ``LogFormatter`` (``LOG_FORMATTER``): a scraped, dropped or failing item is logged by its
  URL and title, never dumped with its fields (a report's raw page and files are megabytes).
- ``QuietLog`` (an extension): below ``LOG_LEVEL = DEBUG`` an error's traceback becomes
  one line (its type and message) and Alembic's start-up lines are left out; at DEBUG the
  log is Scrapy's own.
"""
from __future__ import annotations

import logging
import re

from scrapy import logformatter, signals
from scrapy.utils.log import get_scrapy_root_handler


def _about(item) -> str:
    get = getattr(item, "get", None)
    if get is None:
        return type(item).__name__
    url = get("url") or "?"
    title = get("title")
    return f"{url} ({title})" if title else str(url)


class LogFormatter(logformatter.LogFormatter):
    def scraped(self, item, response, spider):
        out = super().scraped(item, response, spider)
        out["msg"] = "Scraped %(item)s"
        out["args"] = {"item": _about(item)}
        return out

    def dropped(self, item, exception, response, spider):
        out = super().dropped(item, exception, response, spider)
        out["msg"] = "Dropped %(item)s: %(exception)s"
        out["args"] = {"item": _about(item), "exception": exception}
        return out

    def item_error(self, item, exception, response, spider):
        out = super().item_error(item, exception, response, spider)
        out["args"] = {"item": _about(item)}
        return out


# a traceback printed into a message's text (spidermon's report of a failed monitor)
_TRACEBACK_TEXT_RE = re.compile(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)*")


class OneLineErrors(logging.Filter):
    """An error's traceback as one line: ``…: ValueError: bad value``."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            text = " ".join(str(exc).split()) or "(no message)"
            record.msg = f"{record.getMessage()}: {type(exc).__name__}: {text}"
            record.args = ()
            record.exc_info = record.exc_text = None
        elif isinstance(record.msg, str) and "Traceback (most recent call last)" in record.msg:
            record.msg = _TRACEBACK_TEXT_RE.sub("", record.getMessage())
            record.args = ()
        return True


def one_line_errors(handler: logging.Handler | None) -> None:
    if handler is not None and not any(isinstance(f, OneLineErrors) for f in handler.filters):
        handler.addFilter(OneLineErrors())


class QuietLog:
    def __init__(self, crawler):
        self.quiet = crawler.settings.get("LOG_LEVEL") not in ("DEBUG", logging.DEBUG)
        if self.quiet:
            logging.getLogger("alembic").setLevel(logging.WARNING)

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        # each crawler installs a new root handler after its extensions are made
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    def spider_opened(self, spider):
        if self.quiet:
            one_line_errors(get_scrapy_root_handler())
