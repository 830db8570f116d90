"""`scrapy crawl` whose exit code tells a scheduler whether the run worked.

Scrapy's own command exits 0 whenever the spider could be started. Here a run whose report
says it failed (closed for any reason but "finished": a full disk, a forced shutdown, a
close-spider limit) exits 1, as `python -m crawler.run` does; an archive folder or JOBDIR
that cannot be written, or a FRONTIER_REDIS_URL that cannot be reached, is a usage error
before anything starts.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler import frontier
from crawler.archive_binding import backend_problem, index_problem
from crawler.run import unwritable


class Command(ScrapyCrawlCommand):
    def _create_crawler(self, spidercls):
        crawler = super()._create_crawler(spidercls)
        self.crawlers = [*getattr(self, "crawlers", []), crawler]
        return crawler

    def run(self, args, opts) -> None:
        for name in ("ARCHIVE_DIR", "JOBDIR"):
            folder = self.settings.get(name)
            if folder and (problem := unwritable(folder)):
                raise UsageError(f"{name} {folder}: {problem}", print_help=False)
        if problem := (backend_problem(self.settings) or frontier.problem(self.settings)
                       or index_problem(self.settings)):
            raise UsageError(problem, print_help=False)
        super().run(args, opts)
        statuses = [c.stats.get_value("newsarchive/run_status") for c in getattr(self, "crawlers", [])]
        if any(status not in (None, "ok") for status in statuses):  # None: run report switched off
            self.exitcode = 1
