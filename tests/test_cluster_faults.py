"""A crawl on the shared backends when a server goes away: PostgreSQL restarted in the middle
of the crawl (the crawl waits with a clear log line and loses nothing), the S3 server down
when the WARC files are uploaded (they stay local and go up with the next run)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from archive.index import open_index
from tests.conftest import PROJECT_ROOT
from tests.replica import bulk
from tests.replica.server import ReplicaServer
from tests.services import postgres, s3

pytestmark = pytest.mark.e2e
ARTICLES = 300


@pytest.fixture
def servers(request):
    reason = postgres.skip_reason() or s3.skip_reason()
    if reason:
        pytest.skip(f"shared backend: {reason}")
    return request.getfixturevalue("postgres_server"), request.getfixturevalue("s3_server")


def crawl(archive_dir: Path, proxy: str, env: dict[str, str]) -> subprocess.Popen:
    archive_dir.mkdir(parents=True, exist_ok=True)
    log = open(archive_dir / "crawl.log", "w")
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "rferl", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
        cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **env, "SCRAPY_SETTINGS_MODULE": "settings", "PYTHONPATH": str(PROJECT_ROOT),
             "ARCHIVE_DIR": str(archive_dir), "REPLICA_PROXY": proxy})


def documents(url: str) -> Counter:
    index = open_index(url, readonly=True)
    try:
        return Counter(d.urlkey for d in index.all_documents() if bulk.PREFIX in d.urlkey)
    finally:
        index.close()


def test_a_postgresql_restart_mid_crawl_is_waited_for_and_loses_nothing(servers, tmp_path):
    pg, objects = servers
    env = {"ARCHIVE_INDEX": pg.new_database(), "WARC_STORE": objects.new_bucket(), **objects.env}
    with ReplicaServer(epoch=1, bulk=ARTICLES) as replica:
        process = crawl(tmp_path / "worker", replica.proxy_url, env)
        deadline = time.monotonic() + 180
        while sum(bulk.PREFIX in url for _, url, _ in replica.requests) < ARTICLES // 3:
            assert process.poll() is None and time.monotonic() < deadline, "the crawl ended too early"
            time.sleep(0.05)
        pg.stop()
        time.sleep(3.0)  # down for a while: the crawl must wait, not fail
        pg.start()
        assert process.wait(timeout=300) == 0
    log = (tmp_path / "worker" / "crawl.log").read_text(errors="replace")
    assert "PostgreSQL index" in log and "unavailable" in log and "retrying in" in log
    assert "Traceback" not in log
    stored = documents(env["ARCHIVE_INDEX"])
    assert len(stored) == ARTICLES and set(stored.values()) == {1}


def test_warcs_the_s3_server_refused_stay_local_and_go_up_next_run(servers, tmp_path):
    pg, objects = servers
    store = objects.new_bucket()
    env = {"ARCHIVE_INDEX": pg.new_database(), "WARC_STORE": store, **objects.env}
    spool = tmp_path / "worker" / "warcs"
    objects.stop()
    try:
        with ReplicaServer(epoch=1, bulk=60) as replica:
            assert crawl(tmp_path / "worker", replica.proxy_url, env).wait(timeout=300) == 0
    finally:
        objects.start()  # back, but empty: as after an outage, the bucket must be made again
    kept = sorted(path.name for path in spool.glob("*.warc.gz"))
    assert len(kept) == 2, kept  # the originals and the cleaned-text file, both closed, both kept
    log = (tmp_path / "worker" / "crawl.log").read_text(errors="replace")
    assert "retried at the next run" in log and objects.env["AWS_SECRET_ACCESS_KEY"] not in log
    objects.client().create_bucket(Bucket=store[len("s3://"):].split("/")[0])
    with ReplicaServer(epoch=1, bulk=60) as replica:  # the next run
        assert crawl(tmp_path / "worker", replica.proxy_url, env).wait(timeout=300) == 0
    uploaded = {key.rsplit("/", 1)[1] for key in objects.keys(store)}
    assert set(kept) <= uploaded and not list(spool.glob("*.warc.gz"))
    verify = subprocess.run([sys.executable, "-m", "archive", "verify", "--quiet", "--archive-dir",
                             str(tmp_path / "reader")], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=300, env={**os.environ, **env})
    assert verify.returncode == 0, verify.stdout + verify.stderr
