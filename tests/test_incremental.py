"""Cross-run memory decides what a scheduled run fetches."""

import asyncio
from datetime import datetime, timedelta, timezone

from archive.store import Archive, Exchange
from crawler.incremental import CONDITIONAL, FETCH, SKIP, UNSEEN, CrawlMemory, parse_time, unseen_mark
from crawler.middlewares.retry_after import retry_after_seconds

URL = "http://npr.replica.test/2026/10/01/1000000001/levee"


def _capture(archive, run_id, *, body=b"<p>x</p>", status=200, when=None, document=True):
    exchange = Exchange(url=URL, method="GET", request_headers=[], status=status,
                        response_headers=[("ETag", '"abc"'), ("Last-Modified", "Thu, 01 Oct 2026 10:00:00 GMT")],
                        body=body, run_id=run_id)
    if when:
        exchange.fetched_at = when
    capture = archive.record_exchange(exchange)
    if document:
        archive.record_document(capture, {"text": "t", "page_type": "article"})
    return capture


def test_unknown_url_is_fetched(tmp_path):
    with Archive(tmp_path) as archive:
        decision = CrawlMemory(archive.index, "run-1", 7).decide(URL)
        assert decision.action == FETCH and decision.unseen
        _capture(archive, "run-1", status=500, document=False)
        again = CrawlMemory(archive.index, "run-2", 7).decide(URL)
        assert again.action == FETCH and not again.unseen, "a failed capture is still a capture"


def test_what_one_look_up_learns_outlives_the_next_look_up(tmp_path):
    """Scrapy reads two sitemaps' links in turn: the second look-up must not make the first
    one's never-captured URLs cost an index round trip each when they are decided."""
    first = [f"http://npr.replica.test/2026/10/01/{n}/a" for n in range(3)]
    second = [f"http://npr.replica.test/2026/10/02/{n}/b" for n in range(3)]
    with Archive(tmp_path) as archive:
        _capture(archive, "run-1")
        memory = CrawlMemory(archive.index, "run-2", 7)
        memory.look_up(first + [URL])
        memory.look_up(second + first[:1])
        asked = []
        archive.index.url_state = lambda key, real=archive.index.url_state: asked.append(key) or real(key)
        decisions = [memory.decide(url) for url in first + second]
        assert all(d.action == FETCH and d.unseen for d in decisions) and asked == []
        assert memory.decide(URL).action == CONDITIONAL and len(asked) == 1, "a captured URL is asked about"
        memory.decide(first[0])
        assert len(asked) == 2, "a decided URL is asked about the next time"


def test_capture_middleware_skips_the_original_lookup_only_for_the_first_exchange_of_an_unseen_url(tmp_path):
    """The flag the spider sets for a never-captured URL is used once: a retry of the request
    (which copies its meta) looks for an original, so an identical payload becomes a revisit."""
    import scrapy
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from crawler.archive_binding import archive_for
    from crawler.middlewares.warc_capture import WarcCaptureMiddleware

    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)})
    crawler.spider = None
    middleware = WarcCaptureMiddleware.from_crawler(crawler)
    request = scrapy.Request(URL, meta={UNSEEN: unseen_mark(crawler)})
    asyncio.run(middleware.process_response(request, HtmlResponse(URL, body=b"<p>same</p>", request=request)))
    assert request.meta["capture_type"] == "response" and request.meta["first_capture"] is True
    retry = request.replace()  # what RetryMiddleware sends again, after this middleware has run
    asyncio.run(middleware.process_response(retry, HtmlResponse(URL, body=b"<p>same</p>", request=retry)))
    assert retry.meta["capture_type"] == "revisit" and retry.meta["first_capture"] is False
    # From a JOBDIR queue an earlier process of the run filled: this process may have
    # scheduled the URL again, and fetched it, so the flag is not trusted.
    earlier = scrapy.Request(URL, meta={UNSEEN: "another-process"})
    asyncio.run(middleware.process_response(earlier, HtmlResponse(URL, body=b"<p>same</p>", request=earlier)))
    assert earlier.meta["capture_type"] == "revisit" and earlier.meta["first_capture"] is False
    archive_for(crawler).close()


def test_recent_article_gets_a_conditional_get_with_its_validators(tmp_path):
    with Archive(tmp_path) as archive:
        _capture(archive, "run-1")
        decision = CrawlMemory(archive.index, "run-2", 7).decide(URL)
    assert decision.action == CONDITIONAL
    assert decision.headers == {"If-None-Match": '"abc"', "If-Modified-Since": "Thu, 01 Oct 2026 10:00:00 GMT"}


def test_article_outside_its_recrawl_window_is_skipped_unless_sitemap_says_it_changed(tmp_path):
    with Archive(tmp_path) as archive:
        _capture(archive, "run-1", when="2026-01-01T00:00:00.000000Z")
        later = datetime(2026, 3, 1, tzinfo=timezone.utc)
        memory = CrawlMemory(archive.index, "run-2", 7, now=later)
        assert memory.decide(URL).action == SKIP
        assert memory.decide(URL, lastmod="2026-02-01").action == CONDITIONAL
        assert memory.decide(URL, lastmod="2025-12-01").action == SKIP


def test_resumed_run_skips_what_it_finished(tmp_path):
    with Archive(tmp_path) as archive:
        _capture(archive, "run-1")
        assert CrawlMemory(archive.index, "run-1", 7).decide(URL).action == SKIP


def test_resumed_run_refetches_a_capture_whose_cleaned_copy_was_never_stored(tmp_path):
    with Archive(tmp_path) as archive:
        _capture(archive, "run-1", document=False)
        assert CrawlMemory(archive.index, "run-1", 7).decide(URL).action != SKIP


def test_parse_time_accepts_dates_and_z():
    assert parse_time("2026-11-01") == datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert parse_time("2026-11-01T12:00:00Z") == datetime(2026, 11, 1, 12, tzinfo=timezone.utc)
    assert parse_time("yesterday") is None and parse_time(None) is None


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"5") == 5.0
    assert retry_after_seconds("Sun, 01 Nov 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Sun, 01 Nov 2026 11:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
