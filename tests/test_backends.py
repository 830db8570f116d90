"""The shared backends on real servers: PostgreSQL for the index, an S3-compatible server for
WARC files. What one machine never needed: several writers at once, a server restart in the
middle of a crawl, an upload that fails, credentials that must never leak."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from archive.index import Capture, Document, IndexUnavailable, open_index
from archive.store import Archive
from archive.urls import canonical_url
from archive.warc import storage
from archive.warc.verification import verify_archive
from tests import synthetic_archive as synth
from tests.conftest import PROJECT_ROOT
from tests.services.s3 import CREDENTIALS


def _capture(n: int, record: str | None = None) -> Capture:
    url = f"https://www.rferl.org/a/{n}.html"
    return Capture(url=url, urlkey=url, host="rferl.org", fetched_at=f"2024-05-01T10:00:{n % 60:02d}Z",
                   status=200, record_type="response", record_id=record or f"<urn:uuid:{n}>",
                   warc_file="f.warc.gz", warc_offset=n * 100, warc_length=100)


def _writer(url: str, start: int, count: int) -> None:
    index = open_index(url)
    for n in range(start, start + count):
        capture = _capture(n % 150)  # writers overlap: the same record ids come twice
        index.add_capture(capture)
        index.add_document(Document(capture_id=capture.id, url=capture.url, urlkey=capture.urlkey, host="rferl.org",
                                    captured_at=capture.fetched_at, page_type="article", title=f"t{n % 150}",
                                    text="flood " * 5, text_digest="d", conversion_record_id=f"<conv:{n % 150}>"))
    index.close()


def test_concurrent_writers_lose_no_row_and_duplicate_none(postgres_url):
    workers = [multiprocessing.get_context("fork").Process(target=_writer, args=(postgres_url, s, 100))
               for s in (0, 50, 100)]  # 300 writes of 150 distinct records
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    index = open_index(postgres_url, readonly=True)
    counts = index.counts()
    assert counts["captures"] == 150 and counts["documents"] == 150
    assert len({c.record_id for c in index.all_captures()}) == 150
    index.close()


_SLOW_WRITE = """
import sys, time
from archive.index import open_index, Document
from tests.test_backends import _capture
index = open_index(sys.argv[1])
capture = _capture(1)
index.add_capture(capture)
def work():
    new = index._insert("documents", dict(capture_id=capture.id, url=capture.url, urlkey=capture.urlkey,
        host="rferl.org", captured_at=capture.fetched_at, page_type="article", title="half", text="half written",
        text_digest="d", metadata="{}", conversion_record_id="<conv:half>"))
    print("inserted", new, flush=True)
    time.sleep(60)  # killed here, inside the transaction
index._atomic(work)
"""


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_story_rows_are_written_once_per_document_and_replaced_with_what_it_supersedes(kind, tmp_path, request):
    """A new document has no story rows to delete, so none are looked for; a retried write of
    the same cleaned copy and a document superseding another still replace, never add."""
    from archive.index import StoryRows, sqlite_url

    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else sqlite_url(tmp_path / "i.sqlite3")
    index = open_index(url)

    def story(bands):
        row = {"cluster_id": None, "urlkey": "u", "host": "rferl.org", "day": 1, "shingles": 30, "minhash": "AAAA"}
        return StoryRows(row, bands, [99])

    def store(n: int, conversion: str, bands, supersedes=None) -> int:
        capture = _capture(n)
        index.add_capture(capture)
        return index.add_document(Document(capture_id=capture.id, url=capture.url, urlkey=capture.urlkey,
                                           host="rferl.org", captured_at=capture.fetched_at, page_type="article",
                                           title="t", text="x", text_digest="d", conversion_record_id=conversion),
                                  supersedes=supersedes, story=story(bands))

    first = store(1, "<conv:1>", [1, 2, 3])
    assert store(1, "<conv:1>", [1, 2, 3]) == first  # a retried write: the same row
    rows = lambda: index._rows("SELECT document_id, key FROM story_bands ORDER BY document_id, key")
    assert rows() == [{"document_id": first, "key": k} for k in (1, 2, 3)]
    second = store(2, "<conv:2>", [4, 5], supersedes=first)
    assert rows() == [{"document_id": second, "key": k} for k in (4, 5)]
    assert index._value("SELECT count(*) FROM story_terms") == 1 and index.story_count() == 1
    index.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_new_document_joining_groups_folds_them_into_its_own(kind, tmp_path, request):
    """What `add_document` writes for a new copy, whatever path the backend takes: a document
    starting its own group is its id; one that joins a group and bridges another moves every
    member of the other group into its group; band and term keys point at the new row."""
    from archive.index import StoryRows, sqlite_url

    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else sqlite_url(tmp_path / "i.sqlite3")
    index = open_index(url)

    def store(n: int, cluster, merge=(), bands=(), terms=()) -> int:
        capture = _capture(n)
        index.add_capture(capture)
        row = {"cluster_id": cluster, "urlkey": capture.urlkey, "host": "rferl.org", "day": 20000 + n,
               "shingles": 30 + n, "minhash": f"M{n}", "claim_kind": "canonical" if n == 3 else None}
        return index.add_document(Document(capture_id=capture.id, url=capture.url, urlkey=capture.urlkey,
                                           host="rferl.org", captured_at=capture.fetched_at, page_type="article",
                                           title="t", text="x", text_digest="d", conversion_record_id=f"<conv:{n}>"),
                                  story=StoryRows(row, list(bands), list(terms), list(merge)))

    first, second = store(1, None, bands=[7]), store(2, None, bands=[8])
    third = store(3, first, merge=[first, second], bands=[9, 7, 9], terms=[5, 6])
    groups = {r["document_id"]: r["cluster_id"] for r in index._rows("SELECT document_id, cluster_id FROM story_signatures")}
    assert groups == {first: first, second: first, third: first}
    assert index.story(third)["shingles"] == 33 and index.story(third)["claim_kind"] == "canonical"
    assert index.story(third)["day"] == 20003
    assert [r["key"] for r in index._rows("SELECT key FROM story_bands WHERE document_id = ? ORDER BY key", (third,))] == [7, 9]
    assert [r["document_id"] for r in index.story_terms_shared([5, 6])] == [third]
    assert {r["document_id"] for r in index.story_candidates([7])} == {first, third}
    index.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_resumed_run_redoes_a_url_whose_revisit_came_before_any_cleaned_copy(kind, tmp_path, request):
    """Killed after the response and again after the refetch's revisit, before either was
    cleaned: the URL is not done, so the next resume fetches it and cleans the original."""
    from dataclasses import replace

    from archive.index import sqlite_url

    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else sqlite_url(tmp_path / "i.sqlite3")
    index = open_index(url)
    response = replace(_capture(1), run_id="run-1")
    index.add_capture(response)
    revisit = replace(_capture(2, "<urn:uuid:revisit>"), url=response.url, urlkey=response.urlkey,
                      record_type="revisit", revisit_of=response.id, run_id="run-1")
    index.add_capture(revisit)
    assert index.run_done("run-1") == set()
    index.add_document(Document(capture_id=response.id, url=response.url, urlkey=response.urlkey, host="rferl.org",
                                captured_at=response.fetched_at, page_type="article", title="t", text="x",
                                text_digest="d", conversion_record_id="<conv:1>"))
    assert index.run_done("run-1") == {response.urlkey}
    assert index.run_done("run-2") == set()
    index.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_crawl_asks_once_which_urls_of_a_sitemap_were_ever_captured(kind, tmp_path, request):
    """One look-up for a whole sitemap (over the 500 keys of one query): `decide` then calls a
    never-captured URL new, without asking the index again, and still asks about the others."""
    from archive.index import sqlite_url
    from crawler.incremental import CONDITIONAL, FETCH, CrawlMemory

    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else sqlite_url(tmp_path / "i.sqlite3")
    index = open_index(url)
    from dataclasses import replace

    captured = [replace(c, urlkey=canonical_url(c.url)) for c in (_capture(3), _capture(700))]
    for capture in captured:
        index.add_capture(capture)
    urls = [f"https://www.rferl.org/a/{n}.html" for n in range(1200)]
    assert index.captured_urlkeys([canonical_url(u) for u in urls]) == {c.urlkey for c in captured}
    memory = CrawlMemory(index, "run-2", 10_000)
    memory.look_up(urls + ["http://[not a url"])
    asked = []
    index.url_state = lambda key, real=index.url_state: asked.append(key) or real(key)
    fresh = memory.decide(urls[5])
    assert (fresh.action, fresh.unseen, asked) == (FETCH, True, [])
    known = memory.decide(urls[700])
    assert known.action == CONDITIONAL and not known.unseen and asked == [canonical_url(urls[700])]
    index.close()


def test_a_statement_failing_late_in_a_transaction_undoes_the_statements_before_it(postgres_url):
    """The error of a later statement rolls back every earlier one of its transaction (story
    rows, an update), and reaches the caller."""
    import psycopg

    index = open_index(postgres_url)
    capture = _capture(1)
    index.add_capture(capture)

    def work() -> None:
        index._rows("INSERT INTO story_bands (key, document_id) VALUES (?, ?)", (1, 1))
        index._rows("UPDATE captures SET status = 500 WHERE id = ?", (capture.id,))
        index._rows("INSERT INTO captures (id, url, urlkey, host, fetched_at, status, record_type, record_id,"
                    " warc_file, warc_offset, warc_length) VALUES (?, 'u', 'u', 'h', 'd', 200, 'response', ?, 'f', 0, 1)",
                    (capture.id, "<again>"))  # the same primary key: fails at the server

    with pytest.raises(psycopg.IntegrityError):
        index._atomic(work)
    assert index._value("SELECT count(*) FROM story_bands") == 0
    assert index.capture(capture.id).status == capture.status
    assert index._atomic(lambda: index._rows("INSERT INTO story_bands (key, document_id) VALUES (?, ?) RETURNING key",
                                             (7, 1))) == [{"key": 7}]  # rows come back when asked for
    index.close()


def test_a_writer_killed_inside_a_transaction_leaves_nothing_half_written(postgres_url):
    process = subprocess.Popen([sys.executable, "-c", _SLOW_WRITE, postgres_url], cwd=PROJECT_ROOT,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("inserted")
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    index = open_index(postgres_url, readonly=True)
    deadline = time.monotonic() + 10  # the server notices the dead connection and rolls back
    while index.counts()["documents"] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert index.counts() == {**index.counts(), "captures": 1, "documents": 0}
    index.close()


def test_a_restarted_server_is_waited_for_with_a_log_line(postgres_server, caplog):
    url = postgres_server.new_database()
    index = open_index(url)
    index.add_capture(_capture(1))
    postgres_server.stop()
    comeback = threading.Timer(2.0, postgres_server.start)  # the server is back in 2 s
    comeback.start()
    try:
        with caplog.at_level("WARNING", logger="archive.index.postgresql"):
            index.add_capture(_capture(2))  # waits, then writes: nothing lost
    finally:
        comeback.join(60)
    assert index.counts()["captures"] == 2
    assert any("unavailable" in record.message and "retrying" in record.message for record in caplog.records)
    index.close()


def test_an_index_that_stays_down_is_a_clear_error(postgres_server):
    url = postgres_server.base_url.rsplit(":", 1)[0] + ":1/nothing"  # nothing listens on port 1
    with pytest.raises(IndexUnavailable, match="unavailable for 1 s"):
        from archive.index.postgresql import PostgresIndex

        PostgresIndex(url, wait=1)


def test_the_schema_version_is_recorded_and_a_newer_one_refused(postgres_url):
    index = open_index(postgres_url)
    from archive.index import SCHEMA_VERSION

    assert index.schema_version() == SCHEMA_VERSION
    index._rows("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    index.close()
    with pytest.raises(IndexUnavailable, match="upgrade newsarchive"):
        open_index(postgres_url)


def test_search_matches_each_document_in_its_own_language(postgres_url):
    index = open_index(postgres_url)
    for n, (language, title, text) in enumerate([
            ("en", "Floods", "The rivers flooded the valley; walls held."),
            ("ru", "Паводок", "Реки затопили долины, дамбы выдержали."),
            ("fa", "سیل", "رودخانه‌ها دره را فرا گرفتند.")], 1):
        capture = _capture(n)
        index.add_capture(capture)
        index.add_document(Document(capture_id=capture.id, url=capture.url, urlkey=capture.urlkey, host="rferl.org",
                                    captured_at=capture.fetched_at, page_type="article", title=title, text=text,
                                    text_digest=str(n), metadata={"language": language}))
    assert [d.title for d, _, _ in index.search("flood")] == ["Floods"]  # English stemming
    assert [d.title for d, _, _ in index.search("реки")] == ["Паводок"]  # Russian stemming
    assert [d.title for d, _, _ in index.search("سیل")] == ["سیل"]
    assert [d.title for d, _, _ in index.search("رودخانهها")] == ["سیل"]  # typed without the ZWNJ
    assert [d.title for d, _, _ in index.search("رودخانه‌ها")] == ["سیل"]  # and with it
    assert index.search("river NOT wall") == []  # NOT stemmed in the document's language too
    hit = index.search('"rivers flooded"')[0]
    assert "\x02" in hit[2] and hit[1] < 0
    index.close()


# -- object storage ---------------------------------------------------------------------------
@pytest.fixture
def shared(postgres_server, s3_server, monkeypatch, tmp_path):
    store = s3_server.new_bucket()
    monkeypatch.setenv("ARCHIVE_INDEX", postgres_server.new_database())
    monkeypatch.setenv("WARC_STORE", store)
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)
    return store


def test_closed_warcs_are_uploaded_and_the_local_copies_removed(shared, s3_server, tmp_path):
    root = synth.build(tmp_path / "archive")
    keys = s3_server.keys(shared)
    assert len(keys) == 2 and all(key.startswith("warcs/newsarchive-") for key in keys)
    assert list((root / "warcs").glob("*.warc.gz*")) == []  # nothing left behind locally
    report = verify_archive(root)
    assert report.ok and report.files == 2 and report.captures == 6 and report.documents == 4
    with Archive(root, readonly=True) as archive:  # a record read back by a range request
        document = archive.index.document(canonical_url(synth.RIVER))
        assert archive.warc_location(document.conversion_file).startswith(shared + "/")


def test_an_upload_that_fails_keeps_the_file_and_the_next_run_uploads_it(shared, s3_server, tmp_path, caplog):
    s3_server.stop()
    try:
        with caplog.at_level("WARNING", logger="archive.warc.storage"):
            root = synth.build(tmp_path / "archive")
        kept = sorted(path.name for path in (root / "warcs").glob("*.warc.gz"))
        assert len(kept) == 2
        assert any("kept in" in record.message and "retried at the next run" in record.message
                   for record in caplog.records)
    finally:
        s3_server.start()  # an empty server again, as after a real outage with a new bucket
    s3_server.client().create_bucket(Bucket=shared[len("s3://"):].split("/")[0])
    Archive(root).close()  # the next run, opened for writing, uploads what waited
    assert [key.rsplit("/", 1)[1] for key in s3_server.keys(shared)] == kept
    assert list((root / "warcs").glob("*.warc.gz")) == []


def test_a_large_file_goes_up_in_parts_each_checked(shared, s3_server, tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "PART_SIZE", 5 * 1024 * 1024)  # S3's smallest part
    path = tmp_path / "big.warc.gz"
    path.write_bytes(os.urandom(12 * 1024 * 1024))
    store = storage.open_store(shared, tmp_path)
    assert store.commit(path) and not path.exists()
    head = s3_server.client().head_object(Bucket=store.bucket, Key=store.key("big.warc.gz"))
    assert head["ETag"].strip('"').endswith("-3") and head["ContentLength"] == 12 * 1024 * 1024
    assert store.read("big.warc.gz", 7 * 1024 * 1024, 10) == store.read_range("big.warc.gz", 7 * 1024 * 1024, 10)


def test_credentials_never_reach_logs_warcs_or_the_index(shared, s3_server, tmp_path, caplog):
    s3_server.stop()
    try:
        with caplog.at_level("DEBUG"):
            root = synth.build(tmp_path / "archive")
    finally:
        s3_server.start()
    secret = CREDENTIALS["AWS_SECRET_ACCESS_KEY"].encode()
    assert secret.decode() not in caplog.text
    for path in (root / "warcs").glob("*"):
        import gzip

        assert secret not in gzip.decompress(path.read_bytes())


def test_archive_commands_read_from_the_bucket(shared, tmp_path):
    root = synth.build(tmp_path / "archive")
    env = {**os.environ}

    def archive(*args):
        return subprocess.run([sys.executable, "-m", "archive", *args, "--archive-dir", str(root)],
                              capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120, env=env)

    got = archive("get", synth.RIVER, "--format", "json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["text"] == synth.RIVER_V2
    original = archive("original", synth.RIVER, "--decode")
    assert "three metres" in original.stdout
    assert archive("verify").returncode == 0
    stats = json.loads(archive("stats", "--format", "json").stdout)
    assert stats["warc_files"] == 2 and stats["warc_files_awaiting_upload"] == 0
    wacz = tmp_path / "export.wacz"
    exported = archive("export", "--format", "wacz", "--output", str(wacz))
    assert exported.returncode == 0, exported.stderr
    validator = Path(sys.executable).with_name("wacz")
    if validator.exists():
        check = subprocess.run([str(validator), "validate", "-f", str(wacz)], capture_output=True, text=True,
                               timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("variable, value, message", [
    ("ARCHIVE_INDEX", "mysql://x/y", "is not sqlite:///PATH or postgresql://"),
    ("WARC_STORE", "ftp://x/y", "is not file:///PATH or s3://BUCKET/PREFIX"),
    ("ARCHIVE_INDEX", "postgresql://user:hunter2@127.0.0.1:1/db", "unavailable"),
])
def test_a_bad_backend_url_is_one_clear_line(tmp_path, variable, value, message):
    synth.build(tmp_path / "archive")
    result = subprocess.run([sys.executable, "-m", "archive", "stats", "--archive-dir", str(tmp_path / "archive")],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60,
                            env={**os.environ, variable: value, "ARCHIVE_INDEX_WAIT": "1"})
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_an_index_of_schema_3_is_migrated_on_open(postgres_url):
    index = open_index(postgres_url)
    capture = _capture(1)
    index.add_capture(capture)
    index._atomic(lambda: index._rows(
        "ALTER TABLE documents DROP COLUMN search_vector, DROP COLUMN search_title, DROP COLUMN search_body;"
        " ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS"
        " (to_tsvector(ts_config, text)) STORED; UPDATE meta SET value = '3' WHERE key = 'schema_version'"))
    index.close()
    from archive.index import SCHEMA_VERSION

    migrated = open_index(postgres_url)
    assert migrated.schema_version() == SCHEMA_VERSION
    migrated.add_document(Document(capture_id=capture.id, url=capture.url, urlkey=capture.urlkey, host="rferl.org",
                                   captured_at=capture.fetched_at, page_type="article", title="Ёлка",
                                   text="Новогодняя ёлка на площади.", text_digest="d", metadata={"language": "ru"}))
    assert [d.title for d, _, _ in migrated.search("елка")] == ["Ёлка"]  # normalized: ё as е
    migrated.close()


@pytest.mark.parametrize("command", [["-m", "scrapy", "crawl", "rferl"], ["-m", "crawler.run", "rferl"]])
@pytest.mark.parametrize("variable, value", [("ARCHIVE_INDEX", "mysql://x/y"), ("WARC_STORE", "s3://")])
def test_a_crawl_with_a_bad_backend_url_is_a_usage_error_before_it_starts(tmp_path, command, variable, value):
    result = subprocess.run([sys.executable, *command], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
                            env={**os.environ, variable: value, "ARCHIVE_DIR": str(tmp_path), "SCRAPY_SETTINGS_MODULE":
                                 "settings", "REPLICA_PROXY": "http://127.0.0.1:9"})
    assert result.returncode == 2 and variable in result.stderr and "Traceback" not in result.stderr
