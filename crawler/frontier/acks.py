"""When a request of the shared frontier is acknowledged (removed from Redis for good).

A popped request is held by its worker (queue.py) until what it stands for is durable:

- a response: after it was archived (WarcCaptureMiddleware writes its WARC records before
  the spider sees it) AND everything its callback produced was handled: every request it
  yielded is in the Redis queue (or was found already seen), every item it yielded has left
  the item pipeline (the cleaned copy written, or the item dropped with a logged reason);
- a failure (HTTP error, timeout, refused by robots.txt or a middleware): after its errback ran;
- a retry or a redirect hop: the new request replaces the held one in one Redis script
  (the hop itself is archived before the redirect is followed);
- a request filtered as already seen: it was never queued, so nothing is held.

Anything killed before its ack comes back to the queue when the worker's heartbeat expires,
so a URL may be fetched twice after a crash (the second fetch becomes a revisit record),
never lost. Counting: each held token has one unit for its response, plus one per output
its callback yielded; the unit of the response is released when the callback's output is
exhausted, an item's when the pipeline is done with it, a request's when it is queued.
"""

from __future__ import annotations

from typing import Callable

from scrapy import Request


class AckTracker:
    def __init__(self, ack: Callable[[str], None]):
        self.ack = ack
        self.units: dict[str, int] = {}

    def hold(self, token: str) -> None:
        self.units[token] = 1

    def add(self, token: str) -> None:
        if token in self.units:
            self.units[token] += 1

    def release(self, token: str) -> None:
        if token not in self.units:
            return
        self.units[token] -= 1
        if self.units[token] <= 0:
            del self.units[token]
            self.ack(token)

    def ack_now(self, token: str) -> None:
        self.units.pop(token, None)
        self.ack(token)

    def forget(self, token: str) -> None:
        """Acknowledged some other way (replaced by a retry or redirect, or at idle)."""
        self.units.pop(token, None)


def failed(crawler, request) -> None:
    """Called by the spider's errbacks: a failed or refused request is done with."""
    from crawler.frontier.scheduler import frontier_for

    frontier = frontier_for(crawler)
    token = request.meta.get("frontier_token")
    if frontier is not None and token:
        frontier.tracker.ack_now(token)


class AckMiddleware:
    """Spider middleware, placed nearest the engine so it sees exactly what is scheduled and
    what reaches the item pipeline. Switched off (NotConfigured) without the frontier."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        from crawler.frontier import enabled

        if not enabled(crawler.settings):
            raise NotConfigured
        return cls(crawler)

    async def process_spider_output(self, response, result, spider=None):
        from crawler.frontier.scheduler import frontier_for

        frontier = frontier_for(self.crawler)
        token = response.meta.get("frontier_token")
        if frontier is None or not token:
            async for output in result:
                yield output
            return
        tracker = frontier.tracker
        try:
            async for output in result:
                if isinstance(output, Request):
                    if output.meta.get("frontier_token") == token:  # a copy of this response's meta
                        del output.meta["frontier_token"]
                    output.meta["frontier_parent"] = token
                tracker.add(token)
                yield output
        finally:
            tracker.release(token)
