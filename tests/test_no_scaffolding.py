"""The product carries no test scaffolding: with the ``replicas`` package unimportable (a
meta-path blocker in a fresh interpreter), every module of gxnb_spiders and pipelines
imports and ``scrapy list`` runs, listing the portals and not the replicas' own spiders."""
from __future__ import annotations

import subprocess
import sys

from crawling import ROOT

# installed first in the child interpreter: any import of replicas fails as a missing package would
BLOCK_REPLICAS = '''
import sys

class NoReplicas:
    def find_spec(self, name, path=None, target=None):
        if name == "replicas" or name.startswith("replicas."):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None

sys.meta_path.insert(0, NoReplicas())
'''

IMPORT_ALL = BLOCK_REPLICAS + '''
import importlib, pkgutil
for package in ("gxnb_spiders", "pipelines"):
    pkg = importlib.import_module(package)
    for mod in pkgutil.walk_packages(pkg.__path__, package + "."):
        # Alembic's scripts run only inside Alembic; __main__ modules run only as scripts
        if ".migrations." in mod.name or mod.name.endswith("__main__"):
            continue
        importlib.import_module(mod.name)
assert not any(m == "replicas" or m.startswith("replicas.") for m in sys.modules)
print("imported", sum(m.startswith(("gxnb_spiders", "pipelines")) for m in sys.modules))
'''

SCRAPY_LIST = BLOCK_REPLICAS + '''
from scrapy.cmdline import execute
sys.argv = ["scrapy", "list"]
execute()
'''


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_every_module_imports_without_the_replicas():
    res = run(IMPORT_ALL)
    assert res.returncode == 0, res.stderr[-3000:]
    assert int(res.stdout.split()[-1]) > 50  # the walk found the packages' modules


def test_scrapy_list_runs_without_the_replicas():
    res = run(SCRAPY_LIST)
    assert res.returncode == 0, res.stderr[-3000:]
    names = res.stdout.split()
    assert {"dt", "laiyang", "lyghz", "muping", "generic", "portal"} <= set(names)
    assert "synthetic" not in names


def test_the_blocker_blocks():
    res = run(BLOCK_REPLICAS + "import replicas.server")
    assert res.returncode != 0 and "blocked by the test" in res.stderr
