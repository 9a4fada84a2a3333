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
