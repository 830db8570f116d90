"""Run several spiders in one process (one reactor): `python -m crawler.run rferl npr stations`.

Used by `archive demo` (which must not import Scrapy itself) and by schedulers that want one
command for all families. Exit code 1 if any run failed outright.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description=__doc__)
    parser.add_argument("spiders", nargs="*", default=["rferl", "npr", "stations"],
                        help="spider names (default: rferl npr stations)")
    parser.add_argument("--archive-dir", help="archive folder (default: $ARCHIVE_DIR or ./data)")
    parser.add_argument("--replica-proxy", help="crawl the loopback replica through this proxy URL")
    parser.add_argument("--jobdir", metavar="DIR",
                        help="keep each spider's scheduler state in DIR/<spider> (Scrapy JOBDIR), so an "
                             "interrupted run started again with the same DIR resumes it")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting (repeatable)")
    parser.add_argument("-a", dest="spider_args", action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument for every spider, e.g. since=2026-11-01 or budget=100")
    args = parser.parse_args(argv)

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if args.archive_dir:
        settings.set("ARCHIVE_DIR", args.archive_dir, priority="cmdline")
    if args.replica_proxy:
        settings.set("REPLICA_PROXY", args.replica_proxy, priority="cmdline")
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"-s expects NAME=VALUE, got {item!r}")
        settings.set(name, value, priority="cmdline")
    for what, folder in (("archive folder", settings.get("ARCHIVE_DIR")), ("--jobdir", args.jobdir)):
        if folder and (problem := unwritable(folder)):
            parser.error(f"{what} {folder}: {problem}")
    from crawler import frontier
    from crawler.archive_binding import backend_problem, index_problem

    if problem := backend_problem(settings) or frontier.problem(settings) or index_problem(settings):
        parser.error(problem)

    spider_args = {}
    for item in args.spider_args:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"-a expects NAME=VALUE, got {item!r}")
        spider_args[name] = value

    process = CrawlerProcess(settings)
    known = set(process.spider_loader.list())
    unknown = [name for name in args.spiders if name not in known]
    if unknown:
        parser.error(f"unknown spider(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    crawlers = []
    for name in args.spiders:
        crawler = process.create_crawler(name)
        if args.jobdir:  # one JOBDIR per spider: Scrapy's job state is per spider
            crawler.settings.set("JOBDIR", os.path.join(args.jobdir, name), priority="cmdline")
        crawlers.append(crawler)
        process.crawl(crawler, **spider_args)
    process.start()
    statuses = [c.stats.get_value("newsarchive/run_status") for c in crawlers]
    return 0 if all(status == "ok" for status in statuses) else 1


def unwritable(folder: str) -> str | None:
    """Why the crawl could not write in `folder` (created if missing), or None."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        return f"cannot create it ({exc.strerror})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "not writable"
    return None


if __name__ == "__main__":
    sys.exit(main())
