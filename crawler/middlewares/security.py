"""Refuse requests to places a news crawler has no business reaching.

Spiders stay on their profile hosts: Scrapy's OffsiteMiddleware lets through every request
with `dont_filter=True` (which the spiders set, and redirects inherit), so this middleware
checks every request and every redirect hop against the spider's `allowed_domains` itself.
It also refuses what OffsiteMiddleware cannot see: a redirect or link to a loopback, private, link-local or otherwise non-public address given
as an IP literal or a local name is refused (no SSRF through a crawled redirect), and so is
any scheme other than http(s). Loopback is allowed only when ALLOW_LOOPBACK is on (never
needed by the replica, which is reached through its proxy under *.replica.test names).
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)

LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def refusal_reason(url: str, *, allow_loopback: bool = False) -> str | None:
    """Why `url` must not be fetched, or None if it may be."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "malformed URL"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'} not allowed"
    if not host:
        return "no host"
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return None if allow_loopback else f"local host name {host}"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback:
        return None if allow_loopback else f"loopback address {host}"
    if not address.is_global or address.is_multicast:
        return f"non-public address {host}"
    return None


def offsite_reason(url: str, allowed_domains) -> str | None:
    """Why `url` is off the spider's hosts (`allowed_domains`, subdomains included), or None."""
    if not allowed_domains:
        return None
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    for domain in allowed_domains:
        domain = domain.lower()
        if host == domain or host.endswith("." + domain):
            return None
    return f"off-site host {host or '(none)'} (not one of this spider's hosts)"


class SafeDestinationMiddleware:
    def __init__(self, crawler, allow_loopback: bool):
        self.crawler = crawler
        self.allow_loopback = allow_loopback

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getbool("ALLOW_LOOPBACK", False))

    def process_request(self, request, spider=None):
        reason = refusal_reason(request.url, allow_loopback=self.allow_loopback) or offsite_reason(
            request.url, getattr(self.crawler.spider, "allowed_domains", None))
        if reason:
            self.crawler.stats.inc_value("newsarchive/refused_destination")
            logger.warning("refused %s: %s", request.url, reason)
            raise IgnoreRequest(f"refused destination: {reason}")
        return None
