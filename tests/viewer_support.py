"""The viewer on a free loopback port in a thread, for web and browser tests."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from archive.web.server import make_viewer_server


@contextmanager
def running_viewer(root: Path) -> Iterator[str]:
    with serving(make_viewer_server(root, "127.0.0.1", 0, quiet=True)) as url:
        yield url


@contextmanager
def serving(server) -> Iterator[str]:
    """A socketserver-style HTTP server on 127.0.0.1 run in a thread; its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
