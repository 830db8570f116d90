"""`archive get URL [--at TIME]`: the cleaned copy of a URL, latest or as of a time."""

from __future__ import annotations

from archive import retrieval
from archive.cli import add_archive_dir, add_format
from archive.commands._common import TIME_HELP, reading
from archive.render import render_document


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "get", help="print the cleaned copy of a URL (latest, or as of a time)",
        description="Print the cleaned copy of URL from the newest capture at or before --at "
                    "(default: the newest), with its provenance (capture time, WARC file and offset "
                    "of the original). The URL is matched in canonical form: http/https, www., "
                    "trailing slash and tracking parameters do not matter. Exit 3 when nothing matches.")
    parser.add_argument("url", help="article URL as found anywhere")
    parser.add_argument("--at", metavar="TIME", help=TIME_HELP)
    add_format(parser)
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    with reading(args) as archive:
        document = retrieval.get_document(archive.index, args.url, args.at)
        print(render_document(document, args.format, archive), end="")
    return 0
