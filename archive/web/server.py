"""Running the viewer: a threading WSGI server from the standard library, on loopback."""

from __future__ import annotations

import ipaddress
import socketserver
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from archive.web.app import ViewerApp


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    """One short log line per request on stderr, without the client's address."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), format % args))


class SilentHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def make_viewer_server(root: str | Path, host: str = "127.0.0.1", port: int = 8080, *,
                       quiet: bool = False) -> ThreadingWSGIServer:
    """A server ready to `serve_forever()`; port 0 picks a free port (`server.server_port`)."""
    return make_server(host, port, ViewerApp(root), server_class=ThreadingWSGIServer,
                       handler_class=SilentHandler if quiet else QuietHandler)
