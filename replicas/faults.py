"""Fault injection for the replica server: what a night of crawling government portals meets.

A ``FaultInjector`` is a server filter (``server.filters.append(injector)``) holding
``Fault`` rules. The first rule matching a URL owns it (one fault kind per URL, so a
burst that is over lets the URL through). Each rule names a kind and where it strikes:

- ``path``: a regular expression searched in the request's path and query
  (``r"\\.docx$"``, ``r"/t2023\\d+_7\\.html"``), and/or
- ``rate``: a share of the URLs it matches, drawn per URL from ``seed`` — the same URLs
  are hit on every run, whatever the order Scrapy asks in;
- ``burst``: strike only the first ``burst`` requests to a URL, then let it through
  (a transient fault that retries can get past); ``None`` strikes every time.

Kinds, transport first, then content:

======================  ==============================================================
``status``              an error page with ``status`` (500, 502, 503 …)
``hang``                no answer at all until ``hang_seconds`` (then the connection drops)
``reset``               the headers and half the body, then the connection is dropped
``redirect_loop``       302 to the same page with a growing ``_loop`` parameter, forever
``not_found``           404 (e.g. for attachments)
``oversize``            the body padded to ``size`` bytes (a file larger than the cap)
``truncated``           the HTML cut in the middle, served complete (consistent length)
``gbk_as_utf8``         the page encoded as GBK but labelled UTF-8 (header and <meta>)
``utf8_as_gbk``         the page encoded as UTF-8 but labelled GBK
``no_charset``          GBK bytes with no charset anywhere
``bad_table``           one total in a table row changed so the row no longer adds up
``zip_bomb``            a DOCX whose document part inflates to ``size`` bytes
``climbing_name``       attachment names that try to leave the archive (``../../x.pdf``)
``offsite_links``       report links and attachments on another host added to the page
``busy_script``         a script that, once the page has loaded, keeps the browser's page
                        busy for ever (a runaway loop): plain clients see nothing amiss
``stalled_subresource`` the page arrives whole, but it asks for one more resource on its
                        own host that is never answered (the connection held open until
                        ``release()``): ``resource="img"`` a picture at the end of the body
                        (the DOM is ready, the page's ``load`` never comes), ``"script"``
                        a script in the head that the parser waits for (the DOM is never
                        ready); plain clients, which fetch no subresources, see nothing amiss
======================  ==============================================================

``injector.injected`` counts the faults dealt per kind, ``injector.log`` lists
``(kind, url)`` in order and ``injector.dealt`` ``(rule, url)``, so a test or the soak can say what the crawl went through.
"""
from __future__ import annotations

import io
import random
import re
import threading
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from replicas.server import Request, Response

KINDS = (
    "status", "hang", "reset", "redirect_loop", "not_found", "oversize", "truncated",
    "gbk_as_utf8", "utf8_as_gbk", "no_charset", "bad_table", "zip_bomb", "climbing_name",
    "offsite_links", "busy_script", "stalled_subresource",
)
# faults a retry can get past when they come in bursts
TRANSIENT = ("status", "hang", "reset")

OFFSITE_HOST = "www.elsewhere.test"
STALLED_PATH = "/__stalled__/"  # the subresources a stalled_subresource page asks for
STALLED_TAGS = {  # resource → (where it goes, the tag)
    "img": ("body", '<img src="{path}stalled.gif" alt="">'),
    "script": ("head", '<script src="{path}stalled.js"></script>'),
}


@dataclass
class Fault:
    kind: str
    path: str | None = None       # regex searched in path?query; None = every URL
    rate: float | None = None     # share of matching URLs struck, chosen per URL by seed
    burst: int | None = None      # first k requests of a URL fail, later ones pass
    status: int = 503             # for kind "status"
    size: int = 0                 # for "oversize" and "zip_bomb": bytes
    host: str | None = None       # restrict to one host
    resource: str = "img"         # for "stalled_subresource": img or script

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.resource not in STALLED_TAGS:
            raise ValueError(f"unknown resource {self.resource!r}; one of {', '.join(STALLED_TAGS)}")
        self._path_re = re.compile(self.path) if self.path else None


class FaultInjector:
    """A replica-server filter dealing the faults of its rules (first matching rule wins)."""

    def __init__(self, faults: list[Fault], seed: int = 0, hang_seconds: float = 30.0):
        self.faults = list(faults)
        self.seed = seed
        self.hang_seconds = hang_seconds
        self.injected: Counter[str] = Counter()
        self.log: list[tuple[str, str]] = []
        self.dealt: list[tuple[Fault, str]] = []   # the rule behind each entry of log
        self._tries: Counter[tuple[int, str]] = Counter()
        self._owner: dict[str, int] = {}   # URL → the one rule that strikes it
        self._lock = threading.Lock()
        self._released = threading.Event()  # set by release(): hung answers end at once
        self.held: list[str] = []  # the stalled subresources asked for, in order

    def release(self):
        """End every hanging answer now (call before stopping the server)."""
        self._released.set()

    def struck_urls(self, kind: str | None = None) -> set[str]:
        return {u for k, u in self.log if kind is None or k == kind}

    # --- the filter
    def __call__(self, req: Request, nxt) -> Response:
        if req.path.startswith(STALLED_PATH):  # asked for by a stalled_subresource page
            with self._lock:
                self.held.append(req.url)
            self._released.wait()  # never answered: held open until release()
            return Response(200, b"", behaviour="close")
        target = req.path + ("?" + req.url.split("?", 1)[1] if "?" in req.url else "")
        url = _LOOP_RE.sub("", req.url)  # a redirect loop's next hop is the same page
        for i, fault in enumerate(self.faults):
            owner = self._owner.get(url)
            if owner is not None and owner != i:
                continue  # one rule per URL: a burst that is over is over, not followed by another
            if owner is None and not self._matches(fault, req, target, url):
                continue
            with self._lock:
                self._owner.setdefault(url, i)
                self._tries[(i, url)] += 1
                tries = self._tries[(i, url)]
            if fault.burst is not None and tries > fault.burst:
                continue  # the burst is over for this URL
            resp = self._deal(fault, req, nxt)
            if resp is None:  # the fault does not apply to this kind of answer
                continue
            with self._lock:
                self.injected[fault.kind] += 1
                self.log.append((fault.kind, req.url))
                self.dealt.append((fault, req.url))
            return resp
        return nxt(req)

    def _matches(self, fault: Fault, req: Request, target: str, url: str) -> bool:
        if fault.host and req.host != fault.host:
            return False
        if fault._path_re and not fault._path_re.search(target):
            return False
        if fault.rate is not None:
            # per-URL draw: stable across runs and request orders
            draw = random.Random(f"{self.seed}|{fault.kind}|{url}").random()
            if draw >= fault.rate:
                return False
        return True

    def _deal(self, fault: Fault, req: Request, nxt) -> Response | None:
        kind = fault.kind
        if kind == "status":
            return Response(fault.status, f"<html><body><h1>{fault.status}</h1>injected</body></html>")
        if kind == "not_found":
            return Response(404, f"<html><body><h1>404</h1><p>{req.path}</p></body></html>")
        if kind == "hang":
            self._released.wait(self.hang_seconds)
            return Response(200, b"", behaviour="reset")
        if kind == "redirect_loop":
            n = int(req.arg("_loop", "0") or 0) + 1
            base = re.sub(r"[?&]_loop=\d+", "", req.url)
            sep = "&" if "?" in base else "?"
            return Response(302, "", headers={"Location": f"{base}{sep}_loop={n}"})
        resp = nxt(req)
        if kind == "reset":
            resp.behaviour = "reset"
            return resp
        if kind == "oversize":
            return _padded(resp, fault.size or 64 * 1024 * 1024)
        if kind == "zip_bomb":
            return Response(200, zip_bomb_docx(fault.size or 1 << 30),
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if kind == "climbing_name":
            return _climbing(resp)
        if not _is_html(resp):
            return None
        html = _text(resp)
        if kind == "truncated":
            return Response(resp.status, _encode(html[: len(html) // 2], "utf-8"),
                            "text/html; charset=utf-8", resp.headers)
        if kind == "gbk_as_utf8":
            return _relabelled(resp, html, real="gbk", said="utf-8")
        if kind == "utf8_as_gbk":
            return _relabelled(resp, html, real="utf-8", said="gbk")
        if kind == "no_charset":
            return _relabelled(resp, html, real="gbk", said=None)
        if kind == "bad_table":
            changed = unbalance_table(html)
            if changed is None:
                return None
            return Response(resp.status, _encode(changed, "utf-8"), "text/html; charset=utf-8", resp.headers)
        if kind == "offsite_links":
            # shaped like the portal's own report and file links, so only the host gives them away
            links = (f'<ul class="offsite"><li><a href="http://{OFFSITE_HOST}/xxgk/ndbg/202401/t20240101_1.html">'
                     f"某县2023年政府信息公开工作年度报告</a></li>"
                     f'<li><a href="http://{OFFSITE_HOST}/xxgk/ndbg/files/1.pdf">年度报告.pdf</a></li></ul>')
            return Response(resp.status, _encode(_before_body_end(html, links), "utf-8"),
                            "text/html; charset=utf-8", resp.headers)
        if kind == "busy_script":
            # after load, and a little later, so the page's own scripts (a list written
            # from JSON) have run and the page looks finished before it stops answering
            loop = "<script>addEventListener('load',()=>setTimeout(()=>{for(;;){}},300));</script>"
            return Response(resp.status, _encode(_before_body_end(html, loop), "utf-8"),
                            "text/html; charset=utf-8", resp.headers)
        if kind == "stalled_subresource":
            where, tag = STALLED_TAGS[fault.resource]
            extra = tag.format(path=STALLED_PATH)
            if where == "head":
                i = html.lower().find("</head>")
                html = html[:i] + extra + html[i:] if i >= 0 else extra + html
            else:
                html = _before_body_end(html, extra)
            return Response(resp.status, _encode(html, "utf-8"), "text/html; charset=utf-8", resp.headers)
        raise AssertionError(kind)


# --- helpers -------------------------------------------------------------------------

_LOOP_RE = re.compile(r"[?&]_loop=\d+$")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w-]+)", re.I)
_META_CHARSET_RE = re.compile(r"<meta[^>]+charset[^>]*>", re.I)


def _is_html(resp: Response) -> bool:
    return resp.status == 200 and "html" in resp.content_type.lower()


def _text(resp: Response) -> str:
    if isinstance(resp.body, str):
        return resp.body
    m = _CHARSET_RE.search(resp.content_type)
    return resp.body.decode(m.group(1) if m else "utf-8", "replace")


def _encode(text: str, charset: str) -> bytes:
    return text.encode(charset, "xmlcharrefreplace")


def _before_body_end(html: str, extra: str) -> str:
    i = html.lower().rfind("</body>")
    return html[:i] + extra + html[i:] if i >= 0 else html + extra


def _relabelled(resp: Response, html: str, real: str, said: str | None) -> Response:
    """The same page, its bytes in ``real`` but labelled ``said`` (or nothing)."""
    html = _META_CHARSET_RE.sub(f'<meta charset="{said}">' if said else "", html)
    ctype = f"text/html; charset={said}" if said else "text/html"
    return Response(resp.status, _encode(html, real), ctype, resp.headers)


def _padded(resp: Response, size: int) -> Response:
    body = resp.payload()
    pad = size - len(body)
    if pad > 0:  # a PDF may carry anything after %%EOF; an HTML page anything in a comment
        body = body + (b"\n%" + b"0" * (pad - 2) if pad >= 2 else b" " * pad)
    return Response(resp.status, body, resp.content_type, resp.headers)


def _climbing(resp: Response) -> Response:
    """Attachment names that climb: in the link text of a page, in Content-Disposition of a file."""
    if _is_html(resp):
        html = re.sub(r'(<a\b[^>]*href="[^"]*\.(?:pdf|docx?|wps)"[^>]*>)(.*?)(</a>)',
                      lambda m: m.group(1) + "../../x." + re.search(r"\.(pdf|docx?|wps)\"", m.group(1)).group(1)
                      + m.group(3), _text(resp), flags=re.I | re.S)
        return Response(resp.status, _encode(html, "utf-8"), "text/html; charset=utf-8", resp.headers)
    headers = dict(resp.headers)
    headers["Content-Disposition"] = 'attachment; filename="../../x.pdf"'
    return Response(resp.status, resp.body, resp.content_type, headers)


_ROW_RE = re.compile(r"<tr\b.*?</tr>", re.I | re.S)
_CELL_RE = re.compile(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]>)", re.I | re.S)


def unbalance_table(html: str) -> str | None:
    """The page with one table row that no longer adds up: in the first row of seven
    or more numeric cells (an applicant row of table 三, the results row of table 四),
    the last number — its total — is raised by 1. None when no such row exists."""
    for row in _ROW_RE.finditer(html):
        cells = [m for m in _CELL_RE.finditer(row.group(0))
                 if re.fullmatch(r"\s*\d+\s*", re.sub(r"<[^>]+>|&nbsp;", "", m.group(2)))]
        if len(cells) < 7:
            continue
        last = cells[-1]
        digits = re.search(r"\d+", re.sub(r"<[^>]+>", "", last.group(2))).group(0)
        inner = last.group(2).replace(digits, str(int(digits) + 1), 1)
        new_row = row.group(0)[: last.start(2)] + inner + row.group(0)[last.end(2):]
        return html[: row.start()] + new_row + html[row.end():]
    return None


@lru_cache(maxsize=4)
def zip_bomb_docx(size: int = 1 << 30) -> bytes:
    """A well-formed DOCX whose word/document.xml inflates to ``size`` bytes (~1000:1).

    The member's header tells the truth about its size, as real bombs' often do; a
    reader that checks declared sizes refuses it at once, one that inflates blindly
    runs out of memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                   "</Relationships>")
        head = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
        tail = b"</w:t></w:r></w:p></w:body></w:document>"
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=size > 0x7FFFFFFF) as member:
            member.write(head)
            chunk = b" " * (1 << 20)
            left = size - len(head) - len(tail)
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            member.write(tail)
    return buf.getvalue()
