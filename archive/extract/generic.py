"""Unknown sites: trafilatura, told what we want (no comments, known chrome pruned).

Measured on the AEB corpus in benchmarks/bench_clean.py against plain
`trafilatura.extract(html)`; the options below are the ones that did not lose F1 there and
cost less time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import etree

from archive.extract.rules import remove

_WORD = re.compile(r"\w+")

# Chrome that is never article text, whatever the site (share bars, newsletter boxes, ...).
# Pruned once here (trafilatura's prune_xpath re-runs on every candidate tree).
# The class test runs on the attribute axis (half the time of testing every element's @class).
_PRUNE_BOXES = etree.XPath(
    "//@class[contains(.,'skip-link') or contains(.,'skiplink') or contains(.,'newsletter-signup')"
    " or contains(.,'PromoNewsletter') or contains(.,'DonationPrompt')]/..")
# Code is never text: trafilatura's favor_recall keeps a script that broken markup left
# inside a paragraph (<p><script>...), so scripts go before it runs. (By tag: iter() walks the
# tree inside libxml2, an XPath of //tag unions costs more.)
_PRUNE_TAGS = ("ps-brightspot-persistent-player", "script", "style", "noscript", "template")


def prune(tree: etree._Element) -> None:
    """Take out the chrome named above (tails stay in the flow)."""
    for el in _PRUNE_BOXES(tree):
        remove(el)
    for el in list(tree.iter(*_PRUNE_TAGS)):
        remove(el)


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
    return _COUNT_ELEMENTS(tree) >= MAX_ELEMENTS  # counted inside libxml2: no Python object per element


_COUNT_ELEMENTS = etree.XPath("count(//*)")


def _flat_text(el: etree._Element) -> str:
    """An element's text with its whitespace runs as single spaces (how lines are compared)."""
    # serialised as text inside libxml2: a fifth cheaper than joining itertext()
    return " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())


def _plain_paragraphs(tree: etree._Element) -> list[str]:
    """Every <p>'s text, scripts and styles left out: linear time, for oversized pages."""
    etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    return [text for text in map(_flat_text, tree.iter("p")) if text]


# Fast mode trusts trafilatura's first guess at the body container; on some pages that guess
# is a teaser or a side box and most of the article is lost. When the fast result holds less
# than this share of the page's paragraph text, full mode (readability/jusText comparison)
# is run too and kept if it finds more. Measured (benchmarks/results/clean.md): on WCXB dev
# articles ~3% of pages take the second run, recall 0.910 -> 0.935; no AEB page does.
# favor_recall is not used there: in full mode it skips the comparison that rescues those pages.
RECALL_FALLBACK_SHARE = 0.2
FULL_OPTIONS = {**OPTIONS, "fast": False, "favor_recall": False}
# Article text outside <p>s (<div>s, <br> runs) escapes the check above: when the fast result
# holds under 10% of the page's whole text, full mode runs too, and is kept when it finds four
# times as much and holds at least half of the fast result's 4-grams (it grew the same body
# rather than jumping to another box). Measured: WCXB F1 0.9450 -> 0.9464 (3 pages change;
# a growth factor of 2 or 3 also took a page where full mode jumps to a promo box); AEB
# unchanged. At 15% one more WCXB page gained (F1 +0.0005), but 9 AEB pages took a full run
# that was never kept (AEB ~15% slower).
TEXT_FALLBACK_SHARE = 0.1
TEXT_FALLBACK_GROWTH = 4.0
TEXT_FALLBACK_HOLDS = 0.5


def _text_size(tree: etree._Element) -> int:
    return int(_TEXT_SIZE(tree))


_TEXT_SIZE = etree.XPath("string-length(normalize-space(/html/body))")  # in libxml2: no Python string per node


def _holds(found: list[str], paragraphs: list[str]) -> bool:
    """Whether `found` keeps most of what `paragraphs` held (grew the same container, did not jump)."""
    grams = _grams("\n".join(paragraphs))
    have = set(_grams("\n".join(found)))
    return sum(g in have for g in grams) >= TEXT_FALLBACK_HOLDS * len(grams)


def _run(tree: etree._Element, url: str, options: dict) -> list[str]:
    """trafilatura's lines for the page; it works on its own copy, `tree` is left as it was."""
    try:
        doc = trafilatura.bare_extraction(tree, url=url or None, **options)
    except Exception:  # noqa: BLE001 - trafilatura can trip on odd markup; empty is the answer
        doc = None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    return [line.strip() for line in text.split("\n") if line.strip()]


_TEXTLESS_TAGS = ("svg", "iframe", "picture", "video", "audio", "canvas", "embed", "object", "source", "link", "meta",
                  "input")


def extract_generic(tree: etree._Element, url: str) -> GenericResult:
    """Paragraphs of an unknown page (chrome, <head> and text-free embeds are pruned from `tree`);
    empty when nothing is found.
    The full-mode second run reuses `tree`: trafilatura works on a copy of it."""
    prune(tree)
    if _too_many_elements(tree):
        return GenericResult(paragraphs=_plain_paragraphs(tree))
    # The metadata is read by now; trafilatura deletes <head> as well, but only after running its
    # prune XPaths over it (~8% of its fast-mode time on WCXB; same text on every page without it).
    for head in tree.findall("head"):
        remove(head)
    # Likewise the embeds and icons that hold no text (svg, iframe, picture, video, ...): trafilatura
    # deletes them when it cleans the tree, after its prune XPaths have visited every element in
    # them (~4% of its time on WCXB, 8% on AEB; the same text on every page either way).
    for el in list(tree.iter(*_TEXTLESS_TAGS)):
        if not _flat_text(el):
            remove(el)
    ps = list(tree.iter("p"))
    texts = [_flat_text(p) for p in ps]
    prose = sum(map(len, texts))
    paragraphs = _run(tree, url, OPTIONS)
    size = sum(map(len, paragraphs))
    if size < RECALL_FALLBACK_SHARE * prose:
        found = _run(tree, url, FULL_OPTIONS)
        if sum(map(len, found)) > size:
            paragraphs = found
    elif size < TEXT_FALLBACK_SHARE * _text_size(tree):
        found = _run(tree, url, FULL_OPTIONS)
        if sum(map(len, found)) >= TEXT_FALLBACK_GROWTH * size and _holds(found, paragraphs):
            paragraphs = found
    return GenericResult(paragraphs=drop_meta_lines(drop_box_lines(tree, recover_paragraphs(ps, texts, paragraphs))))


# Precision: before the first paragraph, short lines that state when or by whom ("Dec 18, 2025 ·
# 10 min read", "By Ann Lee | May 2, 2025", "Updated 2025-12-18") are the byline and dates, which are
# metadata, not text. Measured: WCXB F1 0.9477 -> 0.9478 (P 0.9420 -> 0.9422; 44 pages, recall
# down on 5 whose ground truth keeps the dateline), AEB 0.9716 -> 0.9717 (5 pages, none worse).
META_LINE_MAX_CHARS = 80
META_LINE_MAX_WORDS = 6  # words left once the date is taken out (a name, "min read")
LEAD_MIN_CHARS = 100  # the first line this long is the article's first paragraph
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_META_LINE = re.compile(rf"(?i)\b{_MONTH} \d{{1,2}},? \d{{4}}\b|\b\d{{1,2}} {_MONTH},? \d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
                        r"|\b\d+ min(?:ute)?s? read\b|^(?:by|updated|published|posted)\b")


def drop_meta_lines(paragraphs: list[str]) -> list[str]:
    """`paragraphs` without the byline and date lines before the first paragraph."""
    out = []
    for n, line in enumerate(paragraphs):
        if len(line) >= LEAD_MIN_CHARS:
            return out + paragraphs[n:]
        found = _META_LINE.search(line) if len(line) <= META_LINE_MAX_CHARS else None
        if found is None or len(_WORD.findall(_META_LINE.sub(" ", line))) > META_LINE_MAX_WORDS:
            out.append(line)
    return out


# Precision: trafilatura keeps lines from boxes that name themselves as what surrounds an article
# (a footer, a disclaimer or disclosure, a call to action, breadcrumbs, a banner, a modal or popup,
# a feedback prompt, a republication notice, a cookie notice, an author box). A kept line that is
# the text of such a box, or of a block in it, goes, when the box holds under 30% of the kept text
# (a box so named that holds the article is misnamed). Measured: WCXB F1 0.9469 -> 0.9481 (precision
# 0.9401 -> 0.9426), AEB 0.9715 -> 0.9716; ~2 ms a page (block-level boxes only: span or li boxes changed no score).
# Lines the page reads outside such a box too do not count as the box's: a republication modal
# repeating the article is not its wrapper, and only its own lines go (WCXB F1 0.95040 -> 0.95043,
# one page better, none worse; AEB unchanged).
BOX_NAME = re.compile(r"footer|\bcta\b|disclaimer|disclosure|breadcrumb|banner|modal|popup|feedback|republication"
                      r"|cookie|consent|author|\bbio\b", re.I)
BOX_MAX_SHARE = 0.3
_BOX_TAGS = ("div", "section", "aside", "footer", "header", "p", "ul", "ol", "figure", "form", "table")
# The same words without word boundaries, on the lower-cased name: a sixth of the regex's cost,
# and most names fail it (the full regex then decides).
_BOX_PREFILTER = re.compile("footer|cta|disclaimer|disclosure|breadcrumb|banner|modal|popup|feedback|republication"
                            "|cookie|consent|author|bio")


def drop_box_lines(tree: etree._Element, paragraphs: list[str]) -> list[str]:
    """`paragraphs` without the lines of small boxes named as chrome (BOX_NAME, BOX_MAX_SHARE)."""
    if not paragraphs:
        return paragraphs
    lines = [" ".join(line.split()) for line in paragraphs]
    lines = [line[2:] if line.startswith("- ") else line for line in lines]
    total = sum(map(len, lines))
    wanted = set(lines)
    drop: set[str] = set()
    done = None  # the last box judged whole (nothing in it needs a look)
    named: dict[tuple, bool] = {}  # pages repeat their class names: each is tested once
    body = next(tree.iter("body"), None)
    page_text = None  # the body's text, read when a box holds much of the kept text
    # lxml's iter() with tag names walks the tree in libxml2: ~5 times faster than the same
    # selection as an XPath of self:: tests
    for el in () if body is None else body.iter(*_BOX_TAGS):  # document order: a box comes before what it holds
        key = (el.get("class"), el.get("id"))
        verdict = named.get(key)
        if verdict is None:
            name = f"{key[0] or ''} {key[1] or ''}"
            verdict = named[key] = bool(key != (None, None) and _BOX_PREFILTER.search(name.lower())
                                        and BOX_NAME.search(name))
        if not verdict:
            continue
        if done is not None:  # past a judged box, nothing comes back into it (document order)
            if any(a is done for a in el.iterancestors()):
                continue
            done = None
        text = _flat_text(el)
        inside = {line for line in wanted if line in text}
        if sum(map(len, inside)) >= BOX_MAX_SHARE * total:
            if page_text is None:
                page_text = _flat_text(body)
            # lines the page reads outside the box too: the box holds a copy of them (a
            # republication modal repeating the article), they are not the box's own
            inside = {line for line in inside if page_text.count(line) <= text.count(line)}
            if sum(map(len, inside)) >= BOX_MAX_SHARE * total:
                continue  # it holds the article: a misnamed wrapper; the boxes in it are judged one by one
        if inside:
            drop |= {t for t in map(_flat_text, el.iter()) if t in inside}
        done = el
    if not drop:
        return paragraphs
    return [p for p, line in zip(paragraphs, lines) if line not in drop]


# Recall: trafilatura drops real paragraphs inside the container it chose (a <p> between two
# boxes it judged, a paragraph after an inline promo). The container is the deepest element
# holding this share of the kept <p> text; a <p> inside it comes back when it reads as prose
# (a sentence of RECOVER_MIN_CHARS or more, ending like one), has few links, sits in no box
# whose tag or class/id says chrome, and is not already there. Measured on WCXB dev articles:
# recall 0.9476 -> 0.9517, precision 0.9304 -> 0.9299; AEB unchanged (0.9668); ~1 ms a page.
# Precision, same container: a kept paragraph from outside it after its last kept paragraph
# starts the page's tail (related stories, an "about us" box) and is cut with what follows:
# WCXB precision 0.9299 -> 0.9359, recall 0.9517 -> 0.9503 (F1 0.9406 -> 0.9431); AEB F1
# 0.9668 -> 0.9673. A list item or heading from outside starts such a tail too (a related-story
# list): WCXB F1 0.9431 -> 0.9434, AEB 0.9673 -> 0.9693, once no tail is cut that holds half the
# text or more (without that guard, a container that is a lead box cost whole articles).
# Leading paragraphs from outside stay (standfirsts often sit there). Lines from a box whose
# class/id says FAQ or accordion count as inside: questions and answers on the article's subject
# follow many articles outside their container (WCXB F1 0.9475 -> 0.9477, recall 0.9527 -> 0.9535:
# three pages get their FAQ back, two lose precision where the ground truth leaves it out; AEB
# unchanged).
# A kept <p> whose text is 70% or more link text ("Read more: ...", "Related: ...", a related
# story between paragraphs) goes: WCXB F1 0.9447 -> 0.9450, AEB 0.9693 -> 0.9715.
RECOVER_CONTAINER_SHARE = 0.7
RECOVER_MIN_CHARS = 80
RECOVER_MAX_LINK_SHARE = 0.3
LINK_LINE_SHARE = 0.7  # a kept <p> with this share of its text in links is a link line, not prose
RECOVER_TAIL_KEEP = 0.5  # a tail is cut only when at least this share of the text comes before it
_ITEM_TAGS = ("li", "h1", "h2", "h3", "h4", "h5", "h6")
_BLOCK_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dt", "dd",
                         "figcaption", "table", "ul", "ol"))
# Class/id words of boxes that hold no article prose on any site (generic, not per site).
_CHROME_NAME = re.compile(
    r"share|social|related|newsletter|subscri|promo|advert|\bads?\b|sponsor|comment|sidebar|footer|widget"
    r"|recommend|popular|trending|author|\bbio|signup|\bcta\b|caption|credit|breadcrumb|\bnav|menu|\btags?\b"
    r"|disclaimer|disclosure|affiliate|\btoc\b|table-of-contents|cookie|consent", re.I)
_WHOLE_BLOCKS = frozenset(("li", "ul", "ol", "td", "th", "table", "dd", "dt", "pre"))
# A block inside a link is a teaser card (the whole card links to another page): WCXB F1
# 0.9501 -> 0.9504 (10 pages better, none worse), AEB unchanged.
_CHROME_TAGS = frozenset(("a", "aside", "nav", "footer", "header", "form", "figure", "figcaption", "button", "select",
                          "label"))
_SENTENCE_END = tuple(".!?;\"”’)»…。")


def _grams(text: str) -> list[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return list(zip(words, words[1:], words[2:], words[3:]))


def _said(grams: list[tuple[str, ...]], seen: set) -> bool:
    """Whether a block (its 4-`grams`) is already in the lines (`seen`: theirs), in other words."""
    return bool(grams) and sum(g in seen for g in grams) > 0.3 * len(grams)


def _outside_item(container: etree._Element, lines: list[str], found: list[int | None], start: int,
                  stop: int, faq: dict) -> int | None:
    """The first of lines[start:stop] no <p> holds that is a list item or heading from outside
    the container (a related-story list after the article, its heading), and in no FAQ box
    (`faq`: the memo of `_in_faq`). A line that a list item or heading inside the container
    reads too is the container's (a short item such as "Brakes" may also be a menu entry, a
    subheading may repeat the page's <h1>)."""
    wanted = {}
    for n in range(start, stop):
        if found[n] is None:
            line = lines[n][2:] if lines[n].startswith("- ") else lines[n]
            wanted.setdefault(line, n)
    if not wanted:
        return None
    outside, inside = set(), set()
    for el in container.getroottree().getroot().iter(*_ITEM_TAGS):
        n = wanted.get(_flat_text(el))
        if n is not None:
            if _within(el, container):
                inside.add(n)
            elif not _in_faq(el, faq):
                outside.add(n)
    return min(outside - inside, default=None)


_FAQ_NAME = re.compile(r"faq|accordion", re.I)


def _in_faq(el: etree._Element, memo: dict) -> bool:
    """Whether `el` sits in a box whose class/id says FAQ (questions and answers about the article's subject)."""
    for a in el.iterancestors():
        v = memo.get(a)
        if v is None:
            v = memo[a] = bool(_FAQ_NAME.search(f"{a.get('class') or ''} {a.get('id') or ''}"))
        if v:
            return True
    return False


def _link_chars(el: etree._Element) -> int:
    return sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))


def _within(el: etree._Element, container: etree._Element) -> bool:
    return any(a is container for a in el.iterancestors())


def _in_chrome(el: etree._Element, container: etree._Element, memo: dict) -> bool:
    """Whether a box between `el` and `container` says chrome (or `el` is not in `container`)."""
    node, path = el.getparent(), []
    verdict = True
    while node is not None and node is not container:
        if node in memo:
            verdict = memo[node]
            break
        path.append(node)
        if node.tag in _WHOLE_BLOCKS or node.tag in _CHROME_TAGS:
            break  # a list item's or table cell's paragraph: trafilatura judged the block whole
        if _CHROME_NAME.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            break
        node = node.getparent()
    else:
        verdict = node is None
    for n in path:  # every box on the way shares the verdict of the first one that decided
        memo[n] = verdict
    return verdict


# Recall: trafilatura leaves out subheadings in the container it chose (a heading with an anchor
# or a styled span in it, one in a wrapper div of its own). A heading (h2-h6) in the container
# comes back, just before the line of the block right after it, when that block (a <p> or list
# item, before any other heading) is kept, the heading is short (HEADING_MAX_CHARS), has few
# links, sits in no box whose tag or class/id says chrome, and is not there already (compared
# by its words). A run of headings with no text between them (product cards, a table of
# contents) gives none but the last. Measured: WCXB F1 0.9479 -> 0.9501 (R 0.9538 -> 0.9573,
# P 0.9421 -> 0.9431; 59 pages better, 18 worse, where the ground truth leaves such headings
# out); AEB unchanged (0.9717).
# Likewise prose laid out in <div>s without <p>s: a <div> holding no block, reading as prose
# (as a recovered <p> must), with few links, in no chrome box, not there already, and right after
# a kept line (its previous sibling is one: article text runs on, a promo or signup box sits
# apart) comes back before the next kept block's line. Measured: WCXB F1 0.95043 -> 0.95081
# (R 0.9573 -> 0.9582; 13 pages better, 2 worse); AEB unchanged (0.9717; 1 page better). Without
# the previous-sibling test: WCXB 0.9510 but 17 pages worse (signup legalese, promo boxes) and
# AEB 0.9715 (captions).
HEADING_MAX_CHARS = 150
_HEADING_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
_ORDER_TAGS = ("p", "li", "div", *sorted(_HEADING_TAGS))
# what a <div> of running text does not hold
_NOT_INLINE = _BLOCK_TAGS | {"div", "section", "article", "br", "aside", "nav", "header", "footer", "form", "figure"}


def _line_key(text: str) -> str:
    """A line's words, lower-cased (list markers, anchors' "#" and spacing left out)."""
    return " ".join(_WORD.findall(text.lower()))


def add_blocks(container: etree._Element, paragraphs: list[str], memo: dict) -> list[str]:
    """`paragraphs` with the headings and text <div>s of `container` that trafilatura left out:
    a heading when the block right after it (a <p> or list item, before any other heading) is
    kept, just before that block's line; a text <div> right after a kept line, before the next
    kept block's line. `memo`: the one `_in_chrome` filled for this container."""
    if not paragraphs:
        return paragraphs
    keys = [_line_key(line) for line in paragraphs]
    kept = set(keys)
    have = set(keys)  # kept, or put back
    inserts: list[tuple[str, str]] = []  # (text, key of the kept line it goes before)
    heading = None  # a dropped heading waiting for the block it heads
    divs: list[str] = []  # dropped text <div>s waiting for the next kept block
    seen: set | None = None  # the 4-grams of the lines (read at the first text <div>)
    for el in container.iter(*_ORDER_TAGS):
        if el.tag == "div":
            if any(c.tag in _NOT_INLINE for c in el.iterdescendants()):
                continue  # it holds blocks: its text is theirs
        elif heading is None and not divs and el.tag not in _HEADING_TAGS:
            continue  # a block nothing waits for: not read
        t = _flat_text(el)
        if not t:
            continue
        k = _line_key(t)
        if el.tag in _HEADING_TAGS:
            heading = None
            if (k and len(t) <= HEADING_MAX_CHARS and k not in have and not _in_chrome(el, container, memo)
                    and _link_chars(el) <= RECOVER_MAX_LINK_SHARE * len(t)):
                heading = t
                have.add(k)
            continue
        if el.tag == "div" and k not in have:
            if _reads_as_prose(t) and _link_chars(el) <= RECOVER_MAX_LINK_SHARE * len(t) \
                    and _follows_kept(el, have) and not _in_chrome(el, container, memo):
                seen = set(_grams("\n".join(paragraphs))) if seen is None else seen
                grams = _grams(t)
                if not _said(grams, seen):
                    seen.update(grams)
                    have.add(k)
                    divs.append(t)
            continue
        if divs and k in kept:
            inserts += [(d, k) for d in divs]
            divs = []
        if heading is not None:
            inserts.append((heading, k))  # put in only if that block's line is kept
            heading = None
    if not inserts:
        return paragraphs
    out, start = [], 0
    for text, k in inserts:
        at = next((n for n in range(start, len(keys)) if keys[n] == k), None)
        if at is None:
            continue
        out += paragraphs[start:at]
        out.append(text)
        start = at
    return out + paragraphs[start:]


def _follows_kept(el: etree._Element, have: set[str]) -> bool:
    """Whether the element before `el` (its previous sibling) is a kept line."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev is not None and _line_key(_flat_text(prev)) in have


def _reads_as_prose(text: str) -> bool:
    """A sentence of RECOVER_MIN_CHARS or more, ending like one."""
    return len(text) >= RECOVER_MIN_CHARS and text.endswith(_SENTENCE_END)


def recover_paragraphs(ps: list[etree._Element], texts: list[str], paragraphs: list[str]) -> list[str]:
    """`paragraphs` with the prose <p>s (`ps`, whitespace-collapsed `texts`) of their container
    that trafilatura left out, each put back after the kept paragraph it follows in the page,
    with the subheadings and text <div>s it left out there (`add_blocks`), and without the tail
    that starts at a paragraph from outside the container."""
    if not ps or not paragraphs:
        return paragraphs
    index: dict[str, int] = {}
    for i, t in enumerate(texts):
        if t:
            index.setdefault(t, i)
    lines = [" ".join(line.split()) for line in paragraphs]
    found = [index.get(line) for line in lines]
    by_parent: dict = {}  # kept text per parent of kept <p>s (most share a few parents)
    total = 0
    for line, i in zip(lines, found):
        if i is not None:
            total += len(line)
            parent = ps[i].getparent()
            by_parent[parent] = by_parent.get(parent, 0) + len(line)
    weights: dict = {}
    for parent, w in by_parent.items():
        if parent is not None:
            weights[parent] = weights.get(parent, 0) + w
            for a in parent.iterancestors():
                weights[a] = weights.get(a, 0) + w
    container, depth = None, -1
    for a, w in weights.items():
        if w >= RECOVER_CONTAINER_SHARE * total:
            d = sum(1 for _ in a.iterancestors())
            if d > depth:
                container, depth = a, d
    if container is None:
        return paragraphs
    # Precision: past the container's last kept paragraph, a paragraph, list item or heading
    # from outside it starts what follows the article (a related-story list, a site's "about
    # us" box): cut from there.
    faq: dict = {}
    inside = [i is not None and (_within(ps[i], container) or _in_faq(ps[i], faq)) for i in found]
    last_inside = max((n for n, v in enumerate(inside) if v), default=None)
    if last_inside is not None:
        cut = next((n for n in range(last_inside + 1, len(found)) if found[n] is not None and not inside[n]), None)
        if last_inside + 1 < (len(found) if cut is None else cut):
            cut = _outside_item(container, lines, found, last_inside + 1, len(found) if cut is None else cut,
                                faq) or cut
        if cut is not None and sum(map(len, lines[:cut])) < RECOVER_TAIL_KEEP * sum(map(len, lines)):
            cut = None  # the container is a part of the article, not the whole: cut nothing
        if cut is not None:
            paragraphs, lines, found = paragraphs[:cut], lines[:cut], found[:cut]
    # Precision: a kept <p> that is mostly link text is a link line ("Read more: ...", a related
    # story between paragraphs), not prose.
    links = [i is not None and _link_chars(ps[i]) >= LINK_LINE_SHARE * len(texts[i]) for i in found]
    if any(links):
        paragraphs, lines, found = ([x for x, drop in zip(seq, links) if not drop] for seq in (paragraphs, lines, found))
    memo: dict = {}
    return add_blocks(container, _recover_prose(ps, texts, paragraphs, lines, found, container, memo), memo)


def _recover_prose(ps: list[etree._Element], texts: list[str], paragraphs: list[str], lines: list[str],
                   found: list[int | None], container: etree._Element, memo: dict) -> list[str]:
    """`paragraphs` with the prose <p>s of `container` trafilatura left out put back in place
    (`lines`: `paragraphs` whitespace-collapsed; `found`: the index in `ps` of each, or None)."""
    kept = {i for i in found if i is not None}
    candidates = [i for i, t in enumerate(texts) if i not in kept and _reads_as_prose(t)]
    if not candidates:
        return paragraphs
    prose = []
    for i in candidates:
        p, t = ps[i], texts[i]
        if _in_chrome(p, container, memo) or any(c.tag in _BLOCK_TAGS for c in p.iterdescendants()):
            continue
        if _link_chars(p) > RECOVER_MAX_LINK_SHARE * len(t):
            continue
        prose.append(i)
    if not prose:
        return paragraphs
    seen = set(_grams("\n".join(lines)))
    added: list[tuple[int, str]] = []
    for i in prose:
        t = texts[i]
        grams = _grams(t)
        if _said(grams, seen):
            continue  # already there, in trafilatura's wording
        if any(len(line) >= 30 and (line in t or t in line) for line in lines):
            continue  # scripts without spaces between words: the same test on characters
        seen.update(grams)
        added.append((i, t))
    if not added:
        return paragraphs
    keyed: list[tuple[float, int, str]] = []
    last = -1.0
    for n, (line, i) in enumerate(zip(paragraphs, found)):
        if i is not None:
            last = float(i)
        keyed.append((last, n, line))
    keyed += [(i + 0.5, len(paragraphs) + n, t) for n, (i, t) in enumerate(added)]
    keyed.sort(key=lambda x: (x[0], x[1]))
    return [t for _, _, t in keyed]



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
