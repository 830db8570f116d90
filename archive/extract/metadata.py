"""Page metadata from the most reliable source first, as the profile lists them.

Sources: `css:SEL` / `css:SEL@attr` (markup), `meta:NAME` (name= or property=), `jsonld:KEY`
(dotted, from the page's Article-like JSON-LD object), `utag:KEY` (Pangea's Tealium
`utag_data`, a JS object literal that is not always JSON), `title` (the <title> element).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any, Iterable

from lxml import etree

from archive.extract.dates import parse_text_date
from archive.extract.selectors import select

_WS = re.compile(r"\s+")
_UTAG = re.compile(r"utag_data\s*=\s*\{(.*?)\}\s*;?\s*(?:</script>|\n)", re.S)
_UTAG_PAIR = re.compile(r"""["']?(\w+)["']?\s*:\s*"((?:[^"\\]|\\.)*)\"""")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "claimreview", "webpage", "report", "opinionnewsarticle", "backgroundnewsarticle"}
_BY = re.compile(r"^\s*(by|от|автор)\s+", re.I)


def norm(text: str | None) -> str:
    if not isinstance(text, str):  # JSON-LD in the wild: lists, objects, numbers where a name belongs
        return ""
    return _WS.sub(" ", text).strip()


class PageMeta:
    """Lazy access to one page's metadata sources (parsed at most once each)."""

    def __init__(self, tree: etree._Element, html: str):
        self.tree = tree
        self.html = html
        self._jsonld: dict | None = None
        self._utag: dict | None = None
        self._meta: dict | None = None

    # -- sources -------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        if self._meta is None:
            self._meta = {}
            for el in self.tree.iter("meta"):
                key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
                content = el.get("content")
                if key and content and key not in self._meta:
                    self._meta[key] = content.strip()
        return self._meta

    def jsonld(self) -> dict:
        if self._jsonld is None:
            self._jsonld = {}
            for script in self.tree.iter("script"):
                if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
                    continue
                try:
                    data = json.loads(script.text)
                except ValueError:
                    continue
                for item in _flatten(data):
                    kind = item.get("@type")
                    kinds = {k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}
                    if kinds & _ARTICLE_TYPES:
                        self._jsonld = item
                        break
                if self._jsonld:
                    break
        return self._jsonld

    def utag(self) -> dict[str, str]:
        if self._utag is None:
            self._utag = {}
            found = _UTAG.search(self.html) if "utag_data" in self.html else None
            if found:
                for key, value in _UTAG_PAIR.findall(found.group(1)):
                    try:
                        value = json.loads(f'"{value}"')
                    except ValueError:
                        pass
                    self._utag.setdefault(key, value)
                if {"pub_year", "pub_month", "pub_day"} <= self._utag.keys():
                    u = self._utag
                    self._utag["pub_date"] = (f"{u['pub_year']}-{u['pub_month']:0>2}-{u['pub_day']:0>2}"
                                              + (f"T{u.get('pub_hour', '00'):0>2}:{u.get('pub_minute', '00'):0>2}:00Z"
                                                 if u.get("pub_hour") else ""))
        return self._utag

    # -- lookups -------------------------------------------------------------------------
    def values(self, spec: str) -> list[str]:
        """All values one source gives (authors may be several)."""
        kind, _, arg = spec.partition(":")
        if kind == "css":
            css, _, attr = arg.rpartition("@") if "@" in arg.rsplit("]", 1)[-1] else (arg, "", "")
            out = []
            for el in select(self.tree, css):
                value = el.get(attr) if attr else el.text_content()
                if norm(value):
                    out.append(norm(value))
            return out
        if kind == "meta":
            value = self.meta().get(arg.lower())
            return [norm(value)] if value and norm(value) else []
        if kind == "jsonld":
            return _jsonld_values(self.jsonld(), arg)
        if kind == "utag":
            value = self.utag().get(arg)
            return [norm(value)] if value and norm(value) else []
        if kind == "title":
            el = self.tree.find(".//title")
            return [norm(el.text_content())] if el is not None and norm(el.text_content()) else []
        raise ValueError(f"unknown metadata source {spec!r}")

    def first(self, specs: Iterable[str]) -> str | None:
        for spec in specs:
            found = self.values(spec)
            if found:
                return found[0]
        return None

    def authors(self, specs: Iterable[str]) -> list[str]:
        for spec in specs:
            names = split_authors(self.values(spec), spec)
            if names:
                return names
        return []

    def all_values(self, specs: Iterable[str]) -> list[str]:
        out: list[str] = []
        for spec in specs:
            for value in self.values(spec):
                if value not in out:
                    out.append(value)
        return out


def split_authors(values: list[str], spec: str = "") -> list[str]:
    """Names without "By", one per entry; free-text sources are split on commas and "and"."""
    names: list[str] = []
    for value in values:
        value = _BY.sub("", norm(value))
        parts = [value] if spec.startswith("css:") else re.split(r"\s*(?:,|;|\band\b|&)\s*", value)
        for part in parts:
            part = part.strip(" /")
            if part and part not in names and len(part) < 80:
                names.append(part)
    return names


def _flatten(data: Any) -> Iterable[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])


def _jsonld_values(item: dict, path: str) -> list[str]:
    value: Any = item
    for key in path.split("."):
        if isinstance(value, list):
            value = value[0] if value else None
        value = value.get(key) if isinstance(value, dict) else None
    if path == "author":
        people = value if isinstance(value, list) else [value]
        return [norm(p.get("name")) for p in people
                if isinstance(p, dict) and p.get("@type", "Person") == "Person" and norm(p.get("name"))] + \
               [norm(p) for p in people if isinstance(p, str) and norm(p)]
    if isinstance(value, list):
        return [norm(str(v)) for v in value if isinstance(v, (str, int, float))]
    return [norm(str(value))] if isinstance(value, (str, int, float)) and norm(str(value)) else []


def iso_date(value: str | None) -> str | None:
    """ISO 8601, in UTC with a Z where the source gave a time zone; a date written out in
    words ('۱۳ مهر ۱۴۰۵', '4 октября 2026') read as one; else as given."""
    if not value:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return parse_text_date(text) or text
    if moment.tzinfo is None:
        return moment.isoformat() if "T" in text or " " in text else moment.date().isoformat()
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
