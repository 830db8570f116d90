"""Bulk mode: many generated Pangea-style articles on rferl.replica.test, for scale tests.

`ReplicaServer(epoch, bulk=N)` serves N extra articles at `/a/bulk-<n>/<id>.html`, listed in
`/sitemap-bulk.xml`, which the rferl sitemap index then names. With `bulk=0` (the default)
nothing here is reachable and the replica is byte-identical to what it was without it.

Every paragraph is assembled from the small phrase tables below (original wording written
for the replica), so pages differ from one another without any stored prose.
"""

from __future__ import annotations

from functools import lru_cache

from . import discovery, pangea
from .model import EPOCH_NOW, RFERL, Article

SITEMAP = "/sitemap-bulk.xml"
PREFIX = "/a/bulk-"
FIRST_ID = 40_000_000

PLACES = ("Riverton", "Eastmoor", "Kalder", "Novy Brod", "Sarnik", "Port Alwen", "Tesh", "Gorva", "Lindau Flats",
          "Ostrel", "Marrow Bay", "Vell")
SUBJECTS = ("the district council", "a cooperative of bus drivers", "the regional water board", "two rival schools",
            "a group of beekeepers", "the ferry operator", "night-shift nurses", "the city archive")
ACTIONS = ("voted to delay", "asked for an audit of", "published new figures on", "began a trial of",
           "raised objections to", "finished the first phase of")
OBJECTS = ("a footbridge repair", "winter heating subsidies", "a library extension", "the new tram timetable",
           "flood warning sirens", "a landfill closure plan", "rural broadband", "market stall rents")
DETAILS = ("Officials said the cost had risen by {n} percent since spring.",
           "About {n} residents attended the first public meeting on the subject.",
           "A final decision is expected within {n} days, according to a spokeswoman.",
           "Opponents collected {n} signatures in a single weekend.",
           "The work is due to employ {n} people until the end of next year.")


def count_ok(n: int) -> int:
    if not 0 <= n <= 1_000_000:
        raise ValueError(f"bulk must be between 0 and 1,000,000 articles, not {n}")
    return n


def _pick(table: tuple, n: int, salt: int) -> str:
    return table[(n * 7 + salt * 13 + n // len(table)) % len(table)]


def path(n: int) -> str:
    return f"{PREFIX}{n:06d}/{FIRST_ID + n}.html"


def _number(path_: str) -> int | None:
    if not path_.startswith(PREFIX):
        return None
    head, _, tail = path_[len(PREFIX):].partition("/")
    if not (head.isdigit() and tail == f"{FIRST_ID + int(head)}.html"):
        return None
    return int(head)


def _story(n: int) -> tuple[dict, list[str]]:
    place = _pick(PLACES, n, 1)
    subject, action, obj = _pick(SUBJECTS, n, 2), _pick(ACTIONS, n, 3), _pick(OBJECTS, n, 4)
    body = [f"In {place}, {subject} {action} {obj} on Tuesday, item {n} in this replica's bulk series.",
            _pick(DETAILS, n, 5).format(n=(n % 90) + 3),
            f"Local reporters in {place} said the matter of {obj} had come up at {n % 17 + 2} meetings this year.",
            _pick(DETAILS, n, 6).format(n=(n * 3) % 400 + 11)]
    day = 1 + n % 28
    story = {"key": f"bulk{n}", "id": FIRST_ID + n, "slug": f"bulk-{n:06d}", "date": f"2026-10-{day:02d}T08:00",
             "section": "Regions", "authors": [], "tags": ["Bulk"],
             "title": f"{place}: {subject.capitalize()} {action} {obj} (no. {n})"}
    return story, body


@lru_cache(maxsize=64)
def article(n: int, epoch: int = 1) -> tuple[Article, bytes]:
    """Ground truth and page bytes of bulk article `n` (0-based)."""
    story, body = _story(n)
    url = f"http://{RFERL}{path(n)}"
    published = f"{story['date']}:00Z"
    image = {"src": f"{pangea.IMG}/bulk_w800.jpg", "caption": "A view of the town square in the early morning.",
             "credit": None}
    a = Article(host=RFERL, path=path(n), url=url, title=story["title"], paragraphs=body, images=[image], authors=[],
                author_bios=[pangea.PROMO], rights=None, published=published, modified=published, language="en",
                family="pangea", section=story["section"], tags=story["tags"], description=body[0])
    related = [(_story(m)[0]["title"], path(m)) for m in (n + 1, n + 2, n + 3)]
    return a, pangea.article_html(a, story, body, related).encode()


def page(path_: str, epoch: int, bulk: int) -> tuple[int, dict, bytes] | None:
    """The bulk response for `path_` on rferl, or None when bulk mode has nothing to say."""
    if not bulk:
        return None
    if path_ == discovery.SITEMAP_INDEX:
        maps = [discovery.SITEMAP_ARTICLES, discovery.SITEMAP_NEWS, discovery.SITEMAP_MISC, SITEMAP]
        now = EPOCH_NOW[epoch]
        entries = "".join(f"<sitemap><loc>http://{RFERL}{m}</loc><lastmod>{now}</lastmod></sitemap>\n" for m in maps)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n').encode()
        return 200, {"Content-Type": "application/xml; charset=utf-8"}, body
    if path_ == SITEMAP:
        body = discovery.urlset([(f"http://{RFERL}{path(n)}", "2026-10-30T00:00:00Z") for n in range(bulk)])
        return 200, {"Content-Type": "application/xml; charset=utf-8"}, body.encode()
    n = _number(path_)
    if n is None or n >= bulk:
        return None
    return 200, {"Content-Type": "text/html; charset=utf-8"}, article(n, epoch)[1]
