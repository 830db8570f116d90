"""The replica as an HTTP proxy on 127.0.0.1: crawlers send `GET http://<host>/<path>` to it.

Transport only: bytes come from `content.page`; this module adds gzip, validators (304),
Date/Server headers and the hostile deliveries (first-request 429, delay, chunking, a
Content-Length that lies). Stdlib only.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import bulk as bulk_pages, content, hostile
from .model import RFERL, ROBOTS_DATE, http_date

SERVER_NAME = "replica/1"
COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/json")


class RequestLog:
    """Thread-safe record of the requests seen: (method, absolute url, headers dict). `timings`
    says when each was served: (host, url, start, end) in time.monotonic() seconds, from the
    request read to the moment the last piece of the answer is handed to the socket (overlap
    checks). Both stamps are causal bounds: the client cannot have the whole answer before
    `end`, and cannot have sent the request after `start`, so two requests whose spans
    overlap really were in flight together; a thread that gets the GIL back late after its
    last write cannot make a polite sequence look like an overlap."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: list[tuple[str, str, dict]] = []
        self._timings: list[tuple[str, str, float, float]] = []

    def timed(self, host: str, url: str, start: float, end: float) -> None:
        with self._lock:
            self._timings.append((host, url, start, end))

    def timings(self) -> list[tuple[str, str, float, float]]:
        with self._lock:
            return list(self._timings)

    def append(self, item: tuple[str, str, dict]) -> None:
        with self._lock:
            self._items.append(item)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._timings.clear()

    def snapshot(self) -> list[tuple[str, str, dict]]:
        with self._lock:
            return list(self._items)

    def urls(self) -> list[str]:
        return [url for _, url, _ in self.snapshot()]

    def __iter__(self):
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index):
        return self.snapshot()[index]


_gzip_cache: dict[str, bytes] = {}
_gzip_lock = threading.Lock()


def gzipped(body: bytes) -> bytes:
    """Deterministic gzip (mtime 0), cached by body digest so pages compress once."""
    key = hashlib.sha1(body).hexdigest()
    with _gzip_lock:
        cached = _gzip_cache.get(key)
    if cached is None:
        cached = gzip.compress(body, compresslevel=6, mtime=0)
        with _gzip_lock:
            _gzip_cache[key] = cached
    return cached


def accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _etag_matches(header: str, etag: str) -> bool:
    bare = etag.strip('"').removesuffix("-gzip")
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        tag = tag[2:] if tag.startswith("W/") else tag
        if tag.strip('"').removesuffix("-gzip") == bare:
            return True
    return False


def not_modified(request_headers, headers: dict) -> bool:
    inm = request_headers.get("If-None-Match")
    if inm is not None:
        return _etag_matches(inm, headers.get("ETag", ""))
    ims = request_headers.get("If-Modified-Since")
    if ims and headers.get("Last-Modified"):
        try:
            return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


class ReplicaHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as real servers set it: with Nagle on, each keep-alive answer waited for the
    # client's delayed ACK (~40 ms), which capped one host at ~24 requests/s.
    disable_nagle_algorithm = True
    server_version = SERVER_NAME
    sys_version = ""

    def version_string(self) -> str:
        return SERVER_NAME

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        if self.server.replica.verbose:
            sys.stderr.write("replica: %s - %s\n" % (self.address_string(), format % args))

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _target(self) -> tuple[str, str, str]:
        if self.path.startswith(("http://", "https://")):
            parts = urlsplit(self.path)
            host, path = parts.netloc, parts.path or "/"
            query = parts.query
        else:
            host = self.headers.get("Host", "")
            path, _, query = self.path.partition("?")
        host = host.lower().rsplit("@", 1)[-1]
        if host.endswith(":80"):
            host = host[:-3]
        url = f"http://{host}{path}" + (f"?{query}" if query else "")
        return host.split(":")[0], path, url

    def _serve(self, head: bool) -> None:
        start = self._written = time.monotonic()
        try:
            self._answer(head)
        finally:
            host, _, url = self._target()
            self.server.replica.requests.timed(host, url, start, self._written)

    def setup(self) -> None:
        super().setup()
        write = self.wfile.write

        def timed_write(data):  # stamped before the write: see RequestLog
            self._written = time.monotonic()
            return write(data)

        self.wfile.write = timed_write

    def _answer(self, head: bool) -> None:
        replica = self.server.replica
        host, path, url = self._target()
        replica.requests.append((self.command, url, dict(self.headers.items())))
        found = bulk_pages.page(path, replica.epoch, replica.bulk) if host == RFERL else None
        status, headers, body = found or content.page(host, path, replica.epoch)
        headers = dict(headers)
        delivery = hostile.DELIVERY.get(path) if host == RFERL else None
        if delivery == "ratelimited-once" and replica.first_time(path):
            status, headers, body = 429, {"Content-Type": "text/plain; charset=utf-8",
                                          "Retry-After": hostile.RETRY_AFTER}, b"Too Many Requests\n"
        if delivery == "slow":
            time.sleep(hostile.SLOW_SECONDS)
        headers.setdefault("ETag", '"' + hashlib.sha1(body).hexdigest()[:20] + '"')
        headers.setdefault("Last-Modified", http_date(ROBOTS_DATE))
        headers["Date"] = formatdate(usegmt=True)
        pre_encoded = "Content-Encoding" in headers
        if (not pre_encoded and body and delivery != "truncated"
                and headers.get("Content-Type", "").startswith(COMPRESSIBLE)
                and accepts_gzip(self.headers.get("Accept-Encoding"))):
            body = gzipped(body)
            headers["Content-Encoding"] = "gzip"
            headers["ETag"] = headers["ETag"][:-1] + '-gzip"'
        if headers.get("Content-Type", "").startswith(COMPRESSIBLE):
            headers["Vary"] = "Accept-Encoding"
        if status == 200 and not_modified(self.headers, headers):
            self._send_head(304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified", "Vary")})
            return
        if delivery == "chunked":
            self._send_chunked(status, headers, body, head)
        elif delivery == "truncated":
            headers["Content-Length"] = str(len(body) + 50_000)
            headers["Connection"] = "close"
            self._send_head(status, headers)
            if not head:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        else:
            headers["Content-Length"] = str(len(body))
            self._send_head(status, headers)
            if not head and body:
                self.wfile.write(body)

    def _send_head(self, status: int, headers: dict) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name not in ("Date", "Server"):
                self.send_header(name, value)
        self.end_headers()

    def _send_chunked(self, status: int, headers: dict, body: bytes, head: bool) -> None:
        headers["Transfer-Encoding"] = "chunked"
        self._send_head(status, headers)
        if head:
            return
        for start in range(0, len(body), 4096):
            chunk = body[start:start + 4096]
            self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if self.replica.verbose:
            super().handle_error(request, client_address)


class ReplicaServer:
    """`with ReplicaServer(epoch=1, port=0) as r:` -> replica sites behind proxy `r.proxy_url`.

    `bulk=N` adds N generated articles on rferl (see `bulk.py`; for scale tests)."""

    def __init__(self, epoch: int = 1, port: int = 0, *, verbose: bool = False, bulk: int = 0):
        self.set_epoch(epoch)
        self.verbose = verbose
        self.bulk = bulk_pages.count_ok(bulk)
        self.requests = RequestLog()
        self._seen: set[str] = set()
        self._seen_lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), ReplicaHandler)
        self._httpd.replica = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hosts(self) -> list[str]:
        return list(content.SITES)

    def set_epoch(self, epoch: int) -> None:
        content._check(epoch)
        self.epoch = epoch

    def first_time(self, path: str) -> bool:
        """True once per path in this server's life (set_epoch does not reset it)."""
        with self._seen_lock:
            if path in self._seen:
                return False
            self._seen.add(path)
            return True

    def start(self) -> "ReplicaServer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
