"""The one spider class behind `rferl`, `npr` and `stations`: discovery and scheduling only.

It reads its hosts and discovery documents from a site profile, follows robots.txt Sitemap
lines, sitemap indexes, Google-News sitemaps, RSS/Atom feeds and section pages, and hands
every article page to the pipeline as an item. It never parses article bodies.
"""

from __future__ import annotations

from typing import Any, AsyncIterator
import scrapy
from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor

from crawler import discovery
from crawler.archive_binding import is_replica_crawl
from crawler.sites import CrawlProfile, load_crawl_profile


class ProfileSpider(scrapy.Spider):
    profile_name: str = ""

    # A replica crawl may go fast; a real crawl keeps settings/__init__.py's politeness.
    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        if is_replica_crawl(settings):
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 4, priority="spider")
            settings.set("RETRY_HTTP_CODES", [500, 502, 503, 504, 408], priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.profile = load_crawl_profile(cls.profile_name, replica=is_replica_crawl(crawler.settings))
        spider.allowed_domains = spider.profile.hosts
        spider.link_extractor = LinkExtractor(allow_domains=spider.profile.hosts)
        return spider

    profile: CrawlProfile

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for site in self.profile.sites:
            yield scrapy.Request(f"{site.scheme}://{site.host}/robots.txt", callback=self.parse_robots,
                                 meta={"discovery": "robots", "dont_obey_robotstxt": True},
                                 errback=self.discovery_failed, priority=10)
            for url in site.sitemaps:
                yield scrapy.Request(url, callback=self.parse_sitemap, meta={"discovery": "sitemap"},
                                     errback=self.discovery_failed, priority=5)
            for url in site.feeds:
                yield scrapy.Request(url, callback=self.parse_feed, meta={"discovery": "feed"},
                                     errback=self.discovery_failed, priority=5)
            for url in site.sections:
                yield scrapy.Request(url, callback=self.parse_section, meta={"discovery": "section"},
                                     errback=self.discovery_failed, priority=1)

    # -- discovery ------------------------------------------------------------------------
    def parse_robots(self, response):
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        for url in discovery.robots_sitemaps(response.text, response.url):
            yield scrapy.Request(url, callback=self.parse_sitemap, meta={"discovery": "sitemap"},
                                 errback=self.discovery_failed, priority=5)

    def parse_sitemap(self, response):
        for link in discovery.parse_sitemap(response.body, response.url):
            if link.kind == "sitemap":
                yield scrapy.Request(link.url, callback=self.parse_sitemap, meta={"discovery": "sitemap"},
                                     errback=self.discovery_failed, priority=5)
            else:
                yield from self.follow_article(link)

    def parse_feed(self, response):
        for link in discovery.parse_feed(response.body, response.url):
            yield from self.follow_article(link)

    def parse_section(self, response):
        if not isinstance(response, TextResponse):
            return
        for found in self.link_extractor.extract_links(response):
            if self.profile.is_article_url(found.url):
                yield from self.follow_article(discovery.Link(url=found.url, title=found.text or None))

    def follow_article(self, link: discovery.Link):
        self.crawler.stats.inc_value("newsarchive/discovered")
        yield scrapy.Request(link.url, callback=self.parse_page, errback=self.page_failed,
                             meta={"discovered": {"title": link.title, "published": link.published,
                                                  "lastmod": link.lastmod}})

    # -- pages ----------------------------------------------------------------------------
    def parse_page(self, response):
        """Hand the page to the pipeline (which cleans and stores it)."""
        yield {
            "url": response.url,
            "status": response.status,
            "capture_id": response.meta.get("capture_id"),
            "capture_type": response.meta.get("capture_type"),
            "profile": self.profile_name,
            "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
            "encoding": getattr(response, "encoding", None),
            "body": response.body,
            "discovered": response.meta.get("discovered"),
        }

    def page_failed(self, failure):
        self.crawler.stats.inc_value("newsarchive/failed")
        self.logger.warning("page failed: %s (%s)", failure.request.url, failure.getErrorMessage())

    def discovery_failed(self, failure):
        self.crawler.stats.inc_value("newsarchive/discovery_failed")
        self.logger.warning("discovery document failed: %s (%s)", failure.request.url,
                            failure.getErrorMessage())
