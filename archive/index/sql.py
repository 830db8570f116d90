"""The index once, in SQL that SQLite and PostgreSQL both speak.

`SqlIndex` holds every query of the archive index; a backend subclass supplies the
connection (`_rows`, `_atomic`), the schema and the full-text search. Statements are written
with `?` placeholders; a backend whose driver wants another style translates them in `_rows`.

Writes are idempotent where a crawl may retry them: a capture is keyed on its WARC-Record-ID
and a document on its conversion record id, so the same write twice leaves one row.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from archive.index.model import RANK_WINDOW, Capture, Document, StoryRows
from archive.index.stories import STORY_SCHEMA, StoryQueries

T = TypeVar("T")

# The tables every backend shares. `{id}` is the backend's auto-increment primary key,
# `{now}` its expression for the current UTC time as an ISO string.
COMMON_SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    id {id},
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
    warc_offset BIGINT NOT NULL,
    warc_length BIGINT NOT NULL,
    revisit_of BIGINT REFERENCES captures(id),
    etag TEXT,
    last_modified TEXT,
    run_id TEXT,
    profile TEXT
);
CREATE INDEX IF NOT EXISTS captures_urlkey ON captures(urlkey, fetched_at);
CREATE INDEX IF NOT EXISTS captures_digest ON captures(urlkey, payload_digest);
CREATE INDEX IF NOT EXISTS captures_run ON captures(run_id);
CREATE INDEX IF NOT EXISTS captures_file ON captures(warc_file);

CREATE TABLE IF NOT EXISTS documents (
    id {id},
    capture_id BIGINT NOT NULL REFERENCES captures(id),
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
    conversion_offset BIGINT,
    conversion_length BIGINT,
    conversion_record_id TEXT,
    metadata_record_id TEXT,
    superseded_by BIGINT REFERENCES documents(id),
    created_at TEXT NOT NULL DEFAULT ({now})
);
CREATE INDEX IF NOT EXISTS documents_urlkey ON documents(urlkey, captured_at);
CREATE INDEX IF NOT EXISTS documents_capture ON documents(capture_id);
CREATE INDEX IF NOT EXISTS documents_captured_at ON documents(captured_at);
CREATE UNIQUE INDEX IF NOT EXISTS documents_conversion ON documents(conversion_record_id);

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
""" + STORY_SCHEMA


# Named, not `*`: a backend may keep wide columns of its own in the table (a tsvector).
DOCUMENT_FIELDS = ", ".join(Document.__dataclass_fields__)


def row_to(cls, row: dict | None):
    if row is None:
        return None
    data = dict(row)
    if cls is Document:
        data["metadata"] = json.loads(data["metadata"] or "{}")
    return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _report(row: dict) -> dict:
    return {**dict(row), "report": json.loads(row["report"]) if row["report"] else None}


class SqlIndex(StoryQueries):
    """Every index query, in portable SQL. Subclasses implement the hooks below."""

    url: str = ""
    rank_window: int = RANK_WINDOW  # searches matching more rank the most recent this many

    # -- hooks ------------------------------------------------------------------------------
    def _rows(self, sql: str, params: tuple | list = ()) -> list[dict]:
        """Run one statement; its rows as dicts (empty for statements without rows)."""
        raise NotImplementedError

    def _stream(self, sql: str, params: tuple | list = ()) -> Iterator[dict]:
        """Like `_rows`, for result sets too large to hold at once."""
        return iter(self._rows(sql, params))

    def _atomic(self, work: Callable[[], T]) -> T:
        """Run `work` (which calls `_rows`) in one transaction; a backend may retry it whole."""
        raise NotImplementedError

    def _each_atomic(self, work: Callable[[], T]) -> T:
        """Run `work`, whose statements are each safe on their own (an upsert, then a read of
        the row it met), so that no transaction need hold them together; by default in one."""
        return self._atomic(work)

    def _insert_many(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert `rows` into `table`; by default as one multi-row INSERT (one round trip to a
        database server)."""
        if rows:
            marks = "(" + ", ".join("?" * len(columns)) + ")"
            self._rows(f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ",".join([marks] * len(rows)),
                       [value for row in rows for value in row])

    def _document_extra(self, document: Document) -> dict[str, Any]:
        """Backend-specific columns of a new document row (e.g. a text-search configuration)."""
        return {}

    def search(self, match: str, *, host: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 20) -> list[tuple[Document, float, str]]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- helpers ----------------------------------------------------------------------------
    def _row(self, sql: str, params: tuple | list = ()) -> dict | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _value(self, sql: str, params: tuple | list = ()) -> Any:
        row = self._row(sql, params)
        return next(iter(row.values())) if row else None

    def _insert(self, table: str, data: dict[str, Any], *, unique: str | None = None) -> int:
        """Insert one row and return its id; with `unique`, an existing row with the same
        value of that column is returned instead of a second one."""
        return self._insert_or_find(table, data, unique=unique)[0]

    def _insert_or_find(self, table: str, data: dict[str, Any], *, unique: str | None = None) -> tuple[int, bool]:
        """`_insert`, and whether the row is new (False: the existing row with that `unique`)."""
        columns = ", ".join(data)
        marks = ", ".join("?" * len(data))
        if unique is None:
            return self._value(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id",
                               tuple(data.values())), True
        new = self._value(f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({unique})"
                          " DO NOTHING RETURNING id", tuple(data.values()))
        if new is not None:
            return new, True
        return self._value(f"SELECT id FROM {table} WHERE {unique} = ?", (data[unique],)), False

    # -- writes -----------------------------------------------------------------------------
    def add_capture(self, capture: Capture) -> int:
        data = asdict(capture)
        data.pop("id")
        capture.id = self._each_atomic(lambda: self._insert("captures", data, unique="record_id"))
        return capture.id

    def add_document(self, document: Document, *, supersedes: int | None = None,
                     story: StoryRows | None = None) -> int:
        """Insert a cleaned copy (marking `supersedes` superseded), with its story signature
        in the same transaction when given."""
        data = asdict(document)
        for key in ("id", "created_at", "superseded_by"):
            data.pop(key)
        data["metadata"] = json.dumps(data["metadata"], ensure_ascii=False, sort_keys=True)
        data.update(self._document_extra(document))
        if supersedes is None and story is not None and data["conversion_record_id"] is not None:
            new = self._insert_new_document(data, story)
            if new is not None:
                document.id = new
                return new

        def work() -> int:
            new, created = self._insert_or_find(
                "documents", data, unique=None if data["conversion_record_id"] is None else "conversion_record_id")
            replaced = [supersedes] if supersedes is not None and supersedes != new else []
            if replaced:
                self._rows("UPDATE documents SET superseded_by = ? WHERE id = ?", (new, supersedes))
            if story is not None:  # a new row has no story rows yet: only what it replaces is deleted
                self._write_story(new, story, replaced, fresh=created)
            return new

        document.id = self._atomic(work)
        return document.id

    def _insert_new_document(self, data: dict[str, Any], story: StoryRows) -> int | None:
        """A backend's shortcut for the common write, a new cleaned copy with its story rows
        that supersedes nothing: the new row's id, or None when the backend has none or the row
        was there already (then the transaction of `add_document` does the work)."""
        return None

    def record_run(self, run_id: str, spider: str, started_at: str, *, finished_at: str | None = None,
                   status: str | None = None, report: dict | None = None) -> None:
        params = (run_id, spider, started_at, finished_at, status,
                  json.dumps(report, sort_keys=True) if report is not None else None)
        self._each_atomic(lambda: self._rows(
            "INSERT INTO runs (id, spider, started_at, finished_at, status, report) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(id) DO UPDATE SET finished_at=excluded.finished_at, status=excluded.status,"
            " report=excluded.report", params))

    def save_learned(self, host: str, data: str) -> None:
        self._each_atomic(lambda: self._rows(
            "INSERT INTO learned_boilerplate (host, data) VALUES (?, ?) ON CONFLICT(host) DO UPDATE"
            " SET data = excluded.data", (host, data)))

    def remove_rows_past(self, ends: dict[str, int]) -> tuple[list[str], list[int]]:
        """For `archive recover`: delete rows pointing past `ends[warc file name]` (a removed
        file has end 0), with what depends on them: revisits of a removed capture, documents
        of a removed capture. A document a removed one had superseded becomes current again.
        Returns (removed capture record ids, removed document ids)."""
        captures: dict[int, str] = {}
        documents: set[int] = set()
        for name, end in ends.items():
            for row in self._rows("SELECT id, record_id FROM captures WHERE warc_file = ?"
                                  " AND warc_offset + warc_length > ?", (name, end)):
                captures[row["id"]] = row["record_id"]
            documents.update(row["id"] for row in self._rows(
                "SELECT id FROM documents WHERE conversion_file = ? AND conversion_offset + conversion_length > ?",
                (name, end)))
        frontier = list(captures)
        while frontier:  # revisits whose original is gone would refer to nothing
            marks = ",".join("?" * len(frontier))
            rows = self._rows(f"SELECT id, record_id FROM captures WHERE revisit_of IN ({marks})", frontier)
            frontier = [row["id"] for row in rows if row["id"] not in captures]
            captures.update((row["id"], row["record_id"]) for row in rows)
        if captures:
            marks = ",".join("?" * len(captures))
            documents.update(row["id"] for row in self._rows(
                f"SELECT id FROM documents WHERE capture_id IN ({marks})", list(captures)))

        def work() -> None:
            if documents:
                self._delete_stories(sorted(documents))
                marks = ",".join("?" * len(documents))
                self._rows(f"UPDATE documents SET superseded_by = NULL WHERE superseded_by IN ({marks})",
                           list(documents))
                self._rows(f"DELETE FROM documents WHERE id IN ({marks})", list(documents))
            if captures:
                marks = ",".join("?" * len(captures))
                self._rows(f"DELETE FROM captures WHERE id IN ({marks})", list(captures))

        self._atomic(work)
        return sorted(captures.values()), sorted(documents)

    # -- reads ------------------------------------------------------------------------------
    def capture(self, capture_id: int) -> Capture | None:
        return row_to(Capture, self._row("SELECT * FROM captures WHERE id = ?", (capture_id,)))

    def latest_capture(self, urlkey: str, at: str | None = None) -> Capture | None:
        """The newest capture of `urlkey` at or before `at` (any record type)."""
        return row_to(Capture, self._row(
            "SELECT * FROM captures WHERE urlkey = ? AND fetched_at <= ? ORDER BY fetched_at DESC, id DESC"
            " LIMIT 1", (urlkey, at or "9999")))

    def original_capture(self, urlkey: str, payload_digest: str) -> Capture | None:
        """The first `response` capture of `urlkey` with this payload: what a revisit refers to."""
        return row_to(Capture, self._row(
            "SELECT * FROM captures WHERE urlkey = ? AND payload_digest = ? AND record_type = 'response'"
            " ORDER BY fetched_at, id LIMIT 1", (urlkey, payload_digest)))

    def captures(self, urlkey: str) -> list[Capture]:
        rows = self._rows("SELECT * FROM captures WHERE urlkey = ? ORDER BY fetched_at, id", (urlkey,))
        return [row_to(Capture, row) for row in rows]

    def document(self, urlkey: str, at: str | None = None) -> Document | None:
        """The current (not superseded) document of the newest capture at or before `at`."""
        return row_to(Document, self._row(
            f"SELECT {DOCUMENT_FIELDS} FROM documents WHERE urlkey = ? AND captured_at <= ? AND superseded_by IS NULL"
            " ORDER BY captured_at DESC, id DESC LIMIT 1", (urlkey, at or "9999")))

    def document_by_id(self, document_id: int) -> Document | None:
        return row_to(Document, self._row(f"SELECT {DOCUMENT_FIELDS} FROM documents WHERE id = ?", (document_id,)))

    def document_for_capture(self, capture_id: int) -> Document | None:
        return row_to(Document, self._row(f"SELECT {DOCUMENT_FIELDS} FROM documents WHERE capture_id = ? AND superseded_by IS NULL"
                                       " ORDER BY id DESC LIMIT 1", (capture_id,)))

    def documents(self, urlkey: str, *, include_superseded: bool = False) -> list[Document]:
        sql = f"SELECT {DOCUMENT_FIELDS} FROM documents WHERE urlkey = ?"
        if not include_superseded:
            sql += " AND superseded_by IS NULL"
        return [row_to(Document, row) for row in self._rows(sql + " ORDER BY captured_at, id", (urlkey,))]

    def all_captures(self) -> Iterator[Capture]:
        for row in self._stream("SELECT * FROM captures ORDER BY id"):
            yield row_to(Capture, row)

    def all_documents(self, *, include_superseded: bool = False) -> Iterator[Document]:
        sql = f"SELECT {DOCUMENT_FIELDS} FROM documents"
        if not include_superseded:
            sql += " WHERE superseded_by IS NULL"
        for row in self._stream(sql + " ORDER BY id"):
            yield row_to(Document, row)

    def captured_urlkeys(self, urlkeys: Iterable[str]) -> set[str]:
        """Which of `urlkeys` have any capture (a few hundred per query): a crawl asks this
        once for a whole sitemap or listing rather than `url_state` once per URL."""
        keys, found = sorted(set(urlkeys)), set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            found.update(row["urlkey"] for row in self._rows(
                f"SELECT DISTINCT urlkey FROM captures WHERE urlkey IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def url_state(self, urlkey: str) -> dict[str, Any] | None:
        """What a scheduled crawl needs to know of a URL: first and last capture times, the
        validators of the last response, the run that last captured it, and whether a current
        cleaned copy exists. None when the URL was never captured."""
        row = self._row("SELECT min(fetched_at) AS first_fetched, max(fetched_at) AS last_fetched FROM captures"
                        " WHERE urlkey = ?", (urlkey,))
        if row is None or row["first_fetched"] is None:
            return None
        last = self._row("SELECT etag, last_modified, run_id, status FROM captures WHERE urlkey = ?"
                         " ORDER BY fetched_at DESC, id DESC LIMIT 1", (urlkey,))
        validators = self._row(
            "SELECT etag, last_modified FROM captures WHERE urlkey = ? AND record_type = 'response' AND status = 200"
            " ORDER BY fetched_at DESC LIMIT 1", (urlkey,))
        has_document = self._row(
            "SELECT 1 AS yes FROM documents WHERE urlkey = ? AND superseded_by IS NULL LIMIT 1", (urlkey,))
        return {"first_fetched": row["first_fetched"], "last_fetched": row["last_fetched"],
                "last_run_id": last["run_id"], "last_status": last["status"],
                "etag": validators["etag"] if validators else None,
                "last_modified": validators["last_modified"] if validators else None,
                "has_document": has_document is not None}

    def run_done(self, run_id: str) -> set[str]:
        """URL keys one run has finished: a response with its cleaned copy stored, or a revisit
        of a URL that has a current cleaned copy. A resumed run skips these; anything else it
        fetches again (an identical payload then becomes a revisit, not a second copy, and a
        revisit of an original never cleaned has it cleaned: a kill between the two is mended)."""
        rows = self._rows(
            "SELECT DISTINCT c.urlkey FROM captures c WHERE c.run_id = ? AND (EXISTS (SELECT 1 FROM documents d"
            " WHERE d.capture_id = c.id) OR c.record_type = 'revisit' AND EXISTS (SELECT 1 FROM documents d"
            " WHERE d.urlkey = c.urlkey AND d.superseded_by IS NULL))", (run_id,))
        return {row["urlkey"] for row in rows}

    def capture_history(self, urlkey: str) -> list[dict[str, Any]]:
        """Every capture of `urlkey`, oldest first, with the current cleaned copy that stands
        for it: its own, or for a revisit the one of the response it refers to."""
        return self._rows(
            "SELECT c.*, d.id AS document_id, d.text_digest AS text_digest, d.title AS title"
            " FROM captures c LEFT JOIN documents d"
            " ON d.capture_id = COALESCE(c.revisit_of, c.id) AND d.superseded_by IS NULL"
            " WHERE c.urlkey = ? ORDER BY c.fetched_at, c.id", (urlkey,))

    def current_documents(self, host: str | None = None) -> list[tuple[int, str, Capture]]:
        """(document id, text digest, capture) of every current cleaned copy, optionally of
        one host, in capture order: the work list of re-extraction."""
        sql = ("SELECT d.id AS document_id, d.text_digest AS text_digest, c.* FROM documents d"
               " JOIN captures c ON c.id = d.capture_id WHERE d.superseded_by IS NULL")
        params: tuple = ()
        if host is not None:
            sql += " AND d.host = ?"
            params = (host,)
        return [(row["document_id"], row["text_digest"], row_to(Capture, row))
                for row in self._stream(sql + " ORDER BY c.id", params)]

    def learned(self) -> dict[str, str]:
        return {row["host"]: row["data"] for row in self._rows("SELECT * FROM learned_boilerplate")}

    def run(self, run_id: str) -> dict | None:
        row = self._row("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _report(row) if row else None

    def runs(self) -> list[dict]:
        return [_report(row) for row in self._rows("SELECT * FROM runs ORDER BY started_at DESC")]

    def counts(self) -> dict[str, int]:
        one = self._value
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

    def schema_version(self) -> int:
        value = self._value("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(value) if value is not None else 0

    def _set_schema_version(self, version: int) -> None:
        self._rows("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key)"
                   " DO UPDATE SET value = excluded.value", (str(version),))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
