"""`archive demo`: the offline demo against the replica sites."""

from __future__ import annotations

from archive.cli import CLIError, add_archive_dir
from archive.store import archive_dir


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="crawl the loopback replica sites into the archive and show the result",
        description="Start the replica news sites on a free loopback port, crawl all site "
                    "families (rferl, npr, stations) through the real pipeline into the archive, "
                    "print a summary and one cleaned copy next to its WARC original. Run again "
                    "with --epoch 2 on the same folder to continue the archive (new, edited and "
                    "removed articles).")
    add_archive_dir(parser)
    parser.add_argument("--epoch", type=int, default=1, choices=(1, 2),
                        help="replica epoch: 1 is day one, 2 adds, edits and removes articles")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.set_defaults(func=run)


def run(args) -> int:
    from archive.demo import DemoError, run_demo

    try:
        return run_demo(archive_dir(args.archive_dir), args.epoch, progress=not args.quiet)
    except DemoError as exc:
        raise CLIError(str(exc)) from None
