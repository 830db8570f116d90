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


@dataclass
class _Host:
    pages: set[str] = field(default_factory=set)  # digests of page URLs seen
    blocks: dict[str, int] = field(default_factory=dict)  # block -> distinct pages carrying it


class LearnedBoilerplate:
    """Per-host counts of repeated blocks, with thresholds for calling them boilerplate."""

    def __init__(self, *, min_pages: int = 5, min_share: float = 0.3, min_chars: int = 25,
                 max_blocks_per_host: int = 20000):
        self.min_pages = min_pages
        self.min_share = min_share
        self.min_chars = min_chars
        self.max_blocks_per_host = max_blocks_per_host
        self._hosts: dict[str, _Host] = {}

    def observe(self, host: str, url: str, paragraphs: list[str]) -> None:
        """Count each distinct block once per page; a page seen again is not counted twice."""
        entry = self._hosts.setdefault(host_key(host), _Host())
        page = hashlib.sha1(url.encode("utf-8", "replace")).hexdigest()[:16]
        if page in entry.pages:
            return
        entry.pages.add(page)
        for block in {normalise_block(p) for p in paragraphs}:
            if len(block) >= self.min_chars:
                entry.blocks[block] = entry.blocks.get(block, 0) + 1
        if len(entry.blocks) > self.max_blocks_per_host:  # forget one-offs first
            entry.blocks = {b: n for b, n in entry.blocks.items() if n > 1}

    def pages_seen(self, host: str) -> int:
        entry = self._hosts.get(host_key(host))
        return len(entry.pages) if entry else 0

    def blocks_for(self, host: str) -> set[str]:
        entry = self._hosts.get(host_key(host))
        if not entry or not entry.pages:
            return set()
        total = len(entry.pages)
        return {b for b, n in entry.blocks.items() if n >= self.min_pages and n / total >= self.min_share}

    def is_boilerplate(self, host: str, block: str) -> bool:
        return normalise_block(block) in self.blocks_for(host)

    def hosts(self) -> list[str]:
        return sorted(self._hosts)

    def to_json(self, host: str | None = None) -> str:
        """All hosts, or only `host` (the archive index keeps one row per host)."""
        hosts = sorted(self._hosts.items()) if host is None else [(host_key(host), self._hosts.get(host_key(host), _Host()))]
        return json.dumps({
            "version": 1,
            "thresholds": {"min_pages": self.min_pages, "min_share": self.min_share, "min_chars": self.min_chars},
            "hosts": {h: {"pages": sorted(e.pages), "blocks": e.blocks} for h, e in hosts},
        }, ensure_ascii=False, sort_keys=True)

    def merge_json(self, data: str | bytes) -> None:
        """Add the hosts of a `to_json()` string (thresholds stay this instance's)."""
        for host, entry in json.loads(data).get("hosts", {}).items():
            self._hosts[host] = _Host(pages=set(entry.get("pages", [])), blocks=dict(entry.get("blocks", {})))

    @classmethod
    def from_json(cls, data: str | bytes) -> "LearnedBoilerplate":
        raw = json.loads(data)
        learned = cls(**raw.get("thresholds", {}))
        for host, entry in raw.get("hosts", {}).items():
            learned._hosts[host] = _Host(pages=set(entry.get("pages", [])), blocks=dict(entry.get("blocks", {})))
        return learned
