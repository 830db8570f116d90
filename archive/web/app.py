"""The viewer as a WSGI application: routes, limits and security headers.

Read-only by construction: the archive is opened with a read-only SQLite connection (one
per thread), only GET/HEAD are accepted, and nothing is written. Archived pages are served
under a sandboxing CSP so their scripts never run in the viewer and they cannot reach the
network; the viewer's own pages need no JavaScript at all.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, unquote

from archive import related, retrieval
from archive.warc.payload import DecodeError, undo_content_encoding
from archive.render import document_dict, hit_dict, provenance
from archive.store import Archive
from archive.web import pages
from archive.web.stories import story_panel

MAX_TARGET = 4096  # longest path + query accepted (414 beyond)
MAX_PARAM = 2048  # longest single parameter value (400 beyond)
UI_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; "
          "base-uri 'none'; frame-ancestors 'none'")
ORIGINAL_CSP = "sandbox; default-src 'none'; img-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
COMMON_HEADERS = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
                  ("Cache-Control", "no-store")]
STATIC = {"style.css": "text/css; charset=utf-8"}


class HTTPError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
           413: "Content Too Large", 414: "URI Too Long", 500: "Internal Server Error"}


class Request:
    """The parts of a WSGI environ the routes use, with the limits applied once."""

    def __init__(self, environ: dict[str, Any]):
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.path = environ.get("PATH_INFO", "/") or "/"
        raw_query = environ.get("QUERY_STRING", "")
        if len(self.path) + len(raw_query) > MAX_TARGET:
            raise HTTPError(414, f"request target longer than {MAX_TARGET} characters")
        length = (environ.get("CONTENT_LENGTH") or "0").strip()
        if not length.isdigit():
            raise HTTPError(400, "unreadable Content-Length")
        if int(length) > 0:
            raise HTTPError(413, "this server is read-only and accepts no request body")
        if self.method not in ("GET", "HEAD"):
            raise HTTPError(405, "only GET and HEAD are supported")
        segments = unquote(self.path).replace("\\", "/").split("/")
        if ".." in segments or "\x00" in self.path:
            raise HTTPError(400, "path traversal is not allowed")
        try:
            self.params = {k: v[0] for k, v in parse_qs(raw_query, max_num_fields=16).items()}
        except ValueError:
            raise HTTPError(400, "too many query parameters") from None
        if any(len(v) > MAX_PARAM for v in self.params.values()):
            raise HTTPError(400, f"a query parameter is longer than {MAX_PARAM} characters")

    def get(self, name: str, required: bool = False) -> str | None:
        value = (self.params.get(name) or "").strip() or None
        if required and value is None:
            raise HTTPError(400, f"missing parameter: {name}")
        return value


Response = tuple[int, list[tuple[str, str]], bytes]


class ViewerApp:
    """WSGI callable serving one archive folder read-only."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        Archive(self.root, readonly=True).close()  # fail now, not on the first request
        self._local = threading.local()
        self.routes: dict[str, Callable[[Request], Response]] = {
            "/": self.search_page, "/search": self.search_page, "/doc": self.document_page,
            "/diff": self.diff_page, "/original": self.original,
            "/api/get": self.api_get, "/api/search": self.api_search, "/api/history": self.api_history,
            "/api/diff": self.api_diff, "/api/related": self.api_related, "/api/quote": self.api_quote,
        }

    @property
    def archive(self) -> Archive:
        archive = getattr(self._local, "archive", None)
        if archive is None:
            archive = self._local.archive = Archive(self.root, readonly=True)
        return archive

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        api = path.startswith("/api/")
        try:
            request = Request(environ)
            if request.path.startswith("/static/"):
                status, headers, body = self.static(request.path.removeprefix("/static/"))
            elif request.path in self.routes:
                status, headers, body = self.routes[request.path](request)
            else:
                raise HTTPError(404, "no such page")
        except HTTPError as exc:
            status, headers, body = self.error(exc.status, str(exc), api)
        except retrieval.NotFound as exc:
            status, headers, body = self.error(404, str(exc), api)
        except (retrieval.BadRequest, DecodeError) as exc:
            status, headers, body = self.error(400, str(exc), api)
        except Exception:  # noqa: BLE001 - the details go to the log, never to the client
            traceback.print_exc(file=sys.stderr)
            status, headers, body = self.error(500, "internal error (see the server log)", api)
        headers = [*headers, *COMMON_HEADERS, ("Content-Length", str(len(body)))]
        if not any(name == "Content-Security-Policy" for name, _ in headers):
            headers.append(("Content-Security-Policy", UI_CSP))
            headers.append(("X-Frame-Options", "DENY"))
        start_response(f"{status} {REASONS.get(status, '')}", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]

    # -- helpers ------------------------------------------------------------------------
    @staticmethod
    def html(markup: str, status: int = 200) -> Response:
        return status, [("Content-Type", "text/html; charset=utf-8")], markup.encode("utf-8")

    @staticmethod
    def json(data: Any, status: int = 200) -> Response:
        body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        return status, [("Content-Type", "application/json; charset=utf-8")], body

    def error(self, status: int, message: str, api: bool) -> Response:
        if api:
            return self.json({"error": message, "status": status}, status)
        return self.html(pages.error_page(status, message), status)

    def static(self, name: str) -> Response:
        if name not in STATIC:  # a fixed list: no file system path is ever built from the request
            raise HTTPError(404, "no such file")
        body = resources.files("archive.web").joinpath("static", name).read_bytes()
        return 200, [("Content-Type", STATIC[name]), ("Cache-Control", "max-age=3600")], body

    def _search(self, request: Request) -> list:
        return retrieval.search(self.archive.index, request.get("q", required=True), site=request.get("site"),
                                since=request.get("since"), until=request.get("until"),
                                limit=self._limit(request, 20))

    # -- pages --------------------------------------------------------------------------
    def search_page(self, request: Request) -> Response:
        query = request.get("q")
        filters = {k: request.get(k) or "" for k in ("site", "since", "until")}
        hits = self._search(request) if query else None
        return self.html(pages.search_page(query or "", hits, filters))

    def document_page(self, request: Request) -> Response:
        url = request.get("url", required=True)
        document = retrieval.get_document(self.archive.index, url, request.get("at"))
        entries = retrieval.history(self.archive.index, url)
        try:
            story = related.related(self.archive.index, document.url, document.captured_at)
        except retrieval.NotFound:  # stored before story signatures: the page works without the panel
            story = None
        return self.html(pages.document_page(document, provenance(document, self.archive), entries,
                                             story_panel(story)))

    def diff_page(self, request: Request) -> Response:
        result = retrieval.diff(self.archive.index, request.get("url", required=True), request.get("from"),
                                request.get("to"))
        return self.html(pages.diff_page(result))

    def original(self, request: Request) -> Response:
        """The archived payload, Content-Encoding undone (text re-encoded as UTF-8), under a
        sandboxing CSP: scripts never run, nothing is fetched, it is not a same-origin page."""
        original = retrieval.get_original(self.archive, request.get("url", required=True), request.get("at"))
        mime = original.head.mime
        if mime.startswith("text/") or mime in ("application/xhtml+xml", "application/xml"):
            body, content_type = original.text().encode("utf-8"), f"{mime}; charset=utf-8"
        else:
            body, content_type = undo_content_encoding(original.payload, original.head.content_encoding), \
                "application/octet-stream"
        return 200, [("Content-Type", content_type), ("Content-Security-Policy", ORIGINAL_CSP),
                     ("X-Frame-Options", "SAMEORIGIN"), ("Content-Disposition", "inline"),
                     ("X-Archive-Record-ID", original.source.record_id),
                     ("X-Archive-Captured-At", original.capture.fetched_at)], body

    # -- JSON API -----------------------------------------------------------------------
    def api_get(self, request: Request) -> Response:
        document = retrieval.get_document(self.archive.index, request.get("url", required=True), request.get("at"))
        return self.json(document_dict(document, self.archive))

    def api_search(self, request: Request) -> Response:
        return self.json([hit_dict(hit) for hit in self._search(request)])

    def api_history(self, request: Request) -> Response:
        entries = retrieval.history(self.archive.index, request.get("url", required=True))
        return self.json([entry.to_dict() for entry in entries])

    def api_related(self, request: Request) -> Response:
        story = related.related(self.archive.index, request.get("url", required=True), request.get("at"),
                                limit=self._limit(request, 20))
        return self.json(story.to_dict())

    def api_quote(self, request: Request) -> Response:
        result = related.quote(self.archive.index, request.get("q", required=True), limit=self._limit(request, 100))
        return self.json(result.to_dict())

    @staticmethod
    def _limit(request: Request, default: int) -> int:
        limit = request.get("limit") or str(default)
        if not limit.isdigit():
            raise HTTPError(400, "limit must be a number")
        return int(limit)

    def api_diff(self, request: Request) -> Response:
        result = retrieval.diff(self.archive.index, request.get("url", required=True), request.get("from"),
                                request.get("to"))
        return self.json(result.to_dict())
