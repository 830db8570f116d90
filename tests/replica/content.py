"""The replica's single source of truth: which pages exist at each epoch, their bytes, and what
a clean copy of each article holds. Pure and deterministic; needs no server.

    articles(epoch)        -> list[Article]     (ground truth, in sitemap order)
    non_articles(epoch)    -> list[NonArticle]  (listings, programme pages)
    page(host, path, epoch) -> (status, headers, body_bytes)
    changes(epoch=2)       -> {"new": [...], "edited": [...], "removed": [...]} (article URLs)
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from . import (discovery, hostile, npr, pangea, prose_npr, prose_pangea, prose_services, prose_stations, stations,
               syndication)
from .model import (EPOCH_NOW, KRPL, NPR, NPR_RIGHTS, RFERL, ROBOTS_DATE, SERVICE_HOSTS, SITES, STATION_HOSTS, WRPL,
                    Article, NonArticle, esc, http_date, iso)

__all__ = ["SITES", "Article", "NonArticle", "articles", "non_articles", "page", "changes", "hostile_articles",
           "HOSTILE_PATHS", "DISALLOWED_PATHS", "HOSTILE_HOST", "EPOCH_NOW"]

HOSTILE_PATHS = hostile.HOSTILE_PATHS
HOSTILE_HOST = RFERL
PRIVATE_PATH = "/private/newsroom-schedule"
DISALLOWED_PATHS = (PRIVATE_PATH,)  # on every host; robots.txt disallows /private/
EDIT_TIME = "2026-11-06T15:30:00Z"
SECTION = {RFERL: "/z/news", NPR: "/sections/news/", KRPL: "/news", WRPL: "/news",
           **{host: "/z/news" for host in SERVICE_HOSTS}}
PROGRAMME = {RFERL: "/z/20771", NPR: "/programs/all-things-considered/", KRPL: "/show/morning-report",
             WRPL: "/show/morning-report", **{host: "/z/20771" for host in SERVICE_HOSTS}}
CONTRIBUTORS = {"n01": "NPR's Jonah Feldstein contributed to this report.",
                "n08": "NPR's Caleb Whitcombe contributed to this report."}


def _host(family: str, story: dict) -> str:
    return story.get("service") or {"pangea": RFERL, "npr": NPR}.get(family) or STATION_HOSTS[story["host"]]


def _path(family: str, story: dict) -> str:
    day = story["date"][:10]
    if family == "pangea":
        return f"/a/{story['slug']}/{story['id']}.html"
    if family == "npr":
        return f"/{day.replace('-', '/')}/{story['id']}/{story['slug']}"
    return f"/{'npr-news' if story.get('wire') else 'news'}/{day}/{story['slug']}"


def _stories() -> list[tuple[str, dict]]:
    return ([("pangea", s) for s in prose_pangea.STORIES] + [("pangea", prose_pangea.RUSSIAN)]
            + [("npr", s) for s in prose_npr.STORIES] + [("stations", s) for s in prose_stations.STORIES]
            + [("pangea", s) for s in _service_stories()]
            + [("pangea", s) for s in syndication.PANGEA_STORIES] + [("npr", s) for s in syndication.NPR_STORIES]
            + [("stations", s) for s in _station_copies()])


@lru_cache(maxsize=None)
def _service_stories() -> tuple[dict, ...]:
    """The language services' stories, each told which host serves it and in what language."""
    return tuple({**story, "service": host, "language": svc["language"]}
                 for host, svc in prose_services.SERVICES.items() for story in svc["stories"])


@lru_cache(maxsize=1)
def _station_copies() -> tuple[dict, ...]:
    return tuple(syndication.station_copies())


def _live(story: dict, epoch: int) -> bool:
    return story.get("since", 1) <= epoch and (story.get("removed") is None or epoch < story["removed"])


def _body(story: dict, epoch: int) -> list[str]:
    body = list(story.get("paragraphs") or [story["teaser"]])
    edit = story.get("edit")
    if edit and epoch >= 2:
        if "append" in edit:
            body.append(edit["append"])
        else:
            body[edit["replace"]] = edit["text"]
    return body


def _related(family: str, story: dict) -> list[tuple[str, str]]:
    """Sidebar links: stories live at every epoch, so unchanged pages stay byte-identical."""
    host = _host(family, story)
    stable = [(s["title"], _path(f, s)) for f, s in _stories()
              if _host(f, s) == host and s is not story and all(_live(s, e) for e in EPOCH_NOW)
              and s.get("language", "en") == story.get("language", "en")]
    if not stable:
        return [(s["title"], _path(f, s)) for f, s in _stories() if f == "pangea" and s is not story][:6]
    start = sum(map(ord, story["key"])) % len(stable)
    return (stable[start:] + stable[:start])[:6]


def _images(family: str, host: str, story: dict) -> list[dict]:
    base = f"http://{host}/img/{story['slug']}"
    if family == "pangea":
        imgs = [{"src": f"{base}_w800.jpg", "caption": story["image"], "credit": None}]
        if story.get("embed"):
            imgs.append({"src": f"{base}-2_w800.jpg", "caption": story["embed"], "credit": None})
        return imgs
    imgs = [{"src": f"{base}-s1100.jpg", "caption": story["image"][0], "credit": story["image"][1]}]
    extra = prose_stations.INLINE_FIGURES.get(story["key"]) if family == "stations" else None
    if extra:
        imgs.append({"src": f"{base}-2-s1100.jpg", "caption": extra[0], "credit": extra[1]})
    return imgs


@lru_cache(maxsize=None)
def _build(key: str, epoch: int, path_override: str | None = None) -> tuple[Article, bytes]:
    family, story = next((f, s) for f, s in _stories() + [("pangea", prose_pangea.CP1251)] if s["key"] == key)
    host = _host(family, story)
    path = path_override or _path(family, story)
    body = _body(story, epoch)
    published = iso(story["date"])
    edited = bool(story.get("edit")) and epoch >= 2
    authors = list(story["authors"])
    # npr.org pages carry no bio, except the stories whose template puts an author card in the body
    npr_bios = prose_npr.AUTHORS if key in npr.CARD_IN_BODY else {}
    bios_source = {"pangea": prose_pangea.AUTHORS, "npr": npr_bios, "stations": prose_stations.AUTHORS}[family]
    if host in prose_services.SERVICES:
        bios_source = prose_services.SERVICES[host]["authors"]
    if family == "pangea" and not authors:
        bios = [pangea.PROMO]
    else:
        bios = [bios_source[n] for n in authors if n in bios_source]
    if family == "pangea" and story.get("dateline"):
        paragraphs = [f"{story['dateline']} {body[0]}"] + body[1:]
    elif family == "npr" and story.get("transcript"):
        paragraphs = [story["teaser"], *story["transcript"]]
    else:
        paragraphs = list(body)
    wire = family == "stations" and story.get("wire")
    article = Article(
        host=host, path=path, url=f"http://{host}{path}", title=story["title"], paragraphs=paragraphs,
        images=_images(family, host, story), authors=authors, author_bios=bios,
        rights=NPR_RIGHTS if wire else None, published=published, modified=EDIT_TIME if edited else published,
        language=story.get("language", "en"), family=family,
        section=story.get("section") or ("NPR News" if wire else "Local News"),
        tags=list(story["tags"]), description=story.get("teaser") or body[0],
        optional=[CONTRIBUTORS[key]] if key in CONTRIBUTORS else [], copy_of=story.get("origin_url"))
    related = _related(family, story)
    if family == "pangea":
        html = pangea.article_html(article, story, body, related)
        if path_override == "/x/huge":
            html = html.replace("</body></html>", hostile.huge_padding(hostile.HUGE_BYTES) + "</body></html>")
        boiler = pangea.boilerplate(article, story)
    elif family == "npr":
        html = npr.article_html(article, story, body, related, CONTRIBUTORS.get(key, ""))
        boiler = npr.boilerplate(article, story)
    else:
        name = SITES[host][1]
        html = stations.article_html(article, story, body, name, related)
        boiler = stations.boilerplate(article, name, story)
    object.__setattr__(article, "boilerplate", boiler)
    if path_override == "/x/cp1251":  # Russian-service style: the charset is only in the Content-Type header
        return article, html.replace('<meta charset="utf-8">\n', "").encode("windows-1251", "xmlcharrefreplace")
    return article, html.encode()


def _current(epoch: int) -> list[tuple[str, dict]]:
    return [(f, s) for f, s in _stories() if _live(s, epoch)]


def articles(epoch: int = 1) -> list[Article]:
    _check(epoch)
    return [_build(s["key"], epoch)[0] for _, s in _current(epoch)]


def hostile_articles(epoch: int = 1) -> list[Article]:
    """Ground truth for the /x/ paths that (eventually) serve an article page."""
    return [_build(key, epoch, path)[0] for path, key in hostile.ARTICLE_PATHS.items()]


def non_articles(epoch: int = 1) -> list[NonArticle]:
    _check(epoch)
    out = []
    for host, (_, name) in SITES.items():
        out.append(NonArticle(host, SECTION[host], f"http://{host}{SECTION[host]}", f"{name}: News", "listing"))
        out.append(NonArticle(host, PROGRAMME[host], f"http://{host}{PROGRAMME[host]}", _programme_title(host),
                              "programme"))
    return out


def changes(epoch: int = 2) -> dict[str, list[str]]:
    _check(epoch)
    before = {a.url: a for a in articles(epoch - 1)} if epoch > 1 else {}
    after = {a.url: a for a in articles(epoch)}
    return {"new": sorted(set(after) - set(before)),
            "edited": sorted(u for u in set(after) & set(before) if after[u].paragraphs != before[u].paragraphs),
            "removed": sorted(set(before) - set(after))}


def _check(epoch: int) -> None:
    if epoch not in EPOCH_NOW:
        raise ValueError(f"unknown epoch {epoch}; the replica has {sorted(EPOCH_NOW)}")


def _programme_title(host: str) -> str:
    if host in prose_services.SERVICES:
        return prose_services.SERVICES[host]["strings"]["programme"]
    return {RFERL: "The Week In Review (Podcast)", NPR: "All Things Considered"}.get(host, "Morning Report")


def _episodes(host: str) -> list[tuple[str, str]]:
    return [(f"{_programme_title(host)}: October {d}, 2026", f"October {d}, 2026") for d in (24, 25, 28, 29, 30)]


def _response(status: int, ctype: str, body: bytes, modified: str, extra: dict | None = None) -> tuple[int, dict, bytes]:
    headers = {"Content-Type": ctype, "Last-Modified": http_date(modified),
               "ETag": '"' + hashlib.sha1(body).hexdigest()[:20] + '"'}
    headers.update(extra or {})
    return status, headers, body


HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


def _not_found(host: str) -> tuple[int, dict, bytes]:
    name = SITES[host][1]
    body = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page not found | {esc(name)}</title>'
            f'</head><body class="error-page"><h1>Page not found</h1><p>The page you requested is not on {esc(name)}.</p>'
            f'<p><a href="{SECTION[host]}">Latest news</a></p></body></html>').encode()
    return _response(404, HTML, body, ROBOTS_DATE)


def _host_articles(host: str, epoch: int) -> list[Article]:
    return [a for a in articles(epoch) if a.host == host]


def _listing(host: str, epoch: int) -> bytes:
    now, name = EPOCH_NOW[epoch], SITES[host][1]
    items = sorted(_host_articles(host, epoch), key=lambda a: a.published, reverse=True)
    url = f"http://{host}{SECTION[host]}"
    extra = [(_programme_title(host), PROGRAMME[host]), ("Newsroom schedule (staff only)", PRIVATE_PATH)]
    family = SITES[host][0]
    if family == "pangea":
        text = pangea.listing_html(f"{name}: News", url, items, extra, host)
    elif family == "npr":
        text = npr.listing_html("News", url, items, extra)
    else:
        text = stations.listing_html(name, f"{name}: News", url, items, extra)
    del now
    return text.encode()


def _programme(host: str) -> bytes:
    url, title, family = f"http://{host}{PROGRAMME[host]}", _programme_title(host), SITES[host][0]
    if family == "pangea":
        return pangea.programme_html(title, url, _episodes(host), host).encode()
    if family == "npr":
        return npr.programme_html(title, url, _episodes(host)).encode()
    return stations.programme_html(SITES[host][1], title, url, _episodes(host)).encode()


def _private(host: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>Newsroom schedule</title></head><body><h1>Newsroom schedule</h1>"
            f"<p>Internal page on {host}. A polite crawler never requests it.</p></body></html>").encode()


def page(host: str, path: str, epoch: int = 1) -> tuple[int, dict, bytes]:
    """Status, headers and body bytes for one request (path without query string)."""
    status, headers, body = _page(host, path, epoch)
    return status, dict(headers), body


@lru_cache(maxsize=512)
def _page(host: str, path: str, epoch: int) -> tuple[int, dict, bytes]:
    _check(epoch)
    host = host.lower().split(":")[0]
    if host not in SITES:
        body = f"replica: unknown host {host!r}; this proxy serves only {', '.join(SITES)}\n".encode()
        return 502, {"Content-Type": "text/plain; charset=utf-8"}, body
    now, name = EPOCH_NOW[epoch], SITES[host][1]
    if path == discovery.ROBOTS_PATH:
        return _response(200, "text/plain; charset=utf-8", discovery.robots(host).encode(), ROBOTS_DATE)
    if path == discovery.FEED_PATH:
        current = _host_articles(host, epoch)
        text = discovery.rss(host, name, f"http://{host}{SECTION[host]}", current, now)
        return _response(200, "application/rss+xml; charset=utf-8", text.encode(), now)
    if path == discovery.SITEMAP_INDEX:
        return _response(200, XML, discovery.sitemap_index(host, now).encode(), now)
    if path == discovery.SITEMAP_ARTICLES:
        entries = [(a.url, a.modified) for a in _host_articles(host, epoch)]
        entries += [(f"http://{host}{SECTION[host]}", now), (f"http://{host}{PRIVATE_PATH}", ROBOTS_DATE)]
        return _response(200, XML, discovery.urlset(entries).encode(), now)
    if path == discovery.SITEMAP_NEWS:
        return _response(200, XML, discovery.news_sitemap(name, _host_articles(host, epoch)).encode(), now)
    if path == discovery.SITEMAP_MISC and host == RFERL:
        entries = [(f"http://{host}{p}", ROBOTS_DATE) for p in HOSTILE_PATHS]
        return _response(200, XML, discovery.urlset(entries).encode(), now)
    if path in (SECTION[host], "/"):
        return _response(200, HTML, _listing(host, epoch), now)
    if path == PROGRAMME[host]:
        return _response(200, HTML, _programme(host), ROBOTS_DATE)
    if path == PRIVATE_PATH:
        return _response(200, HTML, _private(host), ROBOTS_DATE)
    if host == RFERL and path.startswith("/x/"):
        return _hostile(path, epoch)
    for a in _host_articles(host, epoch):
        if a.path == path:
            return _response(200, HTML, _build(_key_for(a), epoch)[1], a.modified)
    return _not_found(host)


def _key_for(article: Article) -> str:
    return next(s["key"] for f, s in _stories() if _host(f, s) == article.host and _path(f, s) == article.path)


def _hostile(path: str, epoch: int) -> tuple[int, dict, bytes]:
    target = _build(hostile.REDIRECT_TARGET_KEY, epoch)[0].url
    simple = hostile.simple(path, target)
    if simple is not None:
        status, headers, body = simple
        return _response(status, headers.pop("Content-Type"), body, ROBOTS_DATE, headers)
    key = hostile.ARTICLE_PATHS.get(path)
    if key is None:
        return _not_found(RFERL)
    article, body = _build(key, epoch, path)
    ctype = "text/html; charset=windows-1251" if path == "/x/cp1251" else HTML
    return _response(200, ctype, body, article.modified)
