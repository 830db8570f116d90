"""`archive history URL`: every capture of a URL and whether its cleaned text changed."""

from __future__ import annotations

from archive import retrieval
from archive.cli import add_archive_dir, add_format
from archive.commands._common import reading
from archive.render import render_history


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "history", help="list every capture of a URL",
        description="List every capture of URL, oldest first: capture time, HTTP status, record "
                    "type (response, or revisit when the payload was unchanged), whether the cleaned "
                    "text changed since the previous capture, and the WARC file and offset of the "
                    "record. Exit 3 when the URL was never captured.")
    parser.add_argument("url", help="article URL (matched in canonical form)")
    add_format(parser)
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    with reading(args) as archive:
        print(render_history(retrieval.history(archive.index, args.url), args.format), end="")
    return 0
