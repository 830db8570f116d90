"""Boilerplate recognised by its shape: the lines no container rule can name.

Applied to extracted paragraphs (family and generic paths alike) and usable on plain text
lines (naive extractions). Actions: `drop` the line; `rights` drop it and keep it as the
document's rights line; `strip` cut the matched part out of the line; `drop_following` drop
the line and up to N short lines after it (a notice and its explanation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from archive.extract.profiles import Signature, all_signatures


@dataclass
class Filtered:
    kept: list[str]
    removed: list[str] = field(default_factory=list)
    rights: str | None = None


def apply_signatures(lines: Sequence[str], signatures: Iterable[Signature] | None = None) -> Filtered:
    """Keep the lines no signature claims; report what was removed and the rights line."""
    rules = tuple(all_signatures() if signatures is None else signatures)
    out = Filtered(kept=[])
    skip, limit = 0, 0
    for line in lines:
        if skip:
            skip -= 1
            if len(line) <= limit:
                out.removed.append(line)
                continue
            skip = 0
        text = line
        for rule in rules:
            if rule.action == "strip":
                text = rule.pattern.sub("", text).strip()
                continue
            if not rule.pattern.search(text):
                continue
            if rule.action == "rights" and out.rights is None:
                out.rights = text.strip()
            elif rule.action == "drop_following":
                skip, limit = rule.following, rule.following_max_chars
            text = ""
            break
        if text:
            out.kept.append(text)
        else:
            out.removed.append(line)
    return out
