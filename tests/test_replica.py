"""The loopback replica serves what its ground truth (tests/replica/content.py) says, through a proxy."""

from __future__ import annotations

import gzip
import html
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.conftest import PROJECT_ROOT
from tests.replica import content
from tests.replica.server import ReplicaServer

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
FAMILIES = ("pangea", "npr", "stations")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(epoch=1, port=0) as server:
        yield server


def fetch(replica, url, headers=None, follow=False):
    """(status, headers, body as sent on the wire) through the replica proxy."""
    handlers = [urllib.request.ProxyHandler({"http": replica.proxy_url})]
    if not follow:
        handlers.append(_NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity", **(headers or {})})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), url


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def family_of(url: str) -> str:
    return content.SITES[url.split("/")[2]][0]


def test_robots_lists_sitemaps_and_disallows_private(replica):
    for host in content.SITES:
        status, _, body, _ = fetch(replica, f"http://{host}/robots.txt")
        text = body.decode()
        assert status == 200
        assert "User-agent: *" in text and "Disallow: /private/" in text
        assert f"Sitemap: http://{host}/sitemap.xml" in text
        assert f"Sitemap: http://{host}/sitemap-news.xml" in text


def test_feeds_and_sitemaps_list_every_article(replica):
    expected = {a.url for a in content.articles(1)}
    from_feeds, from_sitemaps, from_news = set(), set(), set()
    for host in content.SITES:
        feed = ET.fromstring(fetch(replica, f"http://{host}/feed.rss")[2])
        for item in feed.iter("item"):
            assert item.findtext("pubDate") and item.findtext("guid") and item.findtext("description")
            from_feeds.add(item.findtext("link"))
        index = ET.fromstring(fetch(replica, f"http://{host}/sitemap.xml")[2])
        maps = [loc.text for loc in index.iter(SM + "loc")]
        assert f"http://{host}/sitemap-articles.xml" in maps and f"http://{host}/sitemap-news.xml" in maps
        urlset = ET.fromstring(fetch(replica, f"http://{host}/sitemap-articles.xml")[2])
        for url in urlset.iter(SM + "url"):
            assert url.findtext(SM + "lastmod")
            from_sitemaps.add(url.findtext(SM + "loc"))
        news = ET.fromstring(fetch(replica, f"http://{host}/sitemap-news.xml")[2])
        for url in news.iter(SM + "url"):
            entry = url.find(NEWS + "news")
            assert entry.findtext(f"{NEWS}publication/{NEWS}name")
            assert entry.findtext(f"{NEWS}publication/{NEWS}language")
            assert entry.findtext(NEWS + "publication_date") and entry.findtext(NEWS + "title")
            from_news.add(url.findtext(SM + "loc"))
    assert from_feeds == expected and from_news == expected
    assert expected <= from_sitemaps
    assert {f"http://{h}{p}" for h in content.SITES for p in content.DISALLOWED_PATHS} <= from_sitemaps
    for family in FAMILIES:
        assert sum(family_of(u) == family for u in from_feeds) >= 15


def test_misc_sitemap_lists_hostile_paths_on_rferl_only(replica):
    index = fetch(replica, "http://rferl.replica.test/sitemap.xml")[2].decode()
    assert "http://rferl.replica.test/sitemap-misc.xml" in index
    misc = ET.fromstring(fetch(replica, "http://rferl.replica.test/sitemap-misc.xml")[2])
    assert {loc.text for loc in misc.iter(SM + "loc")} == {f"http://rferl.replica.test{p}" for p in content.HOSTILE_PATHS}
    assert "sitemap-misc" not in fetch(replica, "http://npr.replica.test/sitemap.xml")[2].decode()
    assert fetch(replica, "http://npr.replica.test/x/error")[0] == 404


def test_every_article_is_served_with_its_text_and_boilerplate(replica):
    for article in content.articles(1):
        status, headers, body, _ = fetch(replica, article.url)
        assert status == 200, article.url
        assert headers["Content-Type"].startswith("text/html")
        text = visible_text(body.decode("utf-8"))
        assert article.title in text
        for paragraph in article.paragraphs:
            assert paragraph in text, (article.url, paragraph)
        raw = html.unescape(body.decode("utf-8"))
        for line in article.boilerplate:
            assert line in text or line in raw, (article.url, line)
        for name in article.authors:
            assert name in text


def test_family_markup_is_present(replica):
    by_family = {}
    for article in content.articles(1):
        by_family.setdefault(article.family, article)
    pangea = fetch(replica, by_family["pangea"].url)[2].decode()
    for marker in ('<div class="sr-only">', "c-hlights c-hlights--breaking", 'class="pg-title"', "<time pubdate",
                   'id="article-content"', 'class="wsw"', 'class="dateline"', "var utag_data", "article_uid",
                   "application/ld+json", 'property="og:title"', 'alt="16x9 Image"', "undesirable organization"):
        assert marker in pangea, marker
    story = fetch(replica, by_family["npr"].url)[2].decode()
    for marker in ('body id="news" class="news tmpl', 'class="skip-links"', 'id="npr-player"', "Listen Live",
                   'class="contentheader', 'article class="story"', 'class="storytitle"', 'id="story-meta"',
                   'class="byline__name', 'id="headlineaudio"', 'id="storytext"', "bucketwrap image",
                   "bucketwrap internallink", "bucketwrap resaudio", 'aside class="ad-wrap"', 'class="tags"',
                   'id="npr-footer"', "NPR thanks our sponsors"):
        assert marker in story, marker
    station = fetch(replica, by_family["stations"].url)[2].decode()
    for marker in ('html class="ArticlePage', "ps-brightspot-persistent-player", "Page-header-donate-button",
                   "ArticlePage-headline", "ArticlePage-articleBody", "PromoAudioEpisode", 'class="Figure"',
                   "AudioEnhancement", "<p><b><a", "RELATED: ", "ArticlePage-tags", "ArticlePage-authorInfo-bio",
                   "PromoNewsletter", "is nonprofit and independent", "Give today. A monthly donation of $5"):
        assert marker in station, marker


def test_special_pages_exist_with_their_markers(replica):
    arts = content.articles(1)
    factcheck = next(a for a in arts if "fact-check" in a.path)
    page = fetch(replica, factcheck.url)[2].decode()
    assert "pg-fc" in page and 'class="fc__body"' in page and 'class="statement"' in page and 'class="verdict"' in page
    russian = next(a for a in arts if a.language == "ru")
    assert "Ссылки для упрощенного доступа" in fetch(replica, russian.url)[2].decode()
    transcripts = [a for a in arts if a.family == "npr" and "transcript storytext" in fetch(replica, a.url)[2].decode()]
    assert transcripts and all(any(p.endswith("HOST:") for p in a.paragraphs) for a in transcripts)
    wire = [a for a in arts if "/npr-news/" in a.path]
    assert wire and all(a.rights == "Copyright 2026 NPR. To see more, visit https://www.npr.org." for a in wire)
    npr_paragraphs = {p for a in arts if a.family == "npr" for p in a.paragraphs}
    assert any(p in npr_paragraphs and p.startswith("\u201c") for a in wire for p in a.paragraphs)


def test_listing_and_programme_pages_are_non_articles(replica):
    pages = content.non_articles(1)
    assert {p.page_type for p in pages} == {"listing", "programme"}
    for page in pages:
        status, _, body, _ = fetch(replica, page.url)
        assert status == 200, page.url
    listing = fetch(replica, "http://npr.replica.test/sections/news/")[2].decode()
    assert "tmplAggNews" in listing and 'section id="main-section"' in listing
    assert listing.count('<article class="item') >= 15 and listing.count("bucketwrap resaudio") >= 15
    assert "/private/" in listing and "/programs/all-things-considered/" in listing
    assert "pg-media pg-prog" in fetch(replica, "http://rferl.replica.test/z/20771")[2].decode()


def test_conditional_get_answers_304(replica):
    url = content.articles(1)[0].url
    _, headers, _, _ = fetch(replica, url)
    assert headers["ETag"].startswith('"') and headers["Last-Modified"] and headers["Date"]
    assert headers["Server"] == "replica/1"
    assert fetch(replica, url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(replica, url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(replica, url, {"If-None-Match": '"something-else"'})[0] == 200
    gz = fetch(replica, url, {"Accept-Encoding": "gzip"})[1]["ETag"]
    assert fetch(replica, url, {"If-None-Match": gz, "Accept-Encoding": "gzip"})[0] == 304


def test_gzip_when_accepted_with_correct_length(replica):
    url = content.articles(1)[-1].url
    _, plain_headers, plain, _ = fetch(replica, url)
    status, headers, body, _ = fetch(replica, url, {"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == len(body)
    assert gzip.decompress(body) == plain and "Content-Encoding" not in plain_headers
    feed = fetch(replica, "http://krpl.replica.test/feed.rss", {"Accept-Encoding": "gzip"})
    assert feed[1]["Content-Encoding"] == "gzip" and ET.fromstring(gzip.decompress(feed[2]))


def test_unknown_host_and_path(replica):
    status, _, body, _ = fetch(replica, "http://unknown.example.org/")
    assert status == 502 and b"unknown host" in body
    assert fetch(replica, "http://npr.replica.test/no/such/page")[0] == 404


def test_origin_form_request_uses_host_header(replica):
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=10)
    connection.request("GET", "/robots.txt", headers={"Host": "wrpl.replica.test"})
    response = connection.getresponse()
    assert response.status == 200 and b"wrpl.replica.test/sitemap.xml" in response.read()
    connection.close()


def test_epoch_two_adds_edits_and_removes_articles():
    changes = content.changes(2)
    for family in FAMILIES:
        assert sum(family_of(u) == family for u in changes["new"]) >= 2
        assert sum(family_of(u) == family for u in changes["edited"]) == 1
        assert sum(family_of(u) == family for u in changes["removed"]) == 1
    with ReplicaServer(epoch=1) as replica:
        one = {a.url: fetch(replica, a.url) for a in content.articles(1)}
        feeds_one = fetch(replica, "http://npr.replica.test/feed.rss")[2]
        replica.set_epoch(2)
        for url in changes["removed"]:
            assert fetch(replica, url)[0] == 404
        for url in changes["new"]:
            assert fetch(replica, url)[0] == 200
        listed = set()
        for host in content.SITES:
            listed |= {loc.text for loc in ET.fromstring(fetch(replica, f"http://{host}/sitemap-news.xml")[2]).iter(SM + "loc")}
            listed |= set(re.findall(r"<link>([^<]+)</link>", fetch(replica, f"http://{host}/feed.rss")[2].decode()))
            section = next(p for p in content.non_articles(2) if p.host == host and p.page_type == "listing")
            page = fetch(replica, section.url)[2].decode()
            for url in changes["new"]:
                if url.split("/")[2] == host:
                    assert url.split(host)[1] in page
        assert set(changes["new"]) <= listed and not set(changes["removed"]) & listed
        for url in changes["edited"]:
            status, headers, body, _ = fetch(replica, url)
            assert status == 200 and body != one[url][2]
            assert headers["ETag"] != one[url][1]["ETag"]
            assert headers["Last-Modified"] != one[url][1]["Last-Modified"]
        unchanged = set(one) - set(changes["edited"]) - set(changes["removed"])
        assert len(unchanged) >= 40
        for url in unchanged:
            _, headers, body, _ = fetch(replica, url)
            assert body == one[url][2], url
            assert headers["ETag"] == one[url][1]["ETag"] and headers["Last-Modified"] == one[url][1]["Last-Modified"]
        assert fetch(replica, "http://npr.replica.test/feed.rss")[2] != feeds_one
    edited = {a.url: a for a in content.articles(2)}
    before = {a.url: a for a in content.articles(1)}
    for url in changes["edited"]:
        assert edited[url].modified > before[url].modified and edited[url].published == before[url].published


def test_ratelimited_answers_429_once_then_the_article():
    with ReplicaServer() as replica:
        status, headers, _, _ = fetch(replica, "http://rferl.replica.test/x/ratelimited")
        assert status == 429 and headers["Retry-After"] == "1"
        status, _, body, _ = fetch(replica, "http://rferl.replica.test/x/ratelimited")
        assert status == 200 and b'class="pg-title"' in body


def test_cp1251_page_is_windows_1251_without_meta_charset(replica):
    status, headers, body, _ = fetch(replica, "http://rferl.replica.test/x/cp1251")
    assert status == 200 and "charset=windows-1251" in headers["Content-Type"]
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1251")
    assert "Томск" in text and "charset" not in text.split("</head>")[0].lower()
    truth = next(a for a in content.hostile_articles(1) if a.path == "/x/cp1251")
    assert all(p in visible_text(text) for p in truth.paragraphs)


def test_redirects_and_other_hostile_endpoints(replica):
    base = "http://rferl.replica.test"
    assert fetch(replica, base + "/x/redirect-chain")[0] == 301
    status, _, body, final = fetch(replica, base + "/x/redirect-chain", follow=True)
    assert status == 200 and final in {a.url for a in content.articles(1)} and b"pg-article" in body
    assert fetch(replica, base + "/x/redirect-loop")[1]["Location"] == base + "/x/redirect-loop-b"
    assert fetch(replica, base + "/x/redirect-loop-b")[1]["Location"] == base + "/x/redirect-loop"
    assert fetch(replica, base + "/x/offsite")[1]["Location"] == "http://evil.example.net/"
    assert fetch(replica, base + "/x/missing")[0] == 404 and fetch(replica, base + "/x/error")[0] == 500
    status, headers, body, _ = fetch(replica, base + "/x/report.pdf")
    assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
    status, headers, body, _ = fetch(replica, base + "/x/empty")
    assert status == 200 and body == b"" and headers["Content-Length"] == "0"
    status, headers, body, _ = fetch(replica, base + "/x/binary")
    assert headers["Content-Type"] == "text/html" and len(body) > 1000
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_chunked_and_truncated_transport(replica):
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=10)
    connection.request("GET", "http://rferl.replica.test/x/chunked", headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    assert response.getheader("Transfer-Encoding") == "chunked" and response.getheader("Content-Length") is None
    assert b"article-content" in gzip.decompress(response.read())
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=10)
    connection.request("GET", "http://rferl.replica.test/x/truncated")
    response = connection.getresponse()
    declared = int(response.getheader("Content-Length"))
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    assert declared > 0
    connection.close()


def test_huge_page_is_over_twelve_megabytes(replica):
    status, headers, body, _ = fetch(replica, "http://rferl.replica.test/x/huge", {"Accept-Encoding": "gzip"})
    assert status == 200 and len(gzip.decompress(body)) >= 12 * 1024 * 1024


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(replica):
    """About 3 s: the bomb is built once (streaming) and inflated here chunk by chunk."""
    import zlib
    status, headers, body, _ = fetch(replica, "http://rferl.replica.test/x/bomb")
    assert status == 200 and headers["Content-Encoding"] == "gzip" and len(body) < 1024 * 1024
    inflater, total = zlib.decompressobj(31), 0
    for start in range(0, len(body), 65536):
        total += len(inflater.decompress(body[start:start + 65536]))
    assert total > 500 * 1024 * 1024


def test_slow_endpoint_waits_two_seconds(replica):
    import time
    started = time.monotonic()
    status, _, body, _ = fetch(replica, "http://rferl.replica.test/x/slow")
    assert status == 200 and time.monotonic() - started >= 1.9 and b"article-content" in body


def test_requests_are_recorded_with_absolute_urls(replica):
    fetch(replica, "http://krpl.replica.test/news?page=2", {"User-Agent": "replica-test"})
    method, url, headers = replica.requests[-1]
    assert (method, url) == ("GET", "http://krpl.replica.test/news?page=2")
    assert headers["User-Agent"] == "replica-test"


def test_pages_are_deterministic():
    for host in content.SITES:
        assert content.page(host, "/feed.rss", 1)[2] == content._page.__wrapped__(host, "/feed.rss", 1)[2]
    first = content.articles(1)[3]
    assert content._page.__wrapped__(first.host, first.path, 1) == content.page(first.host, first.path, 1)
    status, headers, _ = content.page(first.host, first.path, 1)
    headers["ETag"] = "mutated"
    assert content.page(first.host, first.path, 1)[1]["ETag"] != "mutated"


def test_cli_prints_one_json_line_and_stops_cleanly_on_sigterm():
    process = subprocess.Popen([sys.executable, "-m", "tests.replica", "--port", "0", "--epoch", "2"],
                               cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = json.loads(process.stdout.readline())
        assert info["epoch"] == 2 and info["proxy"].startswith("http://127.0.0.1:")
        assert set(info["hosts"]) == set(content.SITES)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": info["proxy"]}))
        assert opener.open("http://npr.replica.test/robots.txt", timeout=10).status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0 and "Traceback" not in stderr
