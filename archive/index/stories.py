"""The index's part of the story logic: signatures, LSH band keys and term keys, in portable
SQL (SQLite and PostgreSQL alike). What counts as a copy is decided in `archive.stories`;
this module only stores and looks up.

- `story_signatures`: one row per current cleaned copy: its group of copies (`cluster_id`),
  MinHash (base64 text), shingle count, day, and the origin it claims;
- `story_bands`: (LSH band key, document): candidates for "is a copy of" come from an index
  lookup on the key, so they scale to millions of documents. Each row is one B-tree entry
  ordered by key (SQLite: a WITHOUT ROWID table, its primary key the whole row; PostgreSQL:
  the table and its key index), with no index by document: the signature row keeps its band
  keys (`bands`), and a document's band rows are deleted by (key, document);
- `story_terms`: (quote or name key, day, document): related coverage, looked up by key
  within a time window.
"""

from __future__ import annotations

import base64
import struct
from typing import Any, Sequence

from archive.index.model import StoryRows

STORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_signatures (
    document_id BIGINT PRIMARY KEY,
    cluster_id BIGINT NOT NULL,
    urlkey TEXT NOT NULL,
    host TEXT NOT NULL,
    day INTEGER NOT NULL,
    shingles INTEGER NOT NULL,
    minhash TEXT NOT NULL,
    bands TEXT,
    claim_kind TEXT,
    claim_url TEXT,
    claim_urlkey TEXT,
    claim_outlet TEXT,
    claim_hosts TEXT,
    claim_evidence TEXT
);
CREATE INDEX IF NOT EXISTS story_signatures_cluster ON story_signatures(cluster_id);
{story_bands}
CREATE TABLE IF NOT EXISTS story_terms (
    key BIGINT NOT NULL,
    day INTEGER NOT NULL,
    document_id BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_terms_key ON story_terms(key, day);
CREATE INDEX IF NOT EXISTS story_terms_document ON story_terms(document_id);
"""

# `{story_bands}` above: the band table as each backend keeps it.
SQLITE_STORY_BANDS = """CREATE TABLE IF NOT EXISTS story_bands (
    key BIGINT NOT NULL,
    document_id BIGINT NOT NULL,
    PRIMARY KEY (key, document_id)
) WITHOUT ROWID;"""
POSTGRES_STORY_BANDS = """CREATE TABLE IF NOT EXISTS story_bands (
    key BIGINT NOT NULL,
    document_id BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_bands_key ON story_bands(key);"""


def pack_keys(keys: Sequence[int]) -> str | None:
    """Band keys as the signature row's `bands` text: base64 of big-endian int64 (what
    PostgreSQL's int8send gives, for its migration); None for none."""
    return base64.b64encode(struct.pack(f">{len(keys)}q", *keys)).decode("ascii") if keys else None


def unpack_keys(text: str | None) -> list[int]:
    if not text:
        return []
    data = base64.b64decode(text)  # (newlines, as PostgreSQL's encode() wraps its output, are skipped)
    return list(struct.unpack(f">{len(data) // 8}q", data))


_MEMBER_COLUMNS = ("s.document_id, s.cluster_id, s.urlkey, s.host, s.day, s.shingles, s.minhash, s.claim_kind,"
                   " s.claim_url, s.claim_urlkey, s.claim_outlet, s.claim_hosts, s.claim_evidence,"
                   " d.url, d.title, d.captured_at, d.published")


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values))


class StoryQueries:
    """Mixed into `SqlIndex`: needs its `_rows`, `_insert_many`, `_atomic`, `_row`."""

    def story_candidates(self, band_keys: Sequence[int]) -> list[dict[str, Any]]:
        """Signatures of the documents sharing at least one LSH band key."""
        if not band_keys:
            return []
        return self._rows(
            "SELECT s.document_id, s.cluster_id, s.urlkey, s.shingles, s.minhash FROM story_signatures s"
            f" WHERE s.document_id IN (SELECT DISTINCT document_id FROM story_bands WHERE key IN ({_marks(band_keys)}))",
            list(band_keys))

    def add_story(self, document_id: int, story: StoryRows, *, replaces: Sequence[int] = ()) -> None:
        """Store one document's signature in its own transaction (`add_document` does the same
        inside the document's transaction)."""
        self._atomic(lambda: self._write_story(document_id, story, replaces))

    def _write_story(self, document_id: int, story: StoryRows, replaces: Sequence[int] = (), *,
                     fresh: bool = False) -> None:
        """Replace what `document_id` (unless `fresh`: a row inserted in this transaction) and
        `replaces` had, fold the groups in `story.merge` into the document's group, insert the
        signature row, its band keys and term keys."""
        bands, terms = sorted(set(story.bands)), sorted(set(story.terms))
        row = {**story.row, "document_id": document_id, "bands": pack_keys(bands)}
        if row.get("cluster_id") is None:
            row["cluster_id"] = document_id
        self._delete_stories([*replaces] if fresh else [document_id, *replaces])
        others = [c for c in story.merge if c != row["cluster_id"]]
        if others:
            self._rows(f"UPDATE story_signatures SET cluster_id = ? WHERE cluster_id IN ({_marks(others)})",
                       [row["cluster_id"], *others])
        self._insert_story_rows(row, bands, terms)

    def _insert_story_rows(self, row: dict[str, Any], bands: Sequence[int], terms: Sequence[int]) -> None:
        """The signature row, its band keys and term keys (`_insert_many`: as the backend
        inserts many rows fastest)."""
        document_id, day = row["document_id"], row["day"]
        self._rows(f"INSERT INTO story_signatures ({', '.join(row)}) VALUES ({_marks(row)})", list(row.values()))
        self._insert_many("story_bands", ("key", "document_id"), [(key, document_id) for key in bands])
        self._insert_many("story_terms", ("key", "day", "document_id"), [(key, day, document_id) for key in terms])

    def _delete_stories(self, document_ids: Sequence[int]) -> None:
        """Every story row of `document_ids`: band rows by (key, document), their keys read from
        the signature rows; term and signature rows by document. A few hundred documents a
        statement: their band rows go in one DELETE of (any of their keys, any of them), which
        is every band row they have (a row of one of them holds one of its own keys)."""
        for start in range(0, len(document_ids), 200):
            chunk = list(document_ids[start:start + 200])
            keys = sorted({key for row in self._rows(
                f"SELECT bands FROM story_signatures WHERE document_id IN ({_marks(chunk)}) AND bands IS NOT NULL",
                chunk) for key in unpack_keys(row["bands"])})
            for at in range(0, len(keys), 5000):
                part = keys[at:at + 5000]
                # (+document_id: each key looked up, its few rows checked; not every (key, document) pair)
                self._rows(f"DELETE FROM story_bands WHERE key IN ({_marks(part)}) AND +document_id IN"
                           f" ({_marks(chunk)})", [*part, *chunk])
            for table in ("story_terms", "story_signatures"):
                self._rows(f"DELETE FROM {table} WHERE document_id IN ({_marks(chunk)})", chunk)

    def clear_stories(self, host: str | None = None) -> None:
        """Forget every signature (of one host): `archive reextract` computes them again."""
        def work() -> None:
            if host is None:
                for table in ("story_bands", "story_terms", "story_signatures"):
                    self._rows(f"DELETE FROM {table}")
                return
            self._delete_stories([row["document_id"] for row in self._rows(
                "SELECT document_id FROM story_signatures WHERE host = ?", (host,))])

        self._atomic(work)

    def story(self, document_id: int) -> dict[str, Any] | None:
        return self._row(f"SELECT {_MEMBER_COLUMNS} FROM story_signatures s JOIN documents d ON d.id = s.document_id"
                         " WHERE s.document_id = ?", (document_id,))

    def story_members(self, cluster_id: int) -> list[dict[str, Any]]:
        """Every current document of one group of copies, with what origin each claims."""
        return self._rows(f"SELECT {_MEMBER_COLUMNS} FROM story_signatures s JOIN documents d ON d.id = s.document_id"
                          " WHERE s.cluster_id = ? AND d.superseded_by IS NULL ORDER BY d.captured_at, d.id",
                          (cluster_id,))

    def story_terms_shared(self, keys: Sequence[int], *, first_day: int | None = None, last_day: int | None = None,
                           limit: int = 200) -> list[dict[str, Any]]:
        """(document_id, shared): documents holding any of `keys` (within the day window),
        most keys shared first."""
        if not keys:
            return []
        sql = f"SELECT document_id, count(*) AS shared FROM story_terms WHERE key IN ({_marks(keys)})"
        params: list = list(keys)
        if first_day is not None and last_day is not None:
            sql += " AND day BETWEEN ? AND ?"
            params += [first_day, last_day]
        return self._rows(sql + " GROUP BY document_id ORDER BY count(*) DESC, document_id DESC LIMIT ?",
                          [*params, limit])

    def story_rows(self, document_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Signature rows with their documents' URL, title and dates (current documents only)."""
        if not document_ids:
            return []
        return self._rows(f"SELECT {_MEMBER_COLUMNS} FROM story_signatures s JOIN documents d ON d.id = s.document_id"
                          f" WHERE s.document_id IN ({_marks(document_ids)}) AND d.superseded_by IS NULL",
                          list(document_ids))

    def story_count(self) -> int:
        return self._value("SELECT count(*) FROM story_signatures") or 0
