"""A page archived by a run that died before cleaning it gets its cleaned copy from the
archived original when a later run only gets a revisit (304 or identical payload)."""

from __future__ import annotations

import gzip

from scrapy.utils.test import get_crawler

from archive.store import Archive, Exchange
from crawler.pipelines import CleanAndStorePipeline
from tests.test_extract_core import PARAS, generic_page

URL = "https://www.valley.example/news/breakwater"


def exchange(status: int, body: bytes, headers: list[tuple[str, str]]) -> Exchange:
    return Exchange(url=URL, method="GET", request_headers=[], status=status, response_headers=headers, body=body)


def test_revisit_of_an_uncleaned_capture_cleans_the_archived_original(tmp_path):
    page = gzip.compress(generic_page(PARAS, title="Breakwater works").encode())
    with Archive(tmp_path) as archive:  # the killed run: response archived, no cleaned copy
        original = archive.record_exchange(exchange(200, page, [("Content-Type", "text/html; charset=utf-8"),
                                                                 ("Content-Encoding", "gzip"), ("ETag", '"v1"')]))
        revisit = archive.record_exchange(exchange(304, b"", [("ETag", '"v1"')]))
        assert revisit.record_type == "revisit" and archive.index.document(original.urlkey) is None

    stage = CleanAndStorePipeline.from_crawler(get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)}))
    stage.open_spider()
    item = stage.process_item({"url": URL, "status": 304, "capture_id": revisit.id, "capture_type": "revisit",
                               "content_type": "", "encoding": None, "body": b""})
    again = stage.process_item({"url": URL, "status": 304, "capture_id": revisit.id, "capture_type": "revisit",
                                "content_type": "", "encoding": None, "body": b""})
    stage.close_spider()
    assert item["outcome"] == "new" and again["outcome"] == "unchanged"
    with Archive(tmp_path, readonly=True) as archive:
        (document,) = archive.index.documents(original.urlkey)
    assert document.capture_id == original.id  # the copy refers to the response record, not the revisit
    assert document.text == "\n\n".join(PARAS)


def test_revisit_of_an_archived_bomb_is_not_inflated(tmp_path):
    bomb = gzip.compress(b"<html><body><p>" + b" " * (20 * 1024 * 1024) + b"</p></body></html>")
    with Archive(tmp_path) as archive:
        archive.record_exchange(exchange(200, bomb, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]))
        revisit = archive.record_exchange(exchange(304, b"", []))
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path), "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024})
    stage = CleanAndStorePipeline.from_crawler(crawler)
    stage.open_spider()
    item = stage.process_item({"url": URL, "status": 304, "capture_id": revisit.id, "capture_type": "revisit",
                               "content_type": "", "encoding": None, "body": b""})
    stage.close_spider()
    assert item["outcome"] == "unchanged"  # over DOWNLOAD_MAXSIZE once decoded: left alone, as a download would be
