"""Every number in a record says where it was read, and that place holds that number."""
from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess

import jsonschema
import pytest
from lxml import etree

from conftest import FIXTURES, ROOT
from corpus import ONE_OF, cells
from test_extract_seeds import SCHEMA, seed_path
from pipelines.extract import extract
from pipelines.validate import validate
from pipelines.workers import record_for


def numbers(record):
    return {path: v for path, v in cells(record).items() if v is not None}


def printed(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_covers_every_number(record, file):
    jsonschema.validate(record, SCHEMA)
    prov = record["provenance"]
    assert set(prov) == set(numbers(record))      # every number, and no blank cell
    for entry in prov.values():
        assert entry["file"] == file and entry["method"] in ("label", "position_checked")


@pytest.mark.parametrize("n", range(5))
def test_html_cells_point_at_their_td(n):
    path = FIXTURES / f"seed_00{n}.html"
    record = extract(path.read_bytes(), filename=path.name)
    check_covers_every_number(record, path.name)
    root = etree.HTML(path.read_bytes())
    for where, value in numbers(record).items():
        (td,) = root.xpath(record["provenance"][where]["locator"])
        assert td.tag == "td" and re.sub(r"\s", "", "".join(td.itertext())) == printed(value), where
        assert record["provenance"][where]["method"] == "label"


@pytest.mark.parametrize("name", ["seed_001.pdf", "seed_004.pdf", "rotated_seed_001.pdf"] + sorted(
    f"renderings/{p.name}" for p in (FIXTURES / "renderings").glob("libreoffice_*.pdf")))
def test_pdf_cells_point_at_their_box(name):
    """Exports by LibreOffice too: tables across pages, repeated headers, labels run over
    their cells."""
    import pdfplumber

    path = FIXTURES / name
    record = extract(path.read_bytes(), filename=path.name)
    check_covers_every_number(record, path.name)
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        for where, value in numbers(record).items():
            entry = record["provenance"][where]
            page = pdf.pages[entry["page"] - 1]
            x0, y0, x1, y1 = map(float, entry["locator"].split(","))
            # the contract's box counts from the bottom; pdfplumber's from the top. A cell
            # holds the glyphs centred in it (a glyph's box can reach into the next row),
            # its number and, where a label ran over its border, a stray character
            top, bottom = page.height - y1, page.height - y0
            box = page.filter(lambda o: o["object_type"] != "char" or (
                x0 <= (o["x0"] + o["x1"]) / 2 <= x1 and top <= (o["top"] + o["bottom"]) / 2 <= bottom))
            assert re.sub(r"[^\d.,-]", "", box.extract_text()) == printed(value), where


@pytest.mark.parametrize("n", range(5))
def test_text_cells_point_at_their_lines(n):
    path = seed_path(n)
    record = extract(path.read_bytes(), filename=path.name)
    check_covers_every_number(record, path.name)
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    for where, value in numbers(record).items():
        a, b = map(int, re.fullmatch(r"lines (\d+)-(\d+)", record["provenance"][where]["locator"]).groups())
        text = "\n".join(lines[a - 1:b])
        assert re.search(rf"(?<![\d.]){re.escape(printed(value))}(?![\d.])", text), (where, text)


def test_docx_cells_are_located():
    path = FIXTURES / "seed_003.docx"
    record = extract(path.read_bytes(), filename=path.name)
    check_covers_every_number(record, path.name)
    assert all("tc" in e["locator"] for e in record["provenance"].values())


def test_a_page_read_by_the_workers_names_the_page_and_its_sha256():
    body = (FIXTURES / "seed_000.html").read_bytes()
    record, source = record_for({"body": body, "url": "http://x.gov.cn/1.html", "attachments": []})
    assert source == "html"
    entries = list(record["provenance"].values())
    assert entries and all(e["file"] == "page" and e["sha256"] == hashlib.sha256(body).hexdigest()
                           for e in entries)


def test_an_attachment_read_by_the_workers_names_its_url():
    pdf = (FIXTURES / "seed_001.pdf").read_bytes()
    item = {"body": b"<html><body><p>see the attachment</p></body></html>", "url": "http://x.gov.cn/1.html",
            "attachments": [{"url": "http://x.gov.cn/files/report.pdf", "data": pdf}]}
    record, source = record_for(item)
    assert source == "http://x.gov.cn/files/report.pdf"
    assert {e["file"] for e in record["provenance"].values()} == {source}
    assert {e["sha256"] for e in record["provenance"].values()} == {hashlib.sha256(pdf).hexdigest()}


def test_blank_and_unconfirmed_cells_have_no_provenance():
    record = validate(extract(seed_path(0).read_text(encoding="utf-8").replace(
        "(一)予以公开\n\n11\n", "(一)予以公开\n\n12\n")))
    assert record["applications"]["granted"]["natural_person"] is None
    assert "applications.granted.natural_person" not in record["provenance"]
    assert record["provenance"]["applications.granted.total"]["method"] == "position_checked"


def test_explain_prints_each_cell_beside_its_source():
    path = FIXTURES / "seed_004.pdf"
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "scrapy"), "extract", "--explain", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    record = extract(path.read_bytes(), filename=path.name)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(str(path)) and "status" in lines[0]
    assert len(lines) == 1 + len(cells(record))
    entry = record["provenance"]["applications.new_received.total"]
    row = next(ln for ln in lines if "applications.new_received.total " in ln)
    assert row.split()[1] == "97" and entry["locator"] in row and f"p.{entry['page']}" in row


# ---- every text rendering: each locator points at lines that print its number -----------

TEXT_RENDERINGS = sorted(p for p in (FIXTURES / "renderings").iterdir() if p.suffix in (".txt", ".md"))


def _prints(value, text: str) -> int:
    """How many times a line's text prints a number whole."""
    return len(re.findall(rf"(?<![\d.]){re.escape(printed(value))}(?![\d.])", text))


def _wrapped(value, lines: list[str]) -> bool:
    """The number printed as its head and, on a later line, its rest (1866 / 8: a cell too narrow)."""
    tokens = [re.findall(r"\d+", line) for line in lines]
    want = printed(value)
    return any(want == head + rest for i, heads in enumerate(tokens) for head in heads
               for later in tokens[i + 1:] for rest in later)


@pytest.mark.parametrize("path", TEXT_RENDERINGS, ids=lambda p: p.name)
def test_text_renderings_locators_print_their_numbers(path):
    """Every number read from a text rendering names lines that print it: its own line (or a
    wrapped number's two), or, where the readings that add up take its value from one of several
    printed numbers (a zero of a row of zeros, whose column order the print does not show), the
    span of those with a note naming each line, every one of them printing it. No printed number
    is claimed by more cells than the line prints it."""
    text = path.read_text(encoding="utf-8")
    lines = text.replace("\r\n", "\n").split("\n")
    record = extract(text, filename=path.name)
    claims: dict = {}
    for where, value in numbers(record).items():
        entry = record["provenance"][where]
        a, b = map(int, re.fullmatch(r"lines (\d+)-(\d+)", entry["locator"]).groups())
        span = lines[a - 1:b]
        one_of = ONE_OF.search(entry["note"] or "")
        if one_of:
            count, number, named = int(one_of.group(1)), one_of.group(2), one_of.group(3).split(", ")
            assert number == printed(value) and len(named) == count, (where, entry)
            for n in named:
                lo, hi = (int(x) for x in n.split("-")) if "-" in n else (int(n), int(n))
                assert a <= lo <= hi <= b and _prints(value, "\n".join(lines[lo - 1:hi])), (where, n, entry)
            continue
        assert _prints(value, "\n".join(span)) or _wrapped(value, span), (where, value, entry["locator"], span)
        if a == b:
            claims.setdefault((a, value), []).append(where)
    over = {k: ws for k, ws in claims.items() if len(ws) > _prints(k[1], lines[k[0] - 1])}
    assert not over, over
