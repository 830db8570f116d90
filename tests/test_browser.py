"""The viewer in a real browser (Debian's chromium driven by Playwright): search, open a
document, and the archived page's scripts stay dead inside the sandboxed iframe."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import synthetic_archive as synth
from tests.viewer_support import running_viewer

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"Debian's chromium is not installed ({CHROMIUM}); run scripts/install-browser.sh as root")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with running_viewer(synth.build(tmp_path_factory.mktemp("archive"))) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    yield page
    context.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_search_then_open_a_document(page, base, tmp_path):
    page.goto(base + "/")
    page.fill("main input[name=q]", "evacuated")
    page.click("main button")
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit a").first.is_visible()
    assert "River levels rise in Kyiv" in page.locator("li.hit a").first.inner_text()
    assert page.locator("mark").first.inner_text() == "evacuated"
    shot = tmp_path / "search.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 5000 and png_size(shot) == (VIEWPORT["width"], VIEWPORT["height"])

    page.click("li.hit a")
    page.wait_for_selector("#doc-title")
    assert page.inner_text("#doc-title") == "River levels rise in Kyiv"
    assert page.locator("article.text").inner_text().startswith("The river rose")
    shot = tmp_path / "document.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = png_size(shot)
    assert width == VIEWPORT["width"] and height >= VIEWPORT["height"]


def test_archived_scripts_do_not_run_in_the_viewer(page, base, tmp_path):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{base}/doc?url={quote(synth.EVIL, safe='')}")
    frame_element = page.wait_for_selector("iframe.original")
    assert frame_element.get_attribute("sandbox") == ""
    frame = frame_element.content_frame()
    frame.wait_for_selector("#h")
    assert frame.inner_text("#h") == "Archived evil page"  # the archived script would write PWNED
    assert page.title() != "PWNED" and "PWNED" not in page.content()
    assert not [url for url in requests if "pwned" in url.lower()]
    # The page title shows the markup of the archived title as text, not as an element.
    assert page.inner_text("#doc-title") == synth.EVIL_TITLE
    shot = tmp_path / "sandboxed.png"
    page.screenshot(path=str(shot), full_page=True)
    assert png_size(shot)[0] == VIEWPORT["width"]


def test_opening_the_original_directly_still_runs_no_script(page, base):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base}/original?url={quote(synth.EVIL, safe='')}")
    page.wait_for_selector("#h")
    assert page.inner_text("#h") == "Archived evil page" and page.title() == "Archived evil"
    assert not [url for url in requests if "pwned" in url.lower()]
