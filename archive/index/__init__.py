"""The archive index: which capture of which URL sits where, and the cleaned documents.

SQL and nothing about HTML or WARC parsing. `Index` (in `model`) is what the rest of the
archive uses; `sql.SqlIndex` implements it once in portable SQL, and two backends add a
connection, a schema and full-text search:

- `sqlite.SqliteIndex`, the embedded default: one file, WAL, FTS5;
- `postgresql.PostgresIndex`, for an archive several crawl workers and archivists share:
  tsvector + GIN, transactions that survive a server restart.

`open_index(url)` picks one by URL: `sqlite:///path/to/index.sqlite3` (SQLAlchemy-style:
`sqlite:////abs/path` for an absolute path) or `postgresql://user@host:port/db`.
"""

from __future__ import annotations

from pathlib import Path

from archive.index.model import (  # noqa: F401
    RANK_WINDOW, SCHEMA_VERSION, Capture, Document, Index, IndexUnavailable, QuerySyntaxError, StoryRows,
)
from archive.index.sqlite import SqliteIndex  # noqa: F401

SQLITE_PREFIX = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class BadIndexURL(ValueError):
    """An ARCHIVE_INDEX value that names no backend this archive knows."""


def sqlite_url(path: str | Path) -> str:
    return SQLITE_PREFIX + str(path)


def check_url(url: str) -> None:
    """Raise BadIndexURL unless `url` names a backend this archive knows."""
    if not url.startswith((SQLITE_PREFIX, *POSTGRES_SCHEMES)):
        raise BadIndexURL(f"ARCHIVE_INDEX {redact(url)!r} is not sqlite:///PATH or postgresql://...")


def open_index(url: str, *, readonly: bool = False) -> Index:
    """The index named by `url` (see the module docstring)."""
    check_url(url)
    if url.startswith(SQLITE_PREFIX):
        return SqliteIndex(url[len(SQLITE_PREFIX):], readonly=readonly)
    from archive.index.postgresql import PostgresIndex  # psycopg only where it is used

    return PostgresIndex(url, readonly=readonly)


def redact(url: str) -> str:
    """`url` without its password, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    credentials, _, location = rest.partition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user + ':***' if ':' in credentials else user}@{location}"
