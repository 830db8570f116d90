"""The viewer sets `lang` and `dir` from the document's language: a Persian article (and its
search hit) is laid out right to left in a real browser (Debian's chromium), a Russian one
left to right."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.extract import clean
from archive.store import Archive, Exchange
from archive.warc import warc_date
from tests.replica.model import parse_iso
from tests.test_browser import ARGS, CHROMIUM, VIEWPORT
from tests.viewer_support import running_viewer

content = pytest.importorskip("tests.replica.content", reason="tests/replica (replica sites) not present")


def _archive(root: Path) -> dict[str, str]:
    """The replica's Farda and Svoboda articles, captured and cleaned; language -> URL."""
    urls = {}
    with Archive(root) as archive:
        for article in content.articles(1):
            if article.host not in ("farda.replica.test", "svoboda.replica.test") or article.language in urls:
                continue
            status, headers, body = content.page(article.host, article.path, 1)
            capture = archive.record_exchange(Exchange(
                url=article.url, method="GET", request_headers=[("Accept", "text/html")], status=status,
                response_headers=list(headers.items()), body=body, fetched_at=warc_date(parse_iso(article.published))))
            archive.record_document(capture, clean(body, article.url).to_dict())
            urls[article.language] = article.url
    return urls


@pytest.fixture(scope="module")
def viewer(tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    urls = _archive(root)
    with running_viewer(root) as base:
        yield base, urls


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_document_and_hits_carry_lang_and_dir(viewer):
    base, urls = viewer
    page = _get(f"{base}/doc?url={quote(urls['fa'], safe='')}")
    assert '<article class="text" lang="fa" dir="rtl">' in page and '<h1 id="doc-title" lang="fa" dir="rtl">' in page
    page = _get(f"{base}/doc?url={quote(urls['ru'], safe='')}")
    assert '<article class="text" lang="ru" dir="ltr">' in page
    hits = _get(f"{base}/?q={quote('زاینده‌رود')}")
    assert '<p class="snippet" lang="fa" dir="rtl">' in hits and "<mark>" in hits


@pytest.mark.browser
def test_persian_article_is_laid_out_right_to_left_in_chromium(viewer, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed ({CHROMIUM}); run scripts/install-browser.sh as root")
    base, urls = viewer
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS + ["--disable-quic"])
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{base}/doc?url={quote(urls['fa'], safe='')}", timeout=15000)
            direction = "el => getComputedStyle(el).direction"
            assert page.eval_on_selector("article.text", direction) == "rtl"
            assert page.eval_on_selector("#doc-title", direction) == "rtl"
            assert page.eval_on_selector("dl.meta", direction) == "ltr"  # the viewer's own labels stay LTR
            # right to left: the first paragraph's text ends at the left edge, starts at the right
            box = page.eval_on_selector("article.text p", "el => { const r = document.createRange();"
                                        " r.selectNodeContents(el); const t = r.getClientRects()[0];"
                                        " const b = el.getBoundingClientRect(); return [t.right, b.right]; }")
            assert abs(box[0] - box[1]) < 2
            page.screenshot(path=str(tmp_path / "persian.png"))
            page.goto(f"{base}/doc?url={quote(urls['ru'], safe='')}", timeout=15000)
            assert page.eval_on_selector("article.text", direction) == "ltr"
            page.goto(f"{base}/?q={quote('زاینده‌رود')}", timeout=15000)
            assert page.eval_on_selector("li.hit a", direction) == "rtl"
            assert "زاینده" in page.inner_text("li.hit mark")
        finally:
            browser.close()
