"""`archive original URL`: the archived payload bytes, exactly as the server sent them."""

from __future__ import annotations

import sys
from pathlib import Path

from archive import retrieval
from archive.cli import CLIError, add_archive_dir
from archive.commands._common import TIME_HELP, reading


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "original", help="write the archived original bytes of a URL",
        description="Write the payload of the newest capture of URL at or before --at exactly as "
                    "archived (Content-Encoding kept) to standard output or --output. A revisit is "
                    "followed to the response record holding the bytes. --decode undoes the "
                    "Content-Encoding and decodes the text with its charset (output UTF-8). Where the "
                    "bytes came from is said on standard error. Exit 3 when nothing matches.")
    parser.add_argument("url", help="URL (matched in canonical form)")
    parser.add_argument("--at", metavar="TIME", help=TIME_HELP)
    parser.add_argument("--decode", action="store_true",
                        help="undo Content-Encoding and decode to text with the declared charset")
    parser.add_argument("--headers", action="store_true",
                        help="precede the payload with the archived HTTP status line and headers")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    with reading(args) as archive:
        original = retrieval.get_original(archive, args.url, args.at)
        body = original.text().encode("utf-8") if args.decode else original.payload
        head = original.header_block().encode("utf-8") if args.headers else b""
        source = original.source
        where = f"{archive.warc_location(source.warc_file)} @ {source.warc_offset} ({source.record_id})"
    data = head + body
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise CLIError(f"cannot write {args.output}: {exc.strerror}") from None
        print(f"wrote {len(data)} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    revisit = (f"capture of {original.capture.fetched_at} is a revisit; payload from {source.fetched_at}, "
               if original.capture.id != source.id else f"captured {source.fetched_at}, ")
    print(f"{revisit}{where}", file=sys.stderr)
    return 0
