"""Turning an archived HTTP payload back into what a browser would have read.

WARC response records keep the entity body exactly as received, Content-Encoding included
(DESIGN.md). Whoever wants text - `archive original --decode`, the web viewer, re-extraction -
has to undo the content coding and pick the charset the same way, so it happens here once.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class DecodeError(ValueError):
    """The payload declares a content coding that cannot be undone."""


@dataclass(frozen=True)
class HttpHead:
    """The parts of an archived response's header block that decoding depends on."""

    content_type: str | None = None
    content_encoding: str | None = None

    @classmethod
    def from_record(cls, record) -> "HttpHead":
        headers = record.http_headers
        if headers is None:
            return cls()
        return cls(headers.get_header("Content-Type"), headers.get_header("Content-Encoding"))

    @property
    def mime(self) -> str:
        return (self.content_type or "application/octet-stream").split(";")[0].strip().lower()


# A decoded payload larger than this is refused: archived originals may be decompression
# bombs (the crawler caps what it downloads, but the WARC keeps the compressed bytes).
MAX_DECODED_BYTES = 64 * 1024 * 1024


def undo_content_encoding(body: bytes, content_encoding: str | None, *,
                          max_size: int = MAX_DECODED_BYTES) -> bytes:
    """Reverse the codings listed in Content-Encoding, last applied first. A body that the
    server labelled gzip but sent plain (it happens) is returned as it is. Raises DecodeError
    when a coding is unsupported or the result would exceed `max_size` bytes."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip"):
            if body[:2] != b"\x1f\x8b":
                continue
            body = _inflate(body, 16 + zlib.MAX_WBITS, max_size)
        elif coding == "deflate":
            try:
                body = _inflate(body, zlib.MAX_WBITS, max_size)
            except zlib.error:  # raw deflate without the zlib wrapper
                body = _inflate(body, -zlib.MAX_WBITS, max_size)
        elif coding == "br":
            try:
                import brotli
            except ImportError:
                raise DecodeError("the payload is brotli-compressed; install the brotli package") from None
            body = brotli.decompress(body)
            if len(body) > max_size:
                raise DecodeError(f"decoded payload larger than {max_size:,} bytes")
        else:
            raise DecodeError(f"unsupported Content-Encoding: {coding}")
    return body


def _inflate(body: bytes, wbits: int, max_size: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(body, max_size + 1)
    if len(out) > max_size or inflater.unconsumed_tail:
        raise DecodeError(f"decoded payload larger than {max_size:,} bytes (a decompression bomb?)")
    return out


def charset(head: HttpHead, body: bytes) -> str:
    """The charset a browser would use: the HTTP header, else a <meta> in the first 4 KB,
    else UTF-8. Unknown names fall through to the next source."""
    candidates = []
    if found := _HEADER_CHARSET.search(head.content_type or ""):
        candidates.append(found.group(1))
    if found := _META_CHARSET.search(body[:4096]):
        candidates.append(found.group(1).decode("ascii", "replace"))
    for name in candidates:
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return "utf-8"


def decode_text(body: bytes, head: HttpHead, *, max_size: int = MAX_DECODED_BYTES) -> str:
    """The payload as text: content coding undone, charset applied, bad bytes replaced."""
    plain = undo_content_encoding(body, head.content_encoding, max_size=max_size)
    return plain.decode(charset(head, plain), errors="replace")
