"""Crash safety (issue 7.1): kill -9 a replica crawl at random moments, again and again.

After every kill, `archive recover` + `archive verify` must pass (the index matches the WARCs,
no row points past the end of a file), nothing the index already had may be lost, and in the
end the resumed run completes with every article stored once. The counts go to the
robustness results file.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.warc.recovery import recover_archive
from archive.store import Archive
from archive.urls import canonical_url
from tests.conftest import PROJECT_ROOT
from tests.replica import content
from tests.replica.server import ReplicaServer
from tests.robustness_results import Tally

pytestmark = pytest.mark.e2e

KILLS = 20
SEED = 20261127


def crawl(archive_dir: Path, jobdir: Path, proxy: str, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "crawler.run", "--archive-dir", str(archive_dir), "--jobdir", str(jobdir),
               "--replica-proxy", proxy, "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=open(log, "a"), stderr=subprocess.STDOUT)


def archive_cli(archive_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archive", *args, "--archive-dir", str(archive_dir)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def index_rows(archive_dir: Path) -> tuple[set[str], set[int]]:
    """(capture record ids, document ids) the index holds."""
    path = archive_dir / "index.sqlite3"
    if not path.exists():
        return set(), set()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return ({r[0] for r in db.execute("SELECT record_id FROM captures")},
                {r[0] for r in db.execute("SELECT id FROM documents")})


def test_kill_9_at_random_moments_then_recover_verify_and_resume(tmp_path):
    tally = Tally("crash_safety", "kill -9 during a crawl (tests/test_crash_safety.py)")
    tally.zero("records lost", "tracebacks seen", "verify failures after recover")
    rng = random.Random(SEED)
    archive_dir, jobdir, log = tmp_path / "archive", tmp_path / "jobs", tmp_path / "crawl.log"
    with ReplicaServer(epoch=1) as server:
        for attempt in range(KILLS):
            process = crawl(archive_dir, jobdir, server.proxy_url, log)
            time.sleep(rng.uniform(0.8, 4.0))  # Scrapy needs ~1 s to start: kills land all over the run
            if process.poll() is not None:  # finished before the kill: start over on a new archive
                tally.add("runs that finished before their kill")
            else:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=60)
                tally.add("faults injected (kill -9)")
            before_captures, before_documents = index_rows(archive_dir)
            open_files = list((archive_dir / "warcs").glob("*.open")) if (archive_dir / "warcs").exists() else []
            tally.add("WARC files left .open by a kill", len(open_files))
            report = recover_archive(archive_dir)
            tally.add("WARC files recovered", sum(1 for f in report.files if f.action != "skipped"))
            tally.add("bytes of incomplete tails cut", sum(f.dropped_bytes for f in report.files))
            # A row is only written after its record is complete: recovery must not remove any.
            lost = len(report.removed_captures) + len(report.removed_documents)
            tally.add("records lost", lost)
            assert lost == 0, (attempt, report.removed_captures, report.removed_documents)
            assert not list((archive_dir / "warcs").glob("*.open"))
            after_captures, after_documents = index_rows(archive_dir)
            assert (after_captures, after_documents) == (before_captures, before_documents)
            if not after_captures and not list((archive_dir / "warcs").glob("*.warc.gz")):
                tally.add("kills before the first record was written")  # nothing to verify yet
                continue
            verified = archive_cli(archive_dir, "verify", "--quiet")
            tally.add("archive verify runs")
            if verified.returncode != 0:
                tally.add("verify failures after recover")
            assert verified.returncode == 0, (attempt, verified.stdout[-2000:], verified.stderr[-2000:])
            tally.add("index rows checked by verify (summed over the 20 checks)", len(after_captures) + len(after_documents))

        final = crawl(archive_dir, jobdir, server.proxy_url, log)
        assert final.wait(timeout=600) == 0, log.read_text()[-3000:]
    tally.add("resumed runs completed")
    text = log.read_text()
    tracebacks = text.count("Traceback")
    tally.add("tracebacks seen", tracebacks)
    assert archive_cli(archive_dir, "verify", "--quiet").returncode == 0
    with Archive(archive_dir, readonly=True) as archive:
        for article in content.articles(1):
            key = canonical_url(article.url)
            assert archive.index.documents(key), f"{article.url} missing after {KILLS} kills"
            digests = [c.payload_digest for c in archive.index.captures(key) if c.record_type == "response"]
            assert len(digests) == len(set(digests)), f"second copy of {article.url}"
        tally.add("articles checked after the final run", len(content.articles(1)))
    tally.note("method", f"{KILLS} crawls of all three replica families, each killed with SIGKILL after a random "
                         f"0.8-4.0 s (seed {SEED}); after each: archive recover, index rows compared before/after, "
                         "archive verify; then the run resumed (same --jobdir) to completion")
    tally.save()
    assert tracebacks == 0
