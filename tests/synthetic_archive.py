"""A small archive built through the real store API, for retrieval, web and browser tests.

Three articles: one captured three times (an edit, then an unchanged revisit), one whose
title and archived page carry scripts (escaping and sandbox tests), one in windows-1251
served gzip-compressed (decoding tests); plus a listing page that has no cleaned copy.
"""

from __future__ import annotations

import gzip
from datetime import datetime, timezone
from pathlib import Path

from archive import warc
from archive.store import Archive, Exchange

RIVER = "https://www.rferl.org/a/river-levels/1234567.html"
EVIL = "https://www.npr.org/2024/05/01/123/evil-page"
CYRILLIC = "https://www.kosu.org/news/2024-05-01/cyrillic"
LISTING = "https://www.rferl.org/z/1234"

T1, T2, T3 = "2024-05-01T10:00:00", "2024-05-02T10:00:00", "2024-05-03T10:00:00"
RIVER_V1 = "The river rose two metres overnight.\n\nResidents of Kyiv were evacuated."
RIVER_V2 = ("The river rose three metres overnight.\n\nResidents of Kyiv were evacuated.\n\n"
            "Officials expect the flood to recede by Friday.")
EVIL_TITLE = "<script>alert('x')</script> Flood & fire"
EVIL_HTML = (b"<!doctype html><html><head><title>Archived evil</title></head><body>"
             b"<h1 id='h'>Archived evil page</h1><p>Wildfire report.</p>"
             b"<script>document.title='PWNED';document.getElementById('h').textContent='PWNED';"
             b"fetch('/api/search?q=pwned');</script></body></html>")
CYRILLIC_TEXT = "Паводок на реке: вода поднялась на два метра."


def _date(stamp: str) -> str:
    return warc.warc_date(datetime.fromisoformat(stamp).replace(tzinfo=timezone.utc))


def _exchange(url: str, body: bytes, fetched_at: str, *, content_type="text/html; charset=utf-8",
              encoding: str | None = None) -> Exchange:
    headers = [("Content-Type", content_type)] + ([("Content-Encoding", encoding)] if encoding else [])
    return Exchange(url=url, method="GET", request_headers=[("Accept", "text/html")], status=200,
                    response_headers=headers, body=body, fetched_at=_date(fetched_at))


def _page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return f"<html><head><title>{title}</title></head><body><article>{paragraphs}</article></body></html>".encode()


def _cleaned(title: str, text: str, **extra) -> dict:
    return {"title": title, "text": text, "page_type": "article", "authors": ["Ann Reporter"],
            "published": "2024-05-01", "language": "en", "extractor": "fake/1", "rules_version": "1",
            "images": [], **extra}


def build(root: Path) -> Path:
    """Write the synthetic archive into `root` and return it."""
    with Archive(root) as archive:
        for stamp, text in ((T1, RIVER_V1), (T2, RIVER_V2), (T3, RIVER_V2)):
            capture = archive.record_exchange(_exchange(RIVER, gzip.compress(_page("River levels", text), mtime=0),
                                                        stamp, encoding="gzip"))
            if capture.record_type == "response":
                archive.record_document(capture, _cleaned("River levels rise in Kyiv", text))
        capture = archive.record_exchange(_exchange(EVIL, EVIL_HTML, T1))
        archive.record_document(capture, _cleaned(EVIL_TITLE, "Wildfire report from the coast."))
        body = gzip.compress(f"<html><head><meta charset='windows-1251'></head><body><p>{CYRILLIC_TEXT}</p>"
                             "</body></html>".encode("cp1251"))
        capture = archive.record_exchange(_exchange(CYRILLIC, body, T2, content_type="text/html",
                                                    encoding="gzip"))
        archive.record_document(capture, _cleaned("Паводок", CYRILLIC_TEXT, language="ru"))
        archive.record_exchange(_exchange(LISTING, b"<html><body>listing</body></html>", T1))
    return root
