"""Downloader middlewares: the replica host swap (more arrive with anti-bot and caps)."""


class ReplicaProxyMiddleware:
    """Send plain HTTP requests through the replica server when GXNB_REPLICA_PROXY is set.

    The replica server answers for the real portal hosts like an HTTP proxy would, so
    requests, responses and items all keep the real portal URLs and no spider has a
    replica-only code path. Browser requests get the same proxy through
    PLAYWRIGHT_LAUNCH_OPTIONS (see settings).
    """

    def __init__(self, proxy: str):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("GXNB_REPLICA_PROXY", ""))

    def process_request(self, request, spider=None):
        if self.proxy and request.url.startswith("http://") and "proxy" not in request.meta:
            request.meta["proxy"] = self.proxy
        return None


# --- reliability: offsite, charset, redirect loops (tests/test_faults.py) -------------

import logging as _logging

from scrapy.exceptions import IgnoreRequest as _IgnoreRequest

_log = _logging.getLogger(__name__)


def allowed_domains(spider) -> list[str]:
    """The spider's ``allowed_domains``, lower case; empty: every host is allowed."""
    return [d.lower().lstrip(".") for d in (getattr(spider, "allowed_domains", None) or [])]


def is_offsite(url: str, domains: list[str]) -> bool:
    """True when ``url``'s host is not one of ``domains`` nor a subdomain of one (a URL
    with no host, file:///…, is offsite too); never when ``domains`` is empty."""
    from urllib.parse import urlsplit

    if not domains:
        return False
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:  # "http://[::1/x": not a URL anything should fetch
        return True
    return not any(host == d or host.endswith("." + d) for d in domains)


class StrictOffsiteMiddleware:
    """Never fetch a host outside the spider's ``allowed_domains``, even for requests
    with ``dont_filter=True`` (attachment requests are, and Scrapy's offsite filter lets
    those through). Spiders without ``allowed_domains`` (generic discovery) are not
    restricted; a request with ``meta["allow_offsite"]`` is let through on purpose."""

    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        from urllib.parse import urlsplit

        spider = spider or getattr(self.crawler, "spider", None)  # Scrapy 2.13+ passes no spider
        domains = allowed_domains(spider)
        if request.meta.get("allow_offsite") or not is_offsite(request.url, domains):
            return None
        _log.info("offsite link not followed: %s (allowed: %s)", request.url, ", ".join(domains))
        raise _IgnoreRequest(f"offsite: {urlsplit(request.url).hostname}")


def _strict_decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
        return True
    except (UnicodeDecodeError, LookupError):
        return False


class CharsetMiddleware:
    """Give an HTML page the charset its bytes are really in, when the label lies or is
    missing (GBK served as UTF-8 and the reverse are common on old portals).

    Bytes that are valid UTF-8 (and not plain ASCII) are UTF-8 whatever the label says;
    otherwise a label that decodes the bytes cleanly is kept; otherwise GB18030 (a
    superset of GB2312/GBK) is tried. The body is untouched; only Content-Type changes,
    and ``response.flags`` says so."""

    def process_response(self, request, response, spider=None):
        from scrapy.http import TextResponse

        if not isinstance(response, TextResponse) or b"html" not in response.headers.get("Content-Type", b"html"):
            return response
        body = response.body
        declared = response.encoding
        if body.isascii():
            return response
        if _strict_decodes(body, "utf-8"):
            real = "utf-8"
        elif _strict_decodes(body, declared) and declared.replace("-", "").lower() not in ("utf8", "cp1252", "ascii"):
            return response
        elif _strict_decodes(body, "gb18030"):
            real = "gb18030"
        else:
            return response
        if real.replace("-", "") == declared.replace("-", "").lower():
            return response
        headers = response.headers.copy()
        headers["Content-Type"] = f"text/html; charset={real}"
        _log.info("charset of %s is %s, not %s as labelled", response.url, real, declared)
        return response.replace(headers=headers, encoding=real, flags=response.flags + [f"charset:{declared}->{real}"])


class RedirectLoopLogMiddleware:
    """Log as an error, with the URL, a page that redirects past REDIRECT_MAX_TIMES
    (Scrapy drops it at debug level, so a redirect loop would vanish silently).
    Sits just before RedirectMiddleware (600) in process_response."""

    def __init__(self, max_times: int):
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES"))

    def process_response(self, request, response, spider=None):
        if 300 <= response.status < 400 and b"Location" in response.headers \
                and request.meta.get("redirect_times", 0) + 1 > self.max_times:
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            _log.error("redirect loop: gave up on %s after %d redirects (last %s)",
                       first, self.max_times, request.url)
        return response
