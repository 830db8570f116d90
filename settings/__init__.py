"""Scrapy settings for the newsarchive project (`scrapy.cfg` points here).

Every project component is switchable here, Scrapy-style: remove it from
DOWNLOADER_MIDDLEWARES / ITEM_PIPELINES / EXTENSIONS to turn it off. Site families live as
data in `settings/sites/*.toml`.
"""

import os

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# `scrapy crawl` exits 1 when the run report says the run failed (crawler/commands/crawl.py).
COMMANDS_MODULE = "crawler.commands"

# Who we are, honestly. Set NEWSARCHIVE_CONTACT (an e-mail or URL) for real crawls.
CONTACT = os.environ.get("NEWSARCHIVE_CONTACT", "")
USER_AGENT = "newsarchive/0.1 (news archiving crawler; +https://github.com/newsarchive" + (
    f"; contact: {CONTACT})" if CONTACT else ")")

# Politeness: robots.txt, one request at a time per host, a delay, AutoThrottle.
ROBOTSTXT_OBEY = True
ROBOTS_CRAWL_DELAY_MAX = 60.0  # robots.txt Crawl-delay is honoured up to this many seconds
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5  # each delay varies by ±50%
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Size cap: bigger responses are dropped with a logged reason (also bounds decompression).
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy re-reads and parses the source of a callback on every response to warn about a
# generator that returns a value; with callbacks rebuilt from the shared frontier's queue that
# cost ~1 ms per page. tests/test_scrapy_project.py checks our callbacks once instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

DOWNLOADER_MIDDLEWARES = {
    # No loopback/private/link-local destinations, only http(s) (checked on every redirect hop).
    "crawler.middlewares.security.SafeDestinationMiddleware": 40,
    # A redirect landing on an article this run already scheduled is not fetched twice.
    "crawler.middlewares.redirect_dedupe.RedirectDedupeMiddleware": 45,
    # robots.txt Crawl-delay (which Scrapy's RobotsTxtMiddleware ignores) slows that host down.
    "crawler.middlewares.crawl_delay.CrawlDelayMiddleware": 50,
    # Routes requests for *.replica.test hosts through the replica proxy (offline crawls).
    "crawler.middlewares.replica.ReplicaProxyMiddleware": 740,
    # 429/503 with Retry-After: wait as told, then retry (before RetryMiddleware at 550).
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Sees responses before HttpCompressionMiddleware (590) and RedirectMiddleware (600):
    # the bytes archived are the bytes received, every redirect hop included.
    "crawler.middlewares.warc_capture.WarcCaptureMiddleware": 950,
    # Shared frontier only: one request at a time per host across all workers (a lease in Redis).
    "crawler.middlewares.host_lease.HostLeaseMiddleware": 960,
}
SPIDER_MIDDLEWARES = {
    # Shared frontier only: acknowledges a request once what it stands for is durable.
    "crawler.frontier.acks.AckMiddleware": 5,
}
EXTENSIONS = {
    # After a hard kill, sets JOBDIR's half-written request queue aside so the run can resume.
    "crawler.extensions.jobdir_guard.JobdirGuard": 100,
    # Writes runs/<run id>.json, a log line and an index row when a crawl run ends.
    "crawler.extensions.run_report.RunReport": 500,
}
ITEM_PIPELINES = {
    "crawler.pipelines.CleanAndStorePipeline": 300,
}

# Archive (see archive/store.py). ARCHIVE_DIR: env ARCHIVE_DIR, else ./data.
ARCHIVE_DIR = os.environ.get("ARCHIVE_DIR", "./data")
WARC_ENABLED = True
WARC_MAX_SIZE = 1_000_000_000
# Shared backends, chosen by URL (README "Running on several machines"); empty: the archive
# folder's own SQLite index and warcs/ folder.
ARCHIVE_INDEX = os.environ.get("ARCHIVE_INDEX", "")  # sqlite:///PATH or postgresql://USER@HOST:PORT/DB
WARC_STORE = os.environ.get("WARC_STORE", "")  # file:///PATH or s3://BUCKET/PREFIX (AWS_ENDPOINT_URL etc.)
# Store cleaned copies on a thread of their own with their own index connection, so the crawl
# goes on while the index answers: unset = on for a PostgreSQL index, off for SQLite.
INDEX_WRITER_THREAD = os.environ.get("INDEX_WRITER_THREAD") or None
ARCHIVE_WORKER = os.environ.get("ARCHIVE_WORKER", "")  # this worker's name in WARC file names
WARC_OPERATOR = os.environ.get("NEWSARCHIVE_OPERATOR", "")

# Shared crawl frontier (crawler/frontier/, deploy/README-frontier.md): with a Redis URL,
# N `scrapy crawl` workers of one spider share one queue, one run id and per-host politeness;
# empty: Scrapy's in-process scheduler (and JOBDIR for resuming).
FRONTIER_REDIS_URL = os.environ.get("FRONTIER_REDIS_URL", "")  # redis://HOST:PORT/DB
FRONTIER_KEY_PREFIX = "newsarchive"
FRONTIER_HEARTBEAT_TTL = 30.0  # a worker silent this long is dead: its held requests go back
FRONTIER_POLL_INTERVAL = 1.0  # how often an idle worker looks for other workers' new links
FRONTIER_KEEP_FINISHED = 86400  # seconds a finished run's keys stay (late workers find it done)
FRONTIER_HOST_LEASE = True
FRONTIER_LEASE_TTL = 10.0  # renewed while its request runs; a dead worker's lease lasts this long
FRONTIER_LEASE_ABORT_GRACE = 1.0  # a failed or abandoned download: the host still rests this long
FRONTIER_LEASE_POLL = 0.005  # seconds between tries while another worker holds a host
FRONTIER_LEASE_LINGER = 0.25  # a lease is kept this long past the host's delay for this worker's next request
FRONTIER_LEASE_MAX_HOLD = 5.0  # ... but handed back after this many seconds of such turns

# Replica sites: set to the replica's proxy URL (`python -m tests.replica` prints it) to
# crawl the loopback replica instead of the real sites. Records then say so in warcinfo.
REPLICA_PROXY = os.environ.get("REPLICA_PROXY", "")
# Crawling loopback/local names is refused unless this is on (the replica does not need it).
ALLOW_LOOPBACK = False

LOG_LEVEL = os.environ.get("NEWSARCHIVE_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
