import pytest
from hypothesis import given, strategies as st

from archive.urls import InvalidURL, canonical_url, url_host


@pytest.mark.parametrize("variant", [
    "https://www.rferl.org/a/story/123.html",
    "http://rferl.org/a/story/123.html",
    "https://WWW.RFERL.ORG/a/story/123.html/",
    "https://www.rferl.org/a/story/123.html?utm_source=twitter&utm_medium=social",
    "https://www.rferl.org/a/story/123.html#comments",
    "https://www.rferl.org:443/a/story/123.html?fbclid=abc",
    "www.rferl.org/a/story/123.html",
])
def test_variants_of_one_article_share_a_key(variant):
    assert canonical_url(variant) == "http://rferl.org/a/story/123.html"


def test_meaningful_query_parameters_are_kept_and_sorted():
    assert canonical_url("https://npr.org/search?q=flood&page=2") == "http://npr.org/search?page=2&q=flood"


def test_different_paths_stay_different():
    assert canonical_url("https://npr.org/a") != canonical_url("https://npr.org/b")


def test_non_default_port_is_part_of_the_key():
    assert canonical_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"


@pytest.mark.parametrize("bad", ["", "   ", "ftp://example.org/file", "http://", "javascript:alert(1)"])
def test_non_http_urls_are_refused_with_a_clear_error(bad):
    with pytest.raises(InvalidURL):
        canonical_url(bad)


def test_url_host_drops_www():
    assert url_host("https://www.kosu.org/news/x") == "kosu.org"


_segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~", min_size=1, max_size=12)


@given(host=st.lists(_segment.filter(lambda s: s[0].isalnum() and s[-1].isalnum() and ".." not in s),
                     min_size=1, max_size=3),
       path=st.lists(_segment, max_size=4),
       params=st.dictionaries(st.sampled_from(["q", "page", "id", "utm_source", "fbclid"]), _segment, max_size=3),
       www=st.booleans(), https=st.booleans(), slash=st.booleans())
def test_canonicalisation_is_idempotent_and_ignores_presentation(host, path, params, www, https, slash):
    hostname = ".".join(host) + ".org"
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"{'https' if https else 'http'}://{'www.' if www else ''}{hostname}/{'/'.join(path)}" \
          f"{'/' if slash and path else ''}{'?' + query if query else ''}"
    key = canonical_url(url)
    assert canonical_url(key) == key
    plain = f"http://{hostname}/{'/'.join(path)}"
    kept = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k in ("q", "page", "id"))
    assert canonical_url(plain + ("?" + kept if kept else "")) == key
    assert "utm_source" not in key and "fbclid" not in key
