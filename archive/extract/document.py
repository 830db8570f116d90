"""The cleaned copy of one page: article text plus the metadata an archivist asks for.

Captions and credits live in `images`, author cards in `authors`/`author_bios`, the NPR
syndication line in `rights`; `text` holds article paragraphs and nothing else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class CleanDocument:
    url: str
    title: str | None = None
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site: str | None = None
    section: str | None = None
    page_type: str = "unknown"
    images: list[dict[str, Any]] = field(default_factory=list)
    author_bios: list[str] = field(default_factory=list)
    rights: str | None = None
    # Where the page says it comes from: rel=canonical, and a JSON-LD isBasedOn /
    # mainEntityOfPage URL (archive.stories reads an origin on another host from them).
    canonical: str | None = None
    source_url: str | None = None
    profile: str = "generic"
    layout: str | None = None
    rules_version: str | None = None
    extractor: str = ""
    removed: int = 0
    # Body blocks before learned-boilerplate filtering: what the learner observes. Not stored.
    body_blocks: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["body_blocks"]
        return data

    def to_text(self) -> str:
        """Plain text: a short header, the article, then the rights line if any."""
        head = [self.title or "(untitled)"]
        if self.authors:
            head.append("By: " + ", ".join(self.authors))
        if self.published:
            head.append("Published: " + self.published)
        parts = ["\n".join(head), self.text]
        if self.rights:
            parts.append(self.rights)
        return "\n\n".join(p for p in parts if p).rstrip() + "\n"

    def to_markdown(self) -> str:
        lines = [f"# {self.title or '(untitled)'}", ""]
        meta = [("URL", f"<{self.url}>"), ("By", ", ".join(self.authors)), ("Published", self.published),
                ("Modified", self.modified), ("Site", self.site), ("Type", self.page_type)]
        lines += [f"- **{k}:** {v}" for k, v in meta if v]
        lines += ["", self.text, ""]
        for image in self.images:
            caption = " ".join(x for x in (image.get("caption"), image.get("credit") and f"({image['credit']})") if x)
            lines.append(f"![{caption}]({image.get('src') or ''})")
        for bio in self.author_bios:
            lines += ["", f"> {bio}"]
        if self.rights:
            lines += ["", f"_{self.rights}_"]
        return "\n".join(lines).rstrip() + "\n"
