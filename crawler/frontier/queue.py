"""A reliable request queue in Redis: a popped request is held, not lost, until acknowledged.

scrapy-redis pops requests destructively: a worker killed with kill -9 loses what it had
popped. Here every move is one Lua script, so a request is always in exactly one place:

    <run>:queue            sorted set of tokens by score (-priority), what is waiting
    <run>:requests         hash token -> serialized request (scrapy-redis' encoding)
    <run>:scores           hash token -> score, to re-queue a held request where it was
    <run>:seen             set of fingerprints (the dupefilter), added in the same script as the push
    <run>:inflight:<w>     set of tokens worker <w> holds
    <run>:alive:<w>        worker <w>'s heartbeat, a key with a TTL
    <run>:workers          set of workers that may hold requests
    <run>:again            set of waiting tokens that a worker held before (given back)

`pop` moves a token (with `pop_batch`, that many in one script, handed out one by one)
from the queue into the worker's in-flight set; `ack` forgets it. `push_later` and
`ack_later` wait in the worker and go in the step script of its next pop (pushes first), so
the crawl's pushes and acks cost no round trip of their own; `reap` gives the in-flight
requests of every worker whose heartbeat expired back to the queue. A request that replaces a held one (a retry, a redirect hop) is pushed and the held
one acknowledged in one script. Plain Redis, no Scrapy engine: tests drive it directly.
"""

from __future__ import annotations

from collections import deque
from contextlib import contextmanager
from typing import Callable

from scrapy_redis.queue import Base

from crawler.incremental import UNSEEN

# The moves of one request, as Lua functions every script below shares.
_FUNCTIONS = """
local function forget(inflight, requests, scores, token)
  if redis.call('SREM', inflight, token) == 0 then return 0 end
  redis.call('HDEL', requests, token)
  redis.call('HDEL', scores, token)
  return 1
end
local function push(queue, requests, scores, seen, counter, inflight, data, score, fp, replaced)
  if replaced ~= '' then forget(inflight, requests, scores, replaced) end
  if fp ~= '' and redis.call('SADD', seen, fp) == 0 then return 0 end
  local token = string.format('%012d', redis.call('INCR', counter))
  redis.call('HSET', requests, token, data)
  redis.call('HSET', scores, token, score)
  redis.call('ZADD', queue, score, token)
  return 1
end
"""

# KEYS of _STEP and _ACK, in this order.
_STEP_KEYS = ("inflight", "requests", "scores", "queue", "again", "seen", "counter")

# Forget the tokens in ARGV this worker holds. Returns how many were held.
_ACK = _FUNCTIONS + """
local acked = 0
for i = 1, #ARGV do acked = acked + forget(KEYS[1], KEYS[2], KEYS[3], ARGV[i]) end
return acked
"""

# One worker's step, in this order: the pushes (ARGV[1] of them, 4 arguments each: request,
# score, fingerprint or '', the held token it replaces or ''; first, so that an ack in the same
# step never goes ahead of the requests its page yielded), the acks (the arguments after
# <count>), then up to <count> (the argument after the pushes) tokens moved from the front of
# the queue into the in-flight set. Returns {{1 or 0 per push: queued?}, acked, then per token
# moved: the token, its request, 1 if it was given back (in `again`) else 0}.
_STEP = _FUNCTIONS + """
local inflight, requests, scores, queue, again, seen, counter = unpack(KEYS)
local pushes = tonumber(ARGV[1])
local queued = {}
for i = 0, pushes - 1 do
  local at = 2 + 4 * i
  queued[i + 1] = push(queue, requests, scores, seen, counter, inflight, ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3])
end
local count = tonumber(ARGV[2 + 4 * pushes])
local acked = 0
for i = 3 + 4 * pushes, #ARGV do acked = acked + forget(inflight, requests, scores, ARGV[i]) end
local out = {queued, acked}
if count > 0 then
  local popped = redis.call('ZPOPMIN', queue, count)
  for i = 1, #popped, 2 do
    local token = popped[i]
    redis.call('SADD', inflight, token)
    table.insert(out, token)
    table.insert(out, redis.call('HGET', requests, token))
    table.insert(out, redis.call('SREM', again, token))
  end
end
return out
"""

# Give back what `worker` holds (ARGV[2]: '' for every worker whose heartbeat expired).
_REQUEUE = """
local queue, requests, scores, workers, again = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local run, only = ARGV[1], ARGV[2]
local moved = 0
local names = only ~= '' and {only} or redis.call('SMEMBERS', workers)
for _, worker in ipairs(names) do
  if only ~= '' or redis.call('EXISTS', run .. ':alive:' .. worker) == 0 then
    local inflight = run .. ':inflight:' .. worker
    for _, token in ipairs(redis.call('SMEMBERS', inflight)) do
      if redis.call('HEXISTS', requests, token) == 1 then
        redis.call('ZADD', queue, tonumber(redis.call('HGET', scores, token)) or 0, token)
        redis.call('SADD', again, token)
        moved = moved + 1
      end
    end
    redis.call('DEL', inflight)
    if only == '' then redis.call('SREM', workers, worker) end
  end
end
return moved
"""

# Requests waiting or held by any worker but ARGV[2]: while there are some, the run is not over.
_PENDING = """
local count = redis.call('ZCARD', KEYS[1])
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if worker ~= ARGV[2] then count = count + redis.call('SCARD', ARGV[1] .. ':inflight:' .. worker) end
end
return count
"""


class ReliableQueue(Base):
    """The queue of one run (`key` is the run's key prefix) as seen by one worker."""

    def __init__(self, server, spider, key, serializer=None, *, worker: str, heartbeat_ttl: float = 30.0,
                 on_acked: Callable[[int], None] | None = None,
                 on_pushed: Callable[[object, bool], None] | None = None, pop_batch: int = 1):
        super().__init__(server, spider, key, serializer)
        self.worker = worker
        self.pop_batch = max(1, pop_batch)  # requests moved to this worker per script call
        self._popped: deque = deque()  # held by this worker, not yet handed out by pop()
        self.on_acked = on_acked  # told how many held requests each batch of acks forgot
        self.on_pushed = on_pushed  # told (request, queued?) for each push_later once sent
        self._acks: list[str] = []  # tokens acknowledged with ack_later, not yet sent
        self._pushes: list[tuple[object, list]] = []  # (request, script arguments), not yet sent
        self.heartbeat_ms = max(1, int(heartbeat_ttl * 1000))
        self.keys = {name: f"{self.key}:{name}" for name in
                     ("queue", "requests", "scores", "seen", "counter", "workers", "again")}
        self.inflight_key = f"{self.key}:inflight:{worker}"
        self.alive_key = f"{self.key}:alive:{worker}"
        self._step = server.register_script(_STEP)
        self._ack = server.register_script(_ACK)
        self._requeue = server.register_script(_REQUEUE)
        self._pending = server.register_script(_PENDING)

    # -- this worker's liveness -----------------------------------------------------------
    def heartbeat(self) -> None:
        """Say this worker is alive for another heartbeat TTL (call every TTL/3 or so)."""
        self.flush()
        pipe = self.server.pipeline()
        pipe.sadd(self.keys["workers"], self.worker)
        pipe.set(self.alive_key, "1", px=self.heartbeat_ms)
        pipe.execute()

    def leave(self) -> int:
        """A clean stop: what this worker still holds goes back to the queue."""
        self.flush()
        moved = self.requeue_own()
        pipe = self.server.pipeline()
        pipe.srem(self.keys["workers"], self.worker)
        pipe.delete(self.alive_key)
        pipe.execute()
        return moved

    # -- the queue ------------------------------------------------------------------------
    def _encode_request(self, request) -> bytes:
        """scrapy-redis' encoding, `Request.to_dict(spider=...)` serialized. To name the
        callback and errback, to_dict scans every member of the spider (inspect.getmembers,
        about a millisecond a request); a spider method is found by its own name instead, and
        anything else goes the scrapy-redis way (which names it or refuses it)."""
        data = request.replace(callback=None, errback=None).to_dict()
        for attr in ("callback", "errback"):
            func = getattr(request, attr)
            if func is not None:
                data[attr] = _spider_method_name(self.spider, func)
                if data[attr] is None:
                    return super()._encode_request(request)
        return self.serializer.dumps(data)

    def push(self, request, fingerprint: str | None = None, replaces: str | None = None) -> bool:
        """Queue `request` unless `fingerprint` was seen this run; acknowledge the held
        request `replaces` in the same step. True if queued. (Whatever waits to be sent goes
        in the same script, ahead of it.)"""
        self.push_later(request, fingerprint, replaces)
        return bool(self._send()[-1])

    def push_later(self, request, fingerprint: str | None = None, replaces: str | None = None) -> None:
        """`push`, sent in this worker's next script (its next pop, or `flush`), ahead of the
        acks sent with it; `on_pushed` then says whether it was queued. Until then nothing is
        lost if the worker dies: the request that yielded it is not acknowledged either, so it
        is fetched again and yields it again."""
        self._pushes.append((request, [self._encode_request(request), -request.priority,
                                       fingerprint or "", replaces or ""]))

    def pop(self, timeout=0):
        """The next request, now held by this worker, with its token in meta['frontier_token']
        (the pushes and acks waiting to be sent go in the same script). With `pop_batch` > 1
        one script moves that many to this worker, and the next calls hand them out without a
        round trip (Scrapy's engine takes up to CONCURRENT_REQUESTS at a time anyway)."""
        if not self._popped:
            self._send(self.pop_batch)
        return self._popped.popleft() if self._popped else None

    def flush(self) -> None:
        """Send the pushes and acks waiting for a ride now."""
        if self._pushes or self._acks:
            self._send()

    def _send(self, count: int = 0) -> list[int]:
        """One step script: the waiting pushes, the waiting acks, then up to `count` requests
        moved to this worker. What each push did (1: queued)."""
        with self._sending() as (pushes, tokens):
            args = [len(pushes), *(value for _, push_args in pushes for value in push_args), count, *tokens]
            result = self._step(keys=[self._step_key(name) for name in _STEP_KEYS], args=args)
        queued, acked, popped = result[0], result[1], result[2:]
        if self.on_pushed is not None:
            for (request, _), flag in zip(pushes, queued):
                self.on_pushed(request, bool(flag))
        self._acked(acked)
        for i in range(0, len(popped), 3):
            token, data, again = popped[i:i + 3]
            token = token.decode() if isinstance(token, bytes) else token
            if data is None:  # cannot happen through this class; never hold what cannot be read
                self.ack(token)
                continue
            request = self._decode_request(data)
            request.meta["frontier_token"] = token
            if again:  # a worker held it before: it may have been fetched, so it is no longer unseen
                request.meta.pop(UNSEEN, None)
            self._popped.append(request)
        return queued

    def _step_key(self, name: str) -> str:
        return self.inflight_key if name == "inflight" else self.keys[name]

    def waiting_here(self) -> int:
        """Requests this worker holds that pop() has not handed out yet."""
        return len(self._popped)

    def ack(self, token: str) -> bool:
        """What `token` stood for is durable: forget it. False if this worker did not hold it.
        (The pushes waiting to be sent go first.)"""
        if self._pushes:
            self._send()
        return bool(self._ack(keys=[self._step_key(name) for name in _STEP_KEYS], args=[token]))

    def ack_later(self, token: str) -> None:
        """`ack`, sent with this worker's next pop (or before its next heartbeat, pending
        count, or leave). Until then the token is still held: if the worker dies first, the
        request comes back to the queue and is fetched again (a revisit), never lost."""
        self._acks.append(token)

    @contextmanager
    def _sending(self):
        """The waiting pushes and acks, taken out for one script call; put back if the call
        fails (not known to be sent: again next time; an ack or a replaced token sent twice is
        a no-op, a push sent twice is found seen)."""
        pushes, tokens = self._pushes, self._acks
        self._pushes, self._acks = [], []
        try:
            yield pushes, tokens
        except Exception:
            self._pushes[:0] = pushes
            self._acks[:0] = tokens
            raise

    def _acked(self, count) -> None:
        if count and self.on_acked is not None:
            self.on_acked(int(count))

    def held(self) -> set[str]:
        """Tokens this worker holds that pop() handed out (not those still waiting here)."""
        self.flush()
        waiting = {request.meta["frontier_token"] for request in self._popped}
        return {t.decode() for t in self.server.smembers(self.inflight_key)} - waiting

    def describe(self, token: str) -> str:
        """The URL a token stands for, for log lines."""
        data = self.server.hget(self.keys["requests"], token)
        return self._decode_request(data).url if data else "unknown"

    def reap(self) -> int:
        """Re-queue the requests held by workers whose heartbeat expired; how many."""
        return int(self._requeue(keys=self._requeue_keys(), args=[self.key, ""]))

    def requeue_own(self) -> int:
        """Give back everything this worker holds (what pop() has not handed out too)."""
        self._popped.clear()
        return int(self._requeue(keys=self._requeue_keys(), args=[self.key, self.worker]))

    def _requeue_keys(self) -> list[str]:
        return [self.keys["queue"], self.keys["requests"], self.keys["scores"], self.keys["workers"], self.keys["again"]]

    def pending_elsewhere(self) -> int:
        """Requests waiting, plus those held by other workers (live or not yet reaped). Asked
        while this worker looks idle: its own waiting acks go too, so that the others, asking
        the same, do not wait on requests it has finished."""
        self.flush()
        return int(self._pending(keys=[self.keys["queue"], self.keys["workers"]], args=[self.key, self.worker]))

    def __len__(self) -> int:
        """Requests waiting in Redis (the pushes waiting here sent first)."""
        self.flush()
        return int(self.server.zcard(self.keys["queue"]))

    def clear(self) -> None:
        names = list(self.keys.values()) + [self.inflight_key, self.alive_key]
        self.server.delete(*names)

    def expire(self, seconds: int) -> None:
        """Let a finished run's keys go after `seconds` (late workers still find it finished)."""
        pipe = self.server.pipeline()
        for name in self.keys.values():
            pipe.expire(name, seconds)
        pipe.execute()


def _spider_method_name(spider, func) -> str | None:
    """The name of `spider`'s method `func` is bound from, looked up by the method's own
    name; None when `func` is not found that way."""
    name = getattr(func, "__name__", None)
    bound = getattr(spider, name, None) if isinstance(name, str) else None
    function = getattr(func, "__func__", None)
    return name if function is not None and getattr(bound, "__func__", None) is function else None
