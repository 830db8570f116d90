"""WARC/1.1 records and files, with warcio.

One concept per function, named after the spec: `response_record`, `request_record`,
`revisit_record`, `conversion_record`, `metadata_record`; `RollingWarcWriter` writes them
gzip-per-record into `{prefix}-{YYYYmmddHHMMSS}-{serial:05d}-{host}.warc.gz` files that are
`.open` while written and renamed when closed.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, Iterable
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

WARC_VERSION = "WARC/1.1"
OPEN_SUFFIX = ".open"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
# Hop-by-hop framing that Scrapy already undid: keep the fact, not the instruction.
RENAMED_HEADERS = {"transfer-encoding": "X-Orig-Transfer-Encoding"}
# Never archive credentials the crawler itself added.
DROPPED_REQUEST_HEADERS = {"proxy-authorization", "authorization", "cookie"}

_builder = RecordBuilder(warc_version=WARC_VERSION)


@dataclass(frozen=True)
class RecordLocation:
    """Where one record sits: file name (relative to the WARC folder), gzip member offset
    and length, and its WARC-Record-ID."""

    filename: str
    offset: int
    length: int
    record_id: str


def warc_date(when: datetime | None = None) -> str:
    """WARC-Date with microseconds (WARC/1.1 allows them)."""
    when = (when or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(when, use_micros=True)


def _header_list(headers: Iterable[tuple[str, str]], *, drop: set[str] = frozenset()) -> list[tuple[str, str]]:
    out = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in drop:
            continue
        out.append((RENAMED_HEADERS.get(lowered, name), value))
    return out


def response_record(url: str, status: int, headers: Iterable[tuple[str, str]], body: bytes, *,
                    protocol: str = "HTTP/1.1", reason: str | None = None,
                    date: str | None = None, extra: dict[str, str] | None = None) -> ArcWarcRecord:
    """A `response` record holding the entity body exactly as received (Content-Encoding
    kept). warcio computes WARC-Payload-Digest over that stored body."""
    reason = reason if reason is not None else _reason(status)
    http_headers = StatusAndHeaders(f"{status} {reason}".strip(), _header_list(headers),
                                    protocol=protocol or "HTTP/1.1")
    warc_headers = {"WARC-Date": date or warc_date(), **(extra or {})}
    return _builder.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                       http_headers=http_headers, warc_headers_dict=warc_headers)


def request_record(url: str, method: str, headers: Iterable[tuple[str, str]], body: bytes = b"", *,
                   concurrent_to: str, date: str, protocol: str = "HTTP/1.1") -> ArcWarcRecord:
    """A `request` record with the real request line (path and query kept) and Host."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    header_list = _header_list(headers, drop=DROPPED_REQUEST_HEADERS)
    if not any(name.lower() == "host" for name, _ in header_list):
        header_list.insert(0, ("Host", parts.netloc))
    http_headers = StatusAndHeaders(f"{method} {target} {protocol}", header_list, is_http_request=True)
    warc_headers = {"WARC-Date": date, "WARC-Concurrent-To": concurrent_to}
    return _builder.create_warc_record(url, "request", payload=BytesIO(body), length=len(body),
                                       http_headers=http_headers, warc_headers_dict=warc_headers)


def revisit_record(url: str, status: int, headers: Iterable[tuple[str, str]], *, payload_digest: str,
                   refers_to: str, refers_to_uri: str, refers_to_date: str, not_modified: bool = False,
                   protocol: str = "HTTP/1.1", date: str | None = None) -> ArcWarcRecord:
    """A `revisit` record: headers only. `not_modified` marks a 304 answer to a conditional
    GET (server-not-modified profile); otherwise the payload was identical to `refers_to`."""
    http_headers = StatusAndHeaders(f"{status} {_reason(status)}", _header_list(headers),
                                    protocol=protocol or "HTTP/1.1")
    record = _builder.create_revisit_record(
        url, payload_digest, refers_to_uri, refers_to_date, http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date or warc_date(), "WARC-Refers-To": refers_to})
    if not_modified:
        record.rec_headers.replace_header("WARC-Profile", SERVER_NOT_MODIFIED)
    return record


def conversion_record(url: str, text: str, *, refers_to: str, date: str | None = None) -> ArcWarcRecord:
    """The cleaned text of a response, as `conversion` (text/plain; charset=utf-8)."""
    data = text.encode("utf-8")
    return _builder.create_warc_record(
        url, "conversion", payload=BytesIO(data), length=len(data),
        warc_content_type="text/plain; charset=utf-8",
        warc_headers_dict={"WARC-Date": date or warc_date(), "WARC-Refers-To": refers_to})


def metadata_record(url: str, payload: bytes, *, refers_to: str, content_type: str = "application/json",
                    date: str | None = None) -> ArcWarcRecord:
    """Extracted metadata and extractor/rules versions for the record `refers_to`."""
    return _builder.create_warc_record(
        url, "metadata", payload=BytesIO(payload), length=len(payload), warc_content_type=content_type,
        warc_headers_dict={"WARC-Date": date or warc_date(), "WARC-Refers-To": refers_to})


def record_id(record: ArcWarcRecord) -> str:
    return record.rec_headers.get_header("WARC-Record-ID")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class RollingWarcWriter:
    """Appends records to gzip-per-record WARC files in `directory`, one writer per prefix.

    A file is created on first write with a `warcinfo` record, named `*.warc.gz.open`,
    rolled once it passes `max_size` bytes and renamed to `*.warc.gz` when closed, so a
    crash leaves at most one `.open` file per writer (see `archive.recover`).

    Each `write` is all or nothing: the records are serialised first and appended in one go;
    if the disk fills (or any write fails) the file is cut back to where that `write` began,
    the writer refuses further writes (`failed`), and `close` leaves the file `.open`: the
    run did not finish it."""

    def __init__(self, directory: str | os.PathLike, prefix: str, warcinfo: dict[str, str], *,
                 max_size: int = 1_000_000_000, suffix: str = "", fsync: bool = False):
        self.directory = Path(directory)
        self.prefix = prefix
        self.suffix = suffix
        self.warcinfo = warcinfo
        self.max_size = max_size
        self.fsync = fsync
        self.serial = 0
        self.failed: OSError | None = None
        self._file: BinaryIO | None = None
        self._name = ""
        self._size = 0
        self.directory.mkdir(parents=True, exist_ok=True)

    @property
    def current_name(self) -> str:
        return self._name

    def write(self, *records: ArcWarcRecord) -> list[RecordLocation]:
        """Write `records` one after another into the same file and return their locations."""
        if self.failed is not None:
            raise OSError(self.failed.errno, f"WARC writer stopped after an earlier failure: {self.failed}")
        self._ensure_file()
        start = self._size
        chunks, locations = [], []
        for record in records:
            data = _serialise(record)
            locations.append(RecordLocation(self._name, start + sum(map(len, chunks)), len(data), record_id(record)))
            chunks.append(data)
        self._append(b"".join(chunks))
        if self._size >= self.max_size:
            self.close()
        return locations

    def _append(self, data: bytes) -> None:
        start = self._size
        try:
            view = memoryview(data)
            while view:
                view = view[self._file.write(view):]
            if self.fsync:
                os.fsync(self._file.fileno())
        except OSError as exc:
            self.failed = exc
            try:  # a half-written record must not stay in the file
                os.ftruncate(self._file.fileno(), start)
                self._file.seek(start)
            except OSError:
                pass
            raise
        self._size = start + len(data)

    def close(self) -> None:
        if self._file is None:
            return
        self._file.close()
        self._file = None
        if self.failed is None:
            os.replace(self.directory / (self._name + OPEN_SUFFIX), self.directory / self._name)

    def _ensure_file(self) -> None:
        if self._file is not None:
            return
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        host = socket.gethostname().split(".")[0] or "localhost"
        while True:
            self.serial += 1
            name = f"{self.prefix}-{stamp}-{self.serial:05d}-{host}{self.suffix}.warc.gz"
            path = self.directory / (name + OPEN_SUFFIX)
            if not path.exists() and not (self.directory / name).exists():
                break
        info = {"format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "hostname": socket.gethostname(), **self.warcinfo}
        data = _serialise(_builder.create_warcinfo_record(name, info))
        self._file = open(path, "xb", buffering=0)
        self._name, self._size = name, 0
        try:
            self._append(data)
        except OSError:  # not even the warcinfo fits: leave no empty file behind
            self._file.close()
            self._file = None
            path.unlink(missing_ok=True)
            raise

    def __enter__(self) -> "RollingWarcWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serialise(record: ArcWarcRecord) -> bytes:
    """One record as its gzip member, exactly as WARCWriter writes it to a file."""
    buffer = BytesIO()
    WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION).write_record(record)
    return buffer.getvalue()


def read_record(path: str | os.PathLike, offset: int) -> tuple[ArcWarcRecord, bytes]:
    """The record at `offset` of a WARC file and its full content (HTTP headers excluded,
    Content-Encoding not undone)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        for record in ArchiveIterator(handle):
            return record, record.raw_stream.read()
    raise ValueError(f"no WARC record at {path}:{offset}")


def iter_records(path: str | os.PathLike):
    """Yield (offset, record) for every record of a WARC file, streaming."""
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            yield iterator.get_record_offset(), record
