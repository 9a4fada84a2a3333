"""The reading side never depends on the crawler: gxnb_spiders imports pipelines, never
the other way, so the pipelines run (cluster workers, `scrapy extract`, the benchmarks)
without the crawler package, and its changes never reach them. Every import counts,
those inside functions too."""
from __future__ import annotations

import ast

from crawling import ROOT


def imported_modules(path) -> list[tuple[int, str]]:
    """``(line, module)`` of every import statement of a module, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_no_module_under_pipelines_imports_gxnb_spiders():
    upward = [f"{path.relative_to(ROOT)}:{line}: {module}"
              for path in sorted((ROOT / "pipelines").rglob("*.py"))
              for line, module in imported_modules(path)
              if module == "gxnb_spiders" or module.startswith("gxnb_spiders.")]
    assert upward == []


def test_the_walk_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\ndef f():\n    from gxnb_spiders.config import x\n", "utf-8")
    assert imported_modules(module) == [(1, "os"), (3, "gxnb_spiders.config")]
