"""One finding constructor, one severity per rule (pipelines/record.py): a rule says the
same thing from every reader and path, and the diff report, which shows errors only,
sees every file that could not be read."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipelines.diff import diff
from pipelines.extract import extract
from pipelines.record import SEVERITY, empty_record, finding
from pipelines.report import finish

FIXTURES = Path(__file__).parent / "fixtures"
FINDING_KEYS = {"rule", "severity", "table", "row", "column", "expected", "actual", "message"}


def _zip(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


# a file each reader fails on, each through its own code: pdf.py, docx.py, ocr.py, limits.py
UNREADABLE = {
    "broken.pdf": b"%PDF-1.7\n" + b"\x00garbage" * 200,
    "broken.docx": _zip({"word/document.xml": b"<w:document><unclosed"}),
    "broken.png": b"\x89PNG\r\n\x1a\n" + b"\x00not an image" * 50,
    "huge.txt": ("申请" * 1_100_000).encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_file_is_the_same_error_from_every_reader(name):
    record = finish({}, extract(UNREADABLE[name], filename=name))
    [unreadable] = [f for f in record["findings"] if f["rule"] == "unreadable_file"]
    assert unreadable["severity"] == "error"
    assert record["status"] == "unparsed"
    # the diff report lists errors only: this one is there
    entry = {"url": f"http://www.example.gov.cn/{name}", "portal": "p", "year": 2023, "record": record}
    new = diff([], [entry], date(2024, 6, 1))["new_findings"]
    assert "unreadable_file" in {f["rule"] for f in new}


def test_every_finding_has_its_rules_severity_and_the_contracts_shape():
    seen = set()
    blank = (FIXTURES / "seed_000.html").read_text("utf-8").replace(">4<o:p>", "><o:p>", 1)  # a blank cell
    inputs = {"seed_000.html": blank.encode("utf-8"), **UNREADABLE}
    for name in ("image_only.pdf", "cid_glyphs.pdf", "empty.docx"):
        inputs[name] = (FIXTURES / name).read_bytes()
    for name, data in inputs.items():
        record = finish({}, extract(data, filename=name))
        assert set(record) >= set(empty_record())
        for f in record["findings"]:
            assert set(f) == FINDING_KEYS, f
            assert f["severity"] == SEVERITY[f["rule"]], f
            seen.add(f["rule"])
    assert {"missing", "unreadable_file", "no_tables", "ocr_read"} <= seen, seen


def test_a_rule_without_a_severity_cannot_be_made():
    assert finding("row_total", "x")["severity"] == "error"
    assert finding("missing", "x", table="applications")["table"] == "applications"
    with pytest.raises(KeyError):
        finding("no_such_rule", "a rule must be given its severity in SEVERITY first")
