"""A report whose tables are pictures pasted into the page's article (issue 16 item 1):
the spider hands the article's <img> on as candidate documents (``data:`` ones as they
are), and when the page's text has no tables the reading side reads them by OCR, all
the pictures together as one document in page order. The pictures are scans made from
our own PDF fixture (scripts/make_scans.py), pasted into an HTML page."""
from __future__ import annotations

import asyncio
import base64
import sys
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from gxnb_spiders.platforms.base import attachment_links
from pipelines.extract import extract
from pipelines.validate import validate
from pipelines.workers import Workers, documents

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from make_scans import scan_image  # noqa: E402

URL = "http://www.example.gov.cn/art/2021/1/20/art_1_1.html"
ICON = base64.b64encode(bytes.fromhex(  # a 1×1 GIF: the kind of icon articles put beside links
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")).decode()


def article(pictures: list[str]) -> bytes:
    imgs = "".join(f'<p><img src="{src}" alt="表{i}"></p>' for i, src in enumerate(pictures, 1))
    return (f"<html><head><title>海州区政府办公室2020年度政府信息公开工作年度报告</title></head><body>"
            f"<img src='/images/logo.png' alt='logo'>"
            f"<div id='zoom'><p>海州区政府办公室2020年度政府信息公开工作年度报告</p>"
            f"<p><img src='data:image/gif;base64,{ICON}'>附件下载</p>{imgs}</div></body></html>").encode()


def test_the_spider_hands_on_the_articles_pictures_not_the_pages():
    body = article(["/pic/t1.jpg", "data:image/png;base64,iVBORw0KGgo=", "/pic/t1.jpg"])
    response = HtmlResponse(URL, body=body, encoding="utf-8")
    found = attachment_links(response, "//div[@id='zoom']", pictures=True)
    assert [a["url"][:22] for a in found] == ["data:image/gif;base64,", "http://www.example.gov",
                                               "data:image/png;base64,"]
    assert found[1]["url"] == "http://www.example.gov.cn/pic/t1.jpg" and found[1]["name"] == "表1"
    assert all(a["kind"] == "image" for a in found)
    assert attachment_links(response, "//div[@id='zoom']") == []  # only with the article known


def numbers(node, prefix="") -> dict:
    if isinstance(node, dict):
        return {k: v for key, sub in node.items() for k, v in numbers(sub, f"{prefix}.{key}").items()}
    return {} if node is None else {prefix: node}


@pytest.fixture(scope="module")
def seed_001():
    original = (ROOT / "tests" / "fixtures" / "seed_001.pdf").read_bytes()
    return original, validate(extract(original, filename="seed_001.pdf"))


def test_pictures_of_the_tables_are_read_together_in_page_order(seed_001):
    original, truth = seed_001
    first = scan_image(original, 150, "seed_001", page=0, fmt="PNG")    # 一 and 二, pasted as data:
    second = scan_image(original, 150, "seed_001", page=1, fmt="JPEG")  # 三 and 四, a linked picture
    served = {"http://www.example.gov.cn/pic/2.jpg": second}
    item = {"url": URL, "body": article([f"data:image/png;base64,{base64.b64encode(first).decode()}", "/pic/2.jpg"]),
            "content_type": "text/html; charset=utf-8", "year": 2020, "title": None, "body_name": None}
    item["attachments"] = attachment_links(HtmlResponse(URL, body=item["body"], encoding="utf-8"),
                                           "//div[@id='zoom']", pictures=True)

    async def fetch(att):  # what the crawl's downloader gives (gxnb_spiders/item_pipelines.py)
        att.update(data=served.get(att["url"]), content_type="image/jpeg", error=None)

    record, source = asyncio.run(Workers(0).read(item, fetch))
    # tables 三 and 四 are checked by their sums: every number; table 一 has none, so a
    # number OCR is unsure of is left blank there (never a guess): every one read is right
    assert record["applications"] == truth["applications"]
    assert record["review_litigation"] == truth["review_litigation"]
    got, want = numbers(record["active_disclosure"]), numbers(truth["active_disclosure"])
    assert all(want[k] == v for k, v in got.items()) and len(got) >= 0.9 * len(want)
    icon, pasted, linked = item["attachments"]
    assert pasted["url"].startswith("data:image/png;sha256=") and pasted["data"] == first  # decoded, renamed
    assert source == icon["url"]  # the pictures are one document, named by its first picture
    files = {entry["file"] for entry in record["provenance"].values()}
    assert files == {pasted["url"], linked["url"]}  # each number names the picture it was read from
    assert "ocr_read" in {f["rule"] for f in record["findings"]}
    assert [len(d) for d in documents(item, {"status": "unparsed"})] == [3]
