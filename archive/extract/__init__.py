"""Cleaning a fetched page into its article: `clean(html, url) -> CleanDocument`.

Family pages (Pangea, npr.org, Grove/Brightspot stations) are cut to their body container by
the rules in `settings/sites/*.toml` and read paragraph by paragraph; unknown sites go to a
tuned trafilatura. Either way, text signatures and (optionally) per-host learned boilerplate
take out what no container rule can name.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import trafilatura
from lxml import etree, html as lxml_html

from archive.extract import profiles as _profiles
from archive.extract.cards import Cards, split_card_lines
from archive.extract.document import CleanDocument
from archive.extract.encoding import decode_html
from archive.extract.generic import META as GENERIC_META, drop_title_line, extract_generic
from archive.extract.learned import LearnedBoilerplate, normalise_block
from archive.extract.metadata import PageMeta, iso_date
from archive.extract.profiles import Profile
from archive.extract.rules import apply_layout, page_type
from archive.extract.signatures import apply_signatures
from archive.language import detect_language

__all__ = ["clean", "CleanDocument", "ExtractError", "EXTRACTOR_VERSION", "EXTRACTOR", "select_profile", "LearnedBoilerplate",
           "parse_html"]

EXTRACTOR_VERSION = "0.1.0"
EXTRACTOR = f"newsarchive-clean/{EXTRACTOR_VERSION} trafilatura/{trafilatura.__version__}"
# C0 controls but tab, newline and carriage return, each made a space (bytes.translate's table:
# in UTF-8 these bytes only ever stand for themselves).
_CONTROLS_TO_SPACE = bytes(32 if c < 0x20 and c not in (0x09, 0x0a, 0x0d) else c for c in range(256))
# A page's template may close the document early and go on (`</body></html>`, then the article):
# browsers read on (HTML's "after body" mode reopens the body), libxml2 stops at `</html>`, so
# these end tags go before parsing (the parser closes both at the end of the input anyway).
_DOCUMENT_END = re.compile(rb"</(?:body|html)\s*>", re.I)
_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, default_doctype=False)
# lxml.html's element lookup is a Python function called for every element proxy (it gives form
# elements special classes, which nothing here uses): ~4% of the generic path's CPU time on WCXB,
# trafilatura's work on our tree included. The same HtmlElement classes through lxml's C-level
# default lookup cost nothing per element.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))


class ExtractError(TypeError):
    """Raised only for input that cannot be a page at all (not str or bytes)."""


def _as_text(html: str | bytes | bytearray | memoryview) -> str | None:
    if isinstance(html, str):
        return html
    if isinstance(html, (bytes, bytearray, memoryview)):
        return decode_html(bytes(html))
    raise ExtractError(f"clean() takes HTML as str or bytes, not {type(html).__name__}")


def _hostname(url: str | None) -> str:
    """The URL's host, or "" for a URL that does not parse (e.g. a broken IPv6 literal)."""
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def parse_html(text: str) -> etree._Element | None:
    """An lxml tree of the page, or None when there is nothing to parse."""
    data = text.encode("utf-8", "replace")  # lone surrogates must not stop the parse
    # C0 controls cannot live in an lxml tree (setting such text raises later): spaces instead
    data = _DOCUMENT_END.sub(b"", data.translate(_CONTROLS_TO_SPACE))
    try:
        return lxml_html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def select_profile(html_tree_or_html: etree._Element | str | bytes, url: str) -> Profile | None:
    """The site profile for a page (by host, else by markup markers); None means generic."""
    host = _hostname(url)
    if isinstance(html_tree_or_html, etree._Element):
        tree = html_tree_or_html
        text = etree.tostring(tree, encoding="unicode")
    else:
        text = _as_text(html_tree_or_html) or ""
        tree = parse_html(text) if text.strip() else None
    return _profiles.choose(text, tree, host)


def clean(html: str | bytes, url: str, *, learned: LearnedBoilerplate | None = None) -> CleanDocument:
    """The cleaned copy of one page. Never raises for odd content; see ExtractError."""
    text = _as_text(html)
    doc = CleanDocument(url=url, extractor=EXTRACTOR, rules_version=_profiles.rules_version())
    host = _hostname(url)
    if text is None:
        return doc  # binary: page_type stays "unknown"
    if not text.strip():
        doc.page_type = "empty"
        return doc
    tree = parse_html(text)
    if tree is None:
        return doc
    profile = _profiles.choose(text, tree, host)
    layout = profile.layout_for(tree) if profile else None
    paragraphs: list[str] | None = None
    if profile and layout:
        meta = PageMeta(tree, text)
        kind = page_type(tree, layout)
        _fill_metadata(doc, meta, layout.meta, host)
        doc.profile, doc.layout = profile.name, layout.name
        doc.rules_version = profile.rules_version
        if kind is not None:
            doc.page_type = kind
            return doc
        result = apply_layout(tree, layout, url)
        if result is not None:
            paragraphs, doc.images, doc.removed = result.paragraphs, result.images, result.removed
            _add_cards(doc, result.cards)
            doc.page_type = "article"
    if paragraphs is None:
        if profile is not None and layout is not None:
            tree = parse_html(text)  # the layout's chrome rules ran on this one; start afresh
        meta = PageMeta(tree, text)
        if profile is None or layout is None:
            _fill_metadata(doc, meta, GENERIC_META, host)
        titles = [t for t in (doc.title, meta.first(("meta:og:title",)), meta.first(("css:h1",)), meta.first(("title",)))
                  if t]
        found = extract_generic(tree, url)
        paragraphs = drop_title_line(found.paragraphs, titles)
        doc.profile, doc.layout = "generic", None
        doc.page_type = "article" if paragraphs else "unknown"
    _finish(doc, paragraphs, host, learned)
    return doc


def _fill_metadata(doc: CleanDocument, meta: PageMeta, specs: dict, host: str) -> None:
    doc.title = meta.first(specs.get("title", ()))
    doc.authors = meta.authors(specs.get("authors", ()))
    doc.author_bios = meta.all_values(specs.get("author_bios", ()))
    doc.published = iso_date(meta.first(specs.get("published", ())))
    doc.modified = iso_date(meta.first(specs.get("modified", ()))) or doc.published
    doc.language = meta.first(specs.get("language", ()))
    doc.site = meta.first(specs.get("site", ())) or host or None
    doc.section = meta.first(specs.get("section", ()))
    doc.canonical = meta.first(specs.get("canonical") or GENERIC_META["canonical"])
    doc.source_url = meta.first(specs.get("source_url") or GENERIC_META["source_url"])


def _add_cards(doc: CleanDocument, cards: Cards) -> None:
    """Names and bios from author cards join what the metadata said (each once)."""
    known = {normalise_block(a).lower() for a in doc.authors}
    doc.authors += [a for a in cards.authors if normalise_block(a).lower() not in known]
    bios = {normalise_block(b) for b in doc.author_bios}
    doc.author_bios += [b for b in cards.bios if normalise_block(b) not in bios]


def _finish(doc: CleanDocument, paragraphs: list[str], host: str, learned: LearnedBoilerplate | None) -> None:
    """Signatures, learned blocks, card lines, and nothing that already sits in images or bios."""
    if paragraphs and doc.title and normalise_block(paragraphs[0]) == normalise_block(doc.title):
        paragraphs = paragraphs[1:]  # the headline is metadata, not body
        doc.removed += 1
    paragraphs, cards = split_card_lines(paragraphs, doc.authors)
    _add_cards(doc, cards)
    doc.removed += cards.removed
    filtered = apply_signatures(paragraphs)
    kept = filtered.kept
    removed = len(filtered.removed)
    doc.rights = doc.rights or filtered.rights
    doc.body_blocks = list(kept)
    elsewhere = {normalise_block(x) for x in doc.author_bios}
    elsewhere |= {normalise_block(i["caption"]) for i in doc.images if i.get("caption")}
    if learned is not None:
        elsewhere |= learned.blocks_for(host)
    if elsewhere:
        before = len(kept)
        kept = [p for p in kept if normalise_block(p) not in elsewhere]
        removed += before - len(kept)
    doc.text = "\n\n".join(kept)
    doc.removed += removed
    if not doc.language and doc.text:
        doc.language = detect_language(f"{doc.title or ''}\n{doc.text}")
    if doc.page_type == "article" and not kept:
        doc.page_type = "unknown"
