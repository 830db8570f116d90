"""An interrupted crawl run (SIGINT, SIGTERM, kill -9) started again with the same job
directory finishes the work: no second copy of anything, nothing already stored fetched again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.store import Archive
from archive.urls import canonical_url
from tests.conftest import PROJECT_ROOT
from tests.replica import content
from tests.replica.server import ReplicaServer

pytestmark = pytest.mark.e2e

SPIDER = "rferl"
HOST = "rferl.replica.test"


def crawl_command(archive_dir: Path, jobdir: Path, proxy: str) -> list[str]:
    # One request at a time with a small delay, so the run is long enough to interrupt.
    return [sys.executable, "-m", "crawler.run", SPIDER, "--archive-dir", str(archive_dir), "--jobdir", str(jobdir),
            "--replica-proxy", proxy, "-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "DOWNLOAD_DELAY_JITTER=0"]


def documents_stored(archive_dir: Path) -> int:
    try:
        with sqlite3.connect(f"file:{archive_dir / 'index.sqlite3'}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def start(command: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "kill-9"])
def test_interrupted_run_resumes_without_duplicates_or_refetching(tmp_path, how):
    archive_dir, jobdir = tmp_path / "archive", tmp_path / "jobs"
    articles = [a for a in content.articles(1) if a.host == HOST]
    with ReplicaServer(epoch=1) as server:
        command = crawl_command(archive_dir, jobdir, server.proxy_url)
        first = start(command, tmp_path / "first.log")
        deadline = time.monotonic() + 120
        while documents_stored(archive_dir) < 6 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.poll() is None, "the crawl ended before it could be interrupted"
        first.send_signal(how)
        first.wait(timeout=120)
        assert (jobdir / SPIDER / "newsarchive-run-id").exists()  # the run is not finished
        stored_before = _article_keys_with_documents(archive_dir)
        assert 0 < len(stored_before) < len(articles)

        server.requests.clear()
        second = start(command, tmp_path / "second.log")
        assert second.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()[-3000:]
        refetched = {canonical_url(url) for url in server.requests.urls()} & stored_before

    log = (tmp_path / "second.log").read_text()
    assert "Traceback" not in log
    assert not refetched, f"fetched again after resume: {sorted(refetched)}"
    assert not (jobdir / SPIDER / "newsarchive-run-id").exists()  # finished: next run is new
    with Archive(archive_dir, readonly=True) as archive:
        for article in articles:
            key = canonical_url(article.url)
            assert archive.index.documents(key), f"{article.url} missing after resume"
            responses = [c for c in archive.index.captures(key) if c.record_type == "response"]
            digests = [c.payload_digest for c in responses]
            assert len(digests) == len(set(digests)), f"second copy of {article.url}"
        runs = [r for r in archive.index.runs() if r["spider"] == SPIDER]
    assert len(runs) == 1 and runs[0]["status"] == "ok"  # one run, resumed, then finished
    report = json.loads(next((archive_dir / "runs").glob("*.json")).read_text())
    assert report["resumed"] is True and report["status"] == "ok"


def _article_keys_with_documents(archive_dir: Path) -> set[str]:
    with sqlite3.connect(f"file:{archive_dir / 'index.sqlite3'}?mode=ro", uri=True) as db:
        return {row[0] for row in db.execute("SELECT DISTINCT urlkey FROM documents")}
