"""The gzip members of a gzip-per-record WARC file, one at a time, each checked on its own.

A WARC written by `archive.warc.RollingWarcWriter` is a series of gzip members, one record
each. Reading member by member (instead of one continuous stream) tells exactly where each
record starts and ends, whether its gzip CRC holds, and where a crash cut the file: what
`archive.warc.recovery` and `archive.warc.verification` both need. Nothing here parses WARC beyond
`split_record`, which checks that one member holds exactly one complete record.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

GZIP_MAGIC = b"\x1f\x8b\x08"
CHUNK = 1 << 16
PARTIAL = 8192


@dataclass
class Member:
    """One gzip member at `offset`. `length` is its compressed size and `data` what it
    inflates to; on failure `error` says why, `data` is None and `length` counts the bytes
    up to the next gzip header (or the end of the file)."""

    offset: int
    length: int
    data: bytes | None
    error: str | None = None
    partial: bytes = b""  # what inflated before the failure: enough to name the record

    @property
    def end(self) -> int:
        return self.offset + self.length

    @property
    def ok(self) -> bool:
        return self.error is None


def iter_members(handle: BinaryIO, *, start: int = 0) -> Iterator[Member]:
    """Yield every gzip member of a seekable binary file from `start`. After a broken
    member (bad CRC, bad deflate data, cut short), resume at the next gzip header."""
    offset = start
    while True:
        handle.seek(offset)
        member = _read_member(handle, offset)
        if member is None:
            return
        if member.ok:
            yield member
            offset = member.end
            continue
        following = _next_header(handle, offset + 1)
        member.length = (following if following is not None else _size(handle)) - offset
        yield member
        if following is None:
            return
        offset = following


def _read_member(handle: BinaryIO, offset: int) -> Member | None:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out: list[bytes] = []
    consumed = 0
    first = True
    while True:
        block = handle.read(CHUNK)
        if not block:
            if first:
                return None
            return Member(offset, consumed, None, "gzip member cut short (end of file)",
                          b"".join(out)[:PARTIAL])
        if first and not block.startswith(GZIP_MAGIC[: len(block)]):
            return Member(offset, 0, None, "no gzip header here")
        first = False
        try:
            out.append(inflater.decompress(block))
        except zlib.error as exc:
            return Member(offset, consumed, None, f"gzip data corrupt ({exc})", b"".join(out)[:PARTIAL])
        if inflater.eof:
            consumed += len(block) - len(inflater.unused_data)
            return Member(offset, consumed, b"".join(out))
        consumed += len(block)


def _next_header(handle: BinaryIO, position: int) -> int | None:
    handle.seek(position)
    carry = b""
    base = position
    while True:
        block = handle.read(CHUNK)
        if not block:
            return None
        window = carry + block
        found = window.find(GZIP_MAGIC)
        if found >= 0:
            return base - len(carry) + found
        carry = window[-(len(GZIP_MAGIC) - 1):]
        base += len(block)


def _size(handle: BinaryIO) -> int:
    handle.seek(0, 2)
    return handle.tell()


def split_record(data: bytes) -> tuple[bytes, bytes]:
    """(WARC header bytes, block) of the one record in `data`. Raises ValueError unless
    `data` is exactly one complete record: `WARC/` version line, headers, a Content-Length
    block, and the two CRLFs that close it."""
    if not data.startswith(b"WARC/"):
        raise ValueError("does not start with a WARC version line")
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0:
        raise ValueError("WARC headers not terminated")
    head = data[:head_end]
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                raise ValueError(f"bad Content-Length {value.strip()!r}") from None
    if length is None:
        raise ValueError("no Content-Length")
    block_start = head_end + 4
    expected = block_start + length + 4
    if len(data) < expected:
        raise ValueError(f"block shorter than Content-Length ({len(data) - block_start - 4} < {length})")
    if len(data) > expected or data[block_start + length:] != b"\r\n\r\n":
        raise ValueError("bytes after the record block (not one record per gzip member)")
    return head, data[block_start:block_start + length]


def header_value(head: bytes, name: str) -> str | None:
    """One WARC header's value from the header bytes `split_record` returned."""
    wanted = name.lower().encode("ascii")
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == wanted:
            return value.strip().decode("utf-8", "replace")
    return None
