"""Every replica article (tests/replica, both epochs, and the hostile paths that serve an
article) cleans to exactly its ground truth: paragraphs, images, authors, bios, rights, dates;
no boilerplate string leaks; listings and programme pages are not articles."""

from __future__ import annotations

import pytest

from archive.extract import clean

content = pytest.importorskip("tests.replica.content", reason="tests/replica (replica sites) not present")


def _articles():
    seen = {}
    for epoch in (1, 2):
        for article in content.articles(epoch):
            seen[(article.url, tuple(article.paragraphs))] = (epoch, article)
    for article in content.hostile_articles(1):
        seen[(article.url, tuple(article.paragraphs))] = (1, article)
    return list(seen.values())


ARTICLES = _articles()


def _clean(epoch, article):
    status, headers, body = content.page(article.host, article.path, epoch)
    assert status == 200
    return clean(body, article.url)


@pytest.mark.parametrize("epoch,article", ARTICLES, ids=[f"e{e}:{a.path}" for e, a in ARTICLES])
def test_replica_article_cleans_to_its_ground_truth(epoch, article):
    doc = _clean(epoch, article)
    paragraphs = [p for p in doc.paragraphs if p not in article.optional]
    assert paragraphs == article.paragraphs
    assert doc.page_type == article.page_type == "article"
    assert doc.title == article.title
    assert doc.images == article.images
    assert doc.authors == article.authors
    assert doc.author_bios == article.author_bios
    assert doc.rights == article.rights
    assert (doc.published, doc.modified) == (article.published, article.modified)
    assert (doc.language or "")[:2] == article.language
    for boilerplate in article.boilerplate:
        if boilerplate not in article.optional:
            assert boilerplate not in doc.text, boilerplate


@pytest.mark.parametrize("epoch", [1, 2])
def test_replica_listings_and_programmes_are_not_articles(epoch):
    for page in content.non_articles(epoch):
        _, _, body = content.page(page.host, page.path, epoch)
        doc = clean(body, page.url)
        assert (page.url, doc.page_type, doc.text) == (page.url, page.page_type, "")
