"""One `archive.store.Archive` per crawler, shared by the WARC middleware and the pipeline.

Both components are built by Scrapy with `from_crawler`; they meet here so that captures and
cleaned copies go through the same index connection and WARC writers.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals

from archive.store import Archive

_ATTR = "_newsarchive_archive"


RUN_ID_FILE = "newsarchive-run-id"


def run_id_for(crawler) -> str:
    """A stable id for this crawl run. With JOBDIR it is written to JOBDIR at once (not only
    at a clean shutdown, so it survives kill -9): a resumed run keeps its id and skips what
    it already finished. A run that finishes removes the file; the next run is a new run."""
    run_id = getattr(crawler, "_newsarchive_run_id", None)
    if run_id is None:
        run_id = _persisted_run_id(crawler.settings.get("JOBDIR"), crawler.spidercls.name)
        crawler._newsarchive_run_id = run_id
    return run_id


def _new_run_id(spider_name: str) -> str:
    return f"{spider_name}-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}"


def _persisted_run_id(jobdir: str | None, spider_name: str) -> str:
    if not jobdir:
        return _new_run_id(spider_name)
    path = Path(jobdir) / RUN_ID_FILE
    try:
        saved = path.read_text().strip()
    except FileNotFoundError:
        saved = ""
    if saved.startswith(f"{spider_name}-"):
        return saved
    run_id = _new_run_id(spider_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w") as handle:
        handle.write(run_id + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return run_id


def forget_run_id(crawler) -> None:
    """Called when a run finished: the next run with this JOBDIR starts a new run id."""
    jobdir = crawler.settings.get("JOBDIR")
    if jobdir:
        (Path(jobdir) / RUN_ID_FILE).unlink(missing_ok=True)


def is_replica_crawl(settings) -> bool:
    return bool(settings.get("REPLICA_PROXY"))


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


def _close(crawler) -> None:
    archive = getattr(crawler, _ATTR, None)
    if archive is not None:
        archive.close()
        setattr(crawler, _ATTR, None)
