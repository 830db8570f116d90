"""`archive quote "PASSAGE"`: where a passage first appeared, and every later capture of it."""

from __future__ import annotations

import json

from archive import related
from archive.cli import add_archive_dir, add_format
from archive.commands._common import reading


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "quote", help="the first capture holding a passage, then every later one, across outlets",
        description="Find every current cleaned copy whose text holds PASSAGE, first appearance first: "
                    "the publication date a page gives (when not later than its capture), else the "
                    "capture time. Quote marks (straight or curly, or none), dashes, whitespace and case "
                    "do not have to match; the words and their order do. Candidates come from the "
                    "full-text index, each is then checked exactly. Exit 3 when no copy holds it.")
    parser.add_argument("passage", help=f"the passage (at least {related.MIN_PASSAGE_WORDS} words)")
    parser.add_argument("--limit", type=int, default=100, help="at most this many captures (default 100)")
    add_format(parser)
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    with reading(args) as archive:
        result = related.quote(archive.index, args.passage, limit=args.limit)
        print(render(result, args.format), end="")
    return 0


def render(result: related.Quote, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    bullet = "- " if fmt == "markdown" else "  "
    first, *later = result.appearances
    lines = [f"First appeared {first.appeared} (captured {first.document.captured_at}):",
             f"{bullet}{first.document.url}  {first.document.title or ''}", "", f"Later ({len(later)}):"]
    lines += [f"{bullet}{a.appeared}  {a.document.url}  {a.document.title or ''}" for a in later]
    if not result.complete:
        lines.append(f"(more captures hold it; --limit {len(result.appearances)} reached)")
    return "\n".join(lines) + "\n"
