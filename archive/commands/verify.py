"""`archive verify`: re-read every WARC record, recompute its digests, check the index."""

from __future__ import annotations

import sys
import time

from archive.cli import CLIError, add_archive_dir
from archive.store import archive_dir, shared_backends, warc_store_url
from archive.warc.verification import verify_archive

EXIT_BAD = 1


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "verify", help="check every WARC record and index row",
        description="Re-read every WARC file record by record: gzip CRC, Content-Length, "
                    "WARC-Block-Digest and WARC-Payload-Digest recomputed (payload = the HTTP entity as "
                    "stored: Content-Encoding kept, chunking removed), revisits against what they refer "
                    "to; then every capture and document row of the index must point at a record with "
                    "its WARC-Record-ID. Exit 0 when all is well; 1 naming each bad record "
                    "(file:offset record-id: reason). Progress goes to stderr.")
    add_archive_dir(parser)
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def run(args) -> int:
    root = archive_dir(args.archive_dir)
    if not root.is_dir() and not shared_backends():
        raise CLIError(f"no archive at {root}; pass --archive-dir")
    started = time.monotonic()
    progress = None if args.quiet else (lambda line: print(f"verify: {line}", file=sys.stderr, flush=True))
    report = verify_archive(root, progress=progress)
    seconds = time.monotonic() - started
    if report.files == 0 and report.captures == 0:
        raise CLIError(f"no WARC files in {warc_store_url(root)} and no index rows: nothing to verify")
    for problem in report.problems:
        print(f"BAD {problem}")
    summary = (f"{report.files} WARC files ({report.bytes / 1e6:.1f} MB), {report.records} records, "
               f"{report.digests} digests recomputed, {report.captures} captures and {report.documents} "
               f"documents checked against the index in {seconds:.1f}s")
    if report.open_files:
        summary += f"; {len(report.open_files)} file(s) still open"
    if report.ok:
        print(f"OK: {summary}")
        return 0
    print(f"FAILED: {len(report.problems)} problem(s); {summary}")
    return EXIT_BAD
