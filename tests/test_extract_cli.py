"""`scrapy extract PATH [PATH ...]` as a person runs it."""
from __future__ import annotations

import json
import subprocess

import jsonschema

from conftest import FIXTURES, ROOT
from test_extract_seeds import SCHEMA, expected, seed_path, without_provenance


def run(*args):
    return subprocess.run([str(ROOT / ".venv" / "bin" / "scrapy"), "extract", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_prints_one_record_per_input_and_fails_after_the_rest_on_an_unreadable_path(tmp_path):
    paths = [seed_path(0), tmp_path / "missing.html", seed_path(1)]
    html = FIXTURES / "seed_002.html"
    if html.exists():
        paths.append(html)
    proc = run(*paths)
    assert proc.returncode == 1
    assert "missing.html" in proc.stderr and "cannot read" in proc.stderr
    lines = proc.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(paths) - 1
    for record in records:
        jsonschema.validate(record, SCHEMA)
    assert without_provenance(records[0]) == expected(0) and without_provenance(records[1]) == expected(1)
    if html.exists():
        assert without_provenance(records[2]) == expected(2)


def test_all_readable_exits_zero_and_keeps_bad_files_as_unparsed(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    proc = run(seed_path(3), junk, "--json")
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(x) for x in proc.stdout.splitlines())
    assert without_provenance(first) == expected(3)
    assert second["status"] == "unparsed" and second["findings"]
