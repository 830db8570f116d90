"""Two WARC readers no one here wrote: warcio (always there) and FastWARC (resiliparse's
`fastwarc`, C++, used where it is installed). `archive verify` parses each record's WARC
headers with FastWARC, where warcio spent most of the time (benchmarks/results/warc.md);
everything else (gzip members, digests, the index check) stays the project's own code, so
both readers give the same verdicts, which tests/test_warc_readers.py checks record by record.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Callable, Iterator

from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeadersParser

try:
    from fastwarc.warc import ArchiveIterator as FastIterator
except ImportError:  # optional: warcio reads everything on its own
    FastIterator = None

READERS = ("fastwarc", "warcio") if FastIterator is not None else ("warcio",)
HeaderLookup = Callable[[str], "str | None"]


def reader_name(reader: str | None = None) -> str:
    """`reader`, or the fastest one installed; ValueError for one that is not."""
    name = reader or READERS[0]
    if name not in READERS:
        raise ValueError(f"WARC reader {name!r} is not available (installed: {', '.join(READERS)})")
    return name


def member_headers(data: bytes, reader: str | None = None) -> HeaderLookup:
    """The WARC headers of the one record in `data` (an inflated gzip member), as a lookup by
    header name (first value, case-insensitive, None when absent)."""
    if reader_name(reader) == "fastwarc":
        record = next(iter(FastIterator(BytesIO(data), parse_http=False, stream_detect=False, fsspec_args=False)),
                      None)
        if record is not None:
            return record.headers.get
    record = next(iter(WarcioIterator(BytesIO(data), no_record_parse=True)))
    return record.rec_headers.get_header


@dataclass(frozen=True)
class RecordView:
    """One record as a reader sees it: what two readers of the same file must agree on."""

    offset: int
    warc_type: str
    record_id: str
    target_uri: str | None
    headers: tuple[tuple[str, str], ...]
    http_headers: tuple[tuple[str, str], ...] | None
    payload: bytes  # the block after the HTTP headers for HTTP records; the whole block otherwise
    block_digest_ok: bool | None = None  # FastWARC's own digest check (None: warcio, or no digest)
    payload_digest_ok: bool | None = None


def iter_views(path: str | Path, reader: str | None = None) -> Iterator[RecordView]:
    """Every record of a WARC file, streaming, as `reader` parses it."""
    if reader_name(reader) == "fastwarc":
        yield from _fastwarc_views(Path(path))
        return
    with open(path, "rb") as handle:
        iterator = WarcioIterator(handle, no_record_parse=True)  # warcio would read warcinfo fields as HTTP
        for record in iterator:
            headers = record.rec_headers
            block, http = BytesIO(record.raw_stream.read()), None
            if (headers.get_header("Content-Type") or "").lower().startswith("application/http"):
                http = tuple(StatusAndHeadersParser([], verify=False).parse(block).headers)
            yield RecordView(iterator.get_record_offset(), headers.get_header("WARC-Type"),
                             headers.get_header("WARC-Record-ID"), headers.get_header("WARC-Target-URI"),
                             tuple(headers.headers), http, block.read())


def _fastwarc_views(path: Path) -> Iterator[RecordView]:
    with open(path, "rb") as handle:
        for record in FastIterator(handle, parse_http=False, fsspec_args=False):
            headers = record.headers
            block_ok = record.verify_block_digest(False) if headers.get("WARC-Block-Digest") else None
            http = None
            if record.is_http:
                record.parse_http()
                http = tuple(record.http_headers.astuples())
            payload_ok = (record.verify_payload_digest(False)
                          if headers.get("WARC-Payload-Digest") and str(record.record_type) != "revisit" else None)
            yield RecordView(record.stream_pos, str(record.record_type), headers.get("WARC-Record-ID"),
                             headers.get("WARC-Target-URI"), tuple(headers.astuples()), http, record.reader.read(),
                             block_ok, payload_ok)
