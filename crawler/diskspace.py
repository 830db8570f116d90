"""When the archive cannot be written (a full disk, above all), the crawl stops cleanly.

`archive.store` writes WARC first and index second, and its WARC writer cuts a half-written
record off and leaves the file `.open` (for `archive recover`): whatever fails, no index row
points at bytes that are not on disk. This module is the crawler's side: the first failed
write logs one CRITICAL line ("disk full: ..."), closes the spider with reason `disk_full`
(or `archive_write_error` for other write failures), and so the run report says `failed` and
`python -m crawler.run` exits non-zero. Pages still in flight are dropped with a reason.

A small reserve file is made next to the index when the spider opens and deleted at the
first disk-full error: that leaves room to finish (close the index, write the run report).
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

# What a write to the archive can raise: the WARC writer (OSError) and the SQLite index.
WRITE_ERRORS = (OSError, sqlite3.Error)
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
RESERVE_BYTES = 128 * 1024
STAT = "newsarchive/archive_error"


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in DISK_FULL_ERRNOS
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == 13 or "disk is full" in str(exc)  # SQLITE_FULL
    return False


def _reserve_path(crawler) -> Path:
    from archive.store import archive_dir

    return archive_dir(crawler.settings.get("ARCHIVE_DIR")) / f".space-reserve-{crawler.spidercls.name}"


def install_reserve(crawler) -> None:
    """Make the reserve file when the spider opens; drop it when the spider closes."""
    crawler.signals.connect(lambda spider: make_reserve(crawler), signal=signals.spider_opened, weak=False)
    crawler.signals.connect(lambda spider: release_reserve(crawler), signal=signals.spider_closed, weak=False)


def make_reserve(crawler) -> None:
    path = _reserve_path(crawler)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:  # real bytes: a sparse file would reserve nothing
            handle.write(b"\0" * RESERVE_BYTES)
    except OSError:
        path.unlink(missing_ok=True)


def release_reserve(crawler) -> None:
    try:
        _reserve_path(crawler).unlink(missing_ok=True)
    except OSError:
        pass


def stop_for_write_error(crawler, exc: BaseException, what: str) -> None:
    """The archive refused a write: say so once, free the reserve and close the spider."""
    if crawler.stats.get_value(STAT):
        return
    crawler.stats.set_value(STAT, f"{type(exc).__name__}: {exc}")
    release_reserve(crawler)
    full = is_disk_full(exc)
    where = crawler.settings.get("ARCHIVE_DIR")
    if full:
        crawler.stats.set_value("newsarchive/disk_full", 1)
        logger.critical("disk full: cannot write %s to the archive in %s (%s); stopping the crawl. The WARC file "
                        "being written is left .open (run `archive recover`); every indexed record is intact.",
                        what, where, exc)
    else:
        logger.critical("archive write failed: cannot write %s to the archive in %s (%s: %s); stopping the crawl.",
                        what, where, type(exc).__name__, exc)
    engine = getattr(crawler, "engine", None)
    if engine is not None:
        deferred_from_coro(engine.close_spider_async(reason="disk_full" if full else "archive_write_error"))


def write_failed(crawler) -> bool:
    return bool(crawler.stats.get_value(STAT))
