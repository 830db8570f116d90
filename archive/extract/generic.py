"""Unknown sites: trafilatura, told what we want (no comments, known chrome pruned).

Measured on the AEB corpus in benchmarks/bench_clean.py against plain
`trafilatura.extract(html)`; the options below are the ones that did not lose F1 there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura

# Chrome that is never article text, whatever the site (share bars, newsletter boxes, ...).
PRUNE_XPATH = [
    "//*[contains(@class,'skip-link') or contains(@class,'skiplink')]",
    "//*[contains(@class,'newsletter-signup') or contains(@class,'PromoNewsletter')]",
    "//ps-brightspot-persistent-player",
    "//*[contains(@class,'DonationPrompt')]",
]
OPTIONS = dict(include_comments=False, include_tables=True, favor_precision=False, with_metadata=True,
               deduplicate=False)


@dataclass
class GenericResult:
    paragraphs: list[str]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    site: str | None = None
    images: list[dict] = field(default_factory=list)


def extract_generic(html: str, url: str) -> GenericResult:
    """Paragraphs and metadata of an unknown page; empty paragraphs when nothing is found."""
    try:
        doc = trafilatura.bare_extraction(html, url=url or None, prune_xpath=PRUNE_XPATH, **OPTIONS)
    except Exception:  # noqa: BLE001 - trafilatura can trip on odd markup; empty is the answer
        doc = None
    if doc is None:
        return GenericResult(paragraphs=[])
    text = getattr(doc, "text", None) or ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    authors = [a.strip() for a in (getattr(doc, "author", None) or "").split(";") if a.strip()]
    image = getattr(doc, "image", None)
    return GenericResult(paragraphs=paragraphs, title=getattr(doc, "title", None), authors=authors,
                         published=getattr(doc, "date", None), language=getattr(doc, "language", None),
                         site=getattr(doc, "sitename", None),
                         images=[{"src": image, "caption": None, "credit": None}] if image else [])
