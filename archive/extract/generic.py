"""Unknown sites: trafilatura, told what we want (no comments, known chrome pruned).

Measured on the AEB corpus in benchmarks/bench_clean.py against plain
`trafilatura.extract(html)`; the options below are the ones that did not lose F1 there and
cost less time.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from lxml import etree

from archive.extract.rules import remove

# Chrome that is never article text, whatever the site (share bars, newsletter boxes, ...).
# Pruned once here, in one XPath pass (trafilatura's prune_xpath re-runs on every candidate tree).
PRUNE = etree.XPath(
    "//*[contains(@class,'skip-link') or contains(@class,'skiplink') or contains(@class,'newsletter-signup')"
    " or contains(@class,'PromoNewsletter') or contains(@class,'DonationPrompt')] | //ps-brightspot-persistent-player")
# Measured on AEB (181 pages, same run, see benchmarks/results/clean.md): fast=True (no
# readability/justext comparison) gave F1 0.965 at ~75 pages/s; the defaults 0.962 at ~54;
# favor_precision 0.966 at ~56; fast+favor_precision 0.948. Plain extract(): 0.953 at ~60.
OPTIONS = dict(fast=True, include_comments=False, include_tables=True, favor_precision=False, with_metadata=False,
               deduplicate=False)
# Metadata from markup, cheapest reliable source first (trafilatura's with_metadata runs
# htmldate's date search, which costs as much as the extraction itself).
META = {
    "title": ("jsonld:headline", "meta:og:title", "meta:twitter:title", "css:h1", "title"),
    "authors": ("jsonld:author", "meta:author", "meta:article:author", "meta:byl"),
    "published": ("jsonld:datePublished", "meta:article:published_time", "meta:date", "meta:pubdate",
                  "css:time[datetime]@datetime"),
    "modified": ("jsonld:dateModified", "meta:article:modified_time"),
    "language": ("css:html@lang", "jsonld:inLanguage", "meta:og:locale"),
    "site": ("meta:og:site_name", "jsonld:publisher.name"),
    "section": ("meta:article:section", "jsonld:articleSection"),
    "canonical": ("css:link[rel=canonical]@href",),
    "source_url": ("jsonld:isBasedOn.@id", "jsonld:isBasedOn", "jsonld:mainEntityOfPage.@id", "jsonld:mainEntityOfPage"),
}


@dataclass
class GenericResult:
    paragraphs: list[str]


# trafilatura's main loop grows with the square of the number of elements (a hostile page of
# 100,000 paragraphs took ~24 s); past this many elements the page is read linearly instead.
MAX_ELEMENTS = 30_000


def _too_many_elements(tree: etree._Element) -> bool:
    return any(n >= MAX_ELEMENTS for n, _ in enumerate(tree.iter()))


def _plain_paragraphs(tree: etree._Element) -> list[str]:
    """Every <p>'s text, scripts and styles left out: linear time, for oversized pages."""
    etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    return [text for text in (" ".join("".join(p.itertext()).split()) for p in tree.iter("p")) if text]


def extract_generic(tree: etree._Element, url: str) -> GenericResult:
    """Paragraphs of an unknown page (the tree is consumed); empty when nothing is found."""
    for el in PRUNE(tree):
        remove(el)
    if _too_many_elements(tree):
        return GenericResult(paragraphs=_plain_paragraphs(tree))
    try:
        doc = trafilatura.bare_extraction(tree, url=url or None, **OPTIONS)
    except Exception:  # noqa: BLE001 - trafilatura can trip on odd markup; empty is the answer
        doc = None
    if doc is None:
        return GenericResult(paragraphs=[])
    text = getattr(doc, "text", None) or ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    return GenericResult(paragraphs=paragraphs)
