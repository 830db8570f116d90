"""A replica archive built through the real store path (clean with learned boilerplate, then
`Archive.record_document`), as the crawl pipeline does it, without a crawl: for the story
tests and benchmarks/bench_related.py."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

from archive.extract import LearnedBoilerplate, clean
from archive.store import Archive, Exchange
from archive.urls import url_host
from tests.replica import content
from tests.replica.model import EPOCH_NOW


def store_replica(root: Path, *, reverse: bool = False, epoch: int = 1) -> list:
    """Every replica article of `epoch` archived and cleaned; returns the ground truth."""
    articles = content.articles(epoch)
    order = list(reversed(articles)) if reverse else articles
    learned = LearnedBoilerplate()
    with Archive(root) as archive:
        for number, article in enumerate(order):
            status, headers, body = content.page(article.host, article.path, epoch)
            fetched = EPOCH_NOW[epoch].replace("12:00:00", f"12:{number // 60:02d}:{number % 60:02d}")
            capture = archive.record_exchange(Exchange(
                url=article.url, method="GET", request_headers=[("Accept", "text/html")], status=status,
                response_headers=list(headers.items()), body=body, fetched_at=fetched))
            document = clean(body, article.url, learned=learned)
            learned.observe(url_host(article.url), article.url, document.body_blocks)
            archive.record_document(capture, document.to_dict())
        archive.save_learned_boilerplate(learned)
    return articles


def true_copy_pairs(articles) -> set[frozenset[str]]:
    """URL pairs that are copies of one story: a copy and its origin, two copies of one origin."""
    root = {a.url: a.copy_of or a.url for a in articles}
    return {frozenset(pair) for pair in combinations(sorted(root), 2) if root[pair[0]] == root[pair[1]]}


def found_copy_pairs(index, articles) -> set[frozenset[str]]:
    """URL pairs the index put in one story group."""
    cluster = {}
    for article in articles:
        document = index.document(article.url.replace("http://", "http://"))
        cluster[article.url] = index.story(document.id)["cluster_id"]
    return {frozenset(pair) for pair in combinations(sorted(cluster), 2) if cluster[pair[0]] == cluster[pair[1]]}
