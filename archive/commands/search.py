"""`archive search QUERY`: full-text search over the cleaned copies."""

from __future__ import annotations

from archive import retrieval
from archive.cli import EXIT_NOT_FOUND, CLIError, add_archive_dir, add_format
from archive.commands._common import TIME_HELP, reading
from archive.index.model import POSTGRES_RANK_WINDOW, RANK_WINDOW
from archive.render import render_hits


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "search", help="full-text search of the cleaned copies (ranked, with snippets)",
        description="Search titles and texts of the current cleaned copies, best match first "
                    "(SQLite FTS5 bm25, or PostgreSQL ts_rank with ARCHIVE_INDEX=postgresql://...; the "
                    "title weighs more). One hit per URL. QUERY may use FTS5 syntax: \"exact phrase\", "
                    "OR, NOT, prefix*, title:word; a query the index cannot parse is searched word by "
                    f"word instead. A query matching more than {RANK_WINDOW:,} documents (SQLite; "
                    f"{POSTGRES_RANK_WINDOW:,} on PostgreSQL) is ranked among that many most recently stored "
                    "matches (add words or a filter to reach older ones). Exit 3 when nothing matches.")
    parser.add_argument("query", help="words to find")
    parser.add_argument("--site", metavar="HOST", help="only this host (www. ignored), e.g. rferl.org")
    parser.add_argument("--since", metavar="TIME", help="captured at or after TIME; " + TIME_HELP)
    parser.add_argument("--until", metavar="TIME", help="captured at or before TIME")
    parser.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")
    add_format(parser)
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    with reading(args) as archive:
        hits = retrieval.search(archive.index, args.query, site=args.site, since=args.since,
                                until=args.until, limit=args.limit)
        if not hits:
            raise CLIError(f"no document matches {args.query!r}", EXIT_NOT_FOUND)
        print(render_hits(hits, args.format), end="" if args.format != "json" else "\n")
    return 0
