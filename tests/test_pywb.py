"""Replay in pywb: WARCs of two replica crawls (epoch 1, then epoch 2 with revisits) indexed
and served by pywb's own tools give back the archived bytes, also through a revisit record.

pywb lives in its own virtualenv (scripts/install-pywb.sh -> .venv-pywb) since it cannot share
the project's pins; without it these tests skip and say how to get it."""

from __future__ import annotations

import gzip
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from archive.store import Archive
from tests.conftest import PROJECT_ROOT
from tests.crawl_support import run_crawl
from tests.replica.server import ReplicaServer

pytestmark = [pytest.mark.pywb, pytest.mark.e2e]

PYWB_BIN = PROJECT_ROOT / ".venv-pywb" / "bin"
START_TIMEOUT = 60


def _require_pywb() -> None:
    if not (PYWB_BIN / "wb-manager").exists() or not (PYWB_BIN / "wayback").exists():
        pytest.skip(f"pywb not installed ({PYWB_BIN / 'wb-manager'} absent): run scripts/install-pywb.sh")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ts(iso: str) -> str:
    return iso[:19].replace("-", "").replace(":", "").replace("T", "")


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory) -> Path:
    _require_pywb()
    root = tmp_path_factory.mktemp("pywb") / "archive"
    with ReplicaServer(epoch=1) as server:
        first = run_crawl(root, server.proxy_url, log_name="crawl1.log")
        assert first.returncode == 0, first.log[-3000:]
        time.sleep(1.1)  # epoch-2 captures get later 14-digit timestamps than epoch 1
        server.set_epoch(2)
        second = run_crawl(root, server.proxy_url, log_name="crawl2.log")
        assert second.returncode == 0, second.log[-3000:]
    return root


@pytest.fixture(scope="module")
def wayback(two_crawls, tmp_path_factory):
    """pywb collection `coll` built with wb-manager from the original WARCs, served by wayback."""
    home = tmp_path_factory.mktemp("pywb-home")
    warcs = sorted(p for p in (two_crawls / "warcs").glob("*.warc.gz") if not p.name.endswith("-text.warc.gz"))
    for command in (["init", "coll"], ["add", "coll", *map(str, warcs)]):
        result = subprocess.run([str(PYWB_BIN / "wb-manager"), *command], cwd=home, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
    assert (home / "collections" / "coll" / "indexes" / "index.cdxj").stat().st_size > 0
    port = _free_port()
    log = open(home / "wayback.log", "w")
    process = subprocess.Popen([str(PYWB_BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=home,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(base + "/coll/", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("wayback did not start: " + (home / "wayback.log").read_text()[-3000:])
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _replay(base: str, timestamp: str, url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"{base}/coll/{timestamp}id_/{url}", headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def _original_entity(archive: Archive, capture) -> bytes:
    """The archived payload behind `capture` (a revisit followed to its response), with the
    Content-Encoding undone as a replay client receives it."""
    _, record, payload = archive.original_payload(capture)
    if (record.http_headers.get_header("Content-Encoding") or "").lower() == "gzip":
        return gzip.decompress(payload)
    return payload


def test_article_replays_byte_for_byte(two_crawls, wayback):
    with Archive(two_crawls, readonly=True) as archive:
        document = next(d for d in archive.index.all_documents() if d.page_type == "article")
        capture = archive.index.capture(document.capture_id)
        expected = _original_entity(archive, capture)
    status, headers, body = _replay(wayback, _ts(capture.fetched_at), capture.url)
    assert status == 200
    assert body == expected
    assert headers.get("Memento-Datetime")


def test_revisit_replays_the_original_bytes(two_crawls, wayback):
    with Archive(two_crawls, readonly=True) as archive:
        revisits = []
        for capture in archive.index.all_captures():
            if capture.record_type == "revisit" and capture.status == 200:
                original = archive.index.capture(capture.revisit_of)
                if _ts(original.fetched_at) != _ts(capture.fetched_at):
                    revisits.append((capture, original))
        assert revisits, "the epoch-2 crawl wrote identical-payload revisits"
        # prefer an article page when one was revisited with a 200
        capture, original = sorted(revisits, key=lambda pair: "/a/" not in pair[0].url)[0]
        expected = _original_entity(archive, capture)
    status, headers, body = _replay(wayback, _ts(capture.fetched_at), capture.url)
    assert status == 200
    assert body == expected and len(body) > 0
    served = headers["Memento-Datetime"]
    assert time.strftime("%Y%m%d%H%M%S", time.strptime(served, "%a, %d %b %Y %H:%M:%S GMT")) == _ts(capture.fetched_at)
