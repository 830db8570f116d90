"""Canonical URLs: the one key under which captures of "the same page" are found.

Archivists type URLs the way they find them (http or https, with or without `www.`, with a
trailing slash, with campaign parameters); the index stores every capture under the same
canonical key so that all of these retrieve the same history.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
    "_ga", "_gl", "ref", "ref_src", "cmpid", "ncid", "ocid", "ftag", "sr_share",
})
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "piwik_", "mtm_", "hsa_")


class InvalidURL(ValueError):
    """The text cannot be read as an http(s) URL."""


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Return the matching key of `url`: no scheme distinction, no `www.`, no fragment,
    no tracking parameters, sorted query, no trailing slash, lower-case host, default port
    dropped. The key is for matching only; the archived URL is kept verbatim elsewhere."""
    text = (url or "").strip()
    if not text:
        raise InvalidURL("empty URL")
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"not a URL: {url!r} ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURL(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise InvalidURL(f"URL has no host: {url!r}")
    if host.startswith("www."):
        host = host[4:]
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/%:@!$&'()*+,;=~-._") or "/"
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query.sort()
    return urlunsplit(("http", host, path, urlencode(query), ""))


def url_host(url: str) -> str:
    """Host of `url` in lower case, without `www.` (the grouping key for per-host rules)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
