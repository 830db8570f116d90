"""Re-cleaning stored originals with the current rules, on all cores.

When cleaning rules improve, the archive's cleaned copies should follow without a recrawl:
the originals are in the WARCs. Workers read one response record each by offset and clean
it; only the parent writes (conversion records and index rows go through one writer, so
WARC files and the index stay consistent). Old documents are kept, marked superseded.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from archive import warc
from archive.extract.learned import LearnedBoilerplate
from archive.warc.payload import HttpHead, decode_text
from archive.store import Archive
from archive.warc.storage import WarcStore, open_store

DEFAULT_CLEANER = "archive.extract:clean"


@dataclass(frozen=True)
class Task:
    """What a worker needs to re-clean one document: where its original bytes are."""

    document_id: int
    url: str
    warc_file: str
    warc_offset: int
    warc_length: int


@dataclass
class Summary:
    documents: int = 0
    recleaned: int = 0  # new cleaned copies written
    texts_changed: int = 0
    unchanged: int = 0  # identical output: nothing written
    not_articles: int = 0  # the current rules no longer see an article: old copy kept
    failed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**{k: v for k, v in self.__dict__.items() if k != "errors"},
                "pages_per_second": round(self.pages_per_second, 1), "errors": self.errors[:20]}


_cleaner: Callable | None = None
_learned: LearnedBoilerplate | None = None
_store_of_worker: WarcStore | None = None


def load_cleaner(spec: str) -> Callable:
    """`module:function`, imported in each worker (functions do not cross process borders)."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "clean")


def _init_worker(spec: str, learned_json: str | None, store_url: str, spool: str) -> None:
    global _cleaner, _learned, _store_of_worker
    _store_of_worker = open_store(store_url, Path(spool))  # each process its own connection
    _cleaner = load_cleaner(spec)
    _learned = LearnedBoilerplate.from_json(learned_json) if learned_json else None


def clean_task(task: Task) -> tuple[Task, dict[str, Any] | None, str | None]:
    """Worker side: read the response record at its offset, decode it as the crawler does,
    clean it. Errors are returned, not raised: one odd page must not stop the run."""
    try:
        data = _store_of_worker.read(task.warc_file, task.warc_offset, task.warc_length)
        record, payload = warc.parse_record(data)
        cleaned = _cleaner(decode_text(payload, HttpHead.from_record(record)), task.url, learned=_learned)
        return task, cleaned if isinstance(cleaned, dict) else cleaned.to_dict(), None
    except Exception as exc:  # noqa: BLE001 - reported per document in the summary
        return task, None, f"{task.url}: {type(exc).__name__}: {exc}"


def tasks(archive: Archive, host: str | None = None) -> list[Task]:
    """One task per current cleaned copy, pointing at the response record behind it."""
    out = []
    for document_id, _digest, capture in archive.index.current_documents(host):
        if capture.record_type == "revisit" and capture.revisit_of:
            capture = archive.index.capture(capture.revisit_of)
        out.append(Task(document_id, capture.url, capture.warc_file, capture.warc_offset, capture.warc_length))
    return out


def _results(todo: list[Task], workers: int, cleaner: str, learned_json: str | None,
             store: WarcStore) -> Iterator[tuple[Task, dict | None, str | None]]:
    init = (cleaner, learned_json, store.url, str(store.spool))
    if workers <= 1:
        _init_worker(*init)
        yield from map(clean_task, todo)
        return
    with get_context("spawn" if sys.platform == "darwin" else "fork").Pool(
            workers, initializer=_init_worker, initargs=init) as pool:
        yield from pool.imap_unordered(clean_task, todo, chunksize=max(1, min(16, len(todo) // (workers * 8))))


def _normal(data: Any) -> Any:
    return json.loads(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str))


def reextract(archive: Archive, *, host: str | None = None, workers: int | None = None,
              cleaner: str = DEFAULT_CLEANER, progress: TextIO | None = None) -> Summary:
    """Re-clean every current document (of `host`) and store what differs."""
    started = time.monotonic()
    host = host.lower().removeprefix("www.") if host else None
    todo = tasks(archive, host)
    summary = Summary(documents=len(todo))
    bar = Progress(len(todo), progress)
    learned_json = archive.learned_boilerplate().to_json()  # what the crawl learned, per host
    archive.index.clear_stories(host)  # story groups are rebuilt from every current copy
    for task, cleaned, error in _results(todo, workers or os.cpu_count() or 1, cleaner, learned_json,
                                          archive.store):
        if error is not None:
            summary.failed += 1
            summary.errors.append(error)
        if error is not None or not _store(archive, task, cleaned, summary):
            archive.index_story(archive.index.document_by_id(task.document_id))
        bar.step(summary.texts_changed)
    bar.done()
    summary.seconds = time.monotonic() - started
    return summary


def _store(archive: Archive, task: Task, cleaned: dict[str, Any], summary: Summary) -> bool:
    """Store a new cleaned copy where the result differs; False when the old one stays."""
    old = archive.index.document_by_id(task.document_id)
    if (cleaned.get("page_type") or "article") != "article":
        summary.not_articles += 1
        return False
    metadata = {k: v for k, v in cleaned.items() if k != "text"}
    if (cleaned.get("text") or "") == old.text and _normal(metadata) == _normal(old.metadata):
        summary.unchanged += 1
        return False
    capture = archive.index.capture(old.capture_id)
    new = archive.record_document(capture, cleaned, supersedes=old.id)
    summary.recleaned += 1
    summary.texts_changed += new.text_digest != old.text_digest
    return True


class Progress:
    """A one-line progress display on stderr, redrawn at most five times a second."""

    def __init__(self, total: int, stream: TextIO | None):
        self.total, self.stream, self.count = total, stream, 0
        self.started = self.drawn = time.monotonic()

    def step(self, changed: int) -> None:
        self.count += 1
        now = time.monotonic()
        if self.stream is not None and (now - self.drawn >= 0.2 or self.count == self.total):
            self.drawn = now
            rate = self.count / max(now - self.started, 1e-9)
            width = 30
            filled = int(width * self.count / max(self.total, 1))
            self.stream.write(f"\rre-cleaning [{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total}"
                              f" {rate:6.1f}/s, {changed} texts changed")
            self.stream.flush()

    def done(self) -> None:
        if self.stream is not None and self.total:
            self.stream.write("\n")
            self.stream.flush()


def describe(summary: Summary) -> Iterable[str]:
    yield f"documents re-cleaned: {summary.documents} in {summary.seconds:.1f}s ({summary.pages_per_second:.1f}/s)"
    yield f"texts changed:        {summary.texts_changed}"
    yield f"new cleaned copies:   {summary.recleaned} (old copies kept, marked superseded)"
    yield f"identical output:     {summary.unchanged}"
    yield f"no longer articles:   {summary.not_articles} (old copies kept)"
    yield f"failed:               {summary.failed}"
    for error in summary.errors[:10]:
        yield f"  {error}"
