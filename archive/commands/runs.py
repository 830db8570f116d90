"""`archive runs`: the crawl run reports, newest first."""

from __future__ import annotations

import json

from archive.cli import add_archive_dir
from archive.run_reports import aggregate
from archive.store import Archive

COLUMNS = ("discovered", "fetched", "stored", "unchanged", "failed", "skipped_robots", "bytes", "duration_s")


def register(subparsers) -> None:
    parser = subparsers.add_parser("runs", help="list crawl runs and their reports",
                                   description="List crawl runs, newest first: per run discovered, "
                                               "fetched, stored (new or changed), unchanged, failed, "
                                               "skipped by robots.txt, bytes and duration. A run of "
                                               "several workers (shared frontier) is one line, its "
                                               "counts summed; --format json lists each worker's "
                                               "report under \"workers\".")
    add_archive_dir(parser)
    parser.add_argument("--format", choices=("txt", "json"), default="txt")
    parser.add_argument("--limit", type=int, default=20, help="at most this many runs (default 20)")
    parser.set_defaults(func=run)


def run(args) -> int:
    with Archive(args.archive_dir, readonly=True) as archive:
        runs = aggregate(archive.index.runs())[: args.limit]
    if args.format == "json":
        print(json.dumps(runs, indent=2, sort_keys=True))
        return 0
    if not runs:
        print("no crawl runs recorded")
        return 0
    print(f"{'run':<40} {'status':<8} " + " ".join(f"{c:>10}" for c in COLUMNS))
    for entry in runs:
        report = entry["report"] or {}
        print(f"{entry['id']:<40} {entry['status'] or '':<8} "
              + " ".join(f"{report.get(c, ''):>10}" for c in COLUMNS)
              + (f"  ({len(entry['workers'])} workers)" if "workers" in entry else ""))
    return 0
