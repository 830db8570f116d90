"""Author cards (photo, name, bio; "About the author" boxes) found wherever they sit.

A card is furniture, not article text, whether the template puts it after the body container
or inside it, before or after the last paragraph: its name belongs in `authors` and its bio in
`author_bios`. Cards are recognised three ways, each enough on its own:

1. a family's own card markup (`cards` in settings/sites/*.toml: container, name, bio);
2. markup any CMS uses: a small element whose class/id words say author/bio/byline/contributor,
   or a small block holding an image and a link to an author page;
3. text shape, where markup says nothing: a line that is only an author's name, an
   "About the author" heading, and the bio right after either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from lxml import etree

from archive.extract.metadata import norm
from archive.extract.selectors import select, select_first

# class/id words of author furniture (split on -, _, spaces and camelCase: "authorInfo-bio")
CARD_WORDS = frozenset({"author", "authors", "bio", "bios", "byline", "bylines", "contributor", "contributors",
                        "biography", "writer", "writers"})
# words that, next to a card word, mean something else (a post's author *name* inside a meta line
# is still a byline, but "author-content" style wrappers of whole posts exist on some CMSes)
NOT_CARD_WORDS = frozenset({"content", "body", "text", "article", "post", "entry", "main", "story"})
AUTHOR_LINK = re.compile(r"/(authors?|people|person|staff|contributors?|journalists?|reporters?|by)/", re.I)
MAX_CARD_CHARS = 1500  # a bio box is a few sentences; an element holding more is not a card
MAX_CARD_SHARE = 0.4  # ... nor one holding this share of the body container's text
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_BY = re.compile(r"^\s*(by|written by|reviewed by|от|автор)\s+", re.I)
ABOUT_HEADING = re.compile(r"(?i)^\s*(about the authors?|about the writer|about the contributors?|author bio|"
                           r"об авторе|про автора)\s*:?\s*$")
NAME_MAX = 80
BIO_MIN_WORDS = 6  # "Jane Doe, staff writer" is a name line; a bio says a little more


@dataclass
class Cards:
    authors: list[str] = field(default_factory=list)
    bios: list[str] = field(default_factory=list)
    removed: int = 0

    def add(self, name: str | None, bio: str | None) -> None:
        name = _BY.sub("", norm(name)).strip(" /|,") if name else ""
        if name and len(name) <= NAME_MAX and name not in self.authors:
            self.authors.append(name)
        bio = norm(bio)
        if bio and bio not in self.bios:
            self.bios.append(bio)
        self.removed += 1


def class_words(el: etree._Element) -> set[str]:
    value = f"{el.get('class') or ''} {el.get('id') or ''}"
    return {w.lower() for w in _WORDS.findall(value)}


def _text(el: etree._Element) -> str:
    return norm(" ".join(t for t in el.itertext(tag=etree.Element) if t)) if el is not None else ""


def _runs(el: etree._Element) -> list[str]:
    """The card's text runs (name, bio, role...), without image alt text."""
    from archive.extract.rules import paragraphs  # rules imports this module
    return paragraphs(el)


_NOT_CARD_TAGS = frozenset("a span b strong em i img time html body".split())


def _small(el: etree._Element, limit: int) -> bool:
    text = _text(el)
    return bool(text) and len(text) <= min(MAX_CARD_CHARS, limit)


def _candidates(container: etree._Element, limit: int) -> list[etree._Element]:
    """Cards by class words, and blocks pairing an image with a link to an author page."""
    found = []
    for el in container.iterdescendants():
        if not isinstance(el.tag, str) or el.tag in _NOT_CARD_TAGS or not (el.get("class") or el.get("id")):
            continue
        words = class_words(el)
        if words & CARD_WORDS and not words & NOT_CARD_WORDS and _small(el, limit):
            found.append(el)
    for link in container.iter("a"):
        if not AUTHOR_LINK.search(link.get("href") or ""):
            continue
        for depth, el in enumerate(link.iterancestors()):
            if el is container or depth >= 3:
                break
            if el.find(".//img") is not None:
                if _small(el, limit):
                    found.append(el)
                break
    return found


def _name_and_bio(el: etree._Element, rule: dict | None) -> tuple[str | None, str | None]:
    if rule:
        name_el = select_first(el, rule["name"]) if rule.get("name") else None
        bio_el = select_first(el, rule["bio"]) if rule.get("bio") else None
        name = _text(name_el) if name_el is not None else None
        bio = _text(bio_el) if bio_el is not None else None
        if name or bio:
            return name, bio
    link = next((a for a in el.iter("a") if AUTHOR_LINK.search(a.get("href") or "") and _text(a)), None)
    runs = [r for r in _runs(el) if not ABOUT_HEADING.match(r)]
    link_name = _text(link) if link is not None else None
    prose = [r for r in runs if r != link_name and len(r.split()) >= BIO_MIN_WORDS]
    bio = max(prose, key=len) if prose else None
    if link is not None:
        return link_name, bio
    # no author link: a short line names the person only next to a bio that starts with it
    name = next((r for r in runs if len(r) <= NAME_MAX and bio and _starts_with_a_name(bio, [_BY.sub("", r)])), None)
    return name, bio


def take_cards(containers: Iterable[etree._Element], rules: tuple[dict, ...] = ()) -> Cards:
    """Remove every author card inside the body containers; return what they said."""
    from archive.extract.rules import remove
    found = Cards()
    for container in containers:
        limit = int(MAX_CARD_SHARE * len(_text(container))) or 1
        chosen: list[tuple[etree._Element, dict | None]] = []
        for rule in rules:
            chosen += [(el, rule) for el in select(container, rule["container"]) if el is not container]
        marked = {el for el, _ in chosen}
        for el in _candidates(container, limit):
            if el not in marked:
                chosen.append((el, None))
                marked.add(el)
        taken: set[etree._Element] = set()
        for el, rule in chosen:  # the family's own cards first, one by one
            if el.getparent() is None or any(a in taken for a in el.iterancestors()):
                continue  # inside a card already taken
            if _text(el):
                found.add(*_name_and_bio(el, rule))
            taken.add(el)
            remove(el)
    return found


def split_card_lines(lines: list[str], authors: list[str]) -> tuple[list[str], Cards]:
    """Card text that reached the paragraphs: a line that is only an author's name, or an
    "About the author" heading, goes, and the bio right after it goes to `bios`."""
    found = Cards()
    names = {n.lower() for n in authors}
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        bare = _BY.sub("", line).strip(" /|,").lower()
        is_name = bare in names and len(line) <= NAME_MAX
        if is_name or ABOUT_HEADING.match(line):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            name = line if is_name else None
            bio = nxt if nxt and _starts_with_a_name(nxt, authors if not is_name else [bare]) else None
            if bio is None and not is_name and nxt and len(nxt) <= MAX_CARD_CHARS:
                bio = nxt  # "About the author" is followed by its bio
            found.add(name, bio)
            i += 2 if bio else 1
            continue
        kept.append(line)
        i += 1
    return kept, found


def _starts_with_a_name(line: str, names: Iterable[str]) -> bool:
    head = line.lower()
    for name in names:
        name = name.lower()
        surname = name.split()[-1] if name.split() else name
        if name and (head.startswith(name) or (len(surname) > 2 and head.startswith(surname + " "))):
            return True
    return False


__all__ = ["Cards", "take_cards", "split_card_lines", "class_words", "CARD_WORDS"]
