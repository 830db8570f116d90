"""Several `scrapy crawl` workers sharing one Redis frontier and one archive, against the
replica in bulk mode: each article fetched and stored once, no two requests to one host at
the same time, a worker killed with kill -9 loses nothing, reports add up across workers.

Each test runs twice (`cluster` fixture): on the embedded archive (one folder, SQLite +
local WARCs, shared by the workers of one machine) and on the shared backends (a real
PostgreSQL index and an S3-compatible server; each worker its own spool folder, as on its own
machine), where the bucket's WARC files must also pass `warcio check` and the WACZ exported
from the bucket must validate.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from archive.index import open_index
from archive.store import Archive, index_url
from archive.warc.storage import local_copies
from tests.conftest import PROJECT_ROOT
from tests.replica import bulk
from tests.replica.server import ReplicaServer
from tests.services import postgres, s3
from tests.services.redis import RedisServer

pytestmark = pytest.mark.e2e

WORKER_TIMEOUT = 240
HEARTBEAT_TTL = 3  # seconds: a killed worker's requests come back this soon


class Cluster:
    """Where the workers of one test keep their archive: `folder(worker)` is the worker's
    ARCHIVE_DIR; `reader` the folder archivist commands run in (with `env`)."""

    def __init__(self, root: Path, env: dict[str, str]):
        self.root, self.env = root, env
        self.shared = bool(env)

    def folder(self, worker: str) -> Path:
        return self.root / worker if self.shared else self.root / "archive"

    @property
    def reader(self) -> Path:
        return self.root / "reader" if self.shared else self.root / "archive"


@pytest.fixture(params=["embedded", "shared"])
def cluster(request, tmp_path, monkeypatch):
    if request.param == "embedded":
        for name in ("ARCHIVE_INDEX", "WARC_STORE"):
            monkeypatch.delenv(name, raising=False)
        return Cluster(tmp_path, {})
    reason = postgres.skip_reason() or s3.skip_reason()
    if reason:
        pytest.skip(f"shared backend: {reason}")
    pg, objects = request.getfixturevalue("postgres_server"), request.getfixturevalue("s3_server")
    env = {"ARCHIVE_INDEX": pg.new_database(), "WARC_STORE": objects.new_bucket(), **objects.env}
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # for this process's own reads, and the CLI runs
    return Cluster(tmp_path, env)


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
    """(responses per bulk URL, current cleaned copies per bulk URL) in the index, whichever
    backend it is on."""
    index = open_index(index_url(archive_dir), readonly=True)
    try:
        captures = Counter(c.urlkey for c in index.all_captures()
                           if c.record_type == "response" and bulk.PREFIX in c.urlkey)
        documents = Counter(d.urlkey for d in index.all_documents() if bulk.PREFIX in d.urlkey)
    finally:
        index.close()
    return captures, documents


def check_the_bucket(cluster: Cluster, tmp_path: Path) -> None:
    """Shared backend: nothing left in the workers' spools, every WARC in the bucket passes
    `warcio check`, and the WACZ exported from the bucket validates."""
    if not cluster.shared:
        return
    left = [p.name for w in cluster.root.iterdir() if (w / "warcs").is_dir() for p in (w / "warcs").iterdir()]
    assert left == [], f"files never uploaded: {left}"
    with Archive(cluster.reader, readonly=True) as archive:
        names = archive.warc_files()
        assert names and all(name.endswith(".warc.gz") for name in names)
        with local_copies(archive.store, names) as paths:
            check = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check", *map(str, paths)],
                                   capture_output=True, text=True, timeout=300)
        assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    wacz = tmp_path / "bucket.wacz"
    exported = archive_cli(cluster.reader, "export", "--format", "wacz", "--output", str(wacz))
    assert exported.returncode == 0, exported.stderr
    validate = subprocess.run([str(Path(sys.executable).with_name("wacz")), "validate", "-f", str(wacz)],
                              capture_output=True, text=True, timeout=300)
    assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr[-2000:]


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


def worker_reports(folders: list[Path]) -> dict[str, dict]:
    reports = {}
    for path in (p for folder in folders for p in (folder / "runs").glob("*@*.json")):
        report = json.loads(path.read_text())
        reports[report["worker"].rsplit("-", 2)[0]] = report  # <ARCHIVE_WORKER>-<pid>-<random>
    return reports


def test_the_overlap_check_sees_requests_in_flight_together_and_not_sequential_ones():
    """The politeness assertion below is only worth something if `overlapping` does catch two
    requests served at once (and never flags requests sent one after another)."""
    import threading
    import urllib.request

    with ReplicaServer(epoch=1, bulk=3) as replica:
        proxy = urllib.request.build_opener(urllib.request.ProxyHandler({"http": replica.proxy_url}))
        for n in range(3):
            proxy.open(f"http://{bulk.RFERL}{bulk.path(n)}", timeout=10).read()
        assert overlapping(replica) == []
        slow = threading.Thread(target=lambda: proxy.open(f"http://{bulk.RFERL}/x/slow", timeout=10).read())
        slow.start()
        time.sleep(0.5)  # the slow answer is still being made (2 s)
        proxy.open(f"http://{bulk.RFERL}{bulk.path(0)}", timeout=10).read()
        slow.join()
    found = overlapping(replica)
    assert [(host, first.rsplit("/", 1)[-1]) for host, first, _ in found] == [(bulk.RFERL, "slow")], found


def test_three_workers_fetch_each_article_once_politely_and_report_one_run(cluster, tmp_path):
    articles = 1200
    archive_dir = cluster.reader
    with RedisServer() as redis, ReplicaServer(epoch=1, bulk=articles) as replica:
        started = time.monotonic()
        workers = {name: start_worker(name, cluster.folder(name), replica.proxy_url, redis.url)
                   for name in ("w1", "w2", "w3")}
        codes = {name: wait_all({name: process}, cluster.folder(name))[name] for name, process in workers.items()}
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

    reports = worker_reports([cluster.folder(name) for name in workers])
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
    check_the_bucket(cluster, tmp_path)


def test_worker_killed_mid_crawl_loses_nothing_another_finishes(cluster, tmp_path):
    articles = 600
    archive_dir = cluster.reader
    with RedisServer() as redis, ReplicaServer(epoch=1, bulk=articles) as replica:
        victim = start_worker("victim", cluster.folder("victim"), replica.proxy_url, redis.url)
        deadline = time.monotonic() + WORKER_TIMEOUT
        while len(article_gets(replica)) < articles // 4:  # well into the bulk sitemap
            if victim.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the first worker ended before it could be killed: "
                            + (cluster.folder("victim") / "victim.log").read_text(errors="replace")[-3000:])
            time.sleep(0.05)
        survivor = start_worker("survivor", cluster.folder("survivor"), replica.proxy_url, redis.url)
        time.sleep(1.0)  # both at work
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        codes = wait_all({"survivor": survivor}, cluster.folder("survivor"))
        gets = article_gets(replica)
    assert codes == {"survivor": 0}

    expected = {f"http://{bulk.RFERL}{bulk.path(n)}" for n in range(articles)}
    assert set(gets) == expected, f"{len(expected - set(gets))} articles never fetched"
    # every worker has stopped: recover where the killed one wrote (then its files go up)
    recover = archive_cli(cluster.folder("victim"), "recover", "--force")
    assert recover.returncode == 0, recover.stdout + recover.stderr
    verify = archive_cli(archive_dir, "verify", "--quiet")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    captures, documents = stored(archive_dir)
    assert len(documents) == articles, f"{articles - len(documents)} articles without a cleaned copy"
    # A page the killed worker had stored but not yet acknowledged is fetched again: a second
    # capture, and its own cleaned copy. Never a copy without a capture of its own.
    assert all(documents[key] <= captures[key] for key in documents), \
        sorted(key for key in documents if documents[key] > captures[key])
    # What the killed worker held was fetched again; nothing it finished was fetched twice
    # except those it had on the wire when it died (at most its concurrency).
    assert sum(n - 1 for n in gets.values()) <= 16, sorted(u for u, n in gets.items() if n > 1)

    survivor_log = (cluster.folder("survivor") / "survivor.log").read_text(errors="replace")
    assert "held by dead workers went back to the queue" in survivor_log or "taken back from dead workers" in survivor_log
    runs = json.loads(archive_cli(archive_dir, "runs", "--format", "json").stdout)
    assert len(runs) == 1 and runs[0]["status"] == "ok"
    assert runs[0]["report"]["workers"] == 2 and runs[0]["report"]["workers_unfinished"] == 1
    check_the_bucket(cluster, tmp_path)
