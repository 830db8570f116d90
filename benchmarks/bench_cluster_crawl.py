"""The crawl part of bench_cluster.py: bulk replica crawl throughput of today's single
process (no frontier, SQLite + local files) against 1, 2 and 3 workers sharing Redis,
PostgreSQL and an S3-compatible server, all in one run on this machine.

Every configuration crawls the same bulk replica (one host, `CONCURRENT_REQUESTS_PER_DOMAIN=1`
everywhere, so politeness is the same: one request at a time to the host) with a fresh
archive; pages/s = requests the replica served / wall time of the whole run, start-up and
the final uploads included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.replica.server import ReplicaServer  # noqa: E402
from tests.services.postgres import PostgresServer  # noqa: E402
from tests.services.redis import RedisServer  # noqa: E402
from tests.services.s3 import S3Server  # noqa: E402

SETTINGS = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "LOG_LEVEL=WARNING"]


def crawl(workers: int, articles: int, env: dict[str, str]) -> dict:
    """One crawl of the bulk replica by `workers` processes; what the replica served."""
    folder = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    with ReplicaServer(epoch=1, bulk=articles) as replica:
        began = time.monotonic()
        processes = []
        for number in range(workers):
            archive_dir = folder / (f"w{number}" if env else "archive")
            archive_dir.mkdir(parents=True, exist_ok=True)
            worker_env = {**os.environ, **env, "SCRAPY_SETTINGS_MODULE": "settings", "PYTHONPATH": str(ROOT),
                          "ARCHIVE_DIR": str(archive_dir), "ARCHIVE_WORKER": f"w{number}",
                          "REPLICA_PROXY": replica.proxy_url}
            log = open(archive_dir / "crawl.log", "w")
            processes.append(subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "rferl", *SETTINGS],
                                              cwd=ROOT, env=worker_env, stdout=log, stderr=subprocess.STDOUT))
        codes = [process.wait(timeout=1800) for process in processes]
        seconds = time.monotonic() - began
        served = len(replica.requests)
    return {"workers": workers, "exit_codes": codes, "seconds": round(seconds, 2), "requests": served,
            "pages_per_second": round(served / seconds, 2)}


def bench_crawl_part(quick: bool = False) -> dict:
    articles = 300 if quick else 1500
    print(f"crawl: embedded single process, {articles} bulk articles ...", file=sys.stderr)
    embedded = crawl(1, articles, {})
    pg, objects = PostgresServer().start(), S3Server().start()
    shared = []
    try:
        for workers in (1, 2, 3):
            with RedisServer() as frontier:
                env = {"ARCHIVE_INDEX": pg.new_database(), "WARC_STORE": objects.new_bucket(),
                       "FRONTIER_REDIS_URL": frontier.url, **objects.env}
                print(f"crawl: {workers} worker(s) on Redis + PostgreSQL + S3 ...", file=sys.stderr)
                shared.append(crawl(workers, articles, env))
    finally:
        pg.close()
        objects.close()
    return {"articles": articles, "embedded": embedded, "shared": shared}


def crawl_lines(data: dict) -> list[str]:
    base = data["embedded"]["pages_per_second"]
    lines = ["## Crawl throughput: shared backends vs the embedded default (one run)", "",
             f"Bulk replica, {data['articles']:,} articles on one host, one request at a time to it in every "
             "configuration; pages/s over the whole run (start-up and uploads included).", "",
             "| configuration | workers | requests | seconds | pages/s | vs embedded |", "|---|---:|---:|---:|---:|---:|",
             f"| embedded (SQLite + files, no frontier) | 1 | {data['embedded']['requests']} | "
             f"{data['embedded']['seconds']} | {base} | 1.00x |"]
    for run in data["shared"]:
        lines.append(f"| Redis + PostgreSQL + S3 | {run['workers']} | {run['requests']} | {run['seconds']} | "
                     f"{run['pages_per_second']} | {run['pages_per_second'] / base:.2f}x |")
    single = data["shared"][0]["pages_per_second"] / base
    lines += ["", f"Shared-backend overhead, one worker: **{single:.2f}x** the embedded default's pages/s "
              f"(target >= 0.8x: {'met' if single >= 0.8 else 'NOT met'}). On 2 cores more workers add little: "
              "the host is fetched one request at a time cluster-wide, and the workers share the cores with "
              "the replica and the three servers.", ""]
    return lines
