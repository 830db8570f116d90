"""Which copy of a story is the origin.

A cleaned copy may *claim* an origin elsewhere: its `rel=canonical` or its JSON-LD
(`isBasedOn`, `mainEntityOfPage`) names a page on another host, or a syndication line
("Copyright 2026 NPR. To see more…", "originally published by …") names an outlet. Which
lines signal syndication is data: `[[stories.syndication]]` tables in `settings/sites/*.toml`
(pattern, outlet, the outlet's hosts). Claims are made when a copy is stored; the origin of a
group of copies is resolved when someone asks, from the claims of all its members:

1. a member that another member's canonical / JSON-LD URL names;
2. else the earliest member on a host of an outlet a syndication line names;
3. else the earliest member (by publication date where the page gives one, else capture).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

from archive.urls import InvalidURL, canonical_url, url_host


@dataclass(frozen=True)
class SyndicationRule:
    name: str
    pattern: re.Pattern
    outlet: str | None  # None: the pattern's `outlet` group names it
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    """What one copy says about where it comes from."""

    kind: str  # "canonical" | "jsonld" | "syndication"
    url: str | None = None
    urlkey: str | None = None
    outlet: str | None = None
    hosts: tuple[str, ...] = ()
    evidence: str | None = None


_UNCOMBINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?[aiLmsux]+\)")  # back-references, conditionals, flags
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@lru_cache(maxsize=8)
def any_rule(rules: tuple[SyndicationRule, ...]) -> re.Pattern | None:
    """One pattern matching where any of `rules` matches (an alternation of their patterns),
    so that a line no rule matches costs one search, not one per rule; None when the patterns
    do not combine (a numbered or named back-reference would point elsewhere in the
    alternation, flags would apply to all)."""
    sources = [rule.pattern.pattern for rule in rules]
    if not sources or any(_UNCOMBINABLE.search(s) for s in sources) or any(r.pattern.flags & ~re.UNICODE for r in rules):
        return None
    try:
        return re.compile("|".join("(?:" + _NAMED_GROUP.sub("(", s) + ")" for s in sources))
    except re.error:
        return None


@lru_cache(maxsize=4)
def syndication_rules(directory: str | None = None) -> tuple[SyndicationRule, ...]:
    from archive.extract.profiles import profile_files

    rules = []
    for path in profile_files(directory):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for raw in data.get("stories", {}).get("syndication", []):
            rules.append(SyndicationRule(name=raw.get("name", raw["pattern"]), pattern=re.compile(raw["pattern"]),
                                         outlet=raw.get("outlet"), hosts=tuple(raw.get("hosts", ()))))
    return tuple(rules)


@lru_cache(maxsize=1)
def _shipped_rules_pattern() -> re.Pattern | None:
    """`any_rule` of the shipped rules, without hashing them on every claim."""
    return any_rule(syndication_rules())


def _bare(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")


def _elsewhere(url: str, target: Any) -> tuple[str, str] | None:
    """(target URL, its URL key) when `target` is a URL on another host than `url`."""
    if not isinstance(target, str) or target == url or not target.startswith(("http://", "https://")):
        return None  # a page naming itself (the usual canonical) is on its own host
    try:
        if _bare(url_host(target)) == _bare(url_host(url)):
            return None
        return target, canonical_url(target)
    except (InvalidURL, ValueError):
        return None


def claim(url: str, cleaned: dict[str, Any], rules: Sequence[SyndicationRule] | None = None) -> Claim | None:
    """The strongest origin claim a cleaned copy makes, or None (it claims to be its own)."""
    for kind, field in (("canonical", "canonical"), ("jsonld", "source_url")):
        found = _elsewhere(url, cleaned.get(field))
        if found:
            return Claim(kind, url=found[0], urlkey=found[1], evidence=f"{field}: {found[0]}")
    paragraphs = [p for p in (cleaned.get("text") or "").split("\n\n") if p]
    if rules is None:
        rules, either = syndication_rules(), _shipped_rules_pattern()
    else:
        rules = tuple(rules)
        either = any_rule(rules)
    lines = [line.strip() for line in [cleaned.get("rights") or ""] + paragraphs[:2] + paragraphs[-3:] if line]
    if either is not None:  # the rules in order only where one of them matches a line
        lines = [line for line in lines if either.search(line)]
        if not lines:
            return None
    for rule in rules:
        for line in lines:
            match = rule.pattern.search(line)
            if match:
                outlet = rule.outlet or (match.groupdict().get("outlet") or "").strip() or None
                return Claim("syndication", outlet=outlet, hosts=rule.hosts, evidence=line.strip())
    return None


@dataclass
class Member:
    """One cleaned copy in a group of copies, as the origin resolution sees it."""

    document_id: int
    url: str
    urlkey: str
    host: str
    captured_at: str
    published: str | None
    claim: Claim | None = None

    @property
    def appeared(self) -> str:
        """When this copy first existed as far as anyone can tell: its publication date when
        the page gives one no later than the capture, else the capture time."""
        if self.published and self.published[:19] <= self.captured_at[:19]:
            return self.published
        return self.captured_at


@dataclass(frozen=True)
class Origin:
    kind: str  # "canonical" | "jsonld" | "syndication" | "earliest"
    member: Member | None  # None: the origin is not in the archive
    url: str | None
    outlet: str | None
    evidence: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "url": self.member.url if self.member else self.url, "outlet": self.outlet,
                "archived": self.member is not None, "evidence": self.evidence,
                "document_id": self.member.document_id if self.member else None}


def _on(host: str, hosts: Iterable[str]) -> bool:
    host = _bare(host)
    return any(host == h or host.endswith("." + h) for h in map(_bare, hosts))


def resolve(members: Sequence[Member]) -> Origin | None:
    """The origin of a group of copies (see the module docstring)."""
    if not members:
        return None
    by_key = {m.urlkey: m for m in members}
    earliest = sorted(members, key=lambda m: (m.appeared, m.captured_at, m.document_id))
    claims = [m.claim for m in earliest if m.claim is not None]
    for c in claims:
        if c.urlkey and c.urlkey in by_key:
            return Origin(c.kind, by_key[c.urlkey], c.url, c.outlet, c.evidence)
    for c in claims:
        if c.hosts:
            on_host = [m for m in earliest if _on(m.host, c.hosts)]
            if on_host:
                return Origin(c.kind, on_host[0], None, c.outlet, c.evidence)
    for c in claims:  # the claimed origin is not archived: say where it is
        if c.url or c.outlet:
            return Origin(c.kind, None, c.url, c.outlet or (url_host(c.url) if c.url else None), c.evidence)
    return Origin("earliest", earliest[0], None, None, None)
