"""The reading side's settings from the environment, read here only, each time asked.

The pipelines run outside a crawl too (the cluster's reading workers, `scrapy extract`,
the benchmarks) and have no ``-s``: what they need is read from the environment when it
is needed, so a process (or a test) may set it late. The crawl's settings are read in
``gxnb_spiders/settings.py``; gxnb_spiders may import this module, never the other way.
"""
from __future__ import annotations

import os

# name: default
ENVIRONMENT = {
    "GXNB_OCR_ENGINE": "rapidocr",  # or tesseract (pipelines/extract/ocr_engine.py)
    "GXNB_TESSERACT": "tesseract",  # the tesseract binary, for that engine
}


def from_environment(name: str) -> str:
    """The environment's value of ``name`` (one of ``ENVIRONMENT``), else its default."""
    return os.environ.get(name, ENVIRONMENT[name])
