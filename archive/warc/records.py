"""WARC/1.1 records, with warcio: building them and reading one back.

One concept per function, named after the spec: `response_record`, `request_record`,
`revisit_record`, `conversion_record`, `metadata_record`. `archive.warc.writer` writes them.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from typing import BinaryIO, Iterable
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

WARC_VERSION = "WARC/1.1"
OPEN_SUFFIX = ".open"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
# Hop-by-hop framing that Scrapy already undid: keep the fact, not the instruction.
RENAMED_HEADERS = {"transfer-encoding": "X-Orig-Transfer-Encoding"}
# Never archive credentials the crawler itself added.
DROPPED_REQUEST_HEADERS = {"proxy-authorization", "authorization", "cookie"}

_builder = RecordBuilder(warc_version=WARC_VERSION)


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


def read_record(path: str | os.PathLike, offset: int) -> tuple[ArcWarcRecord, bytes]:
    """The record at `offset` of a WARC file and its full content (HTTP headers excluded,
    Content-Encoding not undone)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        for record in ArchiveIterator(handle):
            return record, record.raw_stream.read()
    raise ValueError(f"no WARC record at {path}:{offset}")


def parse_record(data: bytes) -> tuple[ArcWarcRecord, bytes]:
    """The one record in `data` (a gzip member as a range read returns it) and its content."""
    for record in ArchiveIterator(BytesIO(data)):
        return record, record.raw_stream.read()
    raise ValueError("no WARC record in these bytes")


def iter_records(path: str | os.PathLike):
    """Yield (offset, record) for every record of a WARC file, streaming."""
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            yield iterator.get_record_offset(), record
