"""A wheel built from the tracked files (as a fresh clone has them: no egg-info of an
editable install to fill gaps) carries what the installed packages read at run time:
every file git tracks under gxnb_spiders/, pipelines/ and replicas/ (the portal registry,
templates, migrations, the replicas' seed records …), notes for people (*.md) aside."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from crawling import ROOT

PACKAGES = ("gxnb_spiders", "pipelines", "replicas")


def tracked(*paths: str) -> list[str]:
    return subprocess.run(["git", "ls-files", *paths], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.split()


def test_the_wheel_holds_every_file_of_the_packages(tmp_path):
    source = tmp_path / "source"
    for name in tracked():
        if (ROOT / name).is_file():  # as in the working tree: what this change would commit
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
                           capture_output=True, text=True, timeout=240)
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = tmp_path.glob("gxnb-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    files = tracked(*PACKAGES)
    assert {f"replicas/data/records/seed_00{i}.json" for i in range(5)} <= set(files)
    assert [f for f in files if f not in packed and not f.endswith(".md")] == []
