"""Applying a family layout to a parsed page: chrome out, images aside, paragraphs in order.

The body container(s) come from the profile; inside them paragraphs are runs of text between
block-level boundaries, read in one streaming pass (no recursion: hostile pages nest deep).
Images are taken, with their captions and credits, before their containers are removed, so a
caption reaches `images` once and the text never.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from archive.extract import cards as _cards
from archive.extract.metadata import norm
from archive.extract.profiles import Layout
from archive.extract.selectors import compiled, select, select_first

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol li blockquote pre table thead tbody tr td th dl dt dd section article "
    "header footer aside figure figcaption main nav hr br address center details summary form fieldset".split())
SKIP_TAGS = frozenset(
    "script style noscript template iframe svg button input select textarea object embed video audio "
    "img picture source canvas map head title meta link".split())


@dataclass
class FamilyResult:
    paragraphs: list[str]
    images: list[dict] = field(default_factory=list)
    removed: int = 0
    cards: _cards.Cards = field(default_factory=_cards.Cards)


def remove(el: etree._Element) -> None:
    """Remove an element but keep its tail text in the flow."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def drop_chrome(tree: etree._Element, selectors: tuple[str, ...], keep: tuple[str, ...] = ()) -> int:
    """Remove every element a drop rule names; count those that carried text. An element
    holding a `keep` (body) container is never chrome: libxml2 re-nests some Brightspot pages
    so that the whole page sits inside `ps-header` (site-families.md, parser caution)."""
    if not selectors:
        return 0
    removed = 0
    kept = body_containers(tree, keep)
    holders = {a for el in kept for a in el.iterancestors()}
    for el in compiled(", ".join(selectors))(tree):
        if el.getparent() is None or el in holders:
            continue
        if norm(el.text_content()):
            removed += 1
        remove(el)
    return removed


def body_containers(tree: etree._Element, selectors: tuple[str, ...]) -> list[etree._Element]:
    """All body containers, in document order, outermost only."""
    if not selectors:
        return []
    found = compiled(", ".join(selectors))(tree)
    chosen = set(found)
    return [el for el in found if not any(a in chosen for a in el.iterancestors())]


def join_next(containers: list[etree._Element], selectors: tuple[str, ...]) -> None:
    """A dateline standing alone belongs to the paragraph after it."""
    for container in containers:
        for css in selectors:
            for el in select(container, css):
                if el.getparent() is not container:
                    continue  # already inside its paragraph
                following = el.getnext()
                while following is not None and following.tag != "p":
                    following = following.getnext()
                if following is None:
                    continue
                following.text = norm(el.text_content()) + " " + (following.text or "").lstrip()
                remove(el)


def _tag(el) -> str | None:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else None


def paragraphs(container: etree._Element) -> list[str]:
    """Text runs between block boundaries; custom elements (ps-promo) count as blocks."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = norm("".join(buf))
        buf.clear()
        if text:
            out.append(text)

    walker = etree.iterwalk(container, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if tag is None:  # comment or processing instruction
            if event == "end" and el is not container and el.tail:
                buf.append(el.tail)
            continue
        block = tag in BLOCK_TAGS or "-" in tag
        if event == "start":
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if block:
                flush()
            if el.text:
                buf.append(el.text)
        else:
            if block:
                flush()
            if el is not container and el.tail:
                buf.append(el.tail)
    flush()
    return out


def _image_src(img, base_url: str) -> str | None:
    for attr in ("src", "data-src", "data-original", "data-srcset", "srcset"):
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            value = value.split(",")[0].split()[0]
            try:
                return urljoin(base_url, value)
            except ValueError:  # a page URL or src that does not parse (broken IPv6 literal)
                return value
    return None


def _caption(fig, css: str | None, strip: tuple[str, ...]) -> str | None:
    if not css:
        return None
    el = select_first(fig, css)
    if el is None:
        return None
    if strip:
        el = copy.deepcopy(el)
        for css_strip in strip:
            for bad in select(el, css_strip):
                remove(bad)
    return norm(el.text_content()) or None


def collect_images(scopes: list[etree._Element], rules: tuple[dict, ...], base_url: str) -> tuple[list[dict], list]:
    """Images with caption and credit, lead first, each once; and their containers."""
    images: list[dict] = []
    containers = []
    seen: set[str] = set()
    for scope in scopes:
        for rule in rules:
            for fig in select(scope, rule["container"]):
                if any(fig is c for c in containers):
                    continue
                containers.append(fig)
                img = select_first(fig, "img")
                src = _image_src(img, base_url) if img is not None else None
                caption = _caption(fig, rule.get("caption"), tuple(rule.get("strip", ())))
                credit_el = select_first(fig, rule["credit"]) if rule.get("credit") else None
                credit = norm(credit_el.text_content()) if credit_el is not None else None
                if not caption and rule.get("alt_is_caption") and img is not None:
                    caption = norm(img.get("alt")) or None
                if caption and credit and caption.endswith(credit):
                    caption = caption[: -len(credit)].rstrip() or None
                key = src or caption
                if not key or key in seen:
                    continue
                seen.add(key)
                images.append({"src": src, "caption": caption, "credit": credit or None})
    return images, containers


# class/id words of what sits between a body's paragraphs without being article text: ad and
# sponsor slots (Brightspot's GoogleDfpAd, "Sponsor Message" boxes), promos, sign-up boxes
INSET_WORDS = frozenset({"ad", "ads", "adslot", "advert", "adverts", "advertisement", "advertising", "dfp",
                         "sponsor", "sponsors", "sponsored", "sponsorship", "underwriting", "promo", "promos",
                         "newsletter", "newsletters", "donate", "donation", "subscribe", "signup"})
MAX_INSET_CHARS = 1500
MAX_INSET_SHARE = 0.4


def drop_insets(containers: list[etree._Element], selectors: tuple[str, ...]) -> int:
    """Remove in-body furniture: the family's `body_drop` selectors (after images are taken,
    so a figure inside an enhancement block still reaches `images`), and any small element
    whose class/id words say ad, sponsor, promo or newsletter."""
    removed = 0
    for container in containers:
        doomed = [el for el in compiled(", ".join(selectors))(container) if el is not container] if selectors else []
        limit = min(MAX_INSET_CHARS, int(MAX_INSET_SHARE * len(norm(container.text_content()))))
        chosen = set(doomed)
        for el in container.iterdescendants():
            if (isinstance(el.tag, str) and el not in chosen and _cards.class_words(el) & INSET_WORDS
                    and len(norm(el.text_content())) <= limit):
                doomed.append(el)
                chosen.add(el)
        for el in doomed:
            if el.getparent() is None:
                continue
            removed += bool(norm(el.text_content()))
            remove(el)
    return removed


def page_type(tree: etree._Element, layout: Layout) -> str | None:
    for rule in layout.page_types:
        if select(tree, rule["selector"]):
            return rule["type"]
    return None


def apply_layout(tree: etree._Element, layout: Layout, base_url: str) -> FamilyResult | None:
    """The article part of a family page, or None when the layout's body is not there."""
    removed = drop_chrome(tree, layout.drop, keep=layout.body)
    containers = body_containers(tree, layout.body)
    if not containers:
        return None
    # cards first: their photos are not the article's images, their text is not its text
    cards = _cards.take_cards(containers, layout.cards)
    scopes = body_containers(tree, layout.image_scope) or containers
    images, figures = collect_images(scopes, layout.images, base_url)
    for fig in figures:
        if fig.getparent() is not None:
            remove(fig)
    removed += drop_insets(containers, layout.body_drop)
    join_next(containers, layout.join_next)
    texts = [p for c in containers for p in paragraphs(c)]
    return FamilyResult(paragraphs=texts, images=images, removed=removed + cards.removed, cards=cards)
