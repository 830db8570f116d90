from crawler.discovery import looks_like_feed_or_sitemap, parse_feed, parse_sitemap, robots_sitemaps

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://www.example.org/a/story/1.html</loc>
    <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-10-30T08:00:00+00:00</news:publication_date>
      <news:title>River levels fall</news:title></news:news></url>
  <url><loc>/a/story/2.html</loc><lastmod>2026-10-31</lastmod></url>
</urlset>"""


def test_google_news_fields_survive_sitemap_parsing():
    links = parse_sitemap(NEWS_SITEMAP, "https://www.example.org/sitemap-news.xml")
    assert [l.url for l in links] == ["https://www.example.org/a/story/1.html",
                                      "https://www.example.org/a/story/2.html"]
    assert links[0].title == "River levels fall"
    assert links[0].published == "2026-10-30T08:00:00+00:00"
    assert links[1].lastmod == "2026-10-31" and links[1].title is None


def test_sitemap_index_yields_child_sitemaps():
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://x.org/s1.xml</loc></sitemap><sitemap><loc>https://x.org/s2.xml</loc></sitemap>
    </sitemapindex>"""
    links = parse_sitemap(body, "https://x.org/sitemap.xml")
    assert [(l.kind, l.url) for l in links] == [("sitemap", "https://x.org/s1.xml"), ("sitemap", "https://x.org/s2.xml")]


def test_rss_and_atom_items_are_links_with_iso_dates():
    rss = b"""<rss version="2.0"><channel><item><title>One</title><link>https://x.org/1</link>
      <pubDate>Fri, 30 Oct 2026 08:00:00 GMT</pubDate></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Two</title>
      <link rel="alternate" href="https://x.org/2"/><updated>2026-10-30T09:00:00Z</updated></entry></feed>"""
    [one] = parse_feed(rss, "https://x.org/feed")
    assert (one.url, one.title, one.published) == ("https://x.org/1", "One", "2026-10-30T08:00:00+00:00")
    [two] = parse_feed(atom, "https://x.org/atom")
    assert (two.url, two.published) == ("https://x.org/2", "2026-10-30T09:00:00Z")


def test_robots_sitemap_lines_any_case():
    text = "User-agent: *\nDisallow: /private/\nSitemap: https://x.org/sitemap.xml\nsitemap:/news.xml\n"
    assert robots_sitemaps(text, "https://x.org/robots.txt") == ["https://x.org/sitemap.xml", "https://x.org/news.xml"]


def test_garbage_and_hostile_xml_give_no_links():
    assert parse_sitemap(b"", "https://x.org/") == []
    assert parse_sitemap(b"\x00\xff not xml", "https://x.org/") == []
    xxe = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.org/&e;</loc></url></urlset>"""
    assert all("root:" not in l.url for l in parse_sitemap(xxe, "https://x.org/"))
    assert looks_like_feed_or_sitemap(b"<html></html>") is None
