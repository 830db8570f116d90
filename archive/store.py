"""The archive as one object: WARC files plus the index, kept consistent.

Every write goes WARC first, index second: an index row never points at bytes that are
not on disk. The crawler (Scrapy side) talks to the archive only through `Archive`.

Where the parts live is chosen by URL, each with one setting / environment variable:
`ARCHIVE_INDEX` (default `sqlite:///<archive dir>/index.sqlite3`, or `postgresql://...`) and
`WARC_STORE` (default `file:///<archive dir>/warcs`, or `s3://bucket/prefix`). With neither
set, everything is in the archive folder, as it always was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from archive import SOFTWARE, warc
from archive.index import Capture, Document, Index, open_index, sqlite_url
from archive.warc.storage import WarcStore, open_store
from archive.urls import canonical_url, url_host

DEFAULT_DIR = "./data"
WARC_SUBDIR = "warcs"
INDEX_NAME = "index.sqlite3"


def archive_dir(explicit: str | os.PathLike | None = None) -> Path:
    """`--archive-dir`, else `$ARCHIVE_DIR`, else `./data` (DESIGN.md contract)."""
    return Path(explicit or os.environ.get("ARCHIVE_DIR") or DEFAULT_DIR)


def index_url(root: Path, explicit: str | None = None) -> str:
    """The index to use: `explicit`, else `$ARCHIVE_INDEX`, else the SQLite file in `root`."""
    return explicit or os.environ.get("ARCHIVE_INDEX") or sqlite_url((root / INDEX_NAME).absolute())


def warc_store_url(root: Path, explicit: str | None = None) -> str:
    """Where closed WARC files go: `explicit`, else `$WARC_STORE`, else `root/warcs`."""
    return explicit or os.environ.get("WARC_STORE") or "file://" + str((root / WARC_SUBDIR).absolute())


def shared_backends() -> bool:
    """Whether ARCHIVE_INDEX or WARC_STORE name a server, so that no local folder is needed."""
    return bool(os.environ.get("ARCHIVE_INDEX") or os.environ.get("WARC_STORE"))


def worker_name(explicit: str | None = None) -> str | None:
    """This crawl worker's name in WARC file names (`$ARCHIVE_WORKER`), filename-safe."""
    value = explicit or os.environ.get("ARCHIVE_WORKER")
    return re.sub(r"[^A-Za-z0-9_.]+", "_", value) if value else None


def payload_digest(body: bytes) -> str:
    """WARC-Payload-Digest as warcio writes it: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def text_digest(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class Exchange:
    """One HTTP request/response pair as the crawler saw it on the wire."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    protocol: str = "HTTP/1.1"
    request_body: bytes = b""
    fetched_at: str = field(default_factory=warc.warc_date)
    run_id: str | None = None
    profile: str | None = None

    def header(self, name: str) -> str | None:
        for key, value in self.response_headers:
            if key.lower() == name.lower():
                return value
        return None


class Archive:
    """An index plus a WARC store; by default a folder holding `warcs/` and `index.sqlite3`.

    `warc_dir` is always local: writers spool there (the store itself unless `WARC_STORE`
    names object storage). Opened for writing, the archive first commits closed files an
    earlier run could not upload."""

    def __init__(self, root: str | os.PathLike | None = None, *, readonly: bool = False,
                 warcinfo: dict[str, str] | None = None, prefix: str = "newsarchive",
                 max_warc_size: int = 1_000_000_000, fsync: bool = False, index: str | None = None,
                 warc_store: str | None = None, worker: str | None = None):
        self.root = archive_dir(root)
        self.warc_dir = self.root / WARC_SUBDIR
        self.index_url = index_url(self.root, index)
        if readonly and not index_exists(self.index_url):
            raise FileNotFoundError(
                f"no archive at {self.root} (expected {self.index_url.removeprefix('sqlite:///')}); "
                "run a crawl or `archive demo` first, or pass --archive-dir")
        self.store: WarcStore = open_store(warc_store_url(self.root, warc_store), self.warc_dir)
        self.index: Index = open_index(self.index_url, readonly=readonly)
        self._writer_index: Index | None = None  # see separate_writer_connection
        self.readonly = readonly
        self._learned: "LearnedBoilerplate | None" = None
        if not readonly:
            self.store.commit_pending()
        info = {"software": SOFTWARE, **(warcinfo or {})}
        worker = worker_name(worker)
        self._responses = None if readonly else warc.RollingWarcWriter(
            self.warc_dir, prefix, info, max_size=max_warc_size, fsync=fsync, worker=worker,
            on_close=self.store.commit)
        self._texts = None if readonly else warc.RollingWarcWriter(
            self.warc_dir, prefix, {**info, "description": "; ".join(
                filter(None, [info.get("description"), "cleaned text (conversion) and metadata records"]))},
            max_size=max_warc_size, suffix="-text", fsync=fsync, worker=worker, on_close=self.store.commit)

    # -- capture --------------------------------------------------------------------------
    def record_exchange(self, exchange: Exchange, *, first_of_url: bool = False) -> Capture:
        """Write one exchange as request + response, or as a revisit when the payload is
        unchanged (identical-payload-digest) or the server answered 304 (server-not-modified).
        `first_of_url`: the caller saw no capture of this URL in the index (a crawl looks when
        it schedules the request), so there is no original to look up: it is a response."""
        index = self._writer_index or self.index
        urlkey = canonical_url(exchange.url)
        digest = payload_digest(exchange.body)
        previous = None
        not_modified = exchange.status == 304
        if not_modified and not first_of_url:
            latest = index.latest_capture(urlkey)
            if latest is not None and latest.payload_digest:
                previous = index.original_capture(urlkey, latest.payload_digest)
        elif 200 <= exchange.status < 300 and not first_of_url:
            previous = index.original_capture(urlkey, digest)
        if previous is not None and not not_modified and not self.store.has(previous.warc_file):
            # The original sits in a file this process cannot read (another worker's, not yet
            # uploaded): keep this payload as a response rather than refer to bytes out of reach.
            previous = None
        if previous is not None:
            main = warc.revisit_record(
                exchange.url, exchange.status, exchange.response_headers, payload_digest=previous.payload_digest,
                refers_to=previous.record_id, refers_to_uri=previous.url, refers_to_date=previous.fetched_at,
                not_modified=not_modified, protocol=exchange.protocol, date=exchange.fetched_at)
        else:
            main = warc.response_record(exchange.url, exchange.status, exchange.response_headers, exchange.body,
                                        protocol=exchange.protocol, date=exchange.fetched_at)
        request = warc.request_record(exchange.url, exchange.method, exchange.request_headers,
                                      exchange.request_body, concurrent_to=warc.record_id(main),
                                      date=exchange.fetched_at, protocol=exchange.protocol)
        location = self._responses.write(main, request)[0]
        capture = Capture(
            url=exchange.url, urlkey=urlkey, host=url_host(exchange.url), fetched_at=exchange.fetched_at,
            status=exchange.status, record_type="revisit" if previous else "response",
            record_id=location.record_id, warc_file=location.filename, warc_offset=location.offset,
            warc_length=location.length, mime=_mime(exchange.header("Content-Type")),
            payload_digest=previous.payload_digest if previous else digest,
            revisit_of=previous.id if previous else None, etag=exchange.header("ETag"),
            last_modified=exchange.header("Last-Modified"), run_id=exchange.run_id, profile=exchange.profile)
        index.add_capture(capture)
        return capture

    # -- cleaned copy ---------------------------------------------------------------------
    def separate_writer_connection(self) -> None:
        """From now on `record_exchange` and `record_document` (and only they) use an index
        connection of their own, for a caller that stores captures and cleaned copies on one
        thread of its own while other threads use `index` (the crawl's writer thread: neither
        SQLite's nor psycopg's connections are to be shared between threads). Closed with the
        archive."""
        if self._writer_index is None:
            self._writer_index = open_index(self.index_url)

    def record_document(self, capture: Capture, cleaned: dict[str, Any], *,
                        supersedes: int | None = None, learned_blocks: frozenset[str] | None = None) -> Document:
        """Store a cleaned copy of `capture` (a response record): conversion + metadata
        records in the `-text` WARC, then the document row. `learned_blocks`: the host's
        learned boilerplate to leave out of the story signature, as the caller saw it when it
        cleaned the page (default: as the archive knows it now)."""
        from archive import stories  # datasketch + numpy: loaded by writers only, not by readers

        index = self._writer_index or self.index

        text = cleaned.get("text") or ""
        conversion = warc.conversion_record(capture.url, text, refers_to=capture.record_id)
        metadata = {k: v for k, v in cleaned.items() if k != "text"}
        story = self._prepare_story(index, capture.url, capture.urlkey, capture.host, capture.fetched_at, cleaned,
                                    ignore=[supersedes] if supersedes else [], learned_blocks=learned_blocks)
        meta_record = warc.metadata_record(
            capture.url, json.dumps({**metadata, "story": story.metadata()}, ensure_ascii=False,
                                    sort_keys=True).encode("utf-8"),
            refers_to=capture.record_id)
        conv_loc, meta_loc = self._texts.write(conversion, meta_record)
        document = Document(
            capture_id=capture.id, url=capture.url, urlkey=capture.urlkey, host=capture.host,
            captured_at=capture.fetched_at, page_type=cleaned.get("page_type") or "unknown",
            title=cleaned.get("title"), text=text, text_digest=text_digest(text), metadata=metadata,
            published=cleaned.get("published"), profile=cleaned.get("profile"),
            rules_version=cleaned.get("rules_version"), extractor=cleaned.get("extractor"),
            conversion_file=conv_loc.filename, conversion_offset=conv_loc.offset,
            conversion_length=conv_loc.length, conversion_record_id=conv_loc.record_id,
            metadata_record_id=meta_loc.record_id)
        index.add_document(document, supersedes=supersedes,
                           story=stories.rows(story, urlkey=document.urlkey, host=document.host))
        return document

    # -- stories (copies across outlets) ---------------------------------------------------
    def _prepare_story(self, index: Index, url: str, urlkey: str, host: str, captured_at: str,
                       cleaned: dict[str, Any], ignore: Iterable[int] = (),
                       learned_blocks: frozenset[str] | None = None) -> "stories.Pending":
        from archive import stories
        from archive.extract.learned import normalise_block

        return stories.prepare(index, url=url, urlkey=urlkey, host=host, captured_at=captured_at, cleaned=cleaned,
                               drop_blocks=self._learned_blocks(host) if learned_blocks is None else learned_blocks,
                               normalise=normalise_block, ignore=ignore)

    def index_story(self, document: Document) -> None:
        """(Re)compute the story signature of a stored document without writing a new cleaned
        copy: what `archive reextract` does for documents whose text did not change."""
        from archive import stories

        cleaned = {**document.metadata, "text": document.text, "published": document.published}
        story = self._prepare_story(self.index, document.url, document.urlkey, document.host, document.captured_at,
                                    cleaned, ignore=[document.id])
        self.index.add_story(document.id, stories.rows(story, urlkey=document.urlkey, host=document.host))

    def _learned_blocks(self, host: str) -> frozenset[str]:
        """The host's learned boilerplate blocks: left out of story signatures, so that pages
        sharing only boilerplate are not copies of one another."""
        if self._learned is None:
            self._learned = self.learned_boilerplate()
        return self._learned.blocks_for(host)

    # -- learned boilerplate --------------------------------------------------------------
    def learned_boilerplate(self) -> "LearnedBoilerplate":
        """Per-host repeated blocks learned so far (one index row per host)."""
        from archive.extract.learned import LearnedBoilerplate  # archive.extract loads trafilatura

        learned = LearnedBoilerplate()
        for data in self.index.learned().values():
            learned.merge_json(data)
        self._learned = learned  # the crawl keeps observing into this object: signatures see it live
        return learned

    def save_learned_boilerplate(self, learned: "LearnedBoilerplate", hosts: Iterable[str] | None = None) -> None:
        """Persist the counts of `hosts` (default: every host `learned` knows)."""
        from archive.extract.learned import host_key

        self._learned = learned
        for host in learned.hosts() if hosts is None else sorted({host_key(h) for h in hosts}):
            self.index.save_learned(host, learned.to_json(host))

    # -- reading back ---------------------------------------------------------------------
    def warc_path(self, filename: str) -> Path:
        """Local path of a WARC file named in the index (`.open` while being written); for
        files in object storage see `warc_location`."""
        path = self.warc_dir / filename
        if not path.exists() and (self.warc_dir / (filename + warc.OPEN_SUFFIX)).exists():
            return self.warc_dir / (filename + warc.OPEN_SUFFIX)
        return path

    def warc_location(self, filename: str) -> str:
        """Where a WARC file named in the index is, for people: a path, or its object URL."""
        path = self.warc_path(filename)
        if path.exists() or self.store.url.startswith("file://"):
            return str(path)
        return f"{self.store.url.rstrip('/')}/{filename}"

    def read_record(self, filename: str, offset: int, length: int) -> tuple[Any, bytes]:
        """One record named by an index row, read from wherever its file is (a range read)."""
        return warc.parse_record(self.store.read(filename, offset, length))

    def original_payload(self, capture: Capture) -> tuple[Capture, Any, bytes]:
        """The response record behind `capture` (following a revisit to what it refers to)
        and its payload bytes exactly as archived (Content-Encoding not undone)."""
        source = capture
        if capture.record_type == "revisit" and capture.revisit_of:
            source = self.index.capture(capture.revisit_of)
        record, payload = self.read_record(source.warc_file, source.warc_offset, source.warc_length)
        return source, record, payload

    def warc_files(self) -> list[str]:
        """Names of the closed WARC files in the store (and any waiting in the spool)."""
        return self.store.names()

    def close(self) -> None:
        for writer in (self._responses, self._texts):
            if writer is not None:
                writer.close()
        if self._writer_index is not None:
            self._writer_index.close()
        self.index.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def index_exists(url: str) -> bool:
    """False only for a SQLite index whose file is not there yet (a server index exists)."""
    return not url.startswith("sqlite:///") or Path(url[len("sqlite:///"):]).exists()


def _mime(content_type: str | None) -> str | None:
    return content_type.split(";")[0].strip().lower() if content_type else None
