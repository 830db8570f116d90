"""Item pipeline: clean each fetched page and store the cleaned copy next to its original.

Cleaning is `archive.extract.clean`; storage is `archive.store.Archive.record_document`
(conversion + metadata records, then the index row). A page that cannot be cleaned is
skipped with a logged reason; it never stops the crawl.

Learned boilerplate: every article's body blocks are counted per host; blocks that recur
on many pages of one host are stripped from later pages (and, through `archive reextract`,
from earlier ones). The counts live in the archive index and carry over between runs.

With a writer thread (`crawler.archive_binding`), the cleaned copy is stored there: the item
leaves the pipeline (and, with a shared frontier, its request is acknowledged) only when the
copy is committed.
"""

from __future__ import annotations

import logging
from functools import partial

from scrapy.exceptions import DropItem

from archive.extract import LearnedBoilerplate, clean
from archive.extract.encoding import looks_binary
from archive.index import Capture
from archive.warc.payload import MAX_DECODED_BYTES, DecodeError, HttpHead, decode_text
from archive.urls import url_host
from crawler import diskspace
from crawler.archive_binding import archive_for, write, writer_for

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


class CleanAndStorePipeline:
    SAVE_EVERY = 50  # articles between saves of the learned counts

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = crawler.settings.getbool("WARC_ENABLED", True)
        self.learned: LearnedBoilerplate | None = None
        self._unsaved: set[str] = set()  # hosts observed since the last save
        self._observed = 0
        self.last_document = None  # the most recent cleaned copy (for tests and debugging)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.learned = archive_for(self.crawler).learned_boilerplate() if self.store else LearnedBoilerplate()

    def close_spider(self, spider=None):
        self._save_learned()

    def _save_learned(self) -> None:
        if self.store and self._unsaved and not diskspace.write_failed(self.crawler):
            try:
                archive_for(self.crawler).save_learned_boilerplate(self.learned, hosts=self._unsaved)
            except diskspace.WRITE_ERRORS as exc:
                diskspace.stop_for_write_error(self.crawler, exc, "the learned boilerplate counts")
                return
            self._unsaved = set()

    def process_item(self, item, spider=None):
        url = item["url"]
        body = item.pop("body", b"")
        capture = item.pop("capture", None)  # what the capture middleware wrote (read back if absent)
        first_capture = bool(item.pop("first_capture", False))  # the URL had no capture before this one
        content_type = (item.get("content_type") or "").split(";")[0].strip().lower()
        if item.get("capture_type") == "revisit":
            original = self._uncleaned_original(item, capture)
            if original is None:
                self.stats.inc_value("newsarchive/unchanged")
                item["outcome"] = "unchanged"
                return item
            body, item["encoding"], capture = original
            item["capture_id"] = capture.id
        if content_type and content_type not in HTML_TYPES:
            self._skip(url, f"not HTML ({content_type})", "not_html")
        if not body.strip():
            self._skip(url, "empty body", "empty")
        if looks_binary(body):
            self._skip(url, "binary body (NUL bytes or a binary file signature), not a web page", "binary")
        text = body.decode(item.get("encoding") or "utf-8", errors="replace")
        try:
            document = clean(text, url, learned=self.learned)
        except Exception as exc:  # one odd page must never stop the crawl
            logger.error("cleaning failed for %s: %s: %s", url, type(exc).__name__, exc)
            self._skip(url, f"cleaning failed: {exc}", "clean_failed")
        self.last_document = document
        item["page_type"] = document.page_type
        item["title"] = document.title
        self.stats.inc_value("newsarchive/boilerplate_removed", document.removed)
        if document.page_type != "article":
            self.stats.inc_value(f"newsarchive/pages/{document.page_type}")
            item["outcome"] = "not_article"
            return item
        host = url_host(url)
        self.learned.observe(host, url, document.body_blocks)
        self._unsaved.add(host)
        self._observed += 1
        if self._observed % self.SAVE_EVERY == 0:
            self._save_learned()
        if not (self.store and item.get("capture_id")):
            return self._stored(item, "stored")
        archive = archive_for(self.crawler)
        capture = self._capture(archive, item, capture)
        previous = None if first_capture else archive.index.document(capture.urlkey)
        if diskspace.write_failed(self.crawler):
            self._skip(url, "cleaned copy not stored: the archive could not be written", "not_stored")
        store = partial(archive.record_document, capture, document.to_dict(),
                        learned_blocks=self.learned.blocks_for(host))  # as of this page: the thread must not read it
        if writer_for(self.crawler) is not None:
            return self._store_on_writer(item, url, previous, store)
        try:
            stored = store()
        except diskspace.WRITE_ERRORS as exc:
            self._not_stored(url, exc)
        return self._stored(item, _outcome(previous, stored))

    async def _store_on_writer(self, item, url: str, previous, store):
        """`store()` on the writer thread; the item is done when the copy is committed."""
        try:
            stored = await write(self.crawler, store)
        except diskspace.WRITE_ERRORS as exc:
            self._not_stored(url, exc)
        return self._stored(item, _outcome(previous, stored))

    def _stored(self, item, outcome: str):
        self.stats.inc_value("newsarchive/articles_stored")
        self.stats.inc_value(f"newsarchive/articles_{outcome}")
        item["outcome"] = outcome
        return item

    def _not_stored(self, url: str, exc: BaseException) -> None:
        diskspace.stop_for_write_error(self.crawler, exc, f"the cleaned copy of {url}")
        self._skip(url, f"cleaned copy not stored: {exc}", "not_stored")

    def _uncleaned_original(self, item, capture=None) -> tuple[bytes, str, Capture] | None:
        """For a revisit of a URL that has no cleaned copy yet (an earlier run was killed
        between archiving the page and cleaning it): the archived original it refers to, as
        (UTF-8 body, "utf-8", its capture), so the copy is made now. None otherwise."""
        if not self.store or not item.get("capture_id"):
            return None
        archive = archive_for(self.crawler)
        capture = self._capture(archive, item, capture)
        if capture is None or archive.index.document(capture.urlkey) is not None:
            return None
        source, record, payload = archive.original_payload(capture)
        head = HttpHead.from_record(record)
        if source is None or source.status != 200 or (head.content_type and head.mime not in HTML_TYPES):
            return None
        limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE") or MAX_DECODED_BYTES
        try:  # the same size cap as a download: the archived bytes may be a decompression bomb
            text = decode_text(payload, head, max_size=limit)
        except DecodeError as exc:
            logger.info("not cleaning the archived original of %s: %s", item["url"], exc)
            return None
        logger.info("cleaning the archived original of %s (captured %s without a cleaned copy)",
                    item["url"], source.fetched_at)
        return text.encode("utf-8"), "utf-8", source

    @staticmethod
    def _capture(archive, item, capture: Capture | None) -> Capture | None:
        """The capture `item["capture_id"]` names: the one handed over, else read from the index."""
        if capture is not None and capture.id == item["capture_id"]:
            return capture
        return archive.index.capture(item["capture_id"])

    def _skip(self, url: str, reason: str, key: str) -> None:
        self.stats.inc_value(f"newsarchive/skipped/{key}")
        logger.info("skipped %s: %s", url, reason)
        raise DropItem(f"{url}: {reason}")


def _outcome(previous, stored) -> str:
    """What storing the copy did: the URL's first copy, a changed text, or the same text."""
    if previous is None:
        return "new"
    if previous.text_digest != stored.text_digest:
        logger.info("article changed since %s: %s", previous.captured_at, stored.url)
        return "changed"
    return "same_text"

