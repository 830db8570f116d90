"""A redirect that lands on an article this run already has is not fetched twice.

Spiders schedule articles with `dont_filter=True` (their own memory decides, see
crawler/incremental.py), and redirects inherit it, so Scrapy's dupefilter never sees a
redirect hop. This middleware asks the spider to claim each redirect target: a target the
run already scheduled (from a sitemap, a feed, or an earlier redirect) is dropped with a
logged reason; a new one is claimed, so discovery later skips it.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)


class RedirectDedupeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        claim = getattr(self.crawler.spider, "claim_url", None)
        if not request.meta.get("redirect_urls") or claim is None or request.meta.get("discovery"):
            return None
        if not claim(request.url):
            self.crawler.stats.inc_value("newsarchive/skipped/redirect_duplicate")
            logger.info("not following redirect to %s: this run already has it", request.url)
            raise IgnoreRequest(f"redirect target already scheduled: {request.url}")
        return None
