"""Politeness across the cluster: at most one request in flight per host, over all workers,
and the host's delay between the end of one request and the start of the next.

Before a request goes on the wire it takes the host's lease in Redis,
`SET <prefix>:lease:<host> <holder> NX PX <ttl>`, waiting while another request (of this
worker or any other) holds it. When the response (or the error) comes back the lease is not
deleted but shortened to the host's delay (`PEXPIRE`): the next request to that host, from
any worker, starts only after it. The delay is the largest of DOWNLOAD_DELAY, the download
slot's delay (AutoThrottle) and robots.txt's Crawl-delay (crawler/middlewares/crawl_delay.py).
A worker killed while holding a lease blocks the host for at most FRONTIER_LEASE_TTL.

Placed at 960, after every other downloader middleware: the lease spans only the exchange
on the wire, not a Retry-After wait or the cleaning of the page. Switched off (NotConfigured)
without the shared frontier, or with FRONTIER_HOST_LEASE = False.
"""

from __future__ import annotations

import itertools
import time
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import sleep

from crawler import frontier

_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])
"""


def lease_key(prefix: str, host: str) -> str:
    return f"{prefix}:lease:{host}"


class HostLease:
    """The lease protocol alone (plain Redis): `try_take` and `release`, for one holder name."""

    def __init__(self, server, prefix: str, holder: str, ttl: float):
        self.server = server
        self.prefix = prefix
        self.holder = holder
        self.ttl_ms = max(1, int(ttl * 1000))
        self._release = server.register_script(_RELEASE)
        self._serial = itertools.count(1)

    def try_take(self, host: str) -> tuple[str | None, float]:
        """(lease token, 0) if taken, else (None, seconds the current lease still has)."""
        token = f"{self.holder}:{next(self._serial)}"
        key = lease_key(self.prefix, host)
        if self.server.set(key, token, nx=True, px=self.ttl_ms):
            return token, 0.0
        remaining = self.server.pttl(key)
        return None, max(remaining, 0) / 1000

    def release(self, host: str, token: str, delay: float) -> bool:
        """Let the next request in after `delay` seconds. False if the lease had expired."""
        return bool(self._release(keys=[lease_key(self.prefix, host)], args=[token, int(delay * 1000)]))


class HostLeaseMiddleware:
    def __init__(self, crawler, lease: HostLease, poll: float, longest_delay: float):
        self.crawler = crawler
        self.lease = lease
        self.poll = poll
        # A lease with at most this long to live is being released (its TTL is the delay),
        # or its holder died: sleep it out. A longer one is in use: poll.
        self.longest_delay = longest_delay
        self._busy: set[str] = set()  # hosts this worker holds or is asking Redis for

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not frontier.enabled(settings) or not settings.getbool("FRONTIER_HOST_LEASE", True):
            raise NotConfigured
        from crawler.frontier.scheduler import frontier_server, worker_name

        longest = max(settings.getfloat("DOWNLOAD_DELAY", 0), settings.getfloat("ROBOTS_CRAWL_DELAY_MAX", 60),
                      settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60))
        # Held from before the local download slot's own delay until the response is in.
        ttl = settings.getfloat("FRONTIER_LEASE_TTL") or (settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 2 * longest + 10)
        lease = HostLease(frontier_server(crawler), settings.get("FRONTIER_KEY_PREFIX"), worker_name(settings), ttl)
        return cls(crawler, lease, settings.getfloat("FRONTIER_LEASE_POLL", 0.005), longest)

    async def process_request(self, request, spider=None):
        host = _host(request.url)
        if not host:
            return None
        waited = False
        started = time.monotonic()
        while host in self._busy:  # only one request per host and worker asks Redis
            waited = True
            await sleep(self.poll)
        self._busy.add(host)
        try:
            while True:
                token, remaining = self.lease.try_take(host)
                if token:
                    break
                waited = True
                await sleep(min(remaining, 1.0) if 0 < remaining <= self.longest_delay else self.poll)
        except BaseException:
            self._busy.discard(host)
            raise
        if waited:
            self.crawler.stats.inc_value("frontier/lease_waits")
            self.crawler.stats.inc_value("frontier/lease_wait_seconds", round(time.monotonic() - started, 3))
        request.meta["frontier_lease_taken"] = time.monotonic()
        request.meta["frontier_lease"] = (host, token)
        return None

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._release(request)
        return None

    def _release(self, request) -> None:
        held = request.meta.pop("frontier_lease", None)
        if held is None:
            return
        host, token = held
        self._busy.discard(host)
        taken = request.meta.pop("frontier_lease_taken", None)
        if taken is not None:
            self.crawler.stats.inc_value("frontier/lease_held_seconds", round(time.monotonic() - taken, 3))
        if not self.lease.release(host, token, self._delay(request, host)):
            self.crawler.stats.inc_value("frontier/lease_expired")

    def _delay(self, request, host: str) -> float:
        settings = self.crawler.settings
        delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        crawl_delay = self.crawler.stats.get_value(f"newsarchive/crawl_delay/{host}")
        if crawl_delay:
            delay = max(delay, float(crawl_delay))
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is not None:
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is not None:
                delay = max(delay, slot.delay)
        return delay


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
