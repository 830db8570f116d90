"""Story rows in the index (schema 6): a band row is one entry ordered by key with no index by
document; the signature row keeps its band keys, and a document's band rows are deleted by
(key, document) on both backends. Indexes of schema 5 are migrated on open."""

from __future__ import annotations

import base64
import sqlite3

import pytest

from archive.index import SCHEMA_VERSION, Capture, Document, StoryRows, open_index, sqlite_url
from archive.index.stories import pack_keys, unpack_keys

KEYS = [-(2**63), -5, 0, 7, 2**63 - 1]


def _capture(n: int, host: str = "rferl.org") -> Capture:
    url = f"https://www.{host}/a/{n}.html"
    return Capture(url=url, urlkey=url, host=host, fetched_at=f"2024-05-01T10:00:{n % 60:02d}Z", status=200,
                   record_type="response", record_id=f"<urn:uuid:{n}>", warc_file="f.warc.gz", warc_offset=n * 100,
                   warc_length=100)


def _store(index, n: int, bands, terms=(), host: str = "rferl.org", supersedes=None) -> int:
    capture = _capture(n, host)
    index.add_capture(capture)
    row = {"cluster_id": None, "urlkey": capture.urlkey, "host": host, "day": 20000, "shingles": 30,
           "minhash": "AAAA"}
    return index.add_document(Document(capture_id=capture.id, url=capture.url, urlkey=capture.urlkey, host=host,
                                       captured_at=capture.fetched_at, page_type="article", title="t", text="x",
                                       text_digest="d", conversion_record_id=f"<conv:{n}>"),
                              supersedes=supersedes, story=StoryRows(row, list(bands), list(terms)))


def _bands(index) -> list[tuple[int, int]]:
    return [(r["document_id"], r["key"]) for r in index._rows("SELECT document_id, key FROM story_bands"
                                                              " ORDER BY document_id, key")]


def test_band_keys_pack_into_text_and_back():
    assert unpack_keys(pack_keys(KEYS)) == KEYS
    assert pack_keys([]) is None and unpack_keys(None) == [] and unpack_keys("") == []
    packed = pack_keys(list(range(-30, 30)))
    wrapped = "\n".join(packed[i:i + 76] for i in range(0, len(packed), 76))  # PostgreSQL's encode()
    assert unpack_keys(wrapped) == list(range(-30, 30))
    assert base64.b64decode(pack_keys([1]))[-1] == 1  # big-endian, as int8send


@pytest.fixture(params=["sqlite", "postgresql"])
def index(request, tmp_path):
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else sqlite_url(
        tmp_path / "i.sqlite3")
    index = open_index(url)
    yield index
    index.close()


def test_a_document_keeps_its_band_keys_and_loses_its_band_rows_when_replaced(index):
    first = _store(index, 1, [9, 3, 3, -4], terms=[11])
    other = _store(index, 2, [3, 5], host="npr.org")  # shares key 3: its row stays
    assert unpack_keys(index._value("SELECT bands FROM story_signatures WHERE document_id = ?", (first,))) == [-4, 3, 9]
    assert _bands(index) == sorted([(first, -4), (first, 3), (first, 9), (other, 3), (other, 5)])
    second = _store(index, 3, [3, 8], supersedes=first)
    assert _bands(index) == sorted([(other, 3), (other, 5), (second, 3), (second, 8)])
    assert {r["document_id"] for r in index.story_candidates([3])} == {other, second}
    index.clear_stories("rferl.org")
    assert _bands(index) == [(other, 3), (other, 5)] and index.story_count() == 1
    assert index._value("SELECT count(*) FROM story_terms") == 0
    index.clear_stories()
    assert _bands(index) == [] and index.story_count() == 0


def test_many_documents_are_deleted_in_chunks(index):
    """Documents sharing keys, more than one statement's worth of documents: only theirs go."""
    ids = [_store(index, n, [n % 7, n + 1000, -n]) for n in range(1, 260)]
    keep = {ids[0], ids[5], ids[258]}
    index._atomic(lambda: index._delete_stories([d for d in ids if d not in keep]))
    assert _bands(index) == sorted((d, k) for n, d in zip(range(1, 260), ids) if d in keep
                                   for k in (n % 7, n + 1000, -n))
    assert index.story_count() == 3


def test_sqlite_band_rows_are_one_b_tree_entry_each(tmp_path):
    index = open_index(sqlite_url(tmp_path / "i.sqlite3"))
    sql = index._value("SELECT sql FROM sqlite_master WHERE name = 'story_bands'")
    assert "WITHOUT ROWID" in sql.upper()
    assert index._rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'story_bands'"
                       " AND sql IS NOT NULL") == []
    plan = " ".join(r["detail"] for r in index._rows("EXPLAIN QUERY PLAN SELECT DISTINCT document_id FROM story_bands"
                                                     " WHERE key IN (1, 2)"))
    assert "PRIMARY KEY" in plan  # the lookup reads the rows themselves, ordered by key
    index.close()


def test_an_archive_of_schema_5_is_migrated_on_open(tmp_path):
    path = tmp_path / "i.sqlite3"
    index = open_index(sqlite_url(path))
    first, second = _store(index, 1, [4, -2]), _store(index, 2, [4, 6, 8])
    bands = _bands(index)
    index.close()
    db = sqlite3.connect(path)  # as schema 5 left it
    db.executescript("""
        DROP TABLE story_bands;
        CREATE TABLE story_bands (key BIGINT NOT NULL, document_id BIGINT NOT NULL);
        CREATE INDEX story_bands_key ON story_bands(key);
        CREATE INDEX story_bands_document ON story_bands(document_id);
        ALTER TABLE story_signatures DROP COLUMN bands;
        UPDATE meta SET value = '5' WHERE key = 'schema_version';""")
    db.executemany("INSERT INTO story_bands (key, document_id) VALUES (?, ?)", [(k, d) for d, k in bands])
    db.commit()
    db.close()
    migrated = open_index(sqlite_url(path))
    assert migrated.schema_version() == SCHEMA_VERSION == 6
    assert "WITHOUT ROWID" in migrated._value("SELECT sql FROM sqlite_master WHERE name = 'story_bands'").upper()
    assert migrated._value("SELECT count(*) FROM sqlite_master WHERE name LIKE 'story_bands%'") == 1
    assert _bands(migrated) == bands
    assert {r["document_id"]: unpack_keys(r["bands"]) for r in migrated._rows(
        "SELECT document_id, bands FROM story_signatures")} == {first: [-2, 4], second: [4, 6, 8]}
    third = _store(migrated, 3, [1], supersedes=second)
    assert _bands(migrated) == [(first, -2), (first, 4), (third, 1)]
    migrated.close()


def test_a_postgresql_index_of_schema_5_is_migrated_on_open(postgres_url):
    index = open_index(postgres_url)
    first, second = _store(index, 1, [4, -2]), _store(index, 2, [-(2**63), 6, 2**63 - 1])
    bands = _bands(index)
    index._atomic(lambda: index._rows(
        "ALTER TABLE story_signatures DROP COLUMN bands;"
        " CREATE INDEX story_bands_document ON story_bands(document_id);"
        " UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
    index.close()
    migrated = open_index(postgres_url)
    assert migrated.schema_version() == SCHEMA_VERSION
    assert migrated._value("SELECT count(*) FROM pg_indexes WHERE indexname = 'story_bands_document'") == 0
    assert {r["document_id"]: unpack_keys(r["bands"]) for r in migrated._rows(
        "SELECT document_id, bands FROM story_signatures")} == {first: [-2, 4], second: [-(2**63), 6, 2**63 - 1]}
    third = _store(migrated, 3, [1], supersedes=second)
    assert _bands(migrated) == [(first, -2), (first, 4), (third, 1)] and bands != _bands(migrated)
    migrated.close()
