"""Back off when a server says so: 429 / 503 with Retry-After.

The request waits out Retry-After (bounded by RETRY_AFTER_MAX seconds) before it is sent
again; with one request at a time per host, that pauses the host. Without a usable
Retry-After the response falls through to Scrapy's RetryMiddleware.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import sleep

logger = logging.getLogger(__name__)

BACKOFF_CODES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date. None if absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler, max_wait: float, max_times: int):
        self.crawler = crawler
        self.max_wait = max_wait
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_AFTER_ENABLED", True):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("RETRY_AFTER_MAX", 300.0),
                   crawler.settings.getint("RETRY_AFTER_TIMES", 3))

    async def process_response(self, request, response, spider=None):
        if response.status not in BACKOFF_CODES:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        tries = request.meta.get("retry_after_times", 0)
        if wait is None or tries >= self.max_times:
            return response
        if wait > self.max_wait:
            logger.warning("%s asks to wait %.0fs (more than RETRY_AFTER_MAX=%.0fs); giving up on it",
                           request.url, wait, self.max_wait)
            return response
        self.crawler.stats.inc_value("newsarchive/backoff")
        logger.info("%s answered %d; waiting %.1fs (Retry-After) before retrying", request.url,
                    response.status, wait)
        await sleep(wait)  # asyncio or Twisted, whichever reactor runs the crawl
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = tries + 1
        return retry
