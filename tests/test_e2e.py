"""End to end: the real crawler (a `python -m crawler.run` subprocess) against the loopback
replica, epoch 1 then epoch 2 on the same archive, with assertions on what was stored.

Ground truth comes from the replica itself (tests/replica/content.py), never from the archive.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.store import Archive
from archive.urls import canonical_url
from tests.conftest import PROJECT_ROOT
from tests.crawl_support import run_crawl
from tests.replica import content
from tests.replica.discovery import CRAWL_DELAY
from tests.replica.server import ReplicaServer
from crawler.incremental import parse_time

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One archive crawled at epoch 1, then again at epoch 2; the requests each run sent."""
    archive_dir = tmp_path_factory.mktemp("e2e") / "archive"
    with ReplicaServer(epoch=1) as server:
        first = run_crawl(archive_dir, server.proxy_url, log_name="epoch1.log")
        requests_1 = server.requests.snapshot()
        server.requests.clear()
        server.set_epoch(2)
        second = run_crawl(archive_dir, server.proxy_url, log_name="epoch2.log")
        requests_2 = server.requests.snapshot()
    return {"dir": archive_dir, "runs": (first, second), "requests": (requests_1, requests_2)}


def archive_cli(archive_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archive", *args, "--archive-dir", str(archive_dir)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


def requested(requests, url: str) -> list[dict]:
    return [headers for _, seen, headers in requests if seen == url]


def test_both_runs_finish_cleanly(crawled):
    for run in crawled["runs"]:
        assert run.returncode == 0, run.log[-3000:]
        assert "Traceback" not in run.log
    reports = [json.loads(p.read_text()) for p in sorted((crawled["dir"] / "runs").glob("*.json"))]
    assert sorted(r["spider"] for r in reports) == ["npr", "npr", "rferl", "rferl", "stations", "stations"]
    assert all(r["status"] == "ok" for r in reports)


def test_every_article_of_epoch_one_is_stored_clean(crawled):
    with Archive(crawled["dir"], readonly=True) as archive:
        for article in content.articles(1):
            copies = archive.index.documents(canonical_url(article.url))
            assert copies, f"no cleaned copy of {article.url}"
            first = copies[0]
            assert without_optional(first.text, article) == article.text, article.url
            assert first.title == article.title
            for boilerplate in article.boilerplate:
                assert boilerplate not in first.text, (article.url, boilerplate)


def without_optional(text: str, article) -> str:
    """The text minus the strings whose place the ground truth leaves open (e.g. NPR credits)."""
    return "\n\n".join(p for p in text.split("\n\n") if p not in article.optional)


def test_listing_and_programme_pages_are_not_stored_as_articles(crawled):
    with Archive(crawled["dir"], readonly=True) as archive:
        for page in content.non_articles(1):
            assert archive.index.documents(canonical_url(page.url)) == [], page.url
    for requests in crawled["requests"]:  # a section page is read once per run, not again as an article
        for host, path in content.SECTION.items():
            assert len(requested(requests, f"http://{host}{path}")) == 1, (host, path)


def test_robots_disallowed_path_is_never_requested(crawled):
    for requests in crawled["requests"]:
        assert not [url for _, url, _ in requests if content.PRIVATE_PATH in url]
        assert any(url.endswith("/robots.txt") for _, url, _ in requests)


def test_rate_limited_page_is_retried_after_429_and_stored(crawled):
    url = f"http://{content.HOSTILE_HOST}/x/ratelimited"
    assert len(requested(crawled["requests"][0], url)) == 2  # the 429, then the page
    assert "answered 429; waiting 1.0s (Retry-After)" in crawled["runs"][0].log
    with Archive(crawled["dir"], readonly=True) as archive:
        statuses = [c.status for c in archive.index.captures(canonical_url(url))]
        assert 429 in statuses and 200 in statuses
        assert archive.index.document(canonical_url(url)) is not None


def test_robots_crawl_delay_is_honoured(crawled):
    """wrpl's robots.txt asks for Crawl-delay: its captures are at least that far apart."""
    with Archive(crawled["dir"], readonly=True) as archive:
        captures = [c for c in archive.index.all_captures() if c.host == "wrpl.replica.test"]
    delay = CRAWL_DELAY["wrpl.replica.test"]
    for run_id in {c.run_id for c in captures}:
        # robots.txt itself is fetched before the delay is known; every request after it waits.
        times = sorted(parse_time(c.fetched_at) for c in captures
                       if c.run_id == run_id and not c.url.endswith("/robots.txt"))
        # Times are when responses arrived; the first request after robots.txt is paced from
        # when robots.txt was *sent*, so its gap may be shorter by the robots.txt latency.
        # Arrival times also jitter by how long the one reactor thread was busy with the other
        # spiders' pages (five Pangea hosts share the process since the language services):
        # up to ~0.1 s on a loaded machine. A crawler ignoring the delay shows gaps near 0.
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:])][1:]
        assert len(gaps) > 5 and min(gaps) >= delay * 0.75, gaps
    assert "Crawl-delay 0.5s honoured" in crawled["runs"][0].log


def test_warcinfo_says_replica_crawl(crawled):
    files = sorted((crawled["dir"] / "warcs").glob("*.warc.gz"))
    assert files and not list((crawled["dir"] / "warcs").glob("*.open"))
    for path in files:
        with open(path, "rb") as handle:
            first = next(iter(ArchiveIterator(handle)))
            assert first.rec_type == "warcinfo"
            info = first.content_stream().read().decode()
            assert "REPLICA CRAWL" in info and "replica: true" in info


def test_epoch_two_fetches_new_and_edited_articles_and_revisits_the_rest(crawled):
    changes = content.changes(2)
    requests_2 = crawled["requests"][1]
    with Archive(crawled["dir"], readonly=True) as archive:
        for url in changes["new"]:
            sent = requested(requests_2, url)
            assert len(sent) == 1 and "If-None-Match" not in sent[0], url
            assert archive.index.document(canonical_url(url)) is not None, url
        unchanged = [a.url for a in content.articles(2) if a.url not in changes["new"] + changes["edited"]]
        assert unchanged
        for url in unchanged + changes["edited"]:
            sent = requested(requests_2, url)
            assert len(sent) == 1, (url, len(sent))  # once, though /x/redirect-chain leads to one of them
            assert "If-None-Match" in sent[0] or "If-Modified-Since" in sent[0], url
        for url in unchanged:
            captures = archive.index.captures(canonical_url(url))
            assert [c.record_type for c in captures] == ["response", "revisit"], url
            assert captures[1].status == 304 and captures[1].revisit_of == captures[0].id
            assert len(archive.index.documents(canonical_url(url))) == 1  # no second cleaned copy


def test_edited_article_has_a_new_copy_and_diff_shows_the_edit(crawled):
    edited = content.changes(2)["edited"]
    assert edited
    for url in edited:
        before = {a.url: a for a in content.articles(1)}[url]
        after = {a.url: a for a in content.articles(2)}[url]
        with Archive(crawled["dir"], readonly=True) as archive:
            texts = [without_optional(d.text, after) for d in archive.index.documents(canonical_url(url))]
        assert texts == [before.text, after.text]
        result = archive_cli(crawled["dir"], "diff", url)
        assert result.returncode == 0, result.stderr
        added = [p for p in after.paragraphs if p not in before.paragraphs]
        removed = [p for p in before.paragraphs if p not in after.paragraphs]
        assert added or removed
        for paragraph in added:
            assert "+" + paragraph in result.stdout
        for paragraph in removed:
            assert "-" + paragraph in result.stdout


def test_removed_article_keeps_its_archived_copy(crawled):
    removed = content.changes(2)["removed"]
    assert removed
    for url in removed:
        assert requested(crawled["requests"][1], url) == []  # no longer discovered: not fetched
        result = archive_cli(crawled["dir"], "get", url, "--format", "json")
        assert result.returncode == 0, result.stderr
        gone = {a.url: a for a in content.articles(1)}[url]
        assert without_optional(json.loads(result.stdout)["text"], gone) == gone.text


def test_original_bytes_behind_a_cleaned_copy(crawled):
    article = content.articles(1)[0]
    result = subprocess.run([sys.executable, "-m", "archive", "original", article.url, "--archive-dir",
                             str(crawled["dir"]), "--decode"], cwd=PROJECT_ROOT, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    status, headers, body = content.page(article.host, article.path, 1)
    assert result.stdout == body


def test_run_reports_count_per_site(crawled):
    reports = sorted((json.loads(p.read_text()) for p in (crawled["dir"] / "runs").glob("*.json")),
                     key=lambda r: r["started_at"])
    first = {r["spider"]: r for r in reports[:3]}
    second = {r["spider"]: r for r in reports[3:]}
    changes = content.changes(2)
    for host in ("krpl.replica.test", "wrpl.replica.test"):
        articles = [a for a in content.articles(1) if a.host == host]
        sites_1, sites_2 = first["stations"]["sites"][host], second["stations"]["sites"][host]
        assert sites_1["new"] == len(articles)
        assert sites_1["skipped_robots"] == 1  # the linked /private/ page
        assert sites_1["bytes"] > 0 and sites_1["fetched"] >= len(articles)
        edited_or_new = [u for u in changes["new"] + changes["edited"] if f"//{host}/" in u]
        assert sites_2.get("new", 0) + sites_2.get("changed", 0) == len(edited_or_new)
        assert sites_2["unchanged"] >= len(articles) - len(edited_or_new) - 1


def test_discovery_documents_and_every_redirect_hop_are_archived(crawled):
    """robots.txt, feeds and sitemaps are captures too; a redirect chain is one response per
    hop (3xx with its Location); each response has its request, linked by WARC-Concurrent-To."""
    responses, requests = {}, {}
    for path in sorted((crawled["dir"] / "warcs").glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type in ("response", "revisit"):
                    responses.setdefault(uri, []).append(record.http_headers)
                    record_id = record.rec_headers.get_header("WARC-Record-ID")
                    requests.setdefault(record_id, None)
                elif record.rec_type == "request":
                    requests[record.rec_headers.get_header("WARC-Concurrent-To")] = uri
    for host in ("rferl.replica.test", "npr.replica.test", "krpl.replica.test", "wrpl.replica.test"):
        for path in ("/robots.txt", "/feed.rss", "/sitemap.xml", "/sitemap-news.xml"):
            assert f"http://{host}{path}" in responses, (host, path)
    hops = [f"http://{content.HOSTILE_HOST}/x/redirect-chain", f"http://{content.HOSTILE_HOST}/x/redirect-step"]
    for hop in hops:
        first = responses[hop][0]
        assert first.get_statuscode().startswith("30") and first.get_header("Location"), hop
    assert all(uri is not None for uri in requests.values()), "a response without its request record"
