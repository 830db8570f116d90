"""Make JOBDIR safe to resume after a hard kill.

Scrapy saves its job state (the on-disk request queues' `active.json`, the spider state)
only when a spider closes cleanly. After kill -9, a power cut or a second Ctrl-C, the queue
files may end mid-write, and the next start dies reading them (`struct.error` in queuelib).
This extension marks a JOBDIR as in use while a spider runs; a start that finds the mark
knows the last run ended uncleanly and sets the request queue aside before Scrapy opens it.

Nothing is lost by that: every run re-reads robots.txt, sitemaps and feeds, and the archive
index (not the queue) knows which URLs this run already finished (crawler/incremental.py).
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

MARK = "newsarchive-running"
QUEUE_DIR = "requests.queue"


class JobdirGuard:
    def __init__(self, crawler, jobdir: Path):
        self.jobdir = jobdir
        self.mark = jobdir / MARK
        if self.mark.exists():
            self._set_queue_aside()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        return cls(crawler, Path(jobdir))

    def _set_queue_aside(self) -> None:
        queue = self.jobdir / QUEUE_DIR
        if not queue.exists():
            return
        aside = self.jobdir / f"{QUEUE_DIR}.unclean-{time.strftime('%Y%m%dT%H%M%S')}"
        shutil.move(str(queue), str(aside))
        logger.warning("the last run with JOBDIR %s did not shut down cleanly; its request queue was set "
                       "aside (%s) and discovery starts again (finished URLs are skipped)", self.jobdir, aside.name)
        for old in sorted(self.jobdir.glob(f"{QUEUE_DIR}.unclean-*"))[:-1]:  # keep only the latest
            shutil.rmtree(old, ignore_errors=True)

    def spider_opened(self, spider):
        self.jobdir.mkdir(parents=True, exist_ok=True)
        self.mark.write_text(f"{time.time()}\n")

    def spider_closed(self, spider, reason):
        # The scheduler has saved its queue state by now (it closes before this signal).
        self.mark.unlink(missing_ok=True)
