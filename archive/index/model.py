"""What the index holds (captures, documents) and what the archive asks of it, whatever the
database behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Protocol, Sequence

# 1: first schema; 2: host column in the full-text index, documents.captured_at indexed;
# 3: documents unique on their conversion record id (a retried write never duplicates);
# 4: the full-text index holds archive.index.text.normalize_for_search(title/text), with a
#    tokenizer that keeps ZWNJ, combining marks and Armenian in-word marks inside words
#    (SQLite: the FTS table is rebuilt from the documents on first writable open);
# 5: story signatures, LSH band keys and term keys (archive.index.stories);
# 6: a signature row keeps its band keys; band rows without an index by document (SQLite: a
#    WITHOUT ROWID table, rebuilt on first writable open).
SCHEMA_VERSION = 6
# Searches matching more documents than this rank the most recent this many.
RANK_WINDOW = 20_000
# PostgreSQL's ts_rank reads each match's tsvector (bm25 reads FTS5 doclists): a smaller window.
POSTGRES_RANK_WINDOW = 1_000


class QuerySyntaxError(ValueError):
    """The search expression cannot be read by the index (the caller may retry it literally)."""


class IndexUnavailable(RuntimeError):
    """The index server could not be reached within the configured wait."""


@dataclass
class Capture:
    url: str
    urlkey: str
    host: str
    fetched_at: str
    status: int
    record_type: str
    record_id: str
    warc_file: str
    warc_offset: int
    warc_length: int
    mime: str | None = None
    payload_digest: str | None = None
    revisit_of: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    run_id: str | None = None
    profile: str | None = None
    id: int | None = None


@dataclass
class Document:
    capture_id: int
    url: str
    urlkey: str
    host: str
    captured_at: str
    page_type: str
    title: str | None
    text: str
    text_digest: str
    metadata: dict[str, Any] = field(default_factory=dict)
    published: str | None = None
    profile: str | None = None
    rules_version: str | None = None
    extractor: str | None = None
    conversion_file: str | None = None
    conversion_offset: int | None = None
    conversion_length: int | None = None
    conversion_record_id: str | None = None
    metadata_record_id: str | None = None
    superseded_by: int | None = None
    created_at: str | None = None
    id: int | None = None


@dataclass
class StoryRows:
    """A document's story signature as the index stores it (archive.index.stories): the
    `story_signatures` columns but `document_id` (a `cluster_id` of None means the document
    starts its own group), its LSH band keys and term keys, and the groups it joins."""

    row: dict[str, Any]
    bands: list[int]
    terms: list[int]
    merge: list[int] = field(default_factory=list)


class Index(Protocol):
    """What the archive needs from an index. `archive.index.sql.SqlIndex` implements it once
    in portable SQL; `SqliteIndex` and `PostgresIndex` add their connection, schema and
    full-text search."""

    url: str

    def add_capture(self, capture: Capture) -> int: ...
    def add_document(self, document: Document, *, supersedes: int | None = None,
                     story: StoryRows | None = None) -> int: ...
    def record_run(self, run_id: str, spider: str, started_at: str, *, finished_at: str | None = None,
                   status: str | None = None, report: dict | None = None) -> None: ...
    def save_learned(self, host: str, data: str) -> None: ...
    def remove_rows_past(self, ends: dict[str, int]) -> tuple[list[str], list[int]]: ...
    def capture(self, capture_id: int) -> Capture | None: ...
    def latest_capture(self, urlkey: str, at: str | None = None) -> Capture | None: ...
    def original_capture(self, urlkey: str, payload_digest: str) -> Capture | None: ...
    def captures(self, urlkey: str) -> list[Capture]: ...
    def document(self, urlkey: str, at: str | None = None) -> Document | None: ...
    def document_by_id(self, document_id: int) -> Document | None: ...
    def document_for_capture(self, capture_id: int) -> Document | None: ...
    def documents(self, urlkey: str, *, include_superseded: bool = False) -> list[Document]: ...
    def all_captures(self) -> Iterator[Capture]: ...
    def all_documents(self, *, include_superseded: bool = False) -> Iterator[Document]: ...
    def captured_urlkeys(self, urlkeys: Iterable[str]) -> set[str]: ...
    def url_state(self, urlkey: str) -> dict[str, Any] | None: ...
    def run_done(self, run_id: str) -> set[str]: ...
    def capture_history(self, urlkey: str) -> list[dict[str, Any]]: ...
    def search(self, match: str, *, host: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 20) -> list[tuple[Document, float, str]]: ...
    def current_documents(self, host: str | None = None) -> list[tuple[int, str, Capture]]: ...
    def learned(self) -> dict[str, str]: ...
    def run(self, run_id: str) -> dict | None: ...
    def runs(self) -> list[dict]: ...
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...
    # story signatures (archive.index.stories, portable SQL)
    def story_candidates(self, band_keys: Sequence[int]) -> list[dict[str, Any]]: ...
    def add_story(self, document_id: int, story: StoryRows, *, replaces: Sequence[int] = ()) -> None: ...
    def clear_stories(self, host: str | None = None) -> None: ...
    def story(self, document_id: int) -> dict[str, Any] | None: ...
    def story_members(self, cluster_id: int) -> list[dict[str, Any]]: ...
    def story_terms_shared(self, keys: Sequence[int], *, first_day: int | None = None, last_day: int | None = None,
                           limit: int = 200) -> list[dict[str, Any]]: ...
    def story_rows(self, document_ids: Sequence[int]) -> list[dict[str, Any]]: ...
    def story_count(self) -> int: ...

    def phrase_candidates(self, tokens: Sequence[str], *, limit: int, offset: int = 0) -> list[Document]:
        """Dialect-specific (full-text phrase search). Current documents whose text holds
        `tokens` (words as the full-text tokenizer splits them) consecutively, ignoring case,
        diacritics and punctuation between them; ordered by when each first appeared:
        `published` when not later than `captured_at`, else `captured_at`; then captured_at,
        id. A superset is fine: the caller checks each candidate exactly."""
        ...
