"""One `archive.store.Archive` per crawler, shared by the WARC middleware and the pipeline.

Both components are built by Scrapy with `from_crawler`; they meet here so that captures and
cleaned copies go through the same index connection and WARC writers.

Writer thread (`INDEX_WRITER_THREAD`; on by default when the index is a server): captures and
cleaned copies are then written on one thread of its own, with an index connection of its
own, in the order they were handed over, so that the crawl goes on fetching and cleaning while
the index answers over the network. Whoever hands work over waits for it (a response goes on
to the spider, an item leaves the pipeline, only when its row is committed); the reactor does
not.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads
from twisted.python.threadpool import ThreadPool

from archive.store import Archive
from crawler import frontier

_ATTR = "_newsarchive_archive"
_WRITER_ATTR = "_newsarchive_writer"


RUN_ID_FILE = "newsarchive-run-id"


def run_id_for(crawler) -> str:
    """A stable id for this crawl run. With JOBDIR it is written to JOBDIR at once (not only
    at a clean shutdown, so it survives kill -9): a resumed run keeps its id and skips what
    it already finished. A run that finishes removes the file; the next run is a new run.
    With a shared frontier the id lives in Redis instead, one for all workers of the run."""
    run_id = getattr(crawler, "_newsarchive_run_id", None)
    if run_id is None:
        name = crawler.spidercls.name
        if frontier.enabled(crawler.settings):
            from crawler.frontier.run import shared_run_id
            from crawler.frontier.scheduler import frontier_server

            new_id = _new_run_id(name)
            run_id = shared_run_id(frontier_server(crawler), crawler.settings.get("FRONTIER_KEY_PREFIX"), name, new_id)
            crawler._newsarchive_joined_run = run_id != new_id
        else:
            run_id, crawler._newsarchive_resumed_jobdir = _persisted_run_id(crawler.settings.get("JOBDIR"), name)
        crawler._newsarchive_run_id = run_id
    return run_id


def report_id_for(crawler) -> str:
    """The id this process's run report is kept under: the run id, or with a shared frontier
    `<run id>@<worker>` (one report per worker; `archive runs` adds them up)."""
    from crawler.frontier.scheduler import frontier_for

    shared = frontier_for(crawler)
    return f"{run_id_for(crawler)}@{shared.worker}" if shared is not None else run_id_for(crawler)


def joined_run(crawler) -> bool:
    """With a shared frontier: this worker joined a run another worker had started."""
    run_id_for(crawler)
    return bool(getattr(crawler, "_newsarchive_joined_run", False))


def resumed_from_jobdir(crawler) -> bool:
    """Without a shared frontier: this process resumes a run an earlier one left in JOBDIR
    (whose queue may hold requests this process schedules again)."""
    run_id_for(crawler)
    return bool(getattr(crawler, "_newsarchive_resumed_jobdir", False))


def _new_run_id(spider_name: str) -> str:
    return f"{spider_name}-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}"


def _persisted_run_id(jobdir: str | None, spider_name: str) -> tuple[str, bool]:
    """(the run id, whether it was found in JOBDIR: an earlier process's unfinished run)."""
    if not jobdir:
        return _new_run_id(spider_name), False
    path = Path(jobdir) / RUN_ID_FILE
    try:
        saved = path.read_text().strip()
    except FileNotFoundError:
        saved = ""
    if saved.startswith(f"{spider_name}-"):
        return saved, True
    run_id = _new_run_id(spider_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w") as handle:
        handle.write(run_id + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return run_id, False


def forget_run_id(crawler) -> None:
    """Called when a run finished: the next run with this JOBDIR starts a new run id. (A
    shared-frontier run is ended in Redis by the worker that sees it finished.)"""
    jobdir = crawler.settings.get("JOBDIR")
    if jobdir and not frontier.enabled(crawler.settings):
        (Path(jobdir) / RUN_ID_FILE).unlink(missing_ok=True)


def is_replica_crawl(settings) -> bool:
    return bool(settings.get("REPLICA_PROXY"))


def backend_problem(settings) -> str | None:
    """Why ARCHIVE_INDEX / WARC_STORE cannot name a backend, or INDEX_WRITER_THREAD is not a
    boolean (a one-line message), or None: checked before a crawl starts, so a typo is a
    usage error, not a traceback mid-crawl."""
    from archive.index import BadIndexURL, check_url as check_index
    from archive.warc.storage import BadStoreURL, check_url as check_store

    try:
        for value, check in ((settings.get("ARCHIVE_INDEX"), check_index), (settings.get("WARC_STORE"), check_store)):
            if value:
                check(value)
    except (BadIndexURL, BadStoreURL) as exc:
        return str(exc)
    if settings.get("INDEX_WRITER_THREAD") not in (None, ""):
        try:
            settings.getbool("INDEX_WRITER_THREAD")
        except ValueError:
            return f"INDEX_WRITER_THREAD must be true or false (or unset), not {settings.get('INDEX_WRITER_THREAD')!r}"
    return None


def index_problem(settings) -> str | None:
    """Why the archive's SQLite index cannot be opened for writing (created or migrated), or
    None: a full disk or a read-only file found before the crawl starts is a one-line error,
    not a traceback from inside Scrapy. (A server index is waited for when the crawl opens it.)"""
    import sqlite3

    from archive.index import open_index
    from archive.store import archive_dir, index_url

    url = index_url(archive_dir(settings.get("ARCHIVE_DIR")), settings.get("ARCHIVE_INDEX") or None)
    if not url.startswith("sqlite:"):
        return None
    try:
        open_index(url).close()
    except (sqlite3.Error, OSError) as exc:
        return f"the archive index {url.removeprefix('sqlite:///')} cannot be opened for writing ({exc}; is the disk full?)"
    return None


def archive_for(crawler) -> Archive:
    """The crawler's Archive, opened on first use and closed when the spider closes."""
    archive = getattr(crawler, _ATTR, None)
    if archive is not None:
        return archive
    settings = crawler.settings
    info = {
        "isPartOf": run_id_for(crawler),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "operator": settings.get("WARC_OPERATOR") or None,
    }
    if is_replica_crawl(settings):
        info["description"] = ("REPLICA CRAWL: loopback replica sites (*.replica.test) written for "
                               "testing; not a capture of any real web site")
        info["replica"] = "true"
    else:
        info["description"] = f"newsarchive crawl by spider {crawler.spidercls.name}"
    archive = Archive(settings.get("ARCHIVE_DIR"), warcinfo={k: v for k, v in info.items() if v},
                      prefix=f"newsarchive-{crawler.spidercls.name}",
                      max_warc_size=settings.getint("WARC_MAX_SIZE"),
                      index=settings.get("ARCHIVE_INDEX") or None,
                      warc_store=settings.get("WARC_STORE") or None,
                      worker=settings.get("ARCHIVE_WORKER") or None)
    setattr(crawler, _ATTR, archive)
    crawler.signals.connect(lambda spider: _close(crawler), signal=signals.spider_closed, weak=False)
    return archive


def writer_thread_wanted(settings, index_url: str) -> bool:
    """`INDEX_WRITER_THREAD` (true/false), or by default: whether the index is a server (its
    round trips are worth overlapping; SQLite answers in-process, where a thread only adds
    contention for the interpreter)."""
    value = settings.get("INDEX_WRITER_THREAD")
    if value is None or value == "":
        return not index_url.startswith("sqlite:")
    return settings.getbool("INDEX_WRITER_THREAD")


class WriterThread:
    """The one thread that writes an archive's captures and cleaned copies, in order.

    While it runs, the interpreter hands the GIL over every 0.5 ms instead of every 5: the
    reactor thread, back from a socket, would otherwise wait up to the whole interval while
    this thread computes a story signature (each of its own round trips likewise)."""

    SWITCH_INTERVAL = 0.0005

    def __init__(self, archive: Archive):
        archive.separate_writer_connection()
        self._pool = ThreadPool(minthreads=1, maxthreads=1, name="newsarchive-writer")
        self._pool.start()
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, self.SWITCH_INTERVAL))

    async def run(self, work):
        """`work()` on the writer thread, after whatever was handed over before it; its result
        (or its exception)."""
        from twisted.internet import reactor  # the one Scrapy installed (asyncio)

        return await maybe_deferred_to_future(threads.deferToThreadPool(reactor, self._pool, work))

    def stop(self) -> None:
        """Finish what was handed over, then end the thread."""
        self._pool.stop()
        sys.setswitchinterval(self._switch_interval)


def writer_for(crawler) -> WriterThread | None:
    """The crawler's writer thread (started on first use) when INDEX_WRITER_THREAD wants one,
    else None: the caller writes on its own thread."""
    if not hasattr(crawler, _WRITER_ATTR):
        archive = archive_for(crawler)
        wanted = writer_thread_wanted(crawler.settings, archive.index_url)
        setattr(crawler, _WRITER_ATTR, WriterThread(archive) if wanted else None)
    return getattr(crawler, _WRITER_ATTR)


async def write(crawler, work):
    """`work()` (a write to the crawler's archive) on the writer thread when there is one,
    else here and now; its result."""
    writer = writer_for(crawler)
    return work() if writer is None else await writer.run(work)


def _close(crawler) -> None:
    writer = getattr(crawler, _WRITER_ATTR, None)
    if writer is not None:  # the last response and item are done: it has nothing left to write
        writer.stop()
    if hasattr(crawler, _WRITER_ATTR):
        delattr(crawler, _WRITER_ATTR)
    archive = getattr(crawler, _ATTR, None)
    if archive is not None:
        archive.close()
        setattr(crawler, _ATTR, None)
