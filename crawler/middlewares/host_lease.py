"""Politeness across the cluster: at most one request in flight per host, over all workers,
and the host's delay between the end of one request and the start of the next.

Before a request goes on the wire it takes the host's lease in Redis,
`SET <prefix>:lease:<host> <holder> NX PX <ttl>`, waiting while another request (of this
worker or any other) holds it; while the request runs the worker renews the lease every
TTL/3. When the response (or the error) comes back the lease is not deleted but replaced by
a "released" marker that lives for the host's delay: the next request to that host, from
any worker, starts only after it (waiters sleep exactly that long). The delay is the largest of DOWNLOAD_DELAY, the download
slot's delay (AutoThrottle) and robots.txt's Crawl-delay (crawler/middlewares/crawl_delay.py).
A worker killed while holding a lease blocks the host for at most FRONTIER_LEASE_TTL (10 s).

A worker whose next request to the host comes within the delay plus FRONTIER_LEASE_LINGER
(0.25 s) keeps the lease for it instead of handing it back and taking it again (two Redis
round trips a page), and waits out the delay itself; after FRONTIER_LEASE_MAX_HOLD seconds
(5 s) of such turns it hands the lease back, so other workers' requests to the host get theirs.

Placed at 960, after every other downloader middleware: the lease spans only the exchange
on the wire, not a Retry-After wait or the cleaning of the page. Switched off (NotConfigured)
without the shared frontier, or with FRONTIER_HOST_LEASE = False.
"""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future, sleep

from twisted.internet import task
from twisted.internet.defer import Deferred

from crawler import frontier

logger = logging.getLogger(__name__)

_TAKE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
local holder = redis.call('GET', KEYS[1])
if holder and string.sub(holder, 1, 9) == 'released:' then return -math.max(redis.call('PTTL', KEYS[1]), 1) end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('SET', KEYS[1], 'released:' .. ARGV[1], 'PX', ARGV[2]) and 1 end
return redis.call('DEL', KEYS[1])
"""

_REFRESH = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
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
        self._take = server.register_script(_TAKE)
        self._release = server.register_script(_RELEASE)
        self._refresh = server.register_script(_REFRESH)
        self._serial = itertools.count(1)

    def try_take(self, host: str) -> tuple[str | None, float | None]:
        """(lease token, 0) if taken; else (None, seconds until the host's delay is over) for
        a released lease, (None, None) for one in use."""
        token = f"{self.holder}:{next(self._serial)}"
        answer = int(self._take(keys=[lease_key(self.prefix, host)], args=[token, self.ttl_ms]))
        if answer == 1:
            return token, 0.0
        return None, (-answer / 1000 if answer < 0 else None)

    def refresh(self, host: str, token: str) -> bool:
        """Still in use: another TTL. False if it was lost (expired, taken by another worker)."""
        return bool(self._refresh(keys=[lease_key(self.prefix, host)], args=[token, self.ttl_ms]))

    def release(self, host: str, token: str, delay: float) -> bool:
        """Let the next request in after `delay` seconds. False if the lease had expired."""
        return bool(self._release(keys=[lease_key(self.prefix, host)], args=[token, int(delay * 1000)]))


@dataclass
class _Kept:
    """A lease kept between two of this worker's requests to its host."""

    token: str
    taken: float  # when it was taken from Redis (monotonic)
    free_at: float  # the end of the last exchange plus the host's delay
    timer: Any = None  # hands it back when no request comes in time


class HostLeaseMiddleware:
    def __init__(self, crawler, lease: HostLease, poll: float, *, linger: float = 0.25, max_hold: float = 5.0):
        self.crawler = crawler
        self.lease = lease
        self.poll = poll
        self.linger = linger
        self.max_hold = max_hold
        self._busy: set[str] = set()  # hosts this worker holds or is asking Redis for
        self._waiting: dict[str, list[Deferred]] = {}  # host -> this worker's requests waiting for it
        self._held: dict[str, str] = {}  # host -> lease token, refreshed while held (in use or kept)
        self._kept: dict[str, _Kept] = {}  # host -> a lease kept for this worker's next request
        self._refresher = task.LoopingCall(self._refresh_held)
        crawler.signals.connect(self._start, signal=signals.spider_opened)
        crawler.signals.connect(self._stop, signal=signals.spider_closed)

    def _start(self, spider=None) -> None:
        self._refresher.start(max(0.1, self.lease.ttl_ms / 3000), now=False)

    def _stop(self, spider=None, reason=None) -> None:
        for host in list(self._kept):
            self._hand_back(host)
        if self._refresher.running:
            self._refresher.stop()

    def _refresh_held(self) -> None:
        for host, token in list(self._held.items()):
            try:
                if not self.lease.refresh(host, token):
                    self.crawler.stats.inc_value("frontier/lease_lost")
                    kept = self._kept.get(host)
                    if kept is not None and kept.token == token:  # never go on with a lost lease
                        self._forget_kept(host)
                        self._held.pop(host, None)
            except Exception as exc:  # noqa: BLE001 - the next round tries again
                logger.warning("could not refresh the lease of %s: %s", host, exc)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not frontier.enabled(settings) or not settings.getbool("FRONTIER_HOST_LEASE", True):
            raise NotConfigured
        from crawler.frontier.scheduler import frontier_server, worker_name

        lease = HostLease(frontier_server(crawler), settings.get("FRONTIER_KEY_PREFIX"), worker_name(settings),
                          settings.getfloat("FRONTIER_LEASE_TTL", 10.0))
        return cls(crawler, lease, settings.getfloat("FRONTIER_LEASE_POLL", 0.005),
                   linger=settings.getfloat("FRONTIER_LEASE_LINGER", 0.25),
                   max_hold=settings.getfloat("FRONTIER_LEASE_MAX_HOLD", 5.0))

    async def process_request(self, request, spider=None):
        host = _host(request.url)
        if not host:
            return None
        waited = False
        started = time.monotonic()
        while host in self._busy:  # only one request per host and worker asks Redis
            waited = True
            await self._turn(host)
        self._busy.add(host)
        try:
            token, taken, slept = await self._keep_or_take(host)
        except BaseException:
            self._done_with(host)
            raise
        if waited or slept:
            self.crawler.stats.inc_value("frontier/lease_waits")
            self.crawler.stats.inc_value("frontier/lease_wait_seconds", round(time.monotonic() - started, 3))
        request.meta["frontier_lease_taken"] = time.monotonic()
        request.meta["frontier_lease"] = (host, token, taken)
        self._held[host] = token
        return None

    async def _keep_or_take(self, host: str) -> tuple[str, float, bool]:
        """The lease for this worker's next request to `host`: the one it kept (after the
        host's delay), unless held for FRONTIER_LEASE_MAX_HOLD already; else taken from Redis.
        (token, when it was taken from Redis, whether this waited)."""
        kept = self._forget_kept(host)
        if kept is not None:
            if time.monotonic() - kept.taken < self.max_hold:
                rest = kept.free_at - time.monotonic()
                if rest > 0:
                    await sleep(rest)
                self.crawler.stats.inc_value("frontier/lease_kept")
                return kept.token, kept.taken, rest > 0
            self._release_kept(host, kept)
        slept = False
        while True:
            token, remaining = self.lease.try_take(host)
            if token:
                return token, time.monotonic(), slept
            slept = True
            await sleep(min(remaining, 1.0) if remaining else self.poll)

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        # A timeout, a lost connection, a download cut at DOWNLOAD_MAXSIZE: the server may
        # still be busy with it, so the host gets at least FRONTIER_LEASE_ABORT_GRACE.
        self._release(request, self.crawler.settings.getfloat("FRONTIER_LEASE_ABORT_GRACE", 1.0))
        return None

    def _release(self, request, at_least: float = 0.0) -> None:
        held = request.meta.pop("frontier_lease", None)
        if held is None:
            return
        host, token, taken_from_redis = held
        taken = request.meta.pop("frontier_lease_taken", None)
        if taken is not None:
            self.crawler.stats.inc_value("frontier/lease_held_seconds", round(time.monotonic() - taken, 3))
        delay = max(at_least, self._delay(request, host))
        kept = _Kept(token, taken_from_redis, time.monotonic() + delay)
        if at_least > 0:  # a failed or abandoned download: handed back at once, the host rests
            self._release_kept(host, kept)
        else:  # kept for this worker's next request to the host, if one comes in time
            from twisted.internet import reactor

            kept.timer = reactor.callLater(delay + self.linger, self._hand_back, host)
            self._kept[host] = kept
        self._done_with(host)

    def _forget_kept(self, host: str) -> _Kept | None:
        kept = self._kept.pop(host, None)
        if kept is not None and kept.timer is not None and kept.timer.active():
            kept.timer.cancel()
        return kept

    def _hand_back(self, host: str) -> None:
        """No request of this worker came for a kept lease: back to Redis, with what is left
        of the host's delay."""
        kept = self._forget_kept(host)
        if kept is not None:
            self._release_kept(host, kept)

    def _release_kept(self, host: str, kept: _Kept) -> None:
        """Back to Redis, the next request to the host from any worker after `kept.free_at`."""
        if self._held.get(host) == kept.token:
            del self._held[host]
        try:
            released = self.lease.release(host, kept.token, max(0.0, kept.free_at - time.monotonic()))
        except Exception as exc:  # noqa: BLE001 - the lease then expires after its TTL
            logger.warning("could not hand back the lease of %s: %s", host, exc)
            return
        if not released:
            self.crawler.stats.inc_value("frontier/lease_expired")

    def _turn(self, host: str):
        """Wait (without polling) until this worker's request holding or taking `host` is done."""
        waiter: Deferred = Deferred()
        self._waiting.setdefault(host, []).append(waiter)
        return maybe_deferred_to_future(waiter)

    def _done_with(self, host: str) -> None:
        """This worker no longer holds `host`: the next of its requests waiting for it goes on
        to ask Redis (a request that arrived meanwhile may go first; the woken one then waits again)."""
        self._busy.discard(host)
        waiters = self._waiting.get(host, [])
        while waiters:
            waiter = waiters.pop(0)
            if not waiter.called:  # a request cancelled while it waited is passed over
                waiter.callback(None)
                break
        if not waiters:
            self._waiting.pop(host, None)

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
