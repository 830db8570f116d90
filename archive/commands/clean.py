"""`archive clean PATH --url URL`: clean one saved page; no archive needed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archive.cli import CLIError, add_format


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "clean", help="clean one saved HTML page (no archive needed)",
        description="Print the cleaned copy of a saved page: article text only, plus metadata "
                    "(title, authors, dates, language, images with captions and credits).")
    parser.add_argument("path", help="saved HTML file ('-' reads standard input)")
    parser.add_argument("--url", required=True, help="the page's URL (selects the site profile)")
    add_format(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    try:
        data = sys.stdin.buffer.read() if args.path == "-" else Path(args.path).read_bytes()
    except IsADirectoryError:
        raise CLIError(f"{args.path} is a directory, not a saved page") from None
    except FileNotFoundError:
        raise CLIError(f"no such file: {args.path}") from None
    except PermissionError:
        raise CLIError(f"cannot read {args.path}: permission denied") from None
    from archive.extract import clean

    document = clean(data, args.url)
    if args.format == "json":
        print(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(document.to_markdown())
    else:
        print(document.to_text())
    return 0
