"""Boilerplate learned from repetition: a block that recurs verbatim on many pages of ONE
host is that host's furniture (a promo, a standing notice) even where no rule names it.

Repetition across different hosts proves nothing (two outlets quoting one official
statement), so counts are kept per host and never pooled. Storage-agnostic: `to_json()` /
`from_json()` give a plain JSON string the archive index can keep.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_WS = re.compile(r"\s+")


def normalise_block(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def host_key(host_or_url: str) -> str:
    """`www.kosu.org`, `kosu.org` and `https://www.kosu.org/x` are one host."""
    host = urlsplit(host_or_url).hostname if "//" in host_or_url else host_or_url
    host = (host or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


WINDOW_PAGES = 2000  # counts cover this many most recent pages of a host


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]


@dataclass
class _Host:
    """The host's most recent pages (oldest first), each with the digests of its blocks;
    per block digest, how many of those pages carry it; the text of blocks seen twice or more."""

    recent: OrderedDict[str, tuple[str, ...]] = field(default_factory=OrderedDict)
    counts: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    changes: int = 0  # how often the counts changed: the boilerplate found last stays valid until then
    found: tuple | None = field(default=None, repr=False, compare=False)  # (changes, thresholds, blocks)

    def add(self, page: str, blocks: dict[str, str]) -> None:
        self.changes += 1
        self.recent[page] = tuple(sorted(blocks))
        for key, text in blocks.items():
            self.counts[key] = self.counts.get(key, 0) + 1
            if self.counts[key] >= 2:
                self.texts[key] = text

    def forget_oldest(self) -> None:
        self.changes += 1
        _, keys = self.recent.popitem(last=False)
        for key in keys:
            self.counts[key] -= 1
            if self.counts[key] < 2:
                self.texts.pop(key, None)
            if not self.counts[key]:
                del self.counts[key]


class LearnedBoilerplate:
    """Per-host counts of repeated blocks over a window of recent pages, with thresholds for
    calling them boilerplate. The window keeps memory and the stored state bounded however
    long a host is crawled, and lets a new banner be learned (and an old one forgotten)."""

    def __init__(self, *, min_pages: int = 5, min_share: float = 0.3, min_chars: int = 25,
                 window: int = WINDOW_PAGES):
        self.min_pages = min_pages
        self.min_share = min_share
        self.min_chars = min_chars
        self.window = window
        self._hosts: dict[str, _Host] = {}

    def observe(self, host: str, url: str, paragraphs: list[str]) -> None:
        """Count each distinct block once per page; a page still in the window is not counted twice."""
        entry = self._hosts.setdefault(host_key(host), _Host())
        page = _digest(url)
        if page in entry.recent:
            return
        blocks = {_digest(b): b for b in {normalise_block(p) for p in paragraphs} if len(b) >= self.min_chars}
        entry.add(page, blocks)
        while len(entry.recent) > self.window:
            entry.forget_oldest()

    def pages_seen(self, host: str) -> int:
        """Pages of `host` in the window."""
        entry = self._hosts.get(host_key(host))
        return len(entry.recent) if entry else 0

    def blocks_for(self, host: str) -> frozenset[str]:
        """The host's boilerplate blocks (worked out again only after its counts change: every
        page cleaned and every cleaned copy signed asks)."""
        entry = self._hosts.get(host_key(host))
        if not entry or not entry.recent:
            return frozenset()
        state = (entry.changes, self.min_pages, self.min_share)
        if entry.found is None or entry.found[0] != state:
            total = len(entry.recent)
            entry.found = (state, frozenset(entry.texts[k] for k, n in entry.counts.items() if
                                            n >= self.min_pages and n / total >= self.min_share and k in entry.texts))
        return entry.found[1]

    def is_boilerplate(self, host: str, block: str) -> bool:
        return normalise_block(block) in self.blocks_for(host)

    def hosts(self) -> list[str]:
        return sorted(self._hosts)

    def to_json(self, host: str | None = None) -> str:
        """All hosts, or only `host` (the archive index keeps one row per host)."""
        hosts = sorted(self._hosts.items()) if host is None else [(host_key(host), self._hosts.get(host_key(host), _Host()))]
        return json.dumps({
            "version": 2,
            "thresholds": {"min_pages": self.min_pages, "min_share": self.min_share, "min_chars": self.min_chars,
                           "window": self.window},
            "hosts": {h: {"recent": [[page, list(keys)] for page, keys in e.recent.items()], "texts": e.texts}
                      for h, e in hosts},
        }, ensure_ascii=False, sort_keys=True)

    def merge_json(self, data: str | bytes) -> None:
        """Add the hosts of a `to_json()` string (thresholds stay this instance's). State in
        the older format (version 1, no per-page blocks) cannot be windowed and is dropped."""
        raw = json.loads(data)
        if raw.get("version") != 2:
            return
        for host, stored in raw.get("hosts", {}).items():
            entry = _Host()
            texts = stored.get("texts", {})
            for page, keys in stored.get("recent", [])[-self.window:]:
                entry.add(page, {key: texts.get(key, "") for key in keys})
            entry.texts = {k: t for k, t in entry.texts.items() if t}
            entry.changes += 1
            self._hosts[host] = entry

    @classmethod
    def from_json(cls, data: str | bytes) -> "LearnedBoilerplate":
        learned = cls(**json.loads(data).get("thresholds", {}))
        learned.merge_json(data)
        return learned
