"""ReplayWeb.page served on loopback for tests: the package's own ui.js and sw.js (installed
by scripts/install-replaywebpage.sh), one HTML page per archived URL to open, and the WACZ,
from a small HTTP server that answers Range requests (the player reads a WACZ by ranges)."""

from __future__ import annotations

import html
import os
import re
import shutil
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

from tests.conftest import PROJECT_ROOT
from tests.viewer_support import serving

PLAYER = PROJECT_ROOT / ".replaywebpage" / "package"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with `Range: bytes=a-b` answered 206, service workers allowed at /replay/."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "application/javascript",
                      ".wacz": "application/wacz+zip"}

    def log_message(self, *args) -> None:  # quiet
        pass

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        found = _RANGE.match(self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if not found or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(found[1]) if found[1] else max(0, size - int(found[2] or 0))
        end = min(int(found[2]), size - 1) if found[1] and found[2] else size - 1
        if start >= size or start > end:
            self.send_error(416, "range not satisfiable")
            return None
        handle = open(path, "rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self._remaining = end - start + 1
        return handle

    def copyfile(self, source, outputfile) -> None:
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        while remaining > 0:
            chunk = source.read(min(remaining, 1 << 16))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)


def player_page(url: str, ts: str | None = None) -> str:
    """An HTML page embedding the player on one archived URL (and capture time)."""
    when = f' ts="{html.escape(ts)}"' if ts else ""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>newsarchive WACZ in ReplayWeb.page</title>
<script src="./ui.js"></script>
<style>html, body {{ margin: 0; height: 100%; }} replay-web-page {{ display: block; height: 100vh; }}</style>
</head><body>
<replay-web-page source="archive.wacz" url="{html.escape(url)}"{when} replayBase="./replay/"></replay-web-page>
</body></html>
"""


@contextmanager
def serve_player(wacz: Path, folder: Path, pages: dict[str, tuple[str, str | None]],
                 player: Path = PLAYER) -> Iterator[str]:
    """Lay out ui.js, replay/sw.js (+ replay/ui.js), the WACZ and `pages` (name -> (url, ts)) in `folder`;
    serve it on 127.0.0.1; yield the base URL."""
    (folder / "replay").mkdir(parents=True, exist_ok=True)
    shutil.copy(player / "ui.js", folder / "ui.js")
    shutil.copy(player / "ui.js", folder / "replay" / "ui.js")  # the player's inner frame loads it from there
    shutil.copy(player / "sw.js", folder / "replay" / "sw.js")
    os.link(wacz, folder / "archive.wacz") if wacz.stat().st_dev == folder.stat().st_dev else \
        shutil.copy(wacz, folder / "archive.wacz")
    for name, (url, ts) in pages.items():
        (folder / f"{name}.html").write_text(player_page(url, ts), encoding="utf-8")
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(folder)))) as url:
        yield url
