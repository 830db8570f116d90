"""Honour robots.txt `Crawl-delay`: a host that asks for N seconds between requests gets them.

Scrapy's RobotsTxtMiddleware obeys Allow/Disallow but ignores Crawl-delay. This middleware
reads it from every robots.txt response it sees (ours or Scrapy's), for our User-Agent, and
keeps that host's download slot at least that slow: one request at a time, no random
shortening, and AutoThrottle (which adjusts the slot delay on every response) never goes
below it. Values above ROBOTS_CRAWL_DELAY_MAX are capped with a warning, not trusted blindly.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from protego import Protego

logger = logging.getLogger(__name__)


class CrawlDelayMiddleware:
    def __init__(self, crawler, user_agent: str, max_delay: float):
        self.crawler = crawler
        self.user_agent = user_agent
        self.max_delay = max_delay
        self.delays: dict[str, float] = {}  # host -> seconds

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, settings.get("USER_AGENT") or "*", settings.getfloat("ROBOTS_CRAWL_DELAY_MAX", 60.0))

    def process_request(self, request, spider=None):
        self._enforce(request)
        return None

    def process_response(self, request, response, spider=None):
        if urlsplit(request.url).path == "/robots.txt" and response.status == 200:
            self._learn(request, response)
        self._enforce(request)
        return response

    def _learn(self, request, response) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        try:
            delay = Protego.parse(response.body.decode("utf-8", "replace")).crawl_delay(self.user_agent)
        except Exception as exc:  # noqa: BLE001 - a broken robots.txt must not stop the crawl
            logger.warning("could not read Crawl-delay from %s: %s", request.url, exc)
            return
        if not delay or delay <= 0:
            return
        if delay > self.max_delay:
            logger.warning("%s asks for Crawl-delay %.1fs; capped at ROBOTS_CRAWL_DELAY_MAX=%.1fs",
                           host, delay, self.max_delay)
            delay = self.max_delay
        if self.delays.get(host) != delay:
            logger.info("robots.txt of %s: Crawl-delay %.1fs honoured", host, delay)
            self.crawler.stats.set_value(f"newsarchive/crawl_delay/{host}", delay)
        self.delays[host] = float(delay)

    def _enforce(self, request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        delay = self.delays.get(host)
        downloader = getattr(self.crawler.engine, "downloader", None)
        if delay is None or downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        slot.concurrency = 1
        slot.jitter = 0.0
        slot.delay = max(slot.delay, delay)
