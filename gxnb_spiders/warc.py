"""Every response the crawl receives, also written as WARC (the web-archiving standard,
via warcio): request and response records with the URL, the date and the headers, so
that standard tools (pywb, replayweb.page, warcio) can replay what gxnb saw.

One gzipped file per spider per run, ``GXNB_WARC_DIR/<spider>-<UTC time>-<pid>.warc.gz``
(default ``output/warc/``; ``GXNB_WARC_DIR=off`` turns it off). The SHA-256 raw archive
(``output/raw/``) stays what extraction reads; this is the copy for people and tools.

The body is written as Scrapy decoded it (gzip/deflate undone), so ``Content-Encoding``
and ``Transfer-Encoding`` are dropped from the headers and ``Content-Length`` is the
body's length: the record replays as it reads. A failure to write (a full disk) is
logged once and the crawl goes on without the WARC.
"""
from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals

log = logging.getLogger(__name__)

DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def header_pairs(headers) -> list[tuple[str, str]]:
    """Scrapy's headers (bytes, several values per name) as (name, value) text pairs."""
    out = []
    for name, values in headers.items():
        for value in values:
            out.append((name.decode("latin-1"), value.decode("latin-1")))
    return out


class WarcArchive:
    def __init__(self, crawler, directory: Path):
        self.crawler = crawler
        self.directory = directory
        self.path: Path | None = None
        self._file = None
        self._writer = None
        self.failed = False
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        setting = crawler.settings.get("GXNB_WARC_DIR") or str(Path(crawler.settings.get("GXNB_OUTPUT_DIR")) / "warc")
        if setting.lower() in ("off", "0", "no", "false"):
            raise NotConfigured("GXNB_WARC_DIR=off")
        return cls(crawler, Path(setting))

    def _open(self, spider):
        from warcio.warcwriter import WARCWriter

        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in spider.name)
        self.path = self.directory / f"{name}-{stamp}-{os.getpid()}.warc.gz"
        self._file = open(self.path, "ab")
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(self.path.name, {
            "software": "gxnb (Scrapy, warcio)", "format": "WARC File Format 1.1",
            "description": f"responses received by the {spider.name} spider"})
        self._writer.write_record(info)

    def response_received(self, response, request, spider):
        if self.failed:
            return
        try:
            if self._writer is None:
                self._open(spider)
            self._write(response, request)
        except OSError as exc:
            self.failed = True
            log.error("WARC archive %s could not be written (%s); the crawl goes on without it",
                      self.path or self.directory, exc)

    def _write(self, response, request):
        from warcio.statusandheaders import StatusAndHeaders

        url = response.url
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        req_headers = [("Host", parts.netloc)] + [(k, v) for k, v in header_pairs(request.headers)
                                                  if k.lower() != "host"]
        req = self._writer.create_warc_record(
            url, "request", payload=BytesIO(request.body or b""),
            http_headers=StatusAndHeaders(f"{request.method} {target} {protocol}", req_headers,
                                          is_http_request=True))
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        body = response.body or b""
        headers = [(k, v) for k, v in header_pairs(response.headers) if k.lower() not in DROPPED_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        resp = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body),
            http_headers=StatusAndHeaders(f"{response.status} {phrase}".strip(), headers, protocol=protocol))
        req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
        self._writer.write_record(resp)
        self._writer.write_record(req)

    def spider_closed(self, spider, reason):
        if self._file is not None:
            try:
                self._file.close()
            except OSError as exc:
                log.error("WARC archive %s could not be closed: %s", self.path, exc)
            self._file = self._writer = None
