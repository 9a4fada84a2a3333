"""Each extra holds what it is for: the runtime does not need the replicas' report makers
(reportlab, python-docx: the `demo` extra, installed by `make demo`), and what the runtime
code imports is a runtime dependency; without the demo extra `scrapy demo` says what to
install."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import tomllib

from crawling import ROOT, SCRAPY

NOT_AT_RUNTIME = {"reportlab": "reportlab", "docx": "python-docx"}
# modules of packages that a runtime dependency may or may not be needed for
CHECKED = {"jsonschema": "jsonschema", "rich": "rich", "opencc": "opencc", "pebble": "pebble"}


def names(requirements) -> set[str]:
    return {re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower() for r in requirements}


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module.split(".")[0])
    return out


def test_extras_hold_what_they_are_for():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, extras = names(project["dependencies"]), project["optional-dependencies"]
    assert not runtime & set(NOT_AT_RUNTIME.values())
    assert names(extras["demo"]) >= {"reportlab", "python-docx"}
    assert any(re.fullmatch(r"gxnb\[[\w,]*\bdemo\b[\w,]*\]", r) for r in extras["dev"])  # dev includes demo
    # the code that runs a crawl does not import them: only the replicas do
    runtime_code = [p for d in ("gxnb_spiders", "pipelines") for p in (ROOT / d).rglob("*.py")]
    for path in runtime_code:
        imported = imported_modules(path)
        assert not imported & set(NOT_AT_RUNTIME), path
        for module in imported & set(CHECKED):
            assert CHECKED[module] in runtime, (path, module)
    replicas = set().union(*(imported_modules(p) for p in (ROOT / "replicas").rglob("*.py")))
    assert replicas >= {"reportlab", "docx"}
    assert ".[dev,demo]" in (ROOT / "Makefile").read_text()


def test_demo_without_its_extra_says_what_to_install(tmp_path):
    # a Python where reportlab is not installed: its import fails as for a missing package
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class NoReportlab:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'reportlab':\n"
        "            raise ModuleNotFoundError(\"No module named 'reportlab'\")\n"
        "sys.meta_path.insert(0, NoReportlab())\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path), GXNB_OUTPUT_DIR=str(tmp_path / "out"))
    res = subprocess.run([SCRAPY, "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 1
    assert res.stderr.strip() == ("demo: error: the replicas need reportlab to make their reports: "
                                  "pip install -e '.[demo]' (`make demo` does)")
    assert not (tmp_path / "out").exists()
