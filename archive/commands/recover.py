"""`archive recover`: close the `.warc.gz.open` files a crash left, and fix the index."""

from __future__ import annotations

from archive.cli import CLIError, add_archive_dir
from archive.warc.recovery import recover_archive
from archive.store import WARC_SUBDIR, archive_dir

DEFAULT_MIN_AGE = 60.0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "recover", help="close WARC files a crash left open (.warc.gz.open)",
        description="For every warcs/*.warc.gz.open file: keep the complete records, cut the "
                    "incomplete tail, rename to .warc.gz; then remove index rows that point past "
                    "the end of a WARC file. Safe to run again. Files changed in the last "
                    f"{DEFAULT_MIN_AGE:.0f} seconds are left alone (a crawl may be writing them) "
                    "unless --force.")
    add_archive_dir(parser)
    parser.add_argument("--force", action="store_true",
                        help="also recover files modified very recently (only when no crawl is running)")
    parser.set_defaults(func=run)


def run(args) -> int:
    root = archive_dir(args.archive_dir)
    if not root.is_dir():
        raise CLIError(f"no archive at {root}; pass --archive-dir")
    report = recover_archive(root, min_age=0.0 if args.force else DEFAULT_MIN_AGE)
    for name in report.uploaded:
        print(f"uploaded {name} to the WARC store")
    if not report.files and not report.removed_captures and not report.removed_documents:
        print(f"nothing to recover: no open WARC files in {root / WARC_SUBDIR}, and no index row "
              "points past the end of a WARC file")
        return 0
    for item in report.files:
        if item.action == "skipped":
            print(f"skipped {item.open_name}: {item.reason}")
        elif item.action == "removed":
            print(f"removed {item.open_name}: no complete record ({item.reason}); {item.dropped_bytes} bytes dropped")
        else:
            line = f"{item.action} {item.name}: kept {item.records} records ({item.kept_bytes} bytes)"
            if item.dropped_bytes:
                line += f", dropped {item.dropped_bytes} bytes ({item.reason})"
            print(line)
    if report.removed_captures or report.removed_documents:
        print(f"index: removed {len(report.removed_captures)} capture(s) and {len(report.removed_documents)} "
              "document(s) pointing past the end of their WARC file")
        for record_id in report.removed_captures:
            print(f"  capture {record_id}")
    return 1 if report.skipped else 0
