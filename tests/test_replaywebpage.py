"""ReplayWeb.page (the npm package's own ui.js and sw.js, served on loopback) opens the WACZ
that `archive export --format wacz` made from an epoch 1 + 2 replica crawl, in Debian's
chromium: an article (Radio Farda, right to left) and a page whose epoch-2 capture is a
revisit show their title and text. The screenshot is kept as benchmarks/results/replaywebpage.png."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.replaywebpage_support import PLAYER, serve_player
from tests.test_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
SCREENSHOT = PROJECT_ROOT / "benchmarks" / "results" / "replaywebpage.png"
FARDA = "http://farda.replica.test/a/isfahan-river-water-release/33181204.html"
LISTING = "http://azatutyun.replica.test/z/news"  # unchanged at epoch 2: a 200 identical-payload revisit


@pytest.fixture(scope="module")
def player(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed ({CHROMIUM}); run scripts/install-browser.sh as root")
    if not (PLAYER / "ui.js").exists() or not (PLAYER / "sw.js").exists():
        pytest.skip(f"ReplayWeb.page is not installed in {PLAYER}; run scripts/install-replaywebpage.sh (needs npm)")
    from tests.crawl_support import run_crawl
    from tests.replica.server import ReplicaServer

    work = tmp_path_factory.mktemp("replaywebpage")
    root = work / "archive"
    for epoch in (1, 2):
        with ReplicaServer(epoch=epoch) as server:
            result = run_crawl(root, server.proxy_url)
        assert result.returncode == 0, result.log[-3000:]
    wacz = work / "archive.wacz"
    done = subprocess.run([sys.executable, "-m", "archive", "export", "--format", "wacz", "--archive-dir", str(root),
                           "-o", str(wacz)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    captures = _captures(wacz)
    article_ts = next(ts for ts, row in captures[FARDA] if row["status"] == "200" and row["mime"] == "text/html")
    revisit_ts = next(ts for ts, row in captures[LISTING] if row["mime"] == "warc/revisit" and row["status"] == "200")
    # The epoch-2 capture of the article is a 304 revisit: the WACZ's replay index leaves it
    # out, so asking for the latest capture (no timestamp) replays the full one.
    assert all(row["status"] != "304" for rows in captures.values() for _, row in rows)
    pages = {"article": (FARDA, article_ts), "revisit": (LISTING, revisit_ts), "latest": (FARDA, None)}
    with serve_player(wacz, work / "site", pages) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS + ["--disable-quic"])
        try:
            yield browser, base
        finally:
            browser.close()


def _captures(wacz: Path) -> dict[str, list[tuple[str, dict]]]:
    out: dict[str, list[tuple[str, dict]]] = {}
    with zipfile.ZipFile(wacz) as archive:
        for line in archive.read("indexes/index.cdx").decode().splitlines():
            _, ts, data = line.split(" ", 2)
            row = json.loads(data)
            out.setdefault(row["url"], []).append((ts, row))
    return out


def _replayed(page, url: str, ready: str, timeout: float = 60.0):
    """The frame in which the player replays `url`, once `ready` is in it. The first visit
    installs the player's service worker, which controls the page from its next load on:
    so the page is reloaded once when no replay frame came up."""
    deadline = time.monotonic() + timeout
    reload_at = time.monotonic() + 8
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "mp_/" in frame.url and frame.url.endswith(url):
                frame.wait_for_selector(ready, timeout=max(1000, (deadline - time.monotonic()) * 1000))
                return frame
        if reload_at and time.monotonic() > reload_at:
            reload_at = 0
            page.reload(timeout=30000)
        page.wait_for_timeout(250)
    raise AssertionError(f"ReplayWeb.page did not replay {url} within {timeout:.0f}s: "
                         f"frames {[frame.url for frame in page.frames]}")


def _open(browser, base: str, name: str):
    context = browser.new_context(viewport={"width": 960, "height": 640})
    page = context.new_page()
    page.goto(f"{base}/{name}.html", timeout=30000)
    return context, page


def test_article_replays_in_replaywebpage(player):
    from tests.replica import content

    browser, base = player
    article = next(a for a in content.articles(1) if a.url == FARDA)
    context, page = _open(browser, base, "article")
    try:
        frame = _replayed(page, FARDA, "h1.pg-title")
        assert frame.inner_text("h1.pg-title") == article.title
        assert article.paragraphs[1] in frame.inner_text("#article-content")
        assert frame.evaluate("() => getComputedStyle(document.querySelector('#article-content')).direction") == "rtl"
        page.wait_for_timeout(500)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        assert SCREENSHOT.stat().st_size > 5000
    finally:
        context.close()


def test_a_revisited_page_replays_its_original_payload(player):
    from tests.replica import content

    browser, base = player
    context, page = _open(browser, base, "revisit")
    try:
        frame = _replayed(page, LISTING, "#items")
        teasers = frame.inner_text("#items")
        titles = [a.title for a in content.articles(2) if a.host == "azatutyun.replica.test"]
        assert titles and all(title in teasers for title in titles)
    finally:
        context.close()


def test_the_latest_capture_of_an_unchanged_article_replays_it(player):
    from tests.replica import content

    browser, base = player
    article = next(a for a in content.articles(2) if a.url == FARDA)
    context, page = _open(browser, base, "latest")
    try:
        frame = _replayed(page, FARDA, "h1.pg-title")
        assert frame.inner_text("h1.pg-title") == article.title
    finally:
        context.close()
