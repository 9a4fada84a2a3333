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
    # said as every command says it cannot do its job (commands.fail), the rest still read
    assert proc.stderr == f"extract: error: cannot read {tmp_path / 'missing.html'}: No such file or directory\n"
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


def test_every_unreadable_path_is_one_line_and_the_readable_ones_are_printed(tmp_path):
    folder = tmp_path / "a-folder.pdf"
    folder.mkdir()
    proc = run(folder, seed_path(0), tmp_path / "gone.pdf")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"extract: error: cannot read {folder}: Is a directory",
                                        f"extract: error: cannot read {tmp_path / 'gone.pdf'}: No such file or directory"]
    assert [without_provenance(json.loads(x)) for x in proc.stdout.splitlines()] == [expected(0)]


def test_an_unreadable_previous_record_is_one_line_and_the_files_are_still_read(tmp_path):
    bad = tmp_path / "last-year.json"
    bad.write_text("{not json", "utf-8")
    proc = run(seed_path(0), "--previous", bad)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"extract: error: cannot read --previous {bad}: not a JSON record (")
    assert len(proc.stderr.splitlines()) == 1
    assert without_provenance(json.loads(proc.stdout)) == expected(0)


def test_no_path_is_a_usage_error():
    proc = run()
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1].endswith("error: give one or more report files (HTML, text, PDF, Word)")
