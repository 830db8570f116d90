"""The shared frontier's Redis protocols against a real redis-server: the reliable queue
(held until acknowledged, re-queued when a worker dies), the shared run id, the host lease,
and the aggregation of per-worker run reports."""

from __future__ import annotations

import time

import pytest
import scrapy

from archive.run_reports import aggregate
from crawler.frontier.queue import ReliableQueue
from crawler.frontier.run import finish_run, shared_run_id
from crawler.incremental import UNSEEN
from crawler.middlewares.host_lease import HostLease
from tests.services.redis import RedisServer

redis = pytest.importorskip("redis")


class _Spider(scrapy.Spider):
    name = "unit"

    def parse(self, response):  # pragma: no cover - never called
        pass

    def failed(self, failure):  # pragma: no cover - never called
        pass

    also_parse = parse  # a second name for one method


@pytest.fixture(scope="module")
def server():
    with RedisServer() as running:
        yield running


@pytest.fixture
def client(server):
    connection = redis.Redis.from_url(server.url)
    connection.flushall()
    yield connection
    connection.close()


def _queue(client, worker: str, ttl: float = 30.0, batch: int = 1) -> ReliableQueue:
    queue = ReliableQueue(client, _Spider(), "t:unit:run1", worker=worker, heartbeat_ttl=ttl, pop_batch=batch)
    queue.heartbeat()
    return queue


def _request(n: int, **kwargs) -> scrapy.Request:
    return scrapy.Request(f"http://example.org/a/{n}", **kwargs)


def test_popped_request_is_held_until_acknowledged(client):
    queue = _queue(client, "w1")
    assert queue.push(_request(1), "fp1")
    request = queue.pop()
    assert request.url == "http://example.org/a/1"
    token = request.meta["frontier_token"]
    assert len(queue) == 0 and queue.held() == {token}
    assert queue.ack(token)
    assert queue.held() == set() and not queue.ack(token)
    assert client.hlen("t:unit:run1:requests") == 0


def test_requests_are_encoded_as_scrapy_encodes_them_and_come_back_with_their_callbacks(client):
    spider = _Spider()
    queue = ReliableQueue(client, spider, "t:unit:run1", worker="w1")
    requests = [_request(1), _request(2, callback=spider.parse, errback=spider.failed, priority=3,
                                      meta={"k": [1, 2]}, cb_kwargs={"n": 2}, headers={"X-A": "b"}),
                _request(3, callback=spider.also_parse), scrapy.FormRequest("http://example.org/f", formdata={"q": "x"},
                                                                            callback=spider.parse)]
    for request in requests:
        encoded = queue.serializer.loads(queue._encode_request(request))
        if request.callback != spider.also_parse:  # scrapy names an alias by another of its names
            assert encoded == request.to_dict(spider=spider)
        back = queue._decode_request(queue._encode_request(request))
        assert (back.url, back.callback, back.errback, type(back)) == (
            request.url, request.callback, request.errback, type(request))
    with pytest.raises(ValueError, match="not an instance method"):  # as scrapy-redis refuses it
        queue._encode_request(_request(4, callback=lambda response: None))


def test_seen_fingerprint_is_not_queued_again_even_after_it_was_done(client):
    queue = _queue(client, "w1")
    assert queue.push(_request(1), "fp1")
    queue.ack(queue.pop().meta["frontier_token"])
    assert not queue.push(_request(1), "fp1")
    assert queue.push(_request(1), None)  # dont_filter: no fingerprint, queued
    assert len(queue) == 1


def test_a_batched_pop_holds_the_batch_in_redis_and_hands_it_out_in_priority_order(client):
    """One script moves `pop_batch` requests to the worker; pop() hands them out one by one
    without a round trip; all are held in Redis meanwhile (a dead worker's batch comes back
    whole), but only those handed out count as held by the engine (`held`)."""
    dying = _queue(client, "dying", ttl=0.3, batch=3)
    for n in range(5):
        dying.push(_request(n, priority=n), f"fp{n}")
    calls = []
    dying._step = lambda real=dying._step, **kw: calls.append(kw["args"][1]) or real(**kw)  # args: 0 pushes, count
    first = dying.pop()
    assert first.priority == 4 and calls == [3]
    assert len(dying) == 2 and dying.waiting_here() == 2
    assert len(client.smembers("t:unit:run1:inflight:dying")) == 3, "the whole batch is held in Redis"
    assert dying.held() == {first.meta["frontier_token"]}, "what waits here was not handed out"
    dying.ack_later(first.meta["frontier_token"])
    assert [dying.pop().priority for _ in range(2)] == [3, 2] and calls == [3], "handed out without a script call"
    live = _queue(client, "live", batch=3)
    time.sleep(0.5)  # 'dying' is dead with its ack unsent: the two handed out and acked-later come back
    assert live.reap() == 3
    assert sorted(r.priority for r in (live.pop(), live.pop(), live.pop())) == [2, 3, 4]
    assert sorted(r.priority for r in (live.pop(), live.pop())) == [0, 1] and live.pop() is None


def test_pushes_wait_for_the_next_pop_and_go_ahead_of_the_acks_in_its_script(client):
    """A page's links and its ack travel in one step script, links first: a worker dying
    before it loses neither (the page, unacknowledged, comes back and yields them again), and
    after it the links are queued; a link already seen is reported as not queued."""
    told = []
    queue = ReliableQueue(client, _Spider(), "t:unit:run1", worker="w1", on_pushed=lambda r, q: told.append((r.url, q)))
    queue.heartbeat()
    queue.push(_request(0), "fp0")
    parent = queue.pop()
    steps = []
    queue._step = lambda real=queue._step, **kw: steps.append(kw["args"]) or real(**kw)
    queue.push_later(_request(1), "fp1")
    queue.push_later(_request(2), "fp0")  # seen already
    queue.ack_later(parent.meta["frontier_token"])
    assert steps == [] and client.zcard("t:unit:run1:queue") == 0, "nothing sent before the next script"
    assert told == [("http://example.org/a/0", True)]
    child = queue.pop()
    assert len(steps) == 1 and steps[0][0] == 2, "both pushes and the ack went in the pop's one script"
    assert child.url == "http://example.org/a/1"
    assert told[-2:] == [("http://example.org/a/1", True), ("http://example.org/a/2", False)]
    assert queue.held() == {child.meta["frontier_token"]}, "the parent's ack went in the same script"


def test_a_push_waiting_when_the_worker_dies_leaves_its_parent_held(client):
    dying = _queue(client, "dying", ttl=0.3)
    dying.push(_request(0), "fp0")
    parent = dying.pop()
    dying.push_later(_request(1), "fp1")
    dying.ack_later(parent.meta["frontier_token"])
    # killed here: neither was sent
    live = _queue(client, "live")
    time.sleep(0.5)
    assert live.reap() == 1
    assert live.pop().url == parent.url and live.pop() is None


def test_leaving_gives_back_what_a_batch_left_unhanded(client):
    queue = _queue(client, "w1", batch=4)
    for n in range(3):
        queue.push(_request(n), f"fp{n}")
    token = queue.pop().meta["frontier_token"]
    queue.ack_later(token)
    assert queue.waiting_here() == 2 and len(queue) == 0
    assert queue.leave() == 2
    assert queue.waiting_here() == 0 and len(queue) == 2 and queue.pending_elsewhere() == 2
    other = _queue(client, "w2")
    assert {other.pop().url for _ in range(2)} == {"http://example.org/a/1", "http://example.org/a/2"}


def test_dead_workers_requests_go_back_to_the_queue_and_a_live_worker_gets_them(client):
    dying = _queue(client, "dying", ttl=0.3)
    live = _queue(client, "live")
    for n in range(3):
        dying.push(_request(n, priority=n), f"fp{n}")
    held = [dying.pop() for _ in range(3)]
    assert len(dying) == 0 and len(dying.held()) == 3
    assert live.reap() == 0  # heartbeat still fresh: nothing taken away
    assert live.pending_elsewhere() == 3  # what another worker holds keeps the run open
    time.sleep(0.5)  # no heartbeat: 'dying' is dead now
    assert live.reap() == 3
    assert b"dying" not in client.smembers("t:unit:run1:workers")
    again = [live.pop() for _ in range(3)]
    assert sorted(r.url for r in again) == sorted(r.url for r in held)
    assert [r.priority for r in again] == [2, 1, 0]  # back where they were
    assert live.pop() is None and live.pending_elsewhere() == 0


def test_a_retry_replaces_the_held_request_in_one_step(client):
    queue = _queue(client, "w1")
    queue.push(_request(1), "fp1")
    token = queue.pop().meta["frontier_token"]
    assert queue.push(_request(1, dont_filter=True), None, replaces=token)
    assert queue.held() == set() and len(queue) == 1
    redirect_to_seen = queue.pop().meta["frontier_token"]
    assert not queue.push(_request(1), "fp1", replaces=redirect_to_seen)  # already seen: dropped, still acked
    assert queue.held() == set() and len(queue) == 0


def test_clean_leave_gives_back_what_the_worker_held(client):
    queue = _queue(client, "w1")
    queue.push(_request(1), "fp1")
    queue.pop()
    assert queue.leave() == 1
    assert len(queue) == 1 and queue.held() == set()
    assert b"w1" not in client.smembers("t:unit:run1:workers")


def test_all_workers_of_a_run_share_its_id_until_it_finishes(client):
    first = shared_run_id(client, "t", "rferl", "rferl-1")
    second = shared_run_id(client, "t", "rferl", "rferl-2")
    assert first == second == "rferl-1"
    assert not finish_run(client, "t", "rferl", "rferl-other")
    assert finish_run(client, "t", "rferl", "rferl-1")
    assert shared_run_id(client, "t", "rferl", "rferl-3") == "rferl-3"


def test_host_lease_admits_one_holder_and_the_next_only_after_the_delay(client):
    a = HostLease(client, "t", "worker-a", ttl=30)
    b = HostLease(client, "t", "worker-b", ttl=30)
    token, _ = a.try_take("news.example")
    assert token
    refused, remaining = b.try_take("news.example")
    assert refused is None and remaining is None  # in use: no telling when it ends
    assert b.try_take("other.example")[0]  # another host is independent
    assert a.release("news.example", token, delay=0.4)
    refused, remaining = b.try_take("news.example")
    assert refused is None and 0 < remaining <= 0.4  # released, but the host's delay runs
    time.sleep(remaining + 0.05)
    assert b.try_take("news.example")[0]


def test_lease_renewed_while_in_use_outlives_its_ttl(client):
    holder = HostLease(client, "t", "slow-download", ttl=0.3)
    token, _ = holder.try_take("news.example")
    for _ in range(4):
        time.sleep(0.15)
        assert holder.refresh("news.example", token)
    assert HostLease(client, "t", "other", ttl=30).try_take("news.example")[0] is None
    assert not holder.refresh("news.example", "someone-else:1")


def test_lease_of_a_dead_holder_expires_and_a_stale_release_does_nothing(client):
    dead = HostLease(client, "t", "dead", ttl=0.3)
    live = HostLease(client, "t", "live", ttl=30)
    stale, _ = dead.try_take("news.example")
    time.sleep(0.4)
    token, _ = live.try_take("news.example")
    assert token
    assert not dead.release("news.example", stale, delay=0)  # must not free the live holder's lease
    assert live.try_take("news.example")[0] is None


def test_archive_runs_adds_up_workers_of_one_run():
    def row(worker, status, fetched, complete=False, started="2026-12-01T10:00:00Z", finished="2026-12-01T10:01:00Z"):
        report = None if status == "running" else {
            "fetched": fetched, "stored": fetched - 1, "bytes": 100 * fetched, "run_complete": complete,
            "sites": {"a.test": {"fetched": fetched}}, "captures": {"response": fetched, "revisit": 0}}
        return {"id": f"rferl-1@{worker}", "spider": "rferl", "started_at": started,
                "finished_at": None if status == "running" else finished, "status": status, "report": report}

    rows = [row("w2", "ok", 30, complete=True, finished="2026-12-01T10:02:30Z"), row("w1", "ok", 20),
            row("w3", "running", 0), {"id": "npr-0", "spider": "npr", "status": "ok", "report": {"fetched": 5}}]
    runs = aggregate(rows)
    assert [r["id"] for r in runs] == ["rferl-1", "npr-0"]
    shared = runs[0]
    assert shared["status"] == "ok"  # a worker saw the run complete; w3 was killed
    assert shared["report"]["fetched"] == 50 and shared["report"]["stored"] == 48
    assert shared["report"]["sites"] == {"a.test": {"fetched": 50}}
    assert shared["report"]["duration_s"] == 150.0
    assert shared["report"]["workers"] == 3 and shared["report"]["workers_unfinished"] == 1
    assert [w["worker"] for w in shared["workers"]] == ["w1", "w2", "w3"]
    assert runs[1] == rows[3]
    assert aggregate([row("w1", "ok", 5), row("w2", "running", 0)])[0]["status"] == "running"
    assert aggregate([row("w1", "failed", 5), row("w2", "ok", 3, complete=True)])[0]["status"] == "failed"


def test_a_workers_requests_for_a_host_it_holds_wait_their_turn_and_a_cancelled_one_is_passed_over():
    """Without Redis: the in-worker turn-taking. When the request holding a host is done, the
    first waiter that is still waiting is woken, once; one cancelled meanwhile is skipped."""
    from types import SimpleNamespace

    from scrapy.signalmanager import SignalManager
    from twisted.internet.defer import CancelledError, Deferred

    from crawler.middlewares.host_lease import HostLeaseMiddleware

    crawler = SimpleNamespace(signals=SignalManager())
    middleware = HostLeaseMiddleware(crawler, lease=SimpleNamespace(ttl_ms=10_000), poll=0.005)
    woken = []
    cancelled, first, second = Deferred(), Deferred(), Deferred()
    for name, waiter in (("cancelled", cancelled), ("first", first), ("second", second)):
        waiter.addCallbacks(lambda _, name=name: woken.append(name), lambda failure: failure.trap(CancelledError))
        middleware._waiting.setdefault("news.example", []).append(waiter)
    middleware._busy.add("news.example")
    cancelled.cancel()
    middleware._done_with("news.example")
    assert woken == ["first"] and "news.example" not in middleware._busy
    middleware._done_with("news.example")
    assert woken == ["first", "second"] and "news.example" not in middleware._waiting
    middleware._done_with("news.example")  # nobody waits: nothing happens
    assert woken == ["first", "second"]


def test_a_lease_is_kept_for_the_workers_next_request_to_the_host_then_handed_back(client):
    """Between two of one worker's requests to a host the lease stays taken (no other worker
    gets in, no Redis round trip); with no next request it goes back, and after
    FRONTIER_LEASE_MAX_HOLD it is taken afresh so other workers get a turn."""
    from collections import Counter
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from scrapy.signalmanager import SignalManager

    from crawler.middlewares.host_lease import HostLeaseMiddleware

    counts = Counter()
    stats = SimpleNamespace(inc_value=lambda key, n=1: counts.update({key: n}), get_value=lambda key: None)
    crawler = SimpleNamespace(signals=SignalManager(), stats=stats, settings=Settings({"DOWNLOAD_DELAY": 0}),
                              engine=None)
    mine, other = HostLease(client, "t", "mine", ttl=30), HostLease(client, "t", "other", ttl=30)
    middleware = HostLeaseMiddleware(crawler, mine, poll=0.005, linger=60, max_hold=5)
    host = "news.example"

    def turn() -> tuple[str, float]:  # what process_request awaits; nothing to wait for here
        coroutine = middleware._keep_or_take(host)
        with pytest.raises(StopIteration) as done:
            coroutine.send(None)
        token, taken, _ = done.value.value
        return token, taken

    def finish(token: str, taken: float) -> None:  # the response came back
        request = scrapy.Request(f"http://{host}/a")
        request.meta["frontier_lease"] = (host, token, taken)
        middleware._release(request)

    first, taken = turn()
    finish(first, taken)
    assert other.try_take(host) == (None, None)  # kept: still in use for everyone else
    assert turn() == (first, taken) and counts["frontier/lease_kept"] == 1
    finish(first, taken)
    middleware._hand_back(host)  # no next request came in time
    token, _ = other.try_take(host)
    assert token and not middleware._kept
    assert other.release(host, token, delay=0)

    again, taken = turn()
    finish(again, taken)
    middleware._kept[host].taken -= 10  # held past FRONTIER_LEASE_MAX_HOLD
    fresh, _ = turn()
    assert fresh != again and counts["frontier/lease_kept"] == 1
    assert not mine.release(host, again, delay=0)  # the old token no longer holds anything


def test_a_later_ack_rides_with_the_next_pop_and_a_worker_dying_first_loses_nothing(client):
    acked = []
    queue = ReliableQueue(client, _Spider(), "t:unit:run1", worker="w1", heartbeat_ttl=0.3, on_acked=acked.append)
    queue.heartbeat()
    for n in range(3):
        queue.push(_request(n), f"fp{n}")
    first = queue.pop().meta["frontier_token"]
    queue.ack_later(first)
    inflight = "t:unit:run1:inflight:w1"
    assert client.smembers(inflight) == {first.encode()}, "not sent yet: still held in Redis"
    second = queue.pop().meta["frontier_token"]
    assert client.smembers(inflight) == {second.encode()}, "the ack went with the pop"
    assert acked == [1] and client.hget("t:unit:run1:requests", first) is None
    queue.ack_later(second)  # finished, but the worker dies before its next call to Redis
    time.sleep(0.5)
    assert _queue(client, "w2").reap() == 1
    assert {queue.pop().url for _ in range(2)} == {"http://example.org/a/1", "http://example.org/a/2"}
    assert acked == [1], "the late ack found the request taken back: it forgot nothing"


def test_waiting_acks_go_before_this_worker_leaves_or_counts_what_others_hold(client):
    queue = _queue(client, "w1")
    other = _queue(client, "w2")
    queue.push(_request(1), "fp1")
    queue.push(_request(2), "fp2")
    queue.ack_later(queue.pop().meta["frontier_token"])
    assert other.pending_elsewhere() == 2, "w1's finished request still looks held to w2"
    assert queue.pending_elsewhere() == 1 and other.pending_elsewhere() == 1, "asking sent w1's ack"
    token = queue.pop().meta["frontier_token"]
    queue.ack_later(token)
    assert queue.leave() == 0, "a finished request is acknowledged at leave, not put back"
    assert len(queue) == 0 and other.pending_elsewhere() == 0


def test_a_request_given_back_after_a_worker_held_it_is_no_longer_unseen(client):
    """It may have been fetched and archived before its worker died: the next fetch must look
    for that capture (a revisit), so the scheduling-time 'never captured' flag goes."""
    dying = _queue(client, "dying", ttl=0.3)
    dying.push(_request(1, meta={UNSEEN: True}), "fp1")
    dying.push(_request(2, meta={UNSEEN: True}), "fp2")
    assert dying.pop().meta[UNSEEN] is True
    time.sleep(0.5)
    live = _queue(client, "live")
    assert live.reap() == 1
    popped = {request.url: request.meta for request in (live.pop(), live.pop())}
    assert UNSEEN not in popped["http://example.org/a/1"], "given back: may have been fetched"
    assert popped["http://example.org/a/2"][UNSEEN] is True, "never held: still unseen"
    assert client.scard("t:unit:run1:again") == 0


@pytest.mark.parametrize("name, value", [("FRONTIER_LEASE_LINGER", "quarter"), ("FRONTIER_LEASE_TTL", "0"),
                                         ("FRONTIER_HEARTBEAT_TTL", "-5"), ("FRONTIER_POLL_INTERVAL", "1s")])
def test_a_frontier_setting_that_is_not_a_number_of_seconds_is_a_usage_error(server, name, value):
    from scrapy.settings import Settings

    from crawler import frontier

    settings = Settings({"FRONTIER_REDIS_URL": server.url, name: value})
    message = frontier.problem(settings)
    assert message is not None and name in message and repr(value) in message
    assert frontier.problem(Settings({"FRONTIER_REDIS_URL": server.url, "FRONTIER_LEASE_LINGER": "0"})) is None
