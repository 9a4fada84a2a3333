"""The OCR reader, over scans made from our own PDF fixtures (scripts/make_scans.py: skew,
grey paper, specks, blur, JPEG; deterministic), compared with what the same PDF's text
layer gives. A couple of pages each: the full corpus is benchmarks/ocr.py's job."""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import numpy as np
import pytest

from pipelines.diff import flatten_cells
from pipelines.extract import extract, ocr, sniff
from pipelines.validate import validate
from pipelines.workers import Workers

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))
from make_scans import rasterise, scan_image, scan_pdf  # noqa: E402


def numbers(record: dict) -> dict:
    return {k: v for k, v in flatten_cells(record).items() if v is not None}


@pytest.fixture(scope="module")
def seed_001():
    original = (FIXTURES / "seed_001.pdf").read_bytes()
    return original, validate(extract(original, filename="seed_001.pdf"))


def test_scanned_pdf_reads_the_same_numbers_as_its_text_layer(seed_001):
    original, truth = seed_001
    scan = scan_pdf(original, 150, "seed_001")
    assert sniff(scan) == "pdf"
    got = validate(extract(scan, filename="scan.pdf"))
    assert got["status"] == "valid", got["findings"]
    assert numbers(got) == numbers(truth) and len(numbers(truth)) > 150
    assert (got["year"], got["agency"]) == (truth["year"], truth["agency"])
    assert "ocr_read" in {f["rule"] for f in got["findings"]}


def test_a_picture_of_a_table_is_read(seed_001):
    # page 2 of the report as a JPEG, as portals post tables: table 三 and 四 are on it
    original, truth = seed_001
    picture = scan_image(original, 200, "seed_001", page=1, fmt="JPEG")
    assert sniff(picture, "table.jpg") == "image"
    got = validate(extract(picture, filename="table.jpg"))
    assert got["applications"] == truth["applications"]
    assert got["review_litigation"] == truth["review_litigation"]


def test_skew_is_measured_and_undone():
    page = np.asarray(rasterise((FIXTURES / "seed_003.pdf").read_bytes(), 100)[0])
    from PIL import Image

    for angle in (-0.8, 0.6):
        turned = np.asarray(Image.fromarray(page).rotate(angle, fillcolor=255, resample=Image.BICUBIC))
        assert abs(ocr.skew_angle(turned) + angle) <= 0.1


def test_stray_marks_around_a_number_are_dropped_but_not_a_leading_point():
    assert ocr.tidy_number("0，") == "0"
    assert ocr.tidy_number("15.") == "15"
    assert ocr.tidy_number(".15") == ".15"        # 0.15 written short is no 15
    assert ocr.tidy_number("1,234") == "1,234"
    assert ocr.tidy_number("申请") == "申请"


def test_a_broken_picture_gives_a_finding():
    got = extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, filename="broken.png")
    assert got["status"] == "unparsed"
    assert [f["rule"] for f in got["findings"]][:1] == ["unreadable_file"]
    assert "broken.png" in got["findings"][0]["message"]


def test_a_crawl_reads_a_scanned_attachment_in_a_worker_process(seed_001):
    """Where reading runs: the worker pool, with its time limit. The page has no tables;
    its attachment is a scan."""
    original, truth = seed_001
    item = {"url": "http://example.gov.cn/art/1.html", "body": b"<html><body><p>\xe8\xa7\x81\xe9\x99\x84\xe4\xbb\xb6</p></body></html>",
            "content_type": "text/html; charset=utf-8", "year": 2020, "title": None, "body_name": None,
            "attachments": [{"url": "http://example.gov.cn/1.pdf", "name": "1.pdf",
                             "data": scan_pdf(original, 150, "seed_001"), "content_type": "application/pdf"}]}
    workers = Workers(processes=1, timeout=240)
    try:
        record, source = asyncio.run(workers.read(item))
    finally:
        workers.close()
    assert source == "http://example.gov.cn/1.pdf"
    assert record["status"] == "valid", record["findings"]
    assert numbers(record) == numbers(truth)


def _ocr_provenance(record: dict, confidence: float) -> dict:
    return {path: {"file": "scan.pdf", "sha256": None, "page": 1, "locator": "0,0,1,1",
                   "method": "ocr", "confidence": confidence, "note": None} for path in numbers(record)}


def test_an_unsure_ocr_number_stands_only_where_the_sums_confirm_it(seed_001):
    import copy

    from pipelines.extract.confirm import OCR_SURE, confirm

    _, truth = seed_001
    record = copy.deepcopy(truth)
    provenance = _ocr_provenance(record, OCR_SURE - 0.3)
    # a misread digit: row 新收 no longer adds up, nor does its column's balance
    record["applications"]["new_received"]["natural_person"] += 10
    findings: list = []
    confirm(record["template"], record["applications"], record["review_litigation"], provenance,
            findings, record["active_disclosure"])
    assert record["applications"]["new_received"]["natural_person"] is None
    assert "applications.new_received.natural_person" not in provenance
    assert record["applications"]["granted"] == truth["applications"]["granted"]   # its sums hold
    assert record["review_litigation"] == truth["review_litigation"]
    # table 二 has no sums within a report: an unsure reading there is never kept
    assert all(v is None for row in record["active_disclosure"].values() for v in row.values())
    rules = {(f["rule"], f["table"], f["row"], f["column"]) for f in findings}
    assert ("ocr_unconfirmed", "applications", "new_received", "natural_person") in rules
    assert all(f["rule"] == "ocr_unconfirmed" for f in findings)


def test_a_sure_ocr_number_stands_on_its_own(seed_001):
    import copy

    from pipelines.extract.confirm import OCR_SURE, confirm

    _, truth = seed_001
    record = copy.deepcopy(truth)
    provenance = _ocr_provenance(record, OCR_SURE)
    findings: list = []
    confirm(record["template"], record["applications"], record["review_litigation"], provenance,
            findings, record["active_disclosure"])
    assert findings == [] and numbers(record) == numbers(truth)


def test_a_sure_ocr_number_stands_only_where_the_sums_confirm_it_too(seed_001):
    """A sure engine reads what it is shown: a 16 whose 1 was lost at 100 dpi is a sure 6.
    In tables 三 and 四 the sums decide, whatever the confidence."""
    import copy

    from pipelines.extract.confirm import OCR_SURE, confirm

    _, truth = seed_001
    record = copy.deepcopy(truth)
    provenance = _ocr_provenance(record, min(1.0, OCR_SURE + 0.15))
    record["applications"]["new_received"]["natural_person"] -= 10
    findings: list = []
    confirm(record["template"], record["applications"], record["review_litigation"], provenance,
            findings, record["active_disclosure"])
    assert record["applications"]["new_received"]["natural_person"] is None
    assert record["applications"]["granted"] == truth["applications"]["granted"]
    assert record["active_disclosure"] == truth["active_disclosure"]      # sure, and no sums there
    assert [(f["rule"], f["row"], f["column"]) for f in findings] == [
        ("ocr_unconfirmed", "new_received", "natural_person")]
