"""`archive export --format cdxj|wacz|jsonl [--output PATH]`."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from archive.cli import CLIError, add_archive_dir
from archive.export import replay_warcs, write_cdxj, write_jsonl, write_wacz
from archive.store import Archive
from archive.warc.storage import local_copies


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="CDXJ index, WACZ package, or JSON Lines of cleaned copies",
        description="cdxj: sorted CDXJ of the original WARCs (cdxj-indexer), for pywb/ReplayWeb.page. "
                    "wacz: a WACZ 1.1.1 package of the original WARCs with that index and "
                    "pages/pages.jsonl (needs --output). jsonl: one cleaned copy per line with its "
                    "metadata, its story's cluster_id (copies of one story across outlets share it; see "
                    "`archive related`) and provenance (capture time, WARC file/offset, record ids). "
                    "Open (.open) WARC files are left out: run `archive recover` after a crash.")
    add_archive_dir(parser)
    parser.add_argument("--format", choices=("cdxj", "wacz", "jsonl"), required=True)
    parser.add_argument("--output", "-o", metavar="PATH",
                        help="file to write (default: stdout; required for wacz)")
    parser.set_defaults(func=run)


@contextmanager
def _text_output(path: str | None):
    if not path or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def run(args) -> int:
    with Archive(args.archive_dir, readonly=True) as archive:
        open_files = sorted(archive.warc_dir.glob("*.open")) if archive.warc_dir.exists() else []
        if open_files:
            print(f"archive export: note: {len(open_files)} WARC file(s) still open are not exported",
                  file=sys.stderr)
        if args.format == "jsonl":
            with _text_output(args.output) as out:
                count = write_jsonl(archive.index, out)
            _done(args, f"{count} cleaned copies")
            return 0
        names = replay_warcs(archive.store)
        if not names:
            raise CLIError(f"no closed WARC files in {archive.store.url}")
        if args.format == "cdxj":
            with _text_output(args.output) as out, local_copies(archive.store, names) as paths:
                write_cdxj(paths, out)
            _done(args, f"CDXJ of {len(names)} WARC files")
            return 0
        if not args.output or args.output == "-":
            raise CLIError("--format wacz writes a zip file: pass --output PATH.wacz")
        package = write_wacz(archive.index, archive.store, Path(args.output))
        _done(args, f"WACZ {package['wacz_version']} with {len(names)} WARC files")
        return 0


def _done(args, what: str) -> None:
    if args.output and args.output != "-":
        print(f"wrote {what} to {args.output}", file=sys.stderr)
