"""The diff report as Markdown, a self-contained HTML page, or JSON.

Each renderer takes the ``DiffReport`` dict of ``pipelines.diff.diff`` and returns text.
"""
from pipelines.render.html import html
from pipelines.render.json import json_text
from pipelines.render.md import markdown

FORMATS = {"md": markdown, "html": html, "json": json_text}


def render(report: dict, fmt: str = "md") -> str:
    try:
        return FORMATS[fmt](report)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


__all__ = ["FORMATS", "render", "markdown", "html", "json_text"]
