"""Several `scrapy crawl` workers sharing one Redis frontier and one archive, against the
replica in bulk mode: each article fetched and stored once, no two requests to one host at
the same time, a worker killed with kill -9 loses nothing, reports add up across workers.

One archive folder (SQLite + local WARCs), one ARCHIVE_WORKER per worker; the same tests run
on PostgreSQL + S3 by setting ARCHIVE_INDEX / WARC_STORE in the environment.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.replica import bulk
from tests.replica.server import ReplicaServer
from tests.services.redis import RedisServer

pytestmark = pytest.mark.e2e

WORKER_TIMEOUT = 240
HEARTBEAT_TTL = 3  # seconds: a killed worker's requests come back this soon


def start_worker(name: str, archive_dir: Path, proxy: str, redis_url: str) -> subprocess.Popen:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "settings", "PYTHONPATH": str(PROJECT_ROOT),
           "ARCHIVE_DIR": str(archive_dir), "ARCHIVE_WORKER": name, "FRONTIER_REDIS_URL": redis_url,
           "REPLICA_PROXY": proxy}
    command = [sys.executable, "-m", "scrapy", "crawl", "rferl", "-s", f"FRONTIER_HEARTBEAT_TTL={HEARTBEAT_TTL}",
               "-s", f"FRONTIER_LEASE_TTL={HEARTBEAT_TTL}",
               "-s", "FRONTIER_POLL_INTERVAL=0.5", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    archive_dir.mkdir(parents=True, exist_ok=True)
    log = open(archive_dir / f"{name}.log", "w")
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_all(workers: dict[str, subprocess.Popen], archive_dir: Path) -> dict[str, int]:
    codes = {}
    for name, process in workers.items():
        try:
            codes[name] = process.wait(timeout=WORKER_TIMEOUT)
        except subprocess.TimeoutExpired:
            for other in workers.values():
                other.kill()
            pytest.fail(f"worker {name} still running after {WORKER_TIMEOUT}s; log: "
                        + (archive_dir / f"{name}.log").read_text(errors="replace")[-3000:])
    return codes


def archive_cli(archive_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archive", *args, "--archive-dir", str(archive_dir)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def article_gets(replica: ReplicaServer) -> Counter:
    return Counter(url for method, url, _ in replica.requests if method == "GET" and bulk.PREFIX in url)


def stored(archive_dir: Path) -> tuple[Counter, Counter]:
    """(responses per bulk URL, current cleaned copies per bulk URL) in the index."""
    with sqlite3.connect(f"file:{archive_dir / 'index.sqlite3'}?mode=ro", uri=True) as db:
        captures = Counter(r[0] for r in db.execute(
            "SELECT urlkey FROM captures WHERE record_type = 'response' AND urlkey LIKE ?", (f"%{bulk.PREFIX}%",)))
        documents = Counter(r[0] for r in db.execute(
            "SELECT urlkey FROM documents WHERE superseded_by IS NULL AND urlkey LIKE ?", (f"%{bulk.PREFIX}%",)))
    return captures, documents


def overlapping(replica: ReplicaServer) -> list[tuple[str, str, str]]:
    """Pairs of requests to one host that were being served at the same time."""
    by_host: dict[str, list] = {}
    for host, url, start, end in replica.requests.timings():
        by_host.setdefault(host, []).append((start, end, url))
    found = []
    for host, spans in by_host.items():
        spans.sort()
        latest_end, latest_url = float("-inf"), ""
        for start, end, url in spans:
            if start < latest_end:
                found.append((host, latest_url, url))
            if end > latest_end:
                latest_end, latest_url = end, url
    return found


def worker_reports(archive_dir: Path) -> dict[str, dict]:
    reports = {}
    for path in (archive_dir / "runs").glob("*@*.json"):
        report = json.loads(path.read_text())
        reports[report["worker"].rsplit("-", 2)[0]] = report  # <ARCHIVE_WORKER>-<pid>-<random>
    return reports


def test_three_workers_fetch_each_article_once_politely_and_report_one_run(tmp_path):
    articles = 1200
    archive_dir = tmp_path / "archive"
    with RedisServer() as redis, ReplicaServer(epoch=1, bulk=articles) as replica:
        started = time.monotonic()
        workers = {name: start_worker(name, archive_dir, replica.proxy_url, redis.url) for name in ("w1", "w2", "w3")}
        codes = wait_all(workers, archive_dir)
        elapsed = time.monotonic() - started
        gets = article_gets(replica)
        overlaps = overlapping(replica)
        total_requests = len(replica.requests)
    assert codes == {"w1": 0, "w2": 0, "w3": 0}, codes
    print(f"3 workers: {total_requests} requests in {elapsed:.1f}s ({total_requests / elapsed:.1f}/s)")

    expected = {f"http://{bulk.RFERL}{bulk.path(n)}" for n in range(articles)}
    assert set(gets) == expected, f"{len(expected - set(gets))} bulk articles never fetched"
    twice = {url: n for url, n in gets.items() if n > 1}
    assert not twice, f"{len(twice)} articles fetched more than once, e.g. {sorted(twice.items())[:3]}"
    captures, documents = stored(archive_dir)
    assert len(captures) == articles and set(captures.values()) == {1}
    assert len(documents) == articles and set(documents.values()) == {1}
    assert overlaps == [], f"{len(overlaps)} overlapping requests to one host, e.g. {overlaps[:3]}"

    reports = worker_reports(archive_dir)
    assert set(reports) == {"w1", "w2", "w3"}
    assert len({r["run_id"] for r in reports.values()}) == 1  # one run for all workers
    assert all(r["fetched"] > 0 for r in reports.values()), {w: r["fetched"] for w, r in reports.items()}
    assert any(r["run_complete"] for r in reports.values())

    runs = json.loads(archive_cli(archive_dir, "runs", "--format", "json").stdout)
    assert len(runs) == 1
    run = runs[0]
    assert run["status"] == "ok" and len(run["workers"]) == 3
    assert run["report"]["fetched"] == sum(r["fetched"] for r in reports.values())
    assert run["report"]["stored"] == sum(r["stored"] for r in reports.values()) >= articles
    listing = archive_cli(archive_dir, "runs").stdout
    assert listing.count(run["id"]) == 1 and "(3 workers)" in listing
    verify = archive_cli(archive_dir, "verify", "--quiet")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_worker_killed_mid_crawl_loses_nothing_another_finishes(tmp_path):
    articles = 600
    archive_dir = tmp_path / "archive"
    with RedisServer() as redis, ReplicaServer(epoch=1, bulk=articles) as replica:
        victim = start_worker("victim", archive_dir, replica.proxy_url, redis.url)
        deadline = time.monotonic() + WORKER_TIMEOUT
        while len(article_gets(replica)) < articles // 4:  # well into the bulk sitemap
            if victim.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the first worker ended before it could be killed: "
                            + (archive_dir / "victim.log").read_text(errors="replace")[-3000:])
            time.sleep(0.05)
        survivor = start_worker("survivor", archive_dir, replica.proxy_url, redis.url)
        time.sleep(1.0)  # both at work
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        codes = wait_all({"survivor": survivor}, archive_dir)
        gets = article_gets(replica)
    assert codes == {"survivor": 0}

    expected = {f"http://{bulk.RFERL}{bulk.path(n)}" for n in range(articles)}
    assert set(gets) == expected, f"{len(expected - set(gets))} articles never fetched"
    recover = archive_cli(archive_dir, "recover", "--force")  # every worker has stopped
    assert recover.returncode == 0, recover.stdout + recover.stderr
    verify = archive_cli(archive_dir, "verify", "--quiet")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    captures, documents = stored(archive_dir)
    assert len(documents) == articles, f"{articles - len(documents)} articles without a cleaned copy"
    assert set(documents.values()) == {1}
    # What the killed worker held was fetched again; nothing it finished was fetched twice
    # except those it had on the wire when it died (at most its concurrency).
    assert sum(n - 1 for n in gets.values()) <= 16, sorted(u for u, n in gets.items() if n > 1)

    survivor_log = (archive_dir / "survivor.log").read_text(errors="replace")
    assert "held by dead workers went back to the queue" in survivor_log or "taken back from dead workers" in survivor_log
    runs = json.loads(archive_cli(archive_dir, "runs", "--format", "json").stdout)
    assert len(runs) == 1 and runs[0]["status"] == "ok"
    assert runs[0]["report"]["workers"] == 2 and runs[0]["report"]["workers_unfinished"] == 1
