"""`archive stats`: what the archive holds."""

from __future__ import annotations

import json

from archive.cli import add_archive_dir
from archive.store import Archive


def register(subparsers) -> None:
    parser = subparsers.add_parser("stats", help="counts of captures, documents, hosts, WARC bytes",
                                   description="Summarise the archive: captures (responses and "
                                               "revisits), cleaned documents, hosts, WARC files and bytes.")
    add_archive_dir(parser)
    parser.add_argument("--format", choices=("txt", "json"), default="txt")
    parser.set_defaults(func=run)


def run(args) -> int:
    with Archive(args.archive_dir, readonly=True) as archive:
        counts = archive.index.counts()
        files = archive.warc_files()
        counts["warc_files"] = len(files)
        counts["warc_bytes"] = sum(archive.store.size(name) for name in files)
        counts["open_warc_files"] = len(list(archive.warc_dir.glob("*.open"))) if archive.warc_dir.is_dir() else 0
        counts["warc_files_awaiting_upload"] = len(archive.store.pending())
    if args.format == "json":
        print(json.dumps(counts, indent=2, sort_keys=True))
    else:
        width = max(len(key) for key in counts)
        for key, value in counts.items():
            print(f"{key.replace('_', ' '):<{width}}  {value}")
    return 0
