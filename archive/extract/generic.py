"""Unknown sites: trafilatura, told what we want (no comments, known chrome pruned).

Measured on the AEB corpus in benchmarks/bench_clean.py against plain
`trafilatura.extract(html)`; the options below are the ones that did not lose F1 there and
cost less time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import trafilatura
from lxml import etree

from archive.extract.rules import remove

# Chrome that is never article text, whatever the site (share bars, newsletter boxes, ...).
# Pruned once here, in one XPath pass (trafilatura's prune_xpath re-runs on every candidate tree).
PRUNE = etree.XPath(
    "//*[contains(@class,'skip-link') or contains(@class,'skiplink') or contains(@class,'newsletter-signup')"
    " or contains(@class,'PromoNewsletter') or contains(@class,'DonationPrompt')] | //ps-brightspot-persistent-player"
    # Code is never text: trafilatura's favor_recall keeps a script that broken markup left
    # inside a paragraph (<p><script>...), so scripts go before it runs.
    " | //script | //style | //noscript | //template")
# Measured on AEB (181 pages, same run, see benchmarks/results/clean.md): fast=True (no
# readability/justext comparison) gave F1 0.965 at ~75 pages/s; the defaults 0.962 at ~54;
# favor_precision 0.966 at ~56; fast+favor_precision 0.948. Plain extract(): 0.953 at ~60.
# favor_recall in fast mode keeps the lists and short blocks fast mode alone drops: WCXB dev
# articles recall 0.935 -> 0.948, precision 0.929 -> 0.930; AEB F1 0.966 -> 0.967; same cost.
OPTIONS = dict(fast=True, include_comments=False, include_tables=True, favor_precision=False, favor_recall=True,
               with_metadata=False, deduplicate=False)
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


# Fast mode trusts trafilatura's first guess at the body container; on some pages that guess
# is a teaser or a side box and most of the article is lost. When the fast result holds less
# than this share of the page's paragraph text, full mode (readability/jusText comparison)
# is run on a fresh tree and kept if it finds more. Measured (benchmarks/results/clean.md):
# on WCXB dev articles ~3% of pages take the second run, recall 0.910 -> 0.935; no AEB page does.
# favor_recall is not used there: in full mode it skips the comparison that rescues those pages.
RECALL_FALLBACK_SHARE = 0.2
FULL_OPTIONS = {**OPTIONS, "fast": False, "favor_recall": False}


def _paragraph_chars(tree: etree._Element) -> int:
    """Characters of text in the page's <p> elements: how much prose the page holds."""
    return sum(len(" ".join("".join(p.itertext()).split())) for p in tree.iter("p"))


def _run(tree: etree._Element, url: str, options: dict) -> list[str]:
    try:
        doc = trafilatura.bare_extraction(tree, url=url or None, **options)
    except Exception:  # noqa: BLE001 - trafilatura can trip on odd markup; empty is the answer
        doc = None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    return [line.strip() for line in text.split("\n") if line.strip()]


def extract_generic(tree: etree._Element, url: str,
                    fresh_tree: Callable[[], etree._Element | None] | None = None) -> GenericResult:
    """Paragraphs of an unknown page (the tree is consumed); empty when nothing is found.
    `fresh_tree` gives an unconsumed copy of the page for the full-mode second run."""
    for el in PRUNE(tree):
        remove(el)
    if _too_many_elements(tree):
        return GenericResult(paragraphs=_plain_paragraphs(tree))
    prose = _paragraph_chars(tree)
    paragraphs = _run(tree, url, OPTIONS)
    if fresh_tree is not None and sum(map(len, paragraphs)) < RECALL_FALLBACK_SHARE * prose:
        second = fresh_tree()
        if second is not None:
            for el in PRUNE(second):
                remove(el)
            found = _run(second, url, FULL_OPTIONS)
            if sum(map(len, found)) > sum(map(len, paragraphs)):
                paragraphs = found
    return GenericResult(paragraphs=paragraphs)


_WORD = re.compile(r"\w+")


def drop_title_line(paragraphs: list[str], titles: list[str]) -> list[str]:
    """The headline is metadata: a first line whose words all belong to one of the page's
    titles (<title> carries the site name too, og:title and h1 may be reworded) goes."""
    if not paragraphs or not titles:
        return paragraphs
    words = [w.lower() for w in _WORD.findall(paragraphs[0])]
    if not words or len(paragraphs[0]) > 300:
        return paragraphs
    for title in titles:
        vocab = {w.lower() for w in _WORD.findall(title or "")}
        if vocab and sum(w in vocab for w in words) >= 0.9 * len(words) and len(words) >= 0.5 * len(vocab):
            return paragraphs[1:]
    return paragraphs
