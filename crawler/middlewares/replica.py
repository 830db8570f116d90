"""Send requests for replica hosts (`*.replica.test`) through the replica's HTTP proxy."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

REPLICA_SUFFIX = ".replica.test"


def is_replica_host(host: str | None) -> bool:
    return bool(host) and (host == REPLICA_SUFFIX[1:] or host.endswith(REPLICA_SUFFIX))


class ReplicaProxyMiddleware:
    """Enabled only when the REPLICA_PROXY setting holds the replica's proxy URL."""

    def __init__(self, proxy_url: str):
        self.proxy_url = proxy_url

    @classmethod
    def from_crawler(cls, crawler):
        proxy = crawler.settings.get("REPLICA_PROXY")
        if not proxy:
            raise NotConfigured("REPLICA_PROXY not set")
        return cls(proxy)

    def process_request(self, request, spider=None):
        if is_replica_host(urlsplit(request.url).hostname):
            request.meta["proxy"] = self.proxy_url
        return None
