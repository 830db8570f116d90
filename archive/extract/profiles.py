"""Site-family cleaning rules as data: `settings/sites/*.toml` `[clean]` tables.

A profile is chosen by host suffix (`[profile].hosts`) or, for hosts nobody listed (a new
language service, an unknown member station), by HTML markers. Within a profile, a layout
change is a dated `[[clean.versions]]` entry, picked by which version's `requires` selectors
match the page; its keys override the family-wide ones. Nothing here knows a site by name.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from lxml import etree

from archive.extract.selectors import matches, select

_LAYOUT_KEYS = ("body", "image_scope", "drop", "join_next", "images", "page_types", "cards", "body_drop")


@dataclass(frozen=True)
class Signature:
    """A boilerplate line recognised by its shape (regex), wherever it sits."""

    name: str
    pattern: re.Pattern
    action: str = "drop"  # drop | rights | strip | drop_following
    following: int = 0
    following_max_chars: int = 400


@dataclass(frozen=True)
class Layout:
    """One dated version of a family's markup: what the cleaner needs to read one page."""

    name: str
    since: str
    requires: tuple[str, ...]
    body: tuple[str, ...]
    image_scope: tuple[str, ...]
    drop: tuple[str, ...]
    join_next: tuple[str, ...]
    images: tuple[dict, ...]
    page_types: tuple[dict, ...]
    meta: dict[str, tuple[str, ...]]
    # author cards in the family's own markup: {container, name, bio} (archive.extract.cards)
    cards: tuple[dict, ...] = ()
    # removed from inside the body after images and cards are taken (enhancement blocks)
    body_drop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    hosts: tuple[str, ...]
    markers: tuple[str, ...]
    marker_selectors: tuple[str, ...]
    rules_version: str
    layouts: tuple[Layout, ...]
    signatures: tuple[Signature, ...] = field(default=())

    def owns_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def marker_score(self, html: str, tree: etree._Element | None) -> int:
        """2 or more means "this family's markup"; a selector hit counts 2 more."""
        score = sum(1 for m in self.markers if m in html)
        # selectors only where some marker string already hints at the family (cheap first)
        if score and tree is not None and any(matches(tree, s) for s in self.marker_selectors):
            score += 2
        return score

    def layout_for(self, tree: etree._Element) -> Layout | None:
        for layout in self.layouts:
            if all(matches(tree, s) for s in layout.requires):
                return layout
        return None


def sites_dir() -> Traversable:
    """`settings/sites`: a folder, or a folder inside a zip when the project runs from an egg
    (scrapyd). Found without importing `settings` where it is a plain folder."""
    override = os.environ.get("NEWSARCHIVE_SITES_DIR")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("settings")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "sites"
            if candidate.is_dir():
                return candidate
        return importlib.resources.files("settings") / "sites"
    return Path(__file__).resolve().parents[2] / "settings" / "sites"


def profile_files(directory: Traversable | str | None = None) -> list[Traversable]:
    """The `*.toml` site profiles, by name."""
    folder = Path(directory) if isinstance(directory, str) else directory or sites_dir()
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def _tuple(value: Any) -> tuple:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _layout(clean: dict, version: dict) -> Layout:
    merged = {k: version.get(k, clean.get(k)) for k in _LAYOUT_KEYS}
    meta = {k: _tuple(v) for k, v in {**clean.get("meta", {}), **version.get("meta", {})}.items()}
    return Layout(name=version.get("name", "default"), since=str(version.get("since", "")),
                  requires=_tuple(version.get("requires")), body=_tuple(merged["body"]),
                  image_scope=_tuple(merged["image_scope"]), drop=_tuple(merged["drop"]),
                  join_next=_tuple(merged["join_next"]), images=_tuple(merged["images"]),
                  page_types=_tuple(merged["page_types"]), meta=meta, cards=_tuple(merged["cards"]),
                  body_drop=_tuple(merged["body_drop"]))


def _signature(raw: dict) -> Signature:
    return Signature(name=raw.get("name", raw["pattern"]), pattern=re.compile(raw["pattern"]),
                     action=raw.get("action", "drop"), following=int(raw.get("following", 0)),
                     following_max_chars=int(raw.get("following_max_chars", 400)))


def parse_profile(data: dict) -> Profile | None:
    """A profile from one TOML document, or None when it has no [clean] table."""
    clean = data.get("clean")
    if not clean:
        return None
    head = data.get("profile", {})
    versions = clean.get("versions") or [{"name": "default"}]
    return Profile(name=head.get("name", "unnamed"), hosts=_tuple(head.get("hosts")),
                   markers=_tuple(head.get("markers")), marker_selectors=_tuple(head.get("marker_selectors")),
                   rules_version=str(clean.get("rules_version", "0")),
                   layouts=tuple(_layout(clean, v) for v in versions),
                   signatures=tuple(_signature(s) for s in clean.get("signatures", [])))


@lru_cache(maxsize=4)
def load_profiles(directory: str | None = None) -> tuple[Profile, ...]:
    profiles = []
    for path in profile_files(directory):
        profile = parse_profile(tomllib.loads(path.read_text(encoding="utf-8")))
        if profile is not None:
            profiles.append(profile)
    return tuple(profiles)


def all_signatures() -> tuple[Signature, ...]:
    """Every family's signatures: a station re-publishing NPR copy carries NPR's lines too."""
    return tuple(s for p in load_profiles() for s in p.signatures)


def rules_version() -> str:
    return "+".join(p.rules_version for p in load_profiles())


def choose(html: str, tree: etree._Element | None, host: str) -> Profile | None:
    """The profile for this page: by host first, else by markup markers (2 points needed)."""
    profiles = load_profiles()
    for profile in profiles:
        if host and profile.owns_host(host):
            return profile
    best, best_score = None, 1
    for profile in profiles:
        score = profile.marker_score(html, tree)
        if score > best_score:
            best, best_score = profile, score
    return best


__all__ = ["Profile", "Layout", "Signature", "load_profiles", "choose", "all_signatures", "sites_dir", "profile_files",
           "rules_version", "select"]
