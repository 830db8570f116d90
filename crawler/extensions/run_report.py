"""Extension: a report for every crawl run, as a JSON file, a log line and an index row.

Totals and, under "sites", per host: discovered / fetched / new / changed / unchanged
(revisit or same text) / failed / skipped (robots, refused, dropped) / bytes; duration for
the run. `archive runs` lists them. With a shared frontier each worker reports under
`<run id>@<worker>` (its own counts, plus "worker" and "run_complete"); `archive runs` shows
one line per run, summed over its workers (archive/run_reports.py).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals

from archive.urls import url_host
from crawler import diskspace
from crawler.archive_binding import archive_for, forget_run_id, joined_run, report_id_for, run_id_for

logger = logging.getLogger(__name__)


SITE_PREFIX = "newsarchive/site/"
SITE_OUTCOMES = {"same_text": "unchanged", "not_article": "not_articles"}


def count_for_site(crawler, url: str, what: str, n: int = 1) -> None:
    """Count `what` for the host of `url` (the run report's per-site table)."""
    crawler.stats.inc_value(f"{SITE_PREFIX}{url_host(url) or '(none)'}/{what}", n)


def site_counts(stats: dict) -> dict[str, dict[str, int]]:
    sites: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(SITE_PREFIX):
            host, _, what = key[len(SITE_PREFIX):].rpartition("/")
            sites.setdefault(host, {})[what] = int(value)
    return dict(sorted(sites.items()))


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RunReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.started_at = _now()
        self.resumed = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        # Runs before archive_binding's own spider_closed handler closes the archive.
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        index = archive_for(self.crawler).index
        run_id, report_id = run_id_for(self.crawler), report_id_for(self.crawler)
        if report_id != run_id:
            self.resumed = joined_run(self.crawler)
        else:
            self.resumed = index.run(run_id) is not None
            if self.resumed:
                logger.info("resuming run %s (JOBDIR %s)", run_id, self.crawler.settings.get("JOBDIR"))
        index.record_run(report_id, spider.name, self.started_at, status="running")

    # -- per-site counts (stats keys newsarchive/site/<host>/<what>) -----------------------
    def response_received(self, response, request, spider=None):
        count_for_site(self.crawler, response.url, "fetched")
        count_for_site(self.crawler, response.url, "bytes", len(response.body))

    def item_scraped(self, item, response=None, spider=None):
        outcome = item.get("outcome") if isinstance(item, dict) else None
        if outcome:
            count_for_site(self.crawler, item["url"], SITE_OUTCOMES.get(outcome, outcome))

    def item_dropped(self, item, response=None, exception=None, spider=None):
        if isinstance(item, dict) and item.get("url"):
            count_for_site(self.crawler, item["url"], "skipped")

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        get = lambda key: int(stats.get(key, 0) or 0)  # noqa: E731
        failed = get("newsarchive/failed") + get("newsarchive/discovery_failed") + get(
            "newsarchive/skipped/clean_failed")
        report = {
            "run_id": run_id_for(self.crawler),
            "spider": spider.name,
            "replica": bool(self.crawler.settings.get("REPLICA_PROXY")),
            "started_at": self.started_at,
            "finished_at": _now(),
            "finish_reason": reason,
            "resumed": self.resumed,
            "discovered": get("newsarchive/discovered"),
            "fetched": get("downloader/response_count"),
            "new": get("newsarchive/articles_new"),
            "changed": get("newsarchive/articles_changed"),
            "stored": get("newsarchive/articles_stored"),
            "unchanged": get("newsarchive/unchanged"),
            "failed": failed,
            "skipped_robots": get("robotstxt/forbidden"),
            "boilerplate_removed": get("newsarchive/boilerplate_removed"),
            "not_articles": sum(int(v) for k, v in stats.items() if k.startswith("newsarchive/pages/")),
            "bytes": get("downloader/response_bytes"),
            "captures": {"response": get("newsarchive/captures/response"),
                         "revisit": get("newsarchive/captures/revisit")},
            "duration_s": round(float(stats.get("elapsed_time_seconds", 0) or 0), 3),
        }
        report["sites"] = site_counts(stats)
        status = "ok" if reason == "finished" else "failed"
        report["status"] = status
        report_id = report_id_for(self.crawler)
        if report_id != report["run_id"]:
            report["worker"] = report_id.partition("@")[2]
            report["run_complete"] = bool(self.crawler.stats.get_value("frontier/run_complete"))
        archive = archive_for(self.crawler)
        runs_dir = Path(archive.root) / "runs"
        try:  # a full disk may refuse even this: say so in one line, the log keeps the report
            runs_dir.mkdir(parents=True, exist_ok=True)
            (runs_dir / f"{report_id}.json").write_text(json.dumps(report, indent=2, sort_keys=True))
            archive.index.record_run(report_id, spider.name, self.started_at,
                                     finished_at=report["finished_at"], status=status, report=report)
        except diskspace.WRITE_ERRORS as exc:
            status = report["status"] = "failed"
            logger.error("run report %s not saved (%s: %s): %s", report["run_id"], type(exc).__name__, exc,
                         json.dumps(report, sort_keys=True))
        self.crawler.stats.set_value("newsarchive/run_status", status)
        if reason == "finished":
            forget_run_id(self.crawler)
        logger.info("run report %s: %s", report["run_id"], json.dumps(
            {k: report[k] for k in ("discovered", "fetched", "stored", "unchanged", "failed",
                                    "skipped_robots", "bytes", "duration_s")}, sort_keys=True))
