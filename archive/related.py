"""The same story across outlets, as archivists ask for it: `related` (a document's copies
elsewhere, their origin, then related coverage) and `quote` (where a passage first appeared
and every later capture holding it). Shared by the command line and the web viewer, like
`archive.retrieval`, whose NotFound / BadRequest they raise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from archive.index import Document
from archive.retrieval import BadRequest, NotFound, get_document
from archive.stories import member
from archive.stories.origin import Member, Origin, resolve
from archive.stories.signature import Similarity, decode, similarity, term_keys
from archive.stories.text import QUOTE_MARKS, normalize

# Related coverage by names: at least this many shared, published within this many days.
MIN_SHARED_NAMES = 3
WINDOW_DAYS = 3
MAX_PASSAGE_CHARS = 2000
MIN_PASSAGE_WORDS = 3
PHRASE_TOKENS = 16  # the full-text phrase query uses this many words; the exact check all
NO_SIGNATURES = ("has no story signature yet (stored before story signatures existed): "
                 "run `archive reextract` once to compute them")


@dataclass
class Copy:
    member: Member
    title: str | None
    similarity: Similarity

    def to_dict(self) -> dict[str, Any]:
        m = self.member
        return {"url": m.url, "host": m.host, "title": self.title, "captured_at": m.captured_at,
                "published": m.published, "jaccard": self.similarity.jaccard,
                "containment": self.similarity.containment,
                "claims": None if m.claim is None else {"kind": m.claim.kind, "url": m.claim.url,
                                                        "outlet": m.claim.outlet, "evidence": m.claim.evidence}}


@dataclass
class Coverage:
    member: Member
    title: str | None
    shared_quotes: int
    shared_names: int

    def to_dict(self) -> dict[str, Any]:
        m = self.member
        return {"url": m.url, "host": m.host, "title": self.title, "captured_at": m.captured_at,
                "published": m.published, "shared_quotes": self.shared_quotes, "shared_names": self.shared_names}


@dataclass
class Story:
    document: Document
    cluster_id: int
    origin: Origin | None
    copies: list[Copy] = field(default_factory=list)
    related: list[Coverage] = field(default_factory=list)

    @property
    def is_origin(self) -> bool:
        return self.origin is not None and self.origin.member is not None \
            and self.origin.member.urlkey == self.document.urlkey

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.document.url, "title": self.document.title, "cluster_id": self.cluster_id,
                "origin": self.origin.to_dict() if self.origin else None, "is_origin": self.is_origin,
                "copies": [c.to_dict() for c in self.copies], "related": [r.to_dict() for r in self.related]}


def _newest_per_url(rows: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in rows:
        best = out.get(row["urlkey"])
        if best is None or (row["captured_at"], row["document_id"]) > (best["captured_at"], best["document_id"]):
            out[row["urlkey"]] = row
    return out


def related(index, url: str, at: str | None = None, *, limit: int = 20) -> Story:
    """The copies of the document at `url` (newest first, with similarity), the origin of the
    group, and related coverage on other pages (newest first)."""
    if not 1 <= limit <= 1000:
        raise BadRequest("limit must be between 1 and 1000")
    document = get_document(index, url, at)
    own = index.story(document.id)
    if own is None:
        raise NotFound(f"{document.url} {NO_SIGNATURES}")
    mine = decode(own["minhash"])
    members = index.story_members(own["cluster_id"])
    origin = resolve([member(r) for r in members]) if len(_newest_per_url(members)) > 1 else None
    copies = [Copy(member(r), r["title"], similarity(mine, own["shingles"], decode(r["minhash"]), r["shingles"]))
              for key, r in _newest_per_url(members).items() if key != document.urlkey]
    copies.sort(key=lambda c: (c.member.captured_at, c.member.document_id), reverse=True)
    in_story = {r["urlkey"] for r in members}
    quotes, names = term_keys(document.text)
    shared: dict[int, list[int]] = {}
    for row in index.story_terms_shared(quotes):
        shared.setdefault(row["document_id"], [0, 0])[0] = row["shared"]
    for row in index.story_terms_shared(names, first_day=own["day"] - WINDOW_DAYS, last_day=own["day"] + WINDOW_DAYS):
        shared.setdefault(row["document_id"], [0, 0])[1] = row["shared"]
    coverage = []
    for key, r in _newest_per_url(index.story_rows(list(shared))).items():
        n_quotes, n_names = shared[r["document_id"]]
        if key in in_story or key == document.urlkey:
            continue
        if n_quotes or (n_names >= MIN_SHARED_NAMES and r["host"] != document.host):
            coverage.append(Coverage(member(r), r["title"], n_quotes, n_names))
    coverage.sort(key=lambda c: (c.member.appeared, c.member.document_id), reverse=True)
    return Story(document, own["cluster_id"], origin, copies[:limit], coverage[:limit])


# -- quote ----------------------------------------------------------------------------------
@dataclass
class Appearance:
    document: Document

    @property
    def appeared(self) -> str:
        d = self.document
        return d.published if d.published and d.published[:19] <= d.captured_at[:19] else d.captured_at

    def to_dict(self) -> dict[str, Any]:
        d = self.document
        return {"url": d.url, "host": d.host, "title": d.title, "captured_at": d.captured_at,
                "published": d.published, "appeared": self.appeared}


@dataclass
class Quote:
    passage: str
    appearances: list[Appearance]
    complete: bool  # False: more captures hold the passage than `limit`

    def to_dict(self) -> dict[str, Any]:
        first, *later = [a.to_dict() for a in self.appearances]
        return {"passage": self.passage, "first": first, "later": later, "complete": self.complete}


def fts_tokens(passage: str) -> list[str]:
    """The passage's words as the full-text tokenizer splits them (quote marks are separators)."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", passage))


def quote(index, passage: str, *, limit: int = 100) -> Quote:
    """Every current capture whose cleaned text holds `passage`, first appearance first
    (publication date where the page gives one no later than its capture, else the capture
    time). Quote marks, dashes, whitespace and case do not have to match."""
    passage = (passage or "").strip().strip(QUOTE_MARKS).strip()
    if len(passage) > MAX_PASSAGE_CHARS:
        raise BadRequest(f"passage longer than {MAX_PASSAGE_CHARS} characters")
    tokens = fts_tokens(passage)
    if len(tokens) < MIN_PASSAGE_WORDS:
        raise BadRequest(f"give a passage of at least {MIN_PASSAGE_WORDS} words (got {passage!r})")
    if not 1 <= limit <= 1000:
        raise BadRequest("limit must be between 1 and 1000")
    wanted = normalize(passage)
    found, offset, batch = [], 0, max(limit * 2, 50)
    while len(found) <= limit:
        candidates = index.phrase_candidates(tokens[:PHRASE_TOKENS], limit=batch, offset=offset)
        found += [Appearance(d) for d in candidates if wanted in normalize(d.text)]
        if len(candidates) < batch:
            break
        offset += batch
    if not found:
        raise NotFound(f"no cleaned copy in the archive holds the passage {passage!r}")
    return Quote(passage, found[:limit], len(found) <= limit)
