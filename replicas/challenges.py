"""Anti-bot challenges for the replica server, modelled on what real portals put in front.

Each challenge is a server filter (``server.filters.append(Challenge(...))``): a request
to a challenged host without a valid clearance cookie gets the challenge page; with one it
is served normally. The cookie value is computed by the page's inline script from a token
the server signed, so a plain HTTP client cannot produce it and a browser can.

Kinds:
- ``ruishu``  (瑞数): HTTP 412, script computes a cookie and reloads the page;
- ``jiasule`` (加速乐): HTTP 521, script sets ``__jsl_clearance_s`` and reloads;
- ``wzws``    : HTTP 200 page "请开启JavaScript并刷新该页", script sets ``wzws_cid`` and reloads.

``never=True`` makes a challenge that no client ever passes (its script writes a cookie
the server refuses), for testing that crawlers give up cleanly.

For the demo or a manual run the env var ``GXNB_REPLICA_CHALLENGE`` switches them on:
``ruishu:www.dt.gov.cn,jiasule:www.laiyang.gov.cn,never-ruishu:www.muping.gov.cn``
(see ``from_env``).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading

from replicas.server import Request, Response

KINDS = {
    # kind: (status, cookie name)
    "ruishu": (412, "FSSBBIl1UgzbN7N80T"),
    "jiasule": (521, "__jsl_clearance_s"),
    "wzws": (200, "wzws_cid"),
}

# what the inline script does: fold the token's characters into a number, the same way
# check_value() does in Python (31-hash modulo 2^31, as hex)
_JS_FOLD = """
function _f(t){var h=7;for(var i=0;i<t.length;i++){h=(h*31+t.charCodeAt(i))%2147483647;}return h.toString(16);}
"""


def _fold(token: str) -> str:
    h = 7
    for ch in token:
        h = (h * 31 + ord(ch)) % 2147483647
    return format(h, "x")


class Challenge:
    """One challenge kind on some hosts (all hosts when ``hosts`` is empty)."""

    def __init__(self, kind: str = "ruishu", hosts: list[str] | tuple[str, ...] = (),
                 never: bool = False):
        if kind not in KINDS:
            raise ValueError(f"unknown challenge kind {kind!r}; known: {', '.join(KINDS)}")
        self.kind = kind
        self.status, self.cookie = KINDS[kind]
        self.hosts = {h.lower() for h in hosts}
        self.never = never
        self._key = secrets.token_bytes(16)
        self._lock = threading.Lock()
        self.issued = 0     # challenge pages served
        self.passed = 0     # requests let through on a valid cookie

    def __repr__(self):
        return f"Challenge({self.kind!r}, hosts={sorted(self.hosts)}, never={self.never})"

    # --- tokens: "<nonce>-<signature>", the cookie value is "<token>.<fold(token)>"
    def _token(self, req: Request) -> str:
        nonce = secrets.token_hex(6)
        sig = hmac.new(self._key, f"{nonce}|{req.client}".encode(), hashlib.sha256).hexdigest()[:10]
        return f"{nonce}-{sig}"

    def check_value(self, value: str | None, req: Request) -> bool:
        if self.never or not value or "." not in value:
            return False
        token, folded = value.rsplit(".", 1)
        nonce, _, sig = token.partition("-")
        want = hmac.new(self._key, f"{nonce}|{req.client}".encode(), hashlib.sha256).hexdigest()[:10]
        return hmac.compare_digest(sig, want) and folded == _fold(token)

    def applies(self, req: Request) -> bool:
        return not self.hosts or req.host in self.hosts

    def __call__(self, req: Request, nxt) -> Response:
        if not self.applies(req):
            return nxt(req)
        if self.check_value(req.cookies.get(self.cookie), req):
            with self._lock:
                self.passed += 1
            return nxt(req)
        with self._lock:
            self.issued += 1
        return self.page(req)

    def page(self, req: Request) -> Response:
        token = self._token(req)
        # "never": the script writes a value the server will not accept
        value_js = "'x'" if self.never else f"t+'.'+_f(t)"
        set_cookie = f"document.cookie='{self.cookie}='+({value_js})+';path=/;max-age=3600';"
        script = f"<script>{_JS_FOLD}var t='{token}';{set_cookie}" \
                 f"setTimeout(function(){{location.reload();}},50);</script>"
        headers = {"Cache-Control": "no-store"}
        if self.kind == "ruishu":
            # 瑞数 pages are an empty shell: meta with an opaque blob and the script
            body = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                    f"<meta id=\"rs{token[:4]}\" content=\"{secrets.token_hex(24)}\">"
                    f"{script}</head><body></body></html>")
        elif self.kind == "jiasule":
            headers["Set-Cookie"] = f"__jsluid_h={secrets.token_hex(16)}; max-age=31536000; path=/; HttpOnly"
            body = f"<html><body>{script}</body></html>"
        else:
            body = ("<html><head><meta charset=\"utf-8\"><title>提示</title></head><body>"
                    f"<p>请开启JavaScript并刷新该页.</p>{script}</body></html>")
        return Response(self.status, body, headers=headers)


def parse_spec(spec: str) -> list[Challenge]:
    """``"ruishu:www.dt.gov.cn,jiasule:www.laiyang.gov.cn|www.muping.gov.cn,never-wzws:*"``
    → challenges. ``never-`` prefixes a kind that never passes; ``*`` or no host = all."""
    out = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        kind, _, hosts = part.partition(":")
        never = kind.startswith("never-")
        kind = kind.removeprefix("never-")
        host_list = [h for h in hosts.split("|") if h and h != "*"]
        out.append(Challenge(kind, host_list, never=never))
    return out


def from_env() -> list[Challenge]:
    """Challenges requested by ``GXNB_REPLICA_CHALLENGE`` (none when unset)."""
    return parse_spec(os.environ.get("GXNB_REPLICA_CHALLENGE", ""))
