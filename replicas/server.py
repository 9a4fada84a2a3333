"""The replica server: one local HTTP server that answers for every replicated portal host.

Clients reach it either as an HTTP proxy (``GET http://www.laiyang.gov.cn/... HTTP/1.1``,
what Scrapy and Chromium send when GXNB_REPLICA_PROXY is set) or directly with a
``Host:`` header. Requests are dispatched by host to a ``Site``; ``filters`` wrap the
dispatch so anti-bot challenges and injected faults can be switched on per run.
"""
from __future__ import annotations

import http.cookies
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    host: str            # without port, lower case: "www.laiyang.gov.cn"
    path: str            # "/module/xxgk/xxgkAnnualReport.jsp"
    query: dict          # parse_qs of the query string: {name: [values]}
    headers: dict        # lower-case names
    body: bytes = b""
    cookies: dict = field(default_factory=dict)
    client: str = ""     # client address, for per-client state (challenges)

    @property
    def url(self) -> str:
        qs = "&".join(f"{k}={v}" for k, vs in self.query.items() for v in vs)
        return f"http://{self.host}{self.path}" + (f"?{qs}" if qs else "")

    def arg(self, name: str, default: str | None = None) -> str | None:
        """A query-string or form field (form fields win), first value."""
        form = parse_qs(self.body.decode("utf-8", "replace")) if self.method == "POST" else {}
        vals = form.get(name) or self.query.get(name)
        return vals[0] if vals else default


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    # special behaviours for fault injection: "hang" (never answer), "reset" (drop the
    # connection half way), "truncate" (announce the full length, send half), "close"
    # (close the connection, nothing sent)
    behaviour: str | None = None

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        charset = "utf-8"
        if "charset=" in self.content_type:
            charset = self.content_type.split("charset=")[1].split(";")[0].strip()
        return self.body.encode(charset, "xmlcharrefreplace")


class Site:
    """One replicated portal. Subclasses set ``name``/``hosts`` and implement ``handle``."""

    name = ""
    hosts: tuple[str, ...] = ()

    def handle(self, req: Request) -> Response | None:  # None means 404
        raise NotImplementedError


def not_found(req: Request) -> Response:
    return Response(404, f"<html><body><h1>404</h1><p>{req.path}</p></body></html>")


Filter = Callable[[Request, Callable[[Request], Response]], Response]


class _Listener(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops the SYNs of a crawler opening 16
    # connections at once, and each dropped SYN costs a 1 s retransmit: a stall no real
    # portal's server shows.
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # A crawler that gave up (a timeout, a cut transfer it stopped reading) is a client
        # gone, not a replica bug: no traceback for it. Anything else still prints one.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class ReplicaServer:
    def __init__(self, sites: list[Site], host: str = "127.0.0.1", port: int = 0):
        self.sites = {h: s for s in sites for h in s.hosts}
        self.filters: list[Filter] = []
        self.hits: list[str] = []          # every URL asked for, in order (tests count requests)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                server._handle(self)

            do_GET = do_POST = do_HEAD = _serve

        self.httpd = _Listener((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ReplicaServer":
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- dispatch
    def dispatch(self, req: Request) -> Response:
        def inner(r: Request) -> Response:
            site = self.sites.get(r.host)
            resp = site.handle(r) if site else None
            return resp or not_found(r)

        handler = inner
        for f in reversed(self.filters):
            handler = (lambda f, nxt: (lambda r: f(r, nxt)))(f, handler)
        return handler(req)

    def _handle(self, h: BaseHTTPRequestHandler):
        target = h.path
        if target.startswith("http://") or target.startswith("https://"):
            parts = urlsplit(target)
            host = parts.hostname or ""
        else:
            parts = urlsplit("http://x" + target)
            host = (h.headers.get("Host") or "").split(":")[0]
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        cookies = {}
        if h.headers.get("Cookie"):
            jar = http.cookies.SimpleCookie()
            try:
                jar.load(h.headers["Cookie"])
            except http.cookies.CookieError:
                pass
            cookies = {k: m.value for k, m in jar.items()}
        req = Request(
            method=h.command,
            host=host.lower(),
            path=parts.path or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in h.headers.items()},
            body=body,
            cookies=cookies,
            client=h.client_address[0],
        )
        with self._lock:
            self.hits.append(req.url)
        try:
            resp = self.dispatch(req)
        except Exception as exc:  # a bug in a replica must show, not hang the client
            resp = Response(500, f"replica error: {exc!r}", "text/plain; charset=utf-8")
        self._write(h, resp)

    @staticmethod
    def _write(h: BaseHTTPRequestHandler, resp: Response):
        if resp.behaviour == "hang":
            threading.Event().wait(600)
            return
        if resp.behaviour == "close":  # end the connection without a word (its client may be gone)
            h.close_connection = True
            return
        data = resp.payload()
        h.send_response(resp.status)
        h.send_header("Content-Type", resp.content_type)
        h.send_header("Content-Length", str(len(data)))
        for k, v in resp.headers.items():
            for one in v if isinstance(v, list) else [v]:
                h.send_header(k, one)
        h.end_headers()
        if h.command == "HEAD":
            return
        if resp.behaviour in ("reset", "truncate"):
            h.wfile.write(data[: len(data) // 2])
            h.wfile.flush()
            h.close_connection = True
            try:
                import socket

                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        h.wfile.write(data)


def all_sites() -> list[Site]:
    """Every replica site known to the project (each module in replicas/sites registers here)."""
    from replicas import sites

    return sites.load_all()
