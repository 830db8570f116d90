"""The one spider class behind `rferl`, `npr` and `stations`: discovery and scheduling only.

It reads its hosts and discovery documents from a site profile, follows robots.txt Sitemap
lines, sitemap indexes, Google-News sitemaps, RSS/Atom feeds and section pages, and hands
every article page to the pipeline as an item. It never parses article bodies.
"""

from __future__ import annotations

from typing import Any, AsyncIterator

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.linkextractors import LinkExtractor

from archive.urls import canonical_url
from crawler import discovery, frontier
from crawler.frontier import acks
from crawler.archive_binding import archive_for, is_replica_crawl, resumed_from_jobdir, run_id_for
from crawler.extensions.run_report import count_for_site
from crawler.incremental import CONDITIONAL, SKIP, UNSEEN, CrawlMemory, parse_time, unseen_mark
from crawler.sites import CrawlProfile, load_crawl_profile


class ProfileSpider(scrapy.Spider):
    """Spider arguments (`-a NAME=VALUE`): `since` (ISO date: ignore links published or
    modified before it), `budget` (at most this many article fetches in this run)."""

    profile_name: str = ""

    def __init__(self, *args: Any, since: str | None = None, budget: str | int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.since = parse_time(since) if since else None
        if since and self.since is None:
            raise ValueError(f"since={since!r} is not an ISO date (e.g. 2026-11-01)")
        self.budget = int(budget) if budget not in (None, "") else None
        self.scheduled = 0
        self.seen: set[str] = set()
        self.discovery_seen: set[str] = set()
        self.memory: CrawlMemory | None = None

    # A replica crawl may go fast; a real crawl keeps settings/__init__.py's politeness.
    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        frontier.configure(settings)
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
        # With a shared frontier the Redis dupefilter sees every request: one worker fetches
        # each URL once per run. In-process, our own `seen` set and the index decide.
        spider.dont_filter = not frontier.enabled(crawler.settings)
        return spider

    profile: CrawlProfile
    dont_filter = True

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.memory = CrawlMemory(archive_for(self.crawler).index, run_id_for(self.crawler),
                                  self.profile.recrawl_days)
        for site in self.profile.sites:
            robots = self.discover(f"{site.scheme}://{site.host}/robots.txt", self.parse_robots, priority=10)
            if robots is not None:
                robots.meta["dont_obey_robotstxt"] = True
                yield robots
            for urls, callback, priority in ((site.sitemaps, self.parse_sitemap, 5), (site.feeds, self.parse_feed, 5),
                                             (site.sections, self.parse_section, 1)):
                for url in urls:
                    request = self.discover(url, callback, priority=priority)
                    if request is not None:
                        yield request

    def discover(self, url: str, callback, *, priority: int) -> scrapy.Request | None:
        """A request for a discovery document, once per run. dont_filter: a resumed run
        (JOBDIR) must read its robots.txt, sitemaps and feeds again, not find them 'seen'
        (with a shared frontier the run's queue in Redis survives, and the dupefilter decides)."""
        if url in self.discovery_seen:
            return None
        self.discovery_seen.add(url)
        self.claim_url(url)  # a section page linked from itself is not then fetched as an article
        return scrapy.Request(url, callback=callback, errback=self.discovery_failed, priority=priority,
                              meta={"discovery": callback.__name__}, dont_filter=self.dont_filter)

    # -- discovery ------------------------------------------------------------------------
    def parse_robots(self, response):
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        for url in discovery.robots_sitemaps(response.text, response.url):
            request = self.discover(url, self.parse_sitemap, priority=5)
            if request is not None:
                yield request

    def parse_sitemap(self, response):
        links = discovery.parse_sitemap(response.body, response.url)
        for link in links:
            if link.kind == "sitemap":
                request = self.discover(link.url, self.parse_sitemap, priority=5)
                if request is not None:
                    yield request
        yield from self.follow_articles([link for link in links if link.kind != "sitemap"])

    def parse_feed(self, response):
        yield from self.follow_articles(discovery.parse_feed(response.body, response.url))

    def parse_section(self, response):
        if not isinstance(response, TextResponse):
            return
        yield from self.follow_articles([
            discovery.Link(url=found.url, title=found.text or None)
            for found in self.link_extractor.extract_links(response) if self.profile.is_article_url(found.url)])

    def follow_articles(self, links: list[discovery.Link]):
        """`follow_article` for each of the links one document gave, the index asked once for
        all of them (which were ever captured) rather than once per link."""
        self.memory.look_up([link.url for link in links])
        for link in links:
            yield from self.follow_article(link)

    def claim_url(self, url: str) -> bool:
        """True the first time this run meets `url` (in canonical form), False after."""
        try:
            key = canonical_url(url)
        except ValueError:
            return False
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def follow_article(self, link: discovery.Link):
        """Schedule an article unless this run has it already, the archive says it need not be
        fetched again, it is older than `since`, or the budget is spent."""
        if not self.claim_url(link.url):
            return
        stats = self.crawler.stats
        stats.inc_value("newsarchive/discovered")
        count_for_site(self.crawler, link.url, "discovered")
        dated = parse_time(link.lastmod) or parse_time(link.published)
        if self.since and dated and dated < self.since:
            stats.inc_value("newsarchive/skipped/since")
            return
        decision = self.memory.decide(link.url, link.lastmod)
        if decision.action == SKIP:
            stats.inc_value("newsarchive/skipped/known")
            count_for_site(self.crawler, link.url, "skipped_known")
            self.logger.debug("not fetching %s: %s", link.url, decision.reason)
            return
        if self.budget is not None and self.scheduled >= self.budget:
            stats.inc_value("newsarchive/skipped/budget")
            return
        self.scheduled += 1
        meta = {"discovered": {"title": link.title, "published": link.published, "lastmod": link.lastmod},
                "decision": decision.reason}
        if decision.unseen and not resumed_from_jobdir(self.crawler):
            meta[UNSEEN] = unseen_mark(self.crawler)  # nothing to compare the page with: fewer lookups
        headers = decision.headers if decision.action == CONDITIONAL else None
        if headers:
            meta["handle_httpstatus_list"] = [304]
        # dont_filter: our own `seen` set and the index decide, so a resumed run (JOBDIR)
        # re-schedules what was in flight when it was killed.
        yield scrapy.Request(link.url, callback=self.parse_page, errback=self.page_failed, headers=headers,
                             meta=meta, dont_filter=self.dont_filter)

    # -- pages ----------------------------------------------------------------------------
    def parse_page(self, response):
        """Hand the page to the pipeline (which cleans and stores it)."""
        yield {
            "url": response.url,
            "status": response.status,
            "capture_id": response.meta.get("capture_id"),
            "capture": response.meta.get("capture"),  # the pipeline pops it: not an exported field
            "capture_type": response.meta.get("capture_type"),
            "first_capture": response.meta.get("first_capture"),  # popped by the pipeline too
            "profile": self.profile_name,
            "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
            "encoding": getattr(response, "encoding", None),
            "body": response.body,
            "discovered": response.meta.get("discovered"),
        }

    def page_failed(self, failure):
        self._failed(failure, "failed", "page")

    def discovery_failed(self, failure):
        self._failed(failure, "discovery_failed", "discovery document")

    def _failed(self, failure, key: str, what: str) -> None:
        """An errback: a refusal (robots.txt, unsafe or duplicate destination, over the size cap)
        is a skip with its reason; anything else (HTTP error status, timeout, connection lost,
        truncated body) is a failure."""
        url = failure.request.url
        acks.failed(self.crawler, failure.request)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            reason = failure.getErrorMessage()
            count_for_site(self.crawler, url, _skip_kind(reason))
            self.logger.info("%s skipped: %s (%s)", what, url, reason)
            return
        self.crawler.stats.inc_value(f"newsarchive/{key}")
        count_for_site(self.crawler, url, "failed")
        self.logger.warning("%s failed: %s (%s)", what, url, describe_failure(failure))


def describe_failure(failure) -> str:
    """A reason never empty: the HTTP status, else the error and, for Twisted's ResponseFailed
    (a truncated body, a lost connection), the errors inside it."""
    response = getattr(failure.value, "response", None)
    if failure.check(HttpError) and response is not None:
        return f"HTTP {response.status}"
    inner = [r for r in getattr(failure.value, "reasons", None) or [] if hasattr(r, "getErrorMessage")]
    if inner:
        return f"{failure.type.__name__}: " + "; ".join(
            f"{r.type.__name__}: {r.getErrorMessage()}" if r.getErrorMessage() else r.type.__name__ for r in inner)
    message = failure.getErrorMessage().strip()
    return f"{failure.type.__name__}: {message}" if message else failure.type.__name__


def _skip_kind(reason: str) -> str:
    """The run report's name for why a request was not fetched."""
    if "robots.txt" in reason:
        return "skipped_robots"
    if "refused destination" in reason:
        return "skipped_refused"
    if "already scheduled" in reason:
        return "skipped_duplicate"
    if "DOWNLOAD_MAXSIZE" in reason or "DOWNLOAD_WARNSIZE" in reason:
        return "skipped_too_large"
    return "skipped"
