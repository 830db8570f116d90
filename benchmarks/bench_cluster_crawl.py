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


def bench_crawl_part(quick: bool = False, rounds: int = 3) -> dict:
    """`rounds` pairs of (embedded, one shared worker) runs, alternated so that a noisy spell on
    this shared machine hits both alike; the overhead is the median of the pairs' ratios. Then
    2 and 3 shared workers once each."""
    articles = 300 if quick else 1500
    pg, objects = PostgresServer().start(), S3Server().start()

    def shared_crawl(workers: int) -> dict:
        with RedisServer() as frontier:
            env = {"ARCHIVE_INDEX": pg.new_database(), "WARC_STORE": objects.new_bucket(),
                   "FRONTIER_REDIS_URL": frontier.url, **objects.env}
            print(f"crawl: {workers} worker(s) on Redis + PostgreSQL + S3, {articles} bulk articles ...",
                  file=sys.stderr)
            return crawl(workers, articles, env)

    pairs, shared = [], []
    load_before = os.getloadavg()[0]
    try:
        for number in range(rounds):
            print(f"crawl: round {number + 1}/{rounds}: embedded single process, {articles} bulk articles ...",
                  file=sys.stderr)
            pairs.append({"embedded": crawl(1, articles, {}), "shared": shared_crawl(1)})
        for workers in (2, 3):
            shared.append(shared_crawl(workers))
    finally:
        pg.close()
        objects.close()
    return {"articles": articles, "pairs": pairs, "shared": shared,
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def _ratio(pair: dict) -> float:
    return pair["shared"]["pages_per_second"] / pair["embedded"]["pages_per_second"]


def crawl_lines(data: dict) -> list[str]:
    if "pairs" not in data:  # a state file of the one-round format
        data = {**data, "pairs": [{"embedded": data["embedded"], "shared": data["shared"][0]}],
                "shared": data["shared"][1:]}
    pairs = data["pairs"]
    ratios = sorted(_ratio(pair) for pair in pairs)
    single = ratios[len(ratios) // 2]
    embedded = sorted(pair["embedded"]["pages_per_second"] for pair in pairs)[len(pairs) // 2]
    lines = ["## Crawl throughput: shared backends vs the embedded default (one run)", "",
             f"Bulk replica, {data['articles']:,} articles on one host, one request at a time to it in every "
             "configuration; pages/s over the whole run (start-up and uploads included). The embedded default "
             f"and one shared worker ran {len(pairs)} times, alternately, each with a fresh archive.", "",
             "| configuration | workers | requests | seconds | pages/s | vs embedded |", "|---|---:|---:|---:|---:|---:|"]
    for number, pair in enumerate(pairs, 1):
        for name, run, ratio in (("embedded (SQLite + files, no frontier)", pair["embedded"], 1.0),
                                 ("Redis + PostgreSQL + S3", pair["shared"], _ratio(pair))):
            lines.append(f"| {name}, round {number} | 1 | {run['requests']} | {run['seconds']} | "
                         f"{run['pages_per_second']} | {ratio:.2f}x |")
    for run in data["shared"]:
        lines.append(f"| Redis + PostgreSQL + S3 | {run['workers']} | {run['requests']} | {run['seconds']} | "
                     f"{run['pages_per_second']} | {run['pages_per_second'] / embedded:.2f}x of the median embedded |")
    lines += ["", f"Shared-backend overhead, one worker: **{single:.2f}x** the embedded default's pages/s, median of "
              f"the rounds ({', '.join(f'{r:.2f}x' for r in ratios)}; target >= 0.8x: "
              f"{'met' if single >= 0.8 else 'NOT met'}). On 2 cores more workers add little: "
              "the host is fetched one request at a time cluster-wide, and the workers share the cores with "
              "the replica and the three servers."
              + (" Load average (1 min) {:.1f} at the start, {:.1f} at the end, on {} cores: other processes on the "
                 "machine slow every configuration, the one with more processes most.".format(
                     *data["load_average"], os.cpu_count()) if "load_average" in data else ""), ""]
    return lines
