"""Grouping cleaned copies into stories when they are stored.

`prepare` runs before a cleaned copy is written: it signs the text, asks the index for the
documents sharing an LSH band key, keeps those that are really copies (`is_copy` on the
MinHash estimates) or earlier captures of the same URL (revisions), and resolves the origin
as it stands, so the WARC metadata record can say it. `rows` is what the index stores with
the document, in the document's transaction: the signature, and the groups of its copies it
joins (merging them when it bridges two).

Grouping is single-link: a copy of a copy is in the same story. Every pair above the
threshold is compared when the later of the two is stored, so the groups do not depend on
the order in which documents arrive (`archive reextract` rebuilds them and gets the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from archive.index.model import StoryRows
from archive.stories.origin import Claim, Member, Origin, claim as claim_of, resolve
from archive.stories.signature import (SIGNATURE_VERSION, Signature, Similarity, article_text, day_number, decode,
                                       is_copy, signature, similarity)


@dataclass
class Pending:
    """A signed document waiting for its id."""

    signature: Signature
    claim: Claim | None
    day: int
    copies: list[tuple[dict[str, Any], Similarity]] = field(default_factory=list)
    clusters: list[int] = field(default_factory=list)
    origin: Origin | None = None

    def metadata(self) -> dict[str, Any]:
        """What the WARC metadata record says about the story at storage time."""
        return {"signature_version": SIGNATURE_VERSION,
                "claimed_origin": None if self.claim is None else {
                    "kind": self.claim.kind, "url": self.claim.url, "outlet": self.claim.outlet,
                    "evidence": self.claim.evidence},
                "copies_found": [{"urlkey": row["urlkey"], "jaccard": sim.jaccard, "containment": sim.containment}
                                 for row, sim in self.copies],
                "origin": self.origin.to_dict() if self.origin else None}


def member(row: dict[str, Any]) -> Member:
    """A `story_members` / `story_rows` row as the origin resolution sees it."""
    claim = None
    if row.get("claim_kind"):
        claim = Claim(row["claim_kind"], url=row.get("claim_url"), urlkey=row.get("claim_urlkey"),
                      outlet=row.get("claim_outlet"), hosts=tuple((row.get("claim_hosts") or "").split()),
                      evidence=row.get("claim_evidence"))
    return Member(row["document_id"], row["url"], row["urlkey"], row["host"], row["captured_at"], row.get("published"),
                  claim)


def prepare(index, *, url: str, urlkey: str, host: str, captured_at: str, cleaned: dict[str, Any],
            drop_blocks: Iterable[str] = (), normalise=None, ignore: Iterable[int] = ()) -> Pending:
    text = article_text(cleaned.get("text") or "", drop_blocks, normalise)
    sig = signature(text)
    published = cleaned.get("published")
    pending = Pending(sig, claim_of(url, cleaned), day_number(published or captured_at))
    skip = set(ignore)
    for row in index.story_candidates(sig.bands):
        if row["document_id"] in skip:
            continue
        sim = similarity(sig.minhash, sig.shingles, decode(row["minhash"]), row["shingles"])
        if row["urlkey"] == urlkey or is_copy(sim, sig.shingles, row["shingles"]):
            pending.copies.append((row, sim))
    pending.clusters = sorted({row["cluster_id"] for row, _ in pending.copies})
    if pending.copies:
        members = [member(r) for c in pending.clusters for r in index.story_members(c) if r["document_id"] not in skip]
        members.append(Member(0, url, urlkey, host, captured_at, published, pending.claim))
        pending.origin = resolve(members)
    return pending


def rows(pending: Pending, *, urlkey: str, host: str) -> StoryRows:
    """What the index stores for a signed document (its id is filled in by the index)."""
    c = pending.claim
    row = {"cluster_id": pending.clusters[0] if pending.clusters else None, "urlkey": urlkey, "host": host,
           "day": pending.day, "shingles": pending.signature.shingles, "minhash": pending.signature.encoded(),
           "claim_kind": c.kind if c else None, "claim_url": c.url if c else None,
           "claim_urlkey": c.urlkey if c else None, "claim_outlet": c.outlet if c else None,
           "claim_hosts": " ".join(c.hosts) if c and c.hosts else None, "claim_evidence": c.evidence if c else None}
    return StoryRows(row, pending.signature.bands, pending.signature.quotes + pending.signature.names,
                     pending.clusters)
