"""What a crawler discovers articles from: robots.txt, RSS 2.0, sitemap index, plain and
Google-News sitemaps. Same paths on every host; only rferl lists the hostile `/x/` sitemap.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .model import RFERL, WRPL, Article, http_date

ROBOTS_PATH = "/robots.txt"
FEED_PATH = "/feed.rss"
SITEMAP_INDEX = "/sitemap.xml"
SITEMAP_ARTICLES = "/sitemap-articles.xml"
SITEMAP_NEWS = "/sitemap-news.xml"
SITEMAP_MISC = "/sitemap-misc.xml"
DISCOVERY_PATHS = (ROBOTS_PATH, FEED_PATH, SITEMAP_INDEX, SITEMAP_ARTICLES, SITEMAP_NEWS)
# One station asks crawlers to pace themselves (seconds between requests).
CRAWL_DELAY = {WRPL: 0.5}


def robots(host: str) -> str:
    return (f"# robots.txt for {host} (replica)\n"
            "User-agent: *\n"
            "Disallow: /private/\n"
            "Disallow: /s?\n"
            "Allow: /\n"
            + (f"Crawl-delay: {CRAWL_DELAY[host]}\n" if host in CRAWL_DELAY else "") +
            "\n"
            "User-agent: BadBot\n"
            "Disallow: /\n"
            "\n"
            f"Sitemap: http://{host}{SITEMAP_INDEX}\n"
            f"Sitemap: http://{host}{SITEMAP_NEWS}\n")


def rss(host: str, name: str, section_url: str, articles: list[Article], now: str, language: str = "en") -> str:
    items = "".join(f"""<item>
<title>{escape(a.title)}</title>
<link>{escape(a.url)}</link>
<guid isPermaLink="true">{escape(a.url)}</guid>
<pubDate>{http_date(a.published)}</pubDate>
<description>{escape(a.description)}</description>
{"".join(f"<category>{escape(t)}</category>" for t in a.tags)}
</item>
""" for a in sorted(articles, key=lambda a: a.published, reverse=True))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{escape(name)} - News</title>
<link>{escape(section_url)}</link>
<description>Latest stories from {escape(name)}</description>
<language>{language}</language>
<lastBuildDate>{http_date(now)}</lastBuildDate>
<atom:link href="http://{host}{FEED_PATH}" rel="self" type="application/rss+xml"/>
{items}</channel>
</rss>
"""


def sitemap_index(host: str, now: str) -> str:
    maps = [SITEMAP_ARTICLES, SITEMAP_NEWS] + ([SITEMAP_MISC] if host == RFERL else [])
    entries = "".join(f"<sitemap><loc>http://{host}{m}</loc><lastmod>{now}</lastmod></sitemap>\n" for m in maps)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n")


def urlset(entries: list[tuple[str, str]]) -> str:
    """Plain sitemap: (absolute url, lastmod) pairs."""
    body = "".join(f"<url><loc>{escape(u)}</loc><lastmod>{m}</lastmod></url>\n" for u, m in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n")


def news_sitemap(name: str, articles: list[Article]) -> str:
    body = "".join(f"""<url>
<loc>{escape(a.url)}</loc>
<news:news>
<news:publication><news:name>{escape(name)}</news:name><news:language>{a.language}</news:language></news:publication>
<news:publication_date>{a.published}</news:publication_date>
<news:title>{escape(a.title)}</news:title>
<news:keywords>{escape(", ".join(a.tags))}</news:keywords>
</news:news>
</url>
""" for a in sorted(articles, key=lambda a: a.published, reverse=True))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{body}</urlset>\n")
