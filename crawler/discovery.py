"""Discovery documents: robots.txt Sitemap lines, sitemaps (plain, index, Google News) and
RSS/Atom feeds, parsed into `Link`s. Pure functions over bytes, no HTTP.

Scrapy's stock sitemap parser drops the `news:` fields; we keep `news:publication_date`
and `news:title`, which tell a scheduled crawl what is new without fetching the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                          remove_comments=True)


@dataclass(frozen=True)
class Link:
    url: str
    kind: str = "page"          # "page" or "sitemap" (a child of a sitemap index)
    title: str | None = None
    published: str | None = None  # ISO 8601 when known
    lastmod: str | None = None


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt, absolute."""
    found = []
    for line in text.splitlines():
        match = re.match(r"\s*sitemap\s*:\s*(\S+)", line, re.IGNORECASE)
        if match:
            found.append(urljoin(base_url, match.group(1)))
    return found


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element, *names: str) -> str | None:
    """Text of the first descendant whose local name is one of `names`."""
    for node in element.iter():
        if _local(node.tag) in names and node.text and node.text.strip():
            return node.text.strip()
    return None


def _parse_xml(body: bytes):
    body = body.lstrip()
    if not body:
        return None
    try:
        return etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return None


def parse_sitemap(body: bytes, base_url: str) -> list[Link]:
    """Links of a sitemap: child sitemaps for an index, pages (with lastmod and the Google
    News title/publication date) for a urlset. Unreadable XML gives no links."""
    root = _parse_xml(body)
    if root is None:
        return []
    kind = "sitemap" if _local(root.tag) == "sitemapindex" else "page"
    links = []
    for entry in root:
        if _local(entry.tag) not in ("sitemap", "url"):
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        links.append(Link(url=urljoin(base_url, loc), kind=kind,
                          title=_child_text(entry, "title"),
                          published=_child_text(entry, "publication_date"),
                          lastmod=_child_text(entry, "lastmod")))
    return links


def parse_feed(body: bytes, base_url: str) -> list[Link]:
    """Items of an RSS 2.0 or Atom feed."""
    root = _parse_xml(body)
    if root is None:
        return []
    links = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        url = None
        for child in item:
            if _local(child.tag) == "link":
                url = child.get("href") if child.get("href") else (child.text or "").strip()
                if child.get("rel") not in (None, "alternate"):
                    url = None
                if url:
                    break
        if not url:
            url = _child_text(item, "guid")
        if not url:
            continue
        published = _child_text(item, "pubdate", "published", "updated", "date")
        links.append(Link(url=urljoin(base_url, url), title=_child_text(item, "title"),
                          published=_iso_date(published)))
    return links


def looks_like_feed_or_sitemap(body: bytes) -> str | None:
    """'sitemap', 'feed' or None, from the document's root element."""
    root = _parse_xml(body)
    if root is None:
        return None
    name = _local(root.tag)
    if name in ("urlset", "sitemapindex"):
        return "sitemap"
    if name in ("rss", "feed", "rdf"):
        return "feed"
    return None


def _iso_date(value: str | None) -> str | None:
    """RFC 822 dates of RSS -> ISO 8601; ISO dates pass through."""
    if not value:
        return None
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None
