"""`archive serve`: the read-only web viewer."""

from __future__ import annotations

import sys

from archive.cli import CLIError, add_archive_dir
from archive.store import archive_dir


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="browse and search the archive in a web browser (read-only)",
        description="Serve a read-only web viewer: search, cleaned copies with metadata and "
                    "provenance, capture history with diffs, and the archived originals shown "
                    "sandboxed (no scripts, no network). JSON API: /api/get?url=&at=, "
                    "/api/search?q=, /api/history?url=, /original?url=&at=. Binds 127.0.0.1 by default.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    add_archive_dir(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from archive.web.server import is_loopback, make_viewer_server

    try:
        server = make_viewer_server(archive_dir(args.archive_dir), args.host, args.port, quiet=args.quiet)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise CLIError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    if not is_loopback(args.host):
        print(f"warning: listening on {args.host}: anyone who can reach it can read the archive",
              file=sys.stderr)
    print(f"Serving {archive_dir(args.archive_dir)} read-only at http://{args.host}:{server.server_port}/"
          " (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
