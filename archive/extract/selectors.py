"""CSS selectors compiled once to XPath: rules are data, and pages are many."""

from __future__ import annotations

from functools import lru_cache

from cssselect import HTMLTranslator
from lxml import etree

_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=1024)
def compiled(css: str) -> etree.XPath:
    return etree.XPath(_TRANSLATOR.css_to_xpath(css, prefix="descendant-or-self::"))


def select(root: etree._Element, css: str) -> list[etree._Element]:
    return compiled(css)(root)


def matches(root: etree._Element, css: str) -> bool:
    return bool(compiled(css)(root))


def select_first(root: etree._Element, css: str):
    found = compiled(css)(root)
    return found[0] if found else None
