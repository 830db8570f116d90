"""Hostile endpoints under /x/ on rferl.replica.test: errors, redirects, odd encodings, sizes.

`respond` builds the bytes (pure, cached); `DELIVERY` tells the server which ones need special
transport (first-request 429, delay, chunking, a lying Content-Length, pre-encoded gzip).
"""

from __future__ import annotations

import random
import threading
import zlib

from .model import RFERL

BASE = f"http://{RFERL}"
HOSTILE_PATHS = (
    "/x/missing", "/x/error", "/x/ratelimited", "/x/slow", "/x/redirect-chain", "/x/redirect-loop",
    "/x/offsite", "/x/report.pdf", "/x/cp1251", "/x/chunked", "/x/huge", "/x/truncated", "/x/bomb",
    "/x/empty", "/x/binary",
)
# Intermediate hops, not listed in the misc sitemap.
REDIRECT_HOPS = ("/x/redirect-step", "/x/redirect-loop-b")
# Which story (prose key) each article-serving hostile path renders.
ARTICLE_PATHS = {"/x/ratelimited": "p01", "/x/slow": "p02", "/x/chunked": "p03", "/x/truncated": "p04",
                 "/x/huge": "p05", "/x/cp1251": "ru2"}
REDIRECT_TARGET_KEY = "p06"

DELIVERY = {
    "/x/ratelimited": "ratelimited-once",
    "/x/slow": "slow",
    "/x/chunked": "chunked",
    "/x/truncated": "truncated",
    "/x/bomb": "pre-encoded",
}
SLOW_SECONDS = 2.0
RETRY_AFTER = "1"
HUGE_BYTES = 12 * 1024 * 1024
BOMB_DECOMPRESSED_MIB = 520

_bomb_lock = threading.Lock()
_bomb: bytes | None = None


def gzip_bomb() -> bytes:
    """~0.5 MB of gzip that inflates to 520 MiB of spaces; built once, streaming (little memory).

    Deflate cannot beat ~1030:1, so ">500 MB decompressed" needs about 0.5 MB compressed.
    """
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            block = b" " * (1 << 20)
            out = [packer.compress(b"<!DOCTYPE html><html><head><title>Bomb</title></head><body><p>")]
            for _ in range(BOMB_DECOMPRESSED_MIB):
                out.append(packer.compress(block))
            out.append(packer.compress(b"</p></body></html>"))
            out.append(packer.flush())
            _bomb = b"".join(out)
        return _bomb


def pdf_bytes() -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"]
    stream = b"BT /F1 18 Tf 72 720 Td (Replica annual report) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = [b"%PDF-1.4\n"], []
    for n, obj in enumerate(objects, 1):
        offsets.append(sum(map(len, out)))
        out.append(b"%d 0 obj\n" % n + obj + b"\nendobj\n")
    xref = sum(map(len, out))
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out += [b"%010d 00000 n \n" % o for o in offsets]
    out.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return b"".join(out)


def binary_bytes() -> bytes:
    return random.Random(1251).randbytes(64 * 1024)


def huge_padding(target: int) -> str:
    """Reader comments, deterministic, to push an article page past `target` bytes."""
    line = ('<div class="comment"><p class="comment__author">Reader {n}</p><p class="comment__text">'
            'Comment number {n} on this story, kept here only to make the page very large.</p></div>\n')
    out, size, n = [], 0, 0
    while size < target:
        chunk = line.format(n=n)
        out.append(chunk)
        size += len(chunk)
        n += 1
    return '<div class="comments" id="comments">\n' + "".join(out) + "</div>\n"


def redirect(status: int, location: str) -> tuple[int, dict, bytes]:
    body = f'<html><body><a href="{location}">Moved</a></body></html>'.encode()
    return status, {"Location": location, "Content-Type": "text/html; charset=utf-8"}, body


def simple(path: str, article_url) -> tuple[int, dict, bytes] | None:
    """Hostile responses that need no article rendering; None for the article-serving ones."""
    if path == "/x/missing":
        return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body><h1>Not Found</h1></body></html>"
    if path == "/x/error":
        return 500, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body><h1>Internal Server Error</h1></body></html>"
    if path == "/x/redirect-chain":
        return redirect(301, BASE + "/x/redirect-step")
    if path == "/x/redirect-step":
        return redirect(302, article_url)
    if path == "/x/redirect-loop":
        return redirect(302, BASE + "/x/redirect-loop-b")
    if path == "/x/redirect-loop-b":
        return redirect(302, BASE + "/x/redirect-loop")
    if path == "/x/offsite":
        return redirect(302, "http://evil.example.net/")
    if path == "/x/report.pdf":
        return 200, {"Content-Type": "application/pdf"}, pdf_bytes()
    if path == "/x/empty":
        return 200, {"Content-Type": "text/html; charset=utf-8"}, b""
    if path == "/x/binary":
        return 200, {"Content-Type": "text/html"}, binary_bytes()
    if path == "/x/bomb":
        return 200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}, gzip_bomb()
    return None
