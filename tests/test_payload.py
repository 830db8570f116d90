"""Decoding archived payloads: content codings undone, bounded in size (bombs are archived too)."""

from __future__ import annotations

import gzip
import subprocess
import sys
import zlib

import pytest

from archive.warc.payload import DecodeError, HttpHead, decode_text, undo_content_encoding
from archive.store import Archive, Exchange
from tests.conftest import PROJECT_ROOT


def test_gzip_and_deflate_are_undone():
    text = b"<p>Caf\xc3\xa9</p>"
    assert undo_content_encoding(gzip.compress(text), "gzip") == text
    assert undo_content_encoding(zlib.compress(text), "deflate") == text
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert undo_content_encoding(raw.compress(text) + raw.flush(), "deflate") == text
    assert decode_text(gzip.compress(text), HttpHead("text/html; charset=utf-8", "gzip")) == "<p>Café</p>"


def test_a_decompression_bomb_is_refused_not_inflated():
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))  # 8 MiB of spaces in ~8 KB
    with pytest.raises(DecodeError, match="larger than"):
        undo_content_encoding(bomb, "gzip", max_size=1024 * 1024)
    assert len(undo_content_encoding(bomb, "gzip")) == 8 * 1024 * 1024  # under the default cap


def test_archive_original_decode_of_a_bomb_is_a_clear_error(tmp_path):
    bomb = gzip.compress(b"<p>" + b" " * (80 * 1024 * 1024) + b"</p>")  # over the 64 MiB default
    with Archive(tmp_path) as archive:
        archive.record_exchange(Exchange(url="http://bomb.example/x", method="GET", request_headers=[], status=200,
                                         response_headers=[("Content-Type", "text/html"),
                                                           ("Content-Encoding", "gzip")], body=bomb))
    result = subprocess.run([sys.executable, "-m", "archive", "original", "http://bomb.example/x", "--decode",
                             "--archive-dir", str(tmp_path)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "larger than" in result.stderr and "Traceback" not in result.stderr
    raw = subprocess.run([sys.executable, "-m", "archive", "original", "http://bomb.example/x",
                          "--archive-dir", str(tmp_path)], cwd=PROJECT_ROOT, capture_output=True, timeout=120)
    assert raw.returncode == 0 and raw.stdout == bomb  # the archived bytes themselves are always available
