"""What is checked before a crawl starts, so that a wrong input costs one clear line and
a non-zero exit instead of a crawl that fails half-way: the spider's name and arguments,
the database, the raw archive and the ``-o``/``FEEDS`` files.

Each check raises ``CannotStart`` with a message that says what is wrong and what to do.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from gxnb_spiders import config


class CannotStart(Exception):
    """A crawl that must not start; ``str()`` is one line for the person who asked."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line, without the wrapping SQLAlchemy adds (the
    driver's class name, a link to its documentation) or the driver's own advice."""
    text = str(exc).split("(Background on this error")[0].split("Is the server running")[0]
    text = re.sub(r"\b\w+Error: \([\w.]+\) (connection failed: )?", "", text)
    return " ".join(text.split()).rstrip(" .") or type(exc).__name__


def spider_class(spider_loader, name: str):
    try:
        return spider_loader.load(name)
    except KeyError:
        raise CannotStart(f"no spider named {name!r}: `scrapy list` shows the spiders "
                          f"({', '.join(sorted(spider_loader.list()))})") from None


def spider_arguments(spidercls, spargs: dict, settings) -> None:
    """Build the spider once, as a crawl would, with its ``-a`` arguments: what it
    refuses (a malformed year range, a missing URL, an unknown registry id) is refused here."""
    from scrapy.crawler import Crawler

    try:
        spidercls.from_crawler(Crawler(spidercls, settings), **spargs)
    except (ValueError, TypeError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise CannotStart(f"{spidercls.name}: {message}") from exc


def storage(settings) -> None:
    """The database opens (and is migrated), the raw archive's directory takes files."""
    from sqlalchemy.engine import make_url

    url = config.database_url(settings)
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise CannotStart(f"GXNB_DATABASE_URL={url!r} is not a database URL: write "
                          "sqlite:////path/to/gxnb.sqlite or postgresql+psycopg://user@host:5432/dbname") from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _writable_dir(Path(parsed.database).parent, "the database's directory",
                      "GXNB_OUTPUT_DIR (or GXNB_DATABASE_URL)")
    raw = config.raw_dir(settings)
    if "://" not in raw:  # s3://bucket/prefix: the store checks it when it opens
        _writable_dir(Path(raw), "the raw archive", "GXNB_RAW_DIR (or GXNB_OUTPUT_DIR)")
    try:
        config.open_store(settings).close()
    except Exception as exc:
        hint = ("is the server running, and GXNB_DATABASE_URL right?" if parsed.get_backend_name() != "sqlite"
                else "is it a gxnb database, and writable? (GXNB_DATABASE_URL, GXNB_OUTPUT_DIR)")
        raise CannotStart(f"{one_line(exc)}; {hint}") from exc


def feeds(settings) -> None:
    """Every local ``-o``/``FEEDS`` file can be written (Scrapy would fail on the first item)."""
    for uri in settings.getdict("FEEDS"):
        uri = str(uri)
        parts = urlsplit(uri)
        if parts.scheme not in ("", "file") or uri == "-":
            continue  # s3://, ftp://, stdout: are for their own storages to check
        path = Path(parts.path if parts.scheme == "file" else uri)
        if "%(" in str(path.parent):
            continue  # a name made per spider/time: its directory is not known yet
        _writable_dir(path.parent, f"the output file {path}", "-o/-O")
        if path.exists() and not os.access(path, os.W_OK):
            raise CannotStart(f"cannot write the output file {path}: it is read-only; choose another with -o/-O")


def _writable_dir(path: Path, what: str, setting: str) -> None:
    """``path`` (or, when it is not there yet, the directory it would be made in) takes a
    new file. Nothing is left behind."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "not a directory", str(existing))
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        reason = (exc.strerror or one_line(exc)).lower()
        raise CannotStart(f"cannot write {what} in {path} ({existing}: {reason}); "
                          f"choose a writable directory with {setting}") from exc
