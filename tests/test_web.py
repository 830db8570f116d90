"""`archive serve`: the JSON API, the pages, and the viewer's security rules, over a real
server on loopback."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

import pytest

from tests import synthetic_archive as synth
from tests.viewer_support import running_viewer


@pytest.fixture(scope="module")
def base(tmp_path_factory, backend):
    with running_viewer(synth.build(tmp_path_factory.mktemp("archive"))) as url:
        yield url


def fetch(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def raw(base: str, method: str, target: str, body: bytes | None = None) -> tuple[int, bytes]:
    """A request sent exactly as written (urllib would normalise `..`)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest(method, target, skip_accept_encoding=True)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def q(url: str) -> str:
    return quote(url, safe="")


# -- API ------------------------------------------------------------------------------------
def test_api_get_returns_the_document_with_provenance(base):
    status, headers, body = fetch(base, f"/api/get?url={q('rferl.org/a/river-levels/1234567.html')}&at=2024-05-01")
    data = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert data["text"] == synth.RIVER_V1 and data["provenance"]["original_record"]["offset"] >= 0


def test_api_search_ranks_with_snippets(base):
    status, _, body = fetch(base, "/api/search?q=evacuated")
    hits = json.loads(body)
    assert status == 200 and hits[0]["url"] == synth.RIVER and "[evacuated]" in hits[0]["snippet"]


def test_api_search_without_hits_is_an_empty_list(base):
    status, _, body = fetch(base, "/api/search?q=zebra")
    assert status == 200 and json.loads(body) == []


def test_api_history_lists_captures(base):
    status, _, body = fetch(base, f"/api/history?url={q(synth.RIVER)}")
    assert status == 200 and [e["record_type"] for e in json.loads(body)] == ["response", "response", "revisit"]


@pytest.mark.parametrize("path, status", [
    (f"/api/get?url={q('https://unknown.example/a')}", 404),
    ("/api/history?url=", 400),
    ("/api/get?url=x&at=tomorrow", 400),
    ("/api/search?q=" + "x" * 600, 400),
    ("/api/search?q=a&limit=abc", 400),
    ("/api/nope", 404),
])
def test_api_errors_are_json_with_status_codes(base, path, status):
    code, headers, body = fetch(base, path)
    assert code == status and json.loads(body)["status"] == status
    assert headers["Content-Type"].startswith("application/json")


def test_unknown_url_page_is_404(base):
    assert fetch(base, f"/doc?url={q('https://unknown.example/a')}")[0] == 404


# -- originals ------------------------------------------------------------------------------
def test_original_is_served_sandboxed(base):
    status, headers, body = fetch(base, f"/original?url={q(synth.EVIL)}")
    assert status == 200 and body == synth.EVIL_HTML
    csp = headers["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "allow-scripts" not in csp
    assert "default-src 'none'" in csp and "img-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_original_gzip_and_charset_are_decoded_for_viewing(base):
    status, headers, body = fetch(base, f"/original?url={q(synth.CYRILLIC)}")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert synth.CYRILLIC_TEXT in body.decode("utf-8")


# -- pages and security ---------------------------------------------------------------------
def test_ui_pages_have_a_strict_csp_and_no_scripts(base):
    for path in ("/", "/?q=flood", f"/doc?url={q(synth.RIVER)}", f"/diff?url={q(synth.RIVER)}"):
        status, headers, body = fetch(base, path)
        assert status == 200, path
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
        assert b"<script" not in body.lower()


def test_titles_with_markup_are_escaped(base):
    for path in ("/?q=flood", f"/doc?url={q(synth.EVIL)}"):
        body = fetch(base, path)[2].decode()
        assert "<script>alert" not in body and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body


def test_query_echo_is_escaped(base):
    body = fetch(base, "/?q=" + q('"><img src=x onerror=alert(1)>'))[2].decode()
    assert "<img src=x" not in body and "&quot;&gt;&lt;img" in body


def test_document_page_shows_provenance_history_and_sandboxed_iframe(base):
    body = fetch(base, f"/doc?url={q(synth.RIVER)}")[2].decode()
    assert "Officials expect the flood" in body and "<urn:uuid:" not in body and "&lt;urn:uuid:" in body
    assert '<iframe class="original" sandbox src="/original?' in body
    assert body.count("<tr>") == 1 + 3 and ">changed</a>" in body


def test_diff_page_marks_changed_lines(base):
    body = fetch(base, f"/diff?url={q(synth.RIVER)}")[2].decode()
    assert '<span class="add">+The river rose three metres overnight.</span>' in body


@pytest.mark.parametrize("target", ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                                    "/static/..%2f..%2fetc%2fpasswd", "/..\\..\\etc\\passwd"])
def test_path_traversal_is_rejected(base, target):
    status, body = raw(base, "GET", target)
    assert status in (400, 404) and b"root:" not in body


def test_static_css_is_served_and_other_files_are_not(base):
    assert fetch(base, "/static/style.css")[0] == 200
    assert fetch(base, "/static/app.py")[0] == 404


def test_oversized_requests_are_refused(base):
    assert raw(base, "GET", "/?q=" + "a" * 5000)[0] == 414
    assert raw(base, "GET", "/api/search", body=b"x" * 100)[0] == 413
    assert raw(base, "POST", "/api/search", body=b"")[0] == 405


def test_head_returns_headers_only(base):
    status, body = raw(base, "HEAD", "/")
    assert status == 200 and body == b""
