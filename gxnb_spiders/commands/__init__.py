"""gxnb's scrapy commands: crawl, crawlall, demo, bodies, check, extract, reextract, export, diffreport, site.

``fail`` is how each of them says it cannot do its job.
"""
from __future__ import annotations

import sys


def fail(command, problem, status: int = 1) -> int:
    """One line on standard error, ``<command>: error: <problem>`` (the traceback of its
    cause only at ``--loglevel DEBUG``), and ``status`` as the command's exit status;
    returned too, for ``sys.exit`` where a command stops before its crawl starts."""
    print(f"{command.name}: error: {problem}", file=sys.stderr, flush=True)
    cause = getattr(problem, "__cause__", None)
    if cause is not None and str(command.settings.get("LOG_LEVEL")).upper() == "DEBUG":
        import traceback

        traceback.print_exception(cause, file=sys.stderr)
    command.exitcode = status
    return status
