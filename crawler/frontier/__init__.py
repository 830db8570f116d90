"""The shared crawl frontier: N `scrapy crawl` workers, one queue in Redis.

Off by default (FRONTIER_REDIS_URL empty: Scrapy's own in-process scheduler). On, the spider
switches SCHEDULER and DUPEFILTER_CLASS to the scrapy-redis based classes here (`configure`,
called from the spider's update_settings, so `-s FRONTIER_REDIS_URL=...` works too):

- run.py        one run id for all workers of a run (SET NX), cleared when the run finishes;
- queue.py      the reliable queue: popped requests are held per worker until acknowledged,
                re-queued when the worker's heartbeat expires;
- scheduler.py  the Scrapy scheduler over it, heartbeat, idle-close across workers;
- acks.py       when a request is acknowledged (after what it stands for is durable);
- crawler/middlewares/host_lease.py  one request at a time per host across the cluster.

Keys live under FRONTIER_KEY_PREFIX:<spider>:<run id>:..., host leases under
FRONTIER_KEY_PREFIX:lease:<host> (politeness is per host, whatever spider or run).
"""

from __future__ import annotations

SCHEDULER = "crawler.frontier.scheduler.SharedScheduler"
DUPEFILTER = "crawler.frontier.scheduler.CanonicalUrlDupeFilter"


# Seconds, read with getfloat when the crawl starts: checked first, so a typo is a usage error.
NUMBER_SETTINGS = ("FRONTIER_HEARTBEAT_TTL", "FRONTIER_KEEP_FINISHED", "FRONTIER_POLL_INTERVAL", "FRONTIER_LEASE_TTL",
                   "FRONTIER_LEASE_POLL", "FRONTIER_LEASE_LINGER", "FRONTIER_LEASE_MAX_HOLD",
                   "FRONTIER_LEASE_ABORT_GRACE")


def _seconds_problem(name: str, value) -> str | None:
    """Why `value` of setting `name` is not a number of seconds (a TTL must be more than 0)."""
    if value is None or value == "":
        return None
    lowest = "more than 0" if name.endswith("_TTL") else "0 or more"
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if seconds < 0 or (seconds == 0 and name.endswith("_TTL")):
        return f"{name} must be a number of seconds ({lowest}), not {value!r}"
    return None


def enabled(settings) -> bool:
    return bool(settings.get("FRONTIER_REDIS_URL"))


def configure(settings, priority: str = "spider") -> None:
    """Switch a crawl to the shared frontier when FRONTIER_REDIS_URL is set."""
    if not enabled(settings):
        return
    settings.set("SCHEDULER", SCHEDULER, priority=priority)
    settings.set("DUPEFILTER_CLASS", DUPEFILTER, priority=priority)
    settings.set("REDIS_URL", settings.get("FRONTIER_REDIS_URL"), priority=priority)
    # One worker finishing must never wipe the queue the others still work on.
    settings.set("SCHEDULER_PERSIST", True, priority=priority)


def connect(settings):
    """A Redis client for FRONTIER_REDIS_URL (bytes replies, as scrapy-redis expects)."""
    import redis

    return redis.Redis.from_url(settings.get("FRONTIER_REDIS_URL"), socket_timeout=30,
                                socket_connect_timeout=10, retry_on_timeout=True)


def problem(settings) -> str | None:
    """Why the shared frontier cannot be used (a one-line message), or None. Checked before a
    crawl starts, so an unreachable Redis is a usage error, not a traceback."""
    if not enabled(settings):
        return None
    for name in NUMBER_SETTINGS:
        if problem := _seconds_problem(name, settings.get(name)):
            return problem
    try:
        import redis
        import scrapy_redis  # noqa: F401
    except ImportError:
        return ("FRONTIER_REDIS_URL is set but redis/scrapy-redis are not installed "
                "(pip install -e '.[cluster]')")
    url = settings.get("FRONTIER_REDIS_URL")
    try:
        client = connect(settings)
        client.ping()
        version = client.info("server").get("redis_version", "0")
    except ValueError as exc:
        return f"FRONTIER_REDIS_URL {url!r} is not a Redis URL ({exc})"
    except redis.exceptions.RedisError as exc:
        return f"FRONTIER_REDIS_URL {url}: cannot reach Redis ({exc})"
    if tuple(int(p) for p in version.split(".")[:2] if p.isdigit()) < (5, 0):
        return f"FRONTIER_REDIS_URL {url}: Redis {version} is too old (5.0 or later needed: ZPOPMIN)"
    return None
