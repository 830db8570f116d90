"""The embedded index: one SQLite file in WAL mode, full-text search with FTS5.

Everything but the connection, the schema's SQLite parts and search lives in
`archive.index.sql.SqlIndex`.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Callable, Iterator, Sequence, TypeVar

from archive.index.model import RANK_WINDOW, SCHEMA_VERSION, Document, QuerySyntaxError
from archive.index.sql import COMMON_SCHEMA, SqlIndex, row_to
from archive.index.stories import SQLITE_STORY_BANDS, pack_keys
from archive.index.text import SQLITE_TOKENIZER, normalize_for_search

T = TypeVar("T")

SCHEMA = COMMON_SCHEMA.format(id="INTEGER PRIMARY KEY", now="strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                              story_bands=SQLITE_STORY_BANDS) + """
-- host is indexed too, so that `archive search --site` filters inside FTS5 (a doclist
-- intersection) instead of joining every match to its document row.
-- Title and text are indexed as archive.index.text.normalize_for_search makes them (the
-- search_text() SQL function every SqliteIndex connection registers); queries go through it too.
-- So never 'rebuild' it from the content table (that indexes the raw text): see _migrate_fts.
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    title, text, host, content='documents', content_rowid='id', tokenize="{tokenizer}"
);
CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text, host)
        VALUES (new.id, search_text(new.title), search_text(new.text), new.host);
END;
CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text, host)
        VALUES ('delete', old.id, search_text(old.title), search_text(old.text), old.host);
END;
""".replace("{tokenizer}", SQLITE_TOKENIZER)


class SqliteIndex(SqlIndex):
    """One SQLite file in WAL mode; every write is one transaction."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"no archive index at {self.path}")
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30,
                                      check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        # The triggers index what this function makes of title and text.
        self.db.create_function("search_text", 1, normalize_for_search, deterministic=True)
        if not readonly:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            with self.db:
                _migrate_fts(self.db)
                self.db.executescript(SCHEMA)
                _migrate_story_bands(self.db)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT(key)"
                                " DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),))
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys=ON")
        self._fts_has_host = "host" in _fts_columns(self.db)
        # An index opened read-only before its migration keeps its old tokens: queries as typed.
        self._fts_normalized = _fts_is_current(self.db)
        # An archive made before story signatures, opened read-only, has no story tables yet.
        self._has_stories = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'story_signatures'").fetchone() is not None

    def story(self, document_id: int) -> dict | None:
        return super().story(document_id) if self._has_stories else None

    # -- SqlIndex hooks -------------------------------------------------------------------
    def _rows(self, sql: str, params: tuple | list = ()) -> list[dict]:
        return [dict(row) for row in self.db.execute(sql, tuple(params))]

    def _stream(self, sql: str, params: tuple | list = ()) -> Iterator[dict]:
        for row in self.db.execute(sql, tuple(params)):
            yield dict(row)

    def _insert_many(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """One prepared INSERT run per row (executemany): SQLite adds indexed rows about twice
        as fast that way as from one multi-row VALUES list."""
        self.db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                            rows)

    def _atomic(self, work: Callable[[], T]) -> T:
        with self.db:
            return work()

    def close(self) -> None:
        self.db.close()

    # -- full-text search -----------------------------------------------------------------
    def search(self, match: str, *, host: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 20) -> list[tuple[Document, float, str]]:
        try:
            return self._search(match, host=host, since=since, until=until, limit=limit)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "disk" in str(exc):
                raise
            raise QuerySyntaxError(str(exc)) from None

    def _search(self, match: str, *, host: str | None, since: str | None, until: str | None,
                limit: int) -> list[tuple[Document, float, str]]:
        """Current documents matching the FTS5 expression `match`, best bm25 first (title
        weighs 5x the body), one per URL: its best-matching capture. A query matching more than
        RANK_WINDOW documents (after filters) is ranked among the most recent RANK_WINDOW. Each hit carries its score and a snippet with matches between \x02 and
        \x03 (the caller escapes, then marks). Raises QuerySyntaxError on a malformed expression."""
        where, params = ["d.superseded_by IS NULL"], []
        for clause, value in (("d.host = ?", host), ("d.captured_at >= ?", since), ("d.captured_at <= ?", until)):
            if value is not None:
                where.append(clause)
                params.append(value)
        # Ranking scores every match; joining each match to its document row costs more
        # than scoring, so the join is done lazily (below).
        # Scoring is linear in the matches: for a query that matches more than RANK_WINDOW
        # documents (a very common word), rank the RANK_WINDOW most recently stored matches
        # only (FTS5 walks its doclist by rowid, newest first, cheaply). The site filter runs
        # inside FTS5 (host column) and dates become a rowid range, so filters keep the window.
        if self._fts_normalized:
            match = normalize_for_search(match)
        weights = "5.0, 1.0"
        if self._fts_has_host:  # the words in title and text only; the site inside FTS5
            weights = "5.0, 1.0, 0.0"
            match = "{title text} : (" + match + ")"
            if host is not None:
                match += ' AND host : "' + " ".join(re.findall(r"\w+", host)) + '"'
        # Dates narrow the rowids FTS5 looks at (a superset: the exact test is in the join).
        window = ""
        for aggregate, operator, bound in (("min", ">=", since), ("max", "<=", until)):
            if bound is not None:
                edge = self.db.execute(f"SELECT {aggregate}(id) FROM documents WHERE captured_at {operator} ?",
                                       (bound,)).fetchone()[0]
                if edge is None:
                    return []
                window += f" AND rowid {operator} {int(edge)}"
        if host is None or self._fts_has_host:
            cutoff = self.db.execute(f"SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?{window}"
                                     " ORDER BY rowid DESC LIMIT 1 OFFSET ?", (match, self.rank_window - 1)).fetchone()
            if cutoff is not None:
                window += f" AND rowid >= {int(cutoff[0])}"
        # Score the matches once inside FTS5 (at most RANK_WINDOW when the window applies),
        # then walk them best first, checking filters and one-hit-per-URL in batches: only
        # as many document rows are read as it takes to fill `limit`.
        scored = self.db.execute(f"SELECT rowid, bm25(documents_fts, {weights}) FROM documents_fts"
                                 f" WHERE documents_fts MATCH ?{window} ORDER BY 2", (match,))
        rows, seen, batch_size = [], set(), max(limit * 5, 100)
        while len(rows) < limit and (batch := scored.fetchmany(batch_size)):
            ids = [doc_id for doc_id, _ in batch]
            keep = dict(self.db.execute(
                f"SELECT d.id, d.urlkey FROM documents d WHERE d.id IN ({','.join('?' * len(ids))})"
                f" AND {' AND '.join(where)}", (*ids, *params)).fetchall())
            for doc_id, score in batch:
                key = keep.get(doc_id)
                if key is not None and key not in seen and len(rows) < limit:
                    seen.add(key)
                    rows.append({"id": doc_id, "score": score})
            batch_size = min(batch_size * 4, 5000)
        hits = []
        for row in rows:
            snippet = self.db.execute(
                "SELECT snippet(documents_fts, 1, char(2), char(3), ' … ', 16) FROM documents_fts"
                " WHERE documents_fts MATCH ? AND rowid = ?", (match, row["id"])).fetchone()[0]
            hits.append((self.document_by_id(row["id"]), row["score"], snippet or ""))
        return hits

    def phrase_candidates(self, tokens: Sequence[str], *, limit: int, offset: int = 0) -> list[Document]:
        """Current documents whose text holds `tokens` as an FTS5 phrase, by first appearance
        (see `Index.phrase_candidates`)."""
        if not tokens:
            return []
        column = "text : " if self._fts_has_host else ""
        rows = self._rows(
            "SELECT d.* FROM documents d WHERE d.superseded_by IS NULL AND d.id IN"
            " (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
            f" ORDER BY {APPEARED}, d.captured_at, d.id LIMIT ? OFFSET ?", (column + _phrase(tokens), limit, offset))
        return [row_to(Document, row) for row in rows]


APPEARED = "CASE WHEN d.published IS NOT NULL AND d.published <= d.captured_at THEN d.published ELSE d.captured_at END"


def _phrase(tokens: Sequence[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _fts_columns(db: sqlite3.Connection) -> list[str]:
    return [row[1] for row in db.execute("PRAGMA table_info(documents_fts)")]


def _fts_is_current(db: sqlite3.Connection) -> bool:
    """The full-text index has the host column and today's tokenizer and triggers."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_ai'").fetchone()
    table = db.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()
    return (table is not None and SQLITE_TOKENIZER in table[0] and row is not None and "search_text" in row[0]
            and "host" in _fts_columns(db))


def _migrate_fts(db: sqlite3.Connection) -> None:
    """Archives made before schema 2 (no host column) or 4 (no search normalization, the old
    tokenizer): rebuild the full-text index from the documents, once."""
    if not _fts_columns(db) or _fts_is_current(db):
        return
    db.execute("DROP TRIGGER IF EXISTS documents_ai")
    db.execute("DROP TRIGGER IF EXISTS documents_ad")
    db.execute("DROP TABLE documents_fts")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO documents_fts(rowid, title, text, host)"
               " SELECT id, search_text(title), search_text(text), host FROM documents")


def _migrate_story_bands(db: sqlite3.Connection) -> None:
    """Archives made before schema 6 (band rows in a rowid table with an index by key and one by
    document, no `bands` column): the band keys of each signature row into its `bands` column,
    the band rows into the WITHOUT ROWID table, once."""
    table = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'story_bands'").fetchone()
    if table is None or "WITHOUT ROWID" in table[0].upper():
        return
    if not db.in_transaction:
        db.execute("BEGIN")  # one transaction: DDL does not open one by itself
    if "bands" not in [row[1] for row in db.execute("PRAGMA table_info(story_signatures)")]:
        db.execute("ALTER TABLE story_signatures ADD COLUMN bands TEXT")
    db.execute("ALTER TABLE story_bands RENAME TO story_bands_before_6")
    db.execute(SQLITE_STORY_BANDS)
    db.execute("INSERT OR IGNORE INTO story_bands (key, document_id)"
               " SELECT key, document_id FROM story_bands_before_6 ORDER BY key, document_id")
    document, keys, packed = None, [], []
    rows = db.execute("SELECT document_id, key FROM story_bands_before_6 ORDER BY document_id, key")
    for document_id, key in [*rows, (None, None)]:
        if document_id != document and document is not None:
            packed.append((pack_keys(sorted(set(keys))), document))
            keys = []
        document = document_id
        keys.append(key)
    db.executemany("UPDATE story_signatures SET bands = ? WHERE document_id = ?", packed)
    db.execute("DROP TABLE story_bands_before_6")
