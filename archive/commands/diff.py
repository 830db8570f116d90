"""`archive diff URL`: how the cleaned text of an article changed between two captures."""

from __future__ import annotations

from archive import retrieval
from archive.cli import add_archive_dir, add_format
from archive.commands._common import TIME_HELP, reading
from archive.render import render_diff


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "diff", help="unified diff of the cleaned text between two captures",
        description="Show a unified diff of the cleaned text of URL between the capture at --from "
                    "and the capture at --to (each: the newest at or before that time). Without them, "
                    "compares the last two distinct texts. Prints \"no change\" when the texts are "
                    "identical; exit 3 when the URL has no cleaned copy.")
    parser.add_argument("url", help="article URL (matched in canonical form)")
    parser.add_argument("--from", dest="since", metavar="TIME", help="older capture; " + TIME_HELP)
    parser.add_argument("--to", dest="until", metavar="TIME", help="newer capture (default: the newest)")
    add_format(parser)
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    with reading(args) as archive:
        result = retrieval.diff(archive.index, args.url, args.since, args.until)
        print(render_diff(result, args.format), end="")
    return 0
