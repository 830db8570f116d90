"""Bytes to text for saved pages with no HTTP headers at hand.

Order as browsers do it without a Content-Type charset: byte-order mark, then the page's own
<meta charset>, then a statistical guess (charset-normalizer). A page that is not text at all
(images, archives served under an .html name) is reported as None so the caller can return
an empty document instead of feeding mojibake to the extractor.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
# WHATWG: labels that mean something wider in practice.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "x-user-defined": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a known binary signature near the start: not a web page."""
    head = data[:2048]
    if head.startswith((b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")):
        return True
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in head


def decode_html(data: bytes) -> str | None:
    """The page as text, or None when it is binary. Never raises."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    if looks_binary(data):
        return None
    found = _META.search(data[:4096])
    if found:
        name = _codec(found.group(1).decode("ascii", "ignore"))
        if name and name not in ("utf-16-le", "utf-16-be", "utf-16", "utf-32"):
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace")
    except Exception:  # noqa: BLE001 - a guesser failure must not lose the page
        pass
    return data.decode("cp1252", errors="replace")
