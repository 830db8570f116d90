"""SqliteIndex.search: ranking within FTS5 first must not lose hits that filters keep."""

from __future__ import annotations

from archive.index import SCHEMA_VERSION, Document, SqliteIndex


def _add(index: SqliteIndex, n: int, host: str, text: str, urlkey: str | None = None,
         captured_at: str | None = None) -> None:
    key = urlkey or f"http://{host}/a/{n}"
    index.db.execute("INSERT INTO captures (id, url, urlkey, host, fetched_at, status, record_type, record_id,"
                     " warc_file, warc_offset, warc_length) VALUES (?,?,?,?,?,200,'response',?,'f',0,1)",
                     (n, key, key, host, f"2024-01-01T00:00:{n % 60:02d}Z", f"<r{n}>"))
    index.add_document(Document(capture_id=n, url=key, urlkey=key, host=host,
                                captured_at=captured_at or f"2024-01-{1 + n % 28:02d}T00:00:00Z", page_type="article",
                                title="t", text=text, text_digest=str(n)))


def test_filtered_hits_are_found_beyond_the_best_ranked_matches(tmp_path):
    index = SqliteIndex(tmp_path / "i.sqlite3")
    for n in range(1, 400):  # strong matches on one host
        _add(index, n, "big.org", "flood flood flood")
    _add(index, 1000, "small.org", "a long text that mentions the flood only once among many other words")
    hits = index.search("flood", host="small.org", limit=5)
    assert [document.host for document, _, _ in hits] == ["small.org"]
    assert len(index.search("flood", limit=500)) == 400


def test_one_hit_per_url_even_when_its_captures_fill_the_top(tmp_path):
    index = SqliteIndex(tmp_path / "i.sqlite3")
    for n in range(1, 300):
        _add(index, n, "big.org", "storm storm storm", urlkey="http://big.org/same")
    for n in range(300, 303):
        _add(index, n, "other.org", "storm and more words here to lower the score")
    hits = index.search("storm", limit=4)
    assert len(hits) == 4 and len({document.urlkey for document, _, _ in hits}) == 4


def test_a_very_common_word_is_ranked_among_the_most_recent_matches(tmp_path):

    index = SqliteIndex(tmp_path / "i.sqlite3")
    _add(index, 1, "old.org", "tide tide tide tide tide")  # the best match, stored first
    for n in range(2, 60):
        _add(index, n, "new.org", f"the tide came in on day {n} with many other words around it")
    assert index.search("tide", limit=1)[0][0].host == "old.org"  # within the window: found
    index.rank_window = 20
    hits = index.search("tide", limit=50)
    assert len(hits) == 20 and all(document.capture_id > 59 - 20 for document, _, _ in hits)
    # The site filter works inside FTS5: the old page is the only match there, so it is found.
    assert index.search("tide", host="old.org", limit=1)[0][0].host == "old.org"
    assert index.search("tide", since="2030-01-01", limit=1) == []


def test_a_date_filter_narrows_the_matches_before_the_window(tmp_path):

    index = SqliteIndex(tmp_path / "i.sqlite3")
    for n in range(1, 60):  # stored in capture order, two a day
        _add(index, n, "x.org", "tide " * (5 if n == 1 else 1) + f"day {n}",
             captured_at=f"2024-03-{1 + n // 2:02d}T00:00:00Z")
    index.rank_window = 20
    assert index.search("tide", limit=1)[0][0].capture_id != 1  # outside the window of the newest 20
    hits = index.search("tide", until="2024-03-03T00:00:00Z", limit=10)
    assert hits[0][0].capture_id == 1 and {d.capture_id for d, _, _ in hits} == {1, 2, 3, 4, 5}


def test_words_of_the_host_name_are_not_searched_as_text(tmp_path):
    index = SqliteIndex(tmp_path / "i.sqlite3")
    _add(index, 1, "rferl.org", "a story about rivers")
    _add(index, 2, "npr.org", "a story about rferl reporters")
    assert [d.host for d, _, _ in index.search("rferl")] == ["npr.org"]
    assert [d.host for d, _, _ in index.search("story", host="rferl.org")] == ["rferl.org"]


def test_an_index_made_before_the_host_column_is_migrated_on_open(tmp_path):
    import sqlite3

    path = tmp_path / "i.sqlite3"
    index = SqliteIndex(path)
    _add(index, 1, "rferl.org", "flood barriers on the river")
    _add(index, 2, "npr.org", "flood maps redrawn")
    index.db.commit()
    index.db.executescript("""
        DROP TRIGGER documents_ai; DROP TRIGGER documents_ad; DROP TABLE documents_fts;
        CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id');
        INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
        UPDATE meta SET value = '1' WHERE key = 'schema_version';""")
    index.close()
    old = SqliteIndex(path, readonly=True)  # read-only: searched as it is
    assert {d.host for d, _, _ in old.search("flood", host="npr.org")} == {"npr.org"}
    old.close()
    migrated = SqliteIndex(path)
    columns = [row[1] for row in migrated.db.execute("PRAGMA table_info(documents_fts)")]
    assert columns == ["title", "text", "host"]
    assert migrated.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert [d.host for d, _, _ in migrated.search("flood", host="rferl.org")] == ["rferl.org"]
    _add(migrated, 3, "npr.org", "flood insurance rises")  # the triggers index new rows again
    assert len(migrated.search("flood", host="npr.org")) == 2
