"""The archive index: which capture of which URL sits where, and the cleaned documents.

SQL and nothing about HTML or WARC parsing. `Index` is the interface the rest of the
archive uses; `SqliteIndex` is the embedded default (WAL, FTS5). A PostgreSQL index would
implement the same methods (DESIGN.md "past one machine").
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator, Protocol

# 2: host column in documents_fts, index on documents.captured_at (migrated on open).
SCHEMA_VERSION = 2
# Unfiltered searches matching more documents than this rank the most recent this many.
RANK_WINDOW = 20_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    urlkey TEXT NOT NULL,
    host TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER NOT NULL,
    mime TEXT,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL UNIQUE,
    payload_digest TEXT,
    warc_file TEXT NOT NULL,
    warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL,
    revisit_of INTEGER REFERENCES captures(id),
    etag TEXT,
    last_modified TEXT,
    run_id TEXT,
    profile TEXT
);
CREATE INDEX IF NOT EXISTS captures_urlkey ON captures(urlkey, fetched_at);
CREATE INDEX IF NOT EXISTS captures_digest ON captures(urlkey, payload_digest);

CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    capture_id INTEGER NOT NULL REFERENCES captures(id),
    url TEXT NOT NULL,
    urlkey TEXT NOT NULL,
    host TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    page_type TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    text_digest TEXT NOT NULL,
    published TEXT,
    profile TEXT,
    rules_version TEXT,
    extractor TEXT,
    metadata TEXT NOT NULL,
    conversion_file TEXT,
    conversion_offset INTEGER,
    conversion_length INTEGER,
    conversion_record_id TEXT,
    metadata_record_id TEXT,
    superseded_by INTEGER REFERENCES documents(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX IF NOT EXISTS documents_urlkey ON documents(urlkey, captured_at);
CREATE INDEX IF NOT EXISTS documents_capture ON documents(capture_id);
CREATE INDEX IF NOT EXISTS documents_captured_at ON documents(captured_at);

-- host is indexed too, so that `archive search --site` filters inside FTS5 (a doclist
-- intersection) instead of joining every match to its document row.
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    title, text, host, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text, host) VALUES (new.id, new.title, new.text, new.host);
END;
CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text, host)
        VALUES ('delete', old.id, old.title, old.text, old.host);
END;

CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    spider TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT,
    report TEXT
);

CREATE TABLE IF NOT EXISTS learned_boilerplate (
    host TEXT PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


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


class Index(Protocol):
    """What the archive needs from an index, whatever the database behind it."""

    def add_capture(self, capture: Capture) -> int: ...
    def add_document(self, document: Document) -> int: ...
    def capture(self, capture_id: int) -> Capture | None: ...
    def latest_capture(self, urlkey: str, at: str | None = None) -> Capture | None: ...
    def original_capture(self, urlkey: str, payload_digest: str) -> Capture | None: ...
    def captures(self, urlkey: str) -> list[Capture]: ...
    def document(self, urlkey: str, at: str | None = None) -> Document | None: ...
    def documents(self, urlkey: str) -> list[Document]: ...
    def close(self) -> None: ...


def _row_to(cls, row: sqlite3.Row | None):
    if row is None:
        return None
    data = dict(row)
    if cls is Document:
        data["metadata"] = json.loads(data["metadata"] or "{}")
    return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class SqliteIndex:
    """The embedded index: one SQLite file in WAL mode; every write is one transaction."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"no archive index at {self.path}")
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30,
                                      check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            with self.db:
                _add_host_to_fts(self.db)
                self.db.executescript(SCHEMA)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT(key)"
                                " DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),))
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys=ON")
        self._fts_has_host = "host" in _fts_columns(self.db)

    # -- writes ---------------------------------------------------------------------------
    def add_capture(self, capture: Capture) -> int:
        data = asdict(capture)
        data.pop("id")
        with self.db:
            cursor = self.db.execute(
                f"INSERT INTO captures ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})",
                tuple(data.values()))
        capture.id = cursor.lastrowid
        return capture.id

    def add_document(self, document: Document, *, supersedes: int | None = None) -> int:
        data = asdict(document)
        for key in ("id", "created_at", "superseded_by"):
            data.pop(key)
        data["metadata"] = json.dumps(data["metadata"], ensure_ascii=False, sort_keys=True)
        with self.db:
            cursor = self.db.execute(
                f"INSERT INTO documents ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})",
                tuple(data.values()))
            if supersedes is not None:
                self.db.execute("UPDATE documents SET superseded_by = ? WHERE id = ?",
                                (cursor.lastrowid, supersedes))
        document.id = cursor.lastrowid
        return document.id

    def record_run(self, run_id: str, spider: str, started_at: str, *, finished_at: str | None = None,
                   status: str | None = None, report: dict | None = None) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO runs (id, spider, started_at, finished_at, status, report) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET finished_at=excluded.finished_at, status=excluded.status,"
                " report=excluded.report",
                (run_id, spider, started_at, finished_at, status,
                 json.dumps(report, sort_keys=True) if report is not None else None))

    def save_learned(self, host: str, data: str) -> None:
        with self.db:
            self.db.execute("INSERT INTO learned_boilerplate VALUES (?, ?) ON CONFLICT(host) DO UPDATE"
                            " SET data = excluded.data", (host, data))

    def remove_rows_past(self, ends: dict[str, int]) -> tuple[list[str], list[int]]:
        """For `archive recover`: delete rows pointing past `ends[warc file name]` (a removed
        file has end 0), with what depends on them: revisits of a removed capture, documents
        of a removed capture. A document a removed one had superseded becomes current again.
        Returns (removed capture record ids, removed document ids)."""
        db = self.db
        captures: dict[int, str] = {}
        documents: set[int] = set()
        for name, end in ends.items():
            for row in db.execute("SELECT id, record_id FROM captures WHERE warc_file = ?"
                                  " AND warc_offset + warc_length > ?", (name, end)):
                captures[row[0]] = row[1]
            documents.update(row[0] for row in db.execute(
                "SELECT id FROM documents WHERE conversion_file = ? AND conversion_offset + conversion_length > ?",
                (name, end)))
        frontier = list(captures)
        while frontier:  # revisits whose original is gone would refer to nothing
            marks = ",".join("?" * len(frontier))
            rows = db.execute(f"SELECT id, record_id FROM captures WHERE revisit_of IN ({marks})", frontier).fetchall()
            frontier = [row[0] for row in rows if row[0] not in captures]
            captures.update((row[0], row[1]) for row in rows)
        if captures:
            marks = ",".join("?" * len(captures))
            documents.update(row[0] for row in db.execute(
                f"SELECT id FROM documents WHERE capture_id IN ({marks})", list(captures)))
        with db:
            if documents:
                marks = ",".join("?" * len(documents))
                db.execute(f"UPDATE documents SET superseded_by = NULL WHERE superseded_by IN ({marks})",
                           list(documents))
                db.execute(f"DELETE FROM documents WHERE id IN ({marks})", list(documents))
            if captures:
                marks = ",".join("?" * len(captures))
                db.execute(f"DELETE FROM captures WHERE id IN ({marks})", list(captures))
        return sorted(captures.values()), sorted(documents)

    # -- reads ----------------------------------------------------------------------------
    def capture(self, capture_id: int) -> Capture | None:
        row = self.db.execute("SELECT * FROM captures WHERE id = ?", (capture_id,)).fetchone()
        return _row_to(Capture, row)

    def latest_capture(self, urlkey: str, at: str | None = None) -> Capture | None:
        """The newest capture of `urlkey` at or before `at` (any record type)."""
        row = self.db.execute(
            "SELECT * FROM captures WHERE urlkey = ? AND fetched_at <= ? ORDER BY fetched_at DESC, id DESC"
            " LIMIT 1", (urlkey, at or "9999")).fetchone()
        return _row_to(Capture, row)

    def original_capture(self, urlkey: str, payload_digest: str) -> Capture | None:
        """The first `response` capture of `urlkey` with this payload: what a revisit refers to."""
        row = self.db.execute(
            "SELECT * FROM captures WHERE urlkey = ? AND payload_digest = ? AND record_type = 'response'"
            " ORDER BY fetched_at LIMIT 1", (urlkey, payload_digest)).fetchone()
        return _row_to(Capture, row)

    def captures(self, urlkey: str) -> list[Capture]:
        rows = self.db.execute("SELECT * FROM captures WHERE urlkey = ? ORDER BY fetched_at, id", (urlkey,))
        return [_row_to(Capture, row) for row in rows]

    def document(self, urlkey: str, at: str | None = None) -> Document | None:
        """The current (not superseded) document of the newest capture at or before `at`."""
        row = self.db.execute(
            "SELECT * FROM documents WHERE urlkey = ? AND captured_at <= ? AND superseded_by IS NULL"
            " ORDER BY captured_at DESC, id DESC LIMIT 1", (urlkey, at or "9999")).fetchone()
        return _row_to(Document, row)

    def document_for_capture(self, capture_id: int) -> Document | None:
        row = self.db.execute("SELECT * FROM documents WHERE capture_id = ? AND superseded_by IS NULL"
                              " ORDER BY id DESC LIMIT 1", (capture_id,)).fetchone()
        return _row_to(Document, row)

    def documents(self, urlkey: str, *, include_superseded: bool = False) -> list[Document]:
        sql = "SELECT * FROM documents WHERE urlkey = ?"
        if not include_superseded:
            sql += " AND superseded_by IS NULL"
        rows = self.db.execute(sql + " ORDER BY captured_at, id", (urlkey,))
        return [_row_to(Document, row) for row in rows]

    def all_captures(self) -> Iterator[Capture]:
        for row in self.db.execute("SELECT * FROM captures ORDER BY id"):
            yield _row_to(Capture, row)

    def all_documents(self, *, include_superseded: bool = False) -> Iterator[Document]:
        sql = "SELECT * FROM documents"
        if not include_superseded:
            sql += " WHERE superseded_by IS NULL"
        for row in self.db.execute(sql + " ORDER BY id"):
            yield _row_to(Document, row)

    def url_state(self, urlkey: str) -> dict[str, Any] | None:
        """What a scheduled crawl needs to know of a URL: first and last capture times, the
        validators of the last response, the run that last captured it, and whether a current
        cleaned copy exists. None when the URL was never captured."""
        row = self.db.execute(
            "SELECT min(fetched_at) AS first_fetched, max(fetched_at) AS last_fetched FROM captures"
            " WHERE urlkey = ?", (urlkey,)).fetchone()
        if row is None or row["first_fetched"] is None:
            return None
        last = self.db.execute(
            "SELECT etag, last_modified, run_id, status FROM captures WHERE urlkey = ? ORDER BY fetched_at DESC,"
            " id DESC LIMIT 1", (urlkey,)).fetchone()
        validators = self.db.execute(
            "SELECT etag, last_modified FROM captures WHERE urlkey = ? AND record_type = 'response' AND status = 200"
            " ORDER BY fetched_at DESC LIMIT 1", (urlkey,)).fetchone()
        has_document = self.db.execute(
            "SELECT 1 FROM documents WHERE urlkey = ? AND superseded_by IS NULL LIMIT 1", (urlkey,)).fetchone()
        return {"first_fetched": row["first_fetched"], "last_fetched": row["last_fetched"],
                "last_run_id": last["run_id"], "last_status": last["status"],
                "etag": validators["etag"] if validators else None,
                "last_modified": validators["last_modified"] if validators else None,
                "has_document": has_document is not None}

    def run_done(self, run_id: str) -> set[str]:
        """URL keys one run has finished: a revisit, or a response with its cleaned copy stored.
        A resumed run skips these; anything else it fetches again (an identical payload then
        becomes a revisit, not a second copy)."""
        rows = self.db.execute(
            "SELECT DISTINCT c.urlkey FROM captures c WHERE c.run_id = ? AND (c.record_type = 'revisit'"
            " OR EXISTS (SELECT 1 FROM documents d WHERE d.capture_id = c.id))", (run_id,))
        return {row[0] for row in rows}

    # -- retrieval (archive get/history/search, archive serve) ------------------------------
    def capture_history(self, urlkey: str) -> list[dict[str, Any]]:
        """Every capture of `urlkey`, oldest first, with the current cleaned copy that stands
        for it: its own, or for a revisit the one of the response it refers to."""
        rows = self.db.execute(
            "SELECT c.*, d.id AS document_id, d.text_digest AS text_digest, d.title AS title"
            " FROM captures c LEFT JOIN documents d"
            " ON d.capture_id = COALESCE(c.revisit_of, c.id) AND d.superseded_by IS NULL"
            " WHERE c.urlkey = ? ORDER BY c.fetched_at, c.id", (urlkey,))
        return [dict(row) for row in rows]

    def search(self, match: str, *, host: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 20) -> list[tuple[Document, float, str]]:
        """Current documents matching the FTS5 expression `match`, best bm25 first (title
        weighs 5x the body), one per URL: its best-matching capture. A query matching more than
        RANK_WINDOW documents (after filters) is ranked among the most recent RANK_WINDOW. Each hit carries its score and a snippet with matches between \x02 and
        \x03 (the caller escapes, then marks). Raises sqlite3.OperationalError on a malformed expression."""
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
                                     " ORDER BY rowid DESC LIMIT 1 OFFSET ?", (match, RANK_WINDOW - 1)).fetchone()
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

    def document_by_id(self, document_id: int) -> Document | None:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        return _row_to(Document, row)

    def current_documents(self, host: str | None = None) -> list[tuple[int, str, Capture]]:
        """(document id, text digest, capture) of every current cleaned copy, optionally of
        one host, in capture order: the work list of re-extraction."""
        sql = ("SELECT d.id AS document_id, d.text_digest AS text_digest, c.* FROM documents d"
               " JOIN captures c ON c.id = d.capture_id WHERE d.superseded_by IS NULL")
        params: tuple = ()
        if host is not None:
            sql += " AND d.host = ?"
            params = (host,)
        return [(row["document_id"], row["text_digest"], _row_to(Capture, row))
                for row in self.db.execute(sql + " ORDER BY c.id", params)]

    def learned(self) -> dict[str, str]:
        return {row["host"]: row["data"] for row in self.db.execute("SELECT * FROM learned_boilerplate")}

    def run(self, run_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return {**dict(row), "report": json.loads(row["report"]) if row["report"] else None} if row else None

    def runs(self) -> list[dict]:
        rows = self.db.execute("SELECT * FROM runs ORDER BY started_at DESC")
        return [{**dict(row), "report": json.loads(row["report"]) if row["report"] else None} for row in rows]

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "captures": one("SELECT count(*) FROM captures"),
            "responses": one("SELECT count(*) FROM captures WHERE record_type = 'response'"),
            "revisits": one("SELECT count(*) FROM captures WHERE record_type = 'revisit'"),
            "urls": one("SELECT count(DISTINCT urlkey) FROM captures"),
            "documents": one("SELECT count(*) FROM documents WHERE superseded_by IS NULL"),
            "articles": one("SELECT count(DISTINCT urlkey) FROM documents"
                            " WHERE superseded_by IS NULL AND page_type = 'article'"),
            "hosts": one("SELECT count(DISTINCT host) FROM captures"),
        }

    def close(self) -> None:
        self.db.close()


def _fts_columns(db: sqlite3.Connection) -> list[str]:
    return [row[1] for row in db.execute("PRAGMA table_info(documents_fts)")]


def _add_host_to_fts(db: sqlite3.Connection) -> None:
    """Archives made before the host column: rebuild the full-text index with it (once)."""
    columns = _fts_columns(db)
    if not columns or "host" in columns:
        return
    db.execute("DROP TRIGGER IF EXISTS documents_ai")
    db.execute("DROP TRIGGER IF EXISTS documents_ad")
    db.execute("DROP TABLE documents_fts")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
