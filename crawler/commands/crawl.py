"""`scrapy crawl` whose exit code tells a scheduler whether the run worked.

Scrapy's own command exits 0 whenever the spider could be started. Here a run whose report
says it failed (closed for any reason but "finished": a full disk, a forced shutdown, a
close-spider limit) exits 1, as `python -m crawler.run` does.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawlCommand


class Command(ScrapyCrawlCommand):
    def _create_crawler(self, spidercls):
        crawler = super()._create_crawler(spidercls)
        self.crawlers = [*getattr(self, "crawlers", []), crawler]
        return crawler

    def run(self, args, opts) -> None:
        super().run(args, opts)
        statuses = [c.stats.get_value("newsarchive/run_status") for c in getattr(self, "crawlers", [])]
        if any(status not in (None, "ok") for status in statuses):  # None: run report switched off
            self.exitcode = 1
