"""Settings are read from the environment in one place per side: ``settings.py`` for a
crawl's settings (``-s`` overrides them), ``config.ENVIRONMENT`` for the processes that
are no crawl (the cluster), ``pipelines/settings.py`` for the reading side (the OCR
engine), which never imports the crawler package; the README lists every one of them."""
from __future__ import annotations

import ast
import re

from crawling import ROOT
from gxnb_spiders import config
from pipelines import settings as reading

ONE_PLACE = {ROOT / "gxnb_spiders" / "settings.py", ROOT / "gxnb_spiders" / "config.py",
             ROOT / "pipelines" / "settings.py"}


def environment_reads(path) -> list[str]:
    """The GXNB_ names this module reads from the environment (os.environ.get/[…], os.getenv)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            func, key = ast.unparse(node.func), node.args[0]
        elif isinstance(node, ast.Subscript):
            func, key = ast.unparse(node.value), node.slice
        else:
            continue
        if func in ("os.environ.get", "os.getenv", "environ.get", "getenv", "os.environ", "environ") \
                and isinstance(key, ast.Constant) and str(key.value).startswith("GXNB_"):
            names.append(key.value)
    return names


def test_the_product_reads_its_settings_from_the_environment_in_one_place():
    elsewhere = {}
    for package in ("gxnb_spiders", "pipelines"):
        for path in (ROOT / package).rglob("*.py"):
            if path not in ONE_PLACE and environment_reads(path):
                elsewhere[str(path.relative_to(ROOT))] = environment_reads(path)
    assert elsewhere == {}
    # what settings.py reads is a Scrapy setting; what config and pipelines/settings.py
    # read, a name of their ENVIRONMENT
    assert set(environment_reads(ROOT / "gxnb_spiders" / "config.py")) <= set(config.ENVIRONMENT)
    assert set(environment_reads(ROOT / "pipelines" / "settings.py")) <= set(reading.ENVIRONMENT)


def test_the_readme_lists_every_setting():
    read = (set(environment_reads(ROOT / "gxnb_spiders" / "settings.py")) | set(config.ENVIRONMENT)
            | set(reading.ENVIRONMENT))
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Settings"):]
    section = section[:section.index("\n## ", 1)]
    listed = set(re.findall(r"^\| `(GXNB_\w+)`", section, re.M))
    assert read <= listed, sorted(read - listed)


def test_the_cluster_and_ocr_settings_come_from_the_environment_when_asked(monkeypatch):
    from gxnb_spiders.cluster.app import queue
    from pipelines.extract import ocr_engine

    monkeypatch.setenv("GXNB_QUEUE_PREFIX", "late-")
    assert queue("crawl") == "late-crawl"
    monkeypatch.setenv("GXNB_CRAWL_TIMEOUT", "90")
    assert config.crawl_timeout() == 90.0
    monkeypatch.setenv("GXNB_DATABASE_URL", "postgresql+psycopg://db/gxnb")
    monkeypatch.delenv("GXNB_LOCK_URL", raising=False)
    assert config.lock_url(config.project_settings()) == "postgresql+psycopg://db/gxnb"
    monkeypatch.setenv("GXNB_LOCK_URL", "postgresql+psycopg://locks/gxnb")
    assert config.lock_url(config.project_settings()) == "postgresql+psycopg://locks/gxnb"

    monkeypatch.setattr(ocr_engine, "_ENGINES", {})
    monkeypatch.setenv("GXNB_OCR_ENGINE", "tesseract")
    monkeypatch.setenv("GXNB_TESSERACT", "/opt/tesseract/bin/tesseract")
    chosen = ocr_engine.engine()
    assert chosen.name == "tesseract" and chosen.binary == "/opt/tesseract/bin/tesseract"
