"""Where gxnb's data goes, read from the Scrapy settings: the one place that turns
``GXNB_OUTPUT_DIR`` / ``GXNB_DATABASE_URL`` / ``GXNB_RAW_DIR`` into paths, and opens the
store they name (``open_store``: the pure code below takes them as arguments).

Each may come from the environment (read once, in ``settings.py``) or from ``-s`` on the
command line (which wins). The database and the archive follow the output directory
unless they are named themselves, so ``-s GXNB_OUTPUT_DIR=/data/gxnb`` moves both.

The settings of processes that are no crawl (the cluster's Celery workers and beat) have
no ``-s``: they are read from the environment here too (``ENVIRONMENT``,
``from_environment``), each time they are asked for; the reading side's own (the OCR
engine) in ``pipelines/settings.py``, which the pipelines read without this package.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url


def output_dir(settings) -> Path:
    return Path(settings.get("GXNB_OUTPUT_DIR"))


def database_url(settings) -> str:
    return settings.get("GXNB_DATABASE_URL") or "sqlite:///" + str(output_dir(settings) / "gxnb.sqlite")


def raw_dir(settings) -> str:
    return settings.get("GXNB_RAW_DIR") or str(output_dir(settings) / "raw")


def reading_limits(settings) -> tuple[int | None, float, int]:
    """``(processes, timeout, memory_mb)`` of the workers that read reports (pipelines/workers.py):
    ``GXNB_EXTRACT_WORKERS`` (unset: the default), ``GXNB_EXTRACT_TIMEOUT``, ``GXNB_EXTRACT_MEMORY_MB``."""
    from pipelines.workers import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

    processes = settings.get("GXNB_EXTRACT_WORKERS")
    return (None if processes in (None, "") else int(processes),
            settings.getfloat("GXNB_EXTRACT_TIMEOUT", DEFAULT_TIMEOUT),
            settings.getint("GXNB_EXTRACT_MEMORY_MB", DEFAULT_MEMORY_MB))


def open_store(settings):
    """The store these settings name (database and raw archive), opened: migrated and
    checked, or ``StoreUnavailable`` saying why."""
    from pipelines.store import Store

    return Store(database_url(settings), raw_dir(settings))


def project_settings():
    """The settings a crawl would have (settings.py, reading the environment now), for code
    that runs outside a Scrapy command: the cluster's workers."""
    import importlib

    from scrapy.settings import Settings

    from gxnb_spiders import settings as module

    settings = Settings()
    settings.setmodule(importlib.reload(module), priority="project")
    return settings


def database_for_humans(settings) -> str:
    """The database URL without its password, or the URL as given when it is not one."""
    url = database_url(settings)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


# name: default (empty: unset). Read when asked, so a process (or a test) may set them late.
ENVIRONMENT = {
    "GXNB_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",  # the cluster's RabbitMQ
    "GXNB_QUEUE_PREFIX": "",  # prefix of the queue names (tests and benchmarks side by side)
    "GXNB_LOCK_URL": "",  # where the portal locks live; empty: the database (lock_url)
    "GXNB_CRAWL_TIMEOUT": str(6 * 3600),  # seconds one portal's crawl may take in a worker
}


def from_environment(name: str) -> str:
    """The environment's value of ``name`` (one of ``ENVIRONMENT``), else its default."""
    return os.environ.get(name, ENVIRONMENT[name])


def lock_url(settings) -> str:
    """Where the cluster's portal locks live: ``GXNB_LOCK_URL``, else the database."""
    return from_environment("GXNB_LOCK_URL") or database_url(settings)


def crawl_timeout() -> float:
    return float(from_environment("GXNB_CRAWL_TIMEOUT"))
