"""The Scrapy scheduler of a shared-frontier crawl: scrapy-redis' scheduler over the
reliable queue (queue.py), with a heartbeat and an idle-close that looks at every worker.

A worker closes ("finished") only when the run's queue is empty and no worker, live or dead
and not yet reaped, holds a request: what another worker holds may still yield new links,
and what a dead one held comes back to the queue when its heartbeat expires. The worker that
closes a finished run ends it (run.py); its keys expire after FRONTIER_KEEP_FINISHED seconds.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

from scrapy import signals
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archive.urls import canonical_url
from crawler.frontier import run as shared_run
from crawler.frontier.acks import AckTracker
from crawler.frontier.queue import ReliableQueue

logger = logging.getLogger(__name__)

_ATTR = "_newsarchive_frontier"


def frontier_for(crawler) -> "SharedScheduler | None":
    """The crawler's shared-frontier scheduler, or None when the frontier is off."""
    return getattr(crawler, _ATTR, None)


def worker_name(settings) -> str:
    """Unique per process: a worker started again under the same ARCHIVE_WORKER is a new
    worker, and its predecessor's held requests come back when that one's heartbeat expires."""
    base = settings.get("ARCHIVE_WORKER") or socket.gethostname()
    return f"{base}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def run_key_for(crawler, run_id: str) -> str:
    return shared_run.run_key(crawler.settings.get("FRONTIER_KEY_PREFIX"), crawler.spidercls.name, run_id)


class CanonicalUrlDupeFilter(RFPDupeFilter):
    """scrapy-redis' dupefilter keyed on the archive's canonical URL for plain GETs, so "the
    same article" means what it means to the index (tracking parameters, fragments...)."""

    def request_fingerprint(self, request):
        if request.method in ("GET", "HEAD") and not request.body:
            try:
                return "url:" + canonical_url(request.url)
            except ValueError:
                pass
        return super().request_fingerprint(request)

    @classmethod
    def from_spider(cls, spider):
        from crawler.archive_binding import run_id_for

        crawler = spider.crawler
        key = run_key_for(crawler, run_id_for(crawler)) + ":seen"
        return cls(frontier_server(crawler), key=key, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))


def frontier_server(crawler):
    from crawler.frontier import connect

    server = getattr(crawler, "_newsarchive_redis", None)
    if server is None:
        server = crawler._newsarchive_redis = connect(crawler.settings)
    return server


class SharedScheduler(Scheduler):
    # Requests one pop script moves to this worker: the engine asks for the next request
    # once per finished download, and keeps up to CONCURRENT_REQUESTS in its downloader
    # anyway; the rest wait, held by this worker (given back if it dies), for the next asks.
    POP_BATCH = 4

    def __init__(self, crawler, server, **kwargs):
        super().__init__(server, persist=True, **kwargs)
        self.crawler = crawler
        settings = crawler.settings
        self.worker = worker_name(settings)
        self.heartbeat_ttl = settings.getfloat("FRONTIER_HEARTBEAT_TTL", 30.0)
        self.keep_finished = settings.getint("FRONTIER_KEEP_FINISHED", 86400)
        self.poll_interval = settings.getfloat("FRONTIER_POLL_INTERVAL", 1.0)
        self.tracker = AckTracker(self._ack)
        self.queue: ReliableQueue | None = None
        self._beat: task.LoopingCall | None = None
        self._flush_due = False  # a reactor call to send the waiting pushes is scheduled
        self.run_id = ""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        kwargs = {"dupefilter_cls": settings.get("DUPEFILTER_CLASS")}
        if settings.get("SCHEDULER_SERIALIZER"):
            kwargs["serializer"] = load_object(settings.get("SCHEDULER_SERIALIZER"))
        instance = cls(crawler, frontier_server(crawler), **kwargs)
        instance.stats = crawler.stats
        setattr(crawler, _ATTR, instance)
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(instance.item_done, signal=signal)
        return instance

    # -- Scrapy scheduler interface -------------------------------------------------------
    def open(self, spider):
        from crawler.archive_binding import run_id_for

        self.spider = spider
        self.run_id = run_id_for(self.crawler)
        self.queue = ReliableQueue(self.server, spider, run_key_for(self.crawler, self.run_id),
                                   self.serializer, worker=self.worker, heartbeat_ttl=self.heartbeat_ttl,
                                   on_acked=lambda count: self.stats.inc_value("frontier/acked", count),
                                   on_pushed=self._pushed, pop_batch=self.POP_BATCH)
        self.df = load_object(self.dupefilter_cls).from_spider(spider)
        self.queue.heartbeat()
        reaped = self.queue.reap()
        logger.info("shared frontier: worker %s joins run %s (%d requests waiting%s)", self.worker,
                    self.run_id, len(self.queue), f", {reaped} taken back from dead workers" if reaped else "")
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(max(0.2, self.heartbeat_ttl / 3), now=False)
        # Scrapy asks an idle-looking scheduler again only every 5 s; other workers' links
        # should be picked up sooner than that.
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and hasattr(engine, "_SLOT_HEARTBEAT_INTERVAL"):
            engine._SLOT_HEARTBEAT_INTERVAL = self.poll_interval

    def close(self, reason):
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        if self.queue is None:
            return
        if reason == "finished":
            self._ack_leftovers()
        moved = self.queue.leave()
        if moved:
            logger.info("shared frontier: %d requests this worker held went back to the queue (%s)", moved, reason)
        if reason == "finished" and not len(self.queue) and not self.queue.pending_elsewhere():
            self.stats.set_value("frontier/run_complete", True)
            if shared_run.finish_run(self.server, self.crawler.settings.get("FRONTIER_KEY_PREFIX"),
                                     self.spider.name, self.run_id):
                logger.info("shared frontier: run %s finished", self.run_id)
            self.queue.expire(self.keep_finished)

    def enqueue_request(self, request):
        """Always True: the push goes to Redis with this worker's next script (its next pop,
        or at the end of this turn of the reactor, whichever comes first), so a sitemap's
        links cost one round trip, not one each; a link found already seen there is logged
        and counted then (`_pushed`), and Scrapy's request_dropped signal is not sent for it."""
        parent = request.meta.pop("frontier_parent", None)
        replaces = request.meta.pop("frontier_token", None)  # a retry or redirect of a held request
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        self.queue.push_later(request, fingerprint, replaces)
        if replaces:
            self.tracker.forget(replaces)
        if parent:
            self.tracker.release(parent)  # its ack, if due, goes in the same script, after the push
        if not self._flush_due:
            from twisted.internet import reactor

            self._flush_due = True
            reactor.callLater(0, self._flush)
        return True

    def _flush(self) -> None:
        self._flush_due = False
        if self.queue is not None:
            self.queue.flush()

    def _pushed(self, request, queued: bool) -> None:
        if queued:
            self.stats.inc_value("scheduler/enqueued/redis")
        else:
            self.df.log(request, self.spider)

    def next_request(self):
        request = self.queue.pop()
        if request is not None:
            self.tracker.hold(request.meta["frontier_token"])
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        return self.queue is not None and (self.queue.waiting_here() > 0 or self.queue.pending_elsewhere() > 0)

    def __len__(self):
        return len(self.queue) + self.queue.waiting_here() if self.queue is not None else 0

    # -- acknowledgements (see acks.py for when) ------------------------------------------
    def _ack(self, token: str) -> None:
        self.queue.ack_later(token)  # sent with the next pop (or heartbeat, idle check, close)

    def item_done(self, item, response=None, spider=None, **kwargs):
        token = getattr(response, "meta", {}).get("frontier_token") if response is not None else None
        if token:
            self.tracker.release(token)

    def spider_idle(self, spider):
        self._ack_leftovers()

    def _ack_leftovers(self) -> None:
        """A token this worker holds in Redis whose request the engine no longer has in
        progress was fully handled (Scrapy drops a request from its in-progress set only
        after its response was scraped, its items through the pipeline): an ack point missed
        it. Acknowledge it, and count it, so other workers do not wait on it forever."""
        if self.queue is None:
            return
        engine_slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        if engine_slot is None or not hasattr(engine_slot, "inprogress"):
            return
        in_progress = {r.meta.get("frontier_token") for r in engine_slot.inprogress}
        for token in self.queue.held() - in_progress:
            logger.info("shared frontier: request %s (%s) acknowledged by reconciliation: the engine dropped it", token,
                           self.queue.describe(token))
            self.stats.inc_value("frontier/acked_by_reconciliation")
            self.tracker.forget(token)
            self._ack(token)

    def _heartbeat(self) -> None:
        try:
            self.queue.heartbeat()
            reaped = self.queue.reap()
            self._ack_leftovers()
        except Exception as exc:  # noqa: BLE001 - a Redis hiccup must not kill the loop
            logger.warning("shared frontier: heartbeat failed: %s", exc)
            return
        if reaped:
            logger.warning("shared frontier: %d requests held by dead workers went back to the queue", reaped)
            self.stats.inc_value("frontier/requeued_from_dead", reaped)
