"""`archive`: the archivist's command line (also `python -m archive`).

Each subcommand lives in its own module under `archive/commands/`, which exposes
`register(subparsers)`; the parser sets `func`. Errors reach the user as one clear line on
stderr and a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys

from archive import __version__
from archive.index import BadIndexURL, IndexUnavailable
from archive.warc.storage import BadStoreURL, StoreError

# Module names under archive.commands, in the order --help lists them.
COMMANDS = (
    "demo",
    "clean",
    "get",
    "history",
    "search",
    "diff",
    "related",
    "quote",
    "original",
    "stats",
    "runs",
    "export",
    "verify",
    "recover",
    "reextract",
    "serve",
)

EXIT_NOT_FOUND = 3


class CLIError(Exception):
    """A user-facing error: message on stderr, `code` as exit status."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archive",
        description="News archive: crawl demo, cleaned copies, WARC originals, search, history.",
        epilog="Archive location: --archive-dir, else $ARCHIVE_DIR, else ./data. Shared backends: "
               "$ARCHIVE_INDEX (sqlite:///PATH, the default in the archive folder, or "
               "postgresql://USER@HOST:PORT/DB) and $WARC_STORE (file:///PATH, the default "
               "ARCHIVE_DIR/warcs, or s3://BUCKET/PREFIX with AWS_ENDPOINT_URL and the usual AWS "
               "credentials). `archive COMMAND --help` explains each command.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"archive.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"archive.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def add_archive_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive-dir", metavar="DIR",
                        help="archive folder (default: $ARCHIVE_DIR, else ./data)")


def add_format(parser: argparse.ArgumentParser, default: str = "txt") -> None:
    parser.add_argument("--format", choices=("txt", "json", "markdown"), default=default,
                        help=f"output format (default: {default})")


def one_line(message: str) -> str:
    """An error message as one line: control characters (a newline in a pasted URL) escaped."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in message)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"archive {args.command}: {one_line(str(exc))}", file=sys.stderr)
        return exc.code
    except FileNotFoundError as exc:
        print(f"archive {args.command}: {exc}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:
        print(f"archive {args.command}: the archive index cannot be read ({exc})", file=sys.stderr)
        return 2
    except (BadIndexURL, BadStoreURL, IndexUnavailable, StoreError) as exc:
        print(f"archive {args.command}: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"archive {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
