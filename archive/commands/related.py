"""`archive related URL`: the same story elsewhere (copies, their origin, related coverage)."""

from __future__ import annotations

import json

from archive import related
from archive.cli import add_archive_dir, add_format
from archive.commands._common import TIME_HELP, reading


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "related", help="copies of an article on other outlets, their origin, and related coverage",
        description="For the cleaned copy of URL: (1) the origin of its story, (2) its copies - pages "
                    "whose text is mostly the same (syndication, republication, a trimmed or extended "
                    "version) with their estimated similarity (MinHash Jaccard, and containment: how much "
                    "of the shorter text is in the longer one), newest first, and (3) related coverage: "
                    "other pages quoting the same statement, or naming at least "
                    f"{related.MIN_SHARED_NAMES} of the same people or places within "
                    f"{related.WINDOW_DAYS} days on another site, newest first. The origin is the copy "
                    "another copy's rel=canonical or JSON-LD names, else the earliest copy on the site "
                    "of an outlet a syndication line names ('Copyright 2026 NPR'), else the earliest "
                    "copy. Earlier captures of URL itself are revisions: see `archive diff`. "
                    "Exit 3 when URL has no cleaned copy.")
    parser.add_argument("url", help="article URL (matched in canonical form)")
    parser.add_argument("--at", metavar="TIME", help="the copy captured at or before TIME; " + TIME_HELP)
    parser.add_argument("--limit", type=int, default=20, help="at most this many copies and related pages")
    add_format(parser)
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    with reading(args) as archive:
        story = related.related(archive.index, args.url, args.at, limit=args.limit)
        print(render(story, args.format), end="")
    return 0


def render(story: related.Story, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(story.to_dict(), ensure_ascii=False, indent=2) + "\n"
    bullet = "- " if fmt == "markdown" else "  "
    lines = [f"{story.document.title or '(untitled)'}", f"{story.document.url}  (story {story.cluster_id})", ""]
    origin = story.origin
    if origin is None:
        lines.append("Origin: no copy elsewhere in the archive")
    else:
        where = origin.member.url if origin.member else f"{origin.url or origin.outlet} (not in the archive)"
        lines.append(f"Origin: {'this page' if story.is_origin else where}  [{origin.kind}"
                     + (f": {origin.evidence}" if origin.evidence else "") + "]")
    lines += ["", f"Copies ({len(story.copies)}):"]
    for c in story.copies:
        lines.append(f"{bullet}{c.member.captured_at}  {c.member.url}  jaccard {c.similarity.jaccard:.2f}"
                     f"  containment {c.similarity.containment:.2f}")
    lines += ["", f"Related coverage ({len(story.related)}):"]
    for r in story.related:
        why = ", ".join(x for x in (f"{r.shared_quotes} shared quote(s)" if r.shared_quotes else "",
                                    f"{r.shared_names} shared names" if r.shared_names else "") if x)
        lines.append(f"{bullet}{r.member.appeared}  {r.member.url}  {r.title or ''}  ({why})")
    return "\n".join(lines) + "\n"
