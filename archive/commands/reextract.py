"""`archive reextract`: re-clean stored originals with the current rules, on all cores."""

from __future__ import annotations

import argparse
import json
import os
import sys

from archive.cli import CLIError, add_archive_dir
from archive.store import INDEX_NAME, Archive, archive_dir, index_exists, index_url


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reextract", help="re-clean the stored originals with the current cleaning rules",
        description="Read the original of every current cleaned copy back from the WARCs, clean it "
                    "again with the current rules (in parallel worker processes) and store new "
                    "conversion records and documents where the result differs. Old cleaned copies are "
                    "kept and marked superseded; identical results write nothing. Progress on stderr, "
                    "then a summary: documents re-cleaned, texts changed.")
    parser.add_argument("--site", metavar="HOST", help="only documents of this host (www. ignored)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help=f"worker processes (default: all cores, here {os.cpu_count()})")
    parser.add_argument("--cleaner", default="archive.extract:clean", help=argparse.SUPPRESS)  # tests and benchmarks
    parser.add_argument("--format", choices=("txt", "json"), default="txt")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from archive.reextract import describe, load_cleaner, reextract

    if args.workers < 1:
        raise CLIError("--workers must be at least 1")
    try:
        load_cleaner(args.cleaner)
    except (ImportError, AttributeError) as exc:
        raise CLIError(f"the cleaner {args.cleaner} is not available ({exc})") from None
    root = archive_dir(args.archive_dir)
    if not index_exists(index_url(root)):
        raise CLIError(f"no archive at {root} (expected {root / INDEX_NAME})")
    with Archive(root) as archive:
        summary = reextract(archive, host=args.site, workers=args.workers, cleaner=args.cleaner,
                            progress=None if args.quiet else sys.stderr)
    if args.format == "json":
        print(json.dumps(summary.to_dict(), indent=2, sort_keys=True))
    else:
        print("\n".join(describe(summary)))
    return 1 if summary.failed and not summary.recleaned and not summary.unchanged else 0
