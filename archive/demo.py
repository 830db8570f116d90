"""The offline demo: replica sites on loopback, a real crawl of all families into the
archive, a summary, and one cleaned copy next to its WARC original.

The archive never imports Scrapy: the replica and the crawl run as subprocesses of the
project checkout (`python -m tests.replica`, `python -m crawler.run`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from archive.index import open_index
from archive.store import Archive, index_exists, index_url

SPIDERS = ("rferl", "npr", "stations")


class DemoError(RuntimeError):
    pass


def project_root() -> Path:
    """The checkout holding scrapy.cfg and the replica (cwd first, then this package's home)."""
    candidates = [Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parent.parent]
    for path in candidates:
        if (path / "scrapy.cfg").is_file() and (path / "tests" / "replica").is_dir():
            return path
    raise DemoError("the demo needs the project checkout (scrapy.cfg and tests/replica); "
                    "run it from the project folder")


class Replica:
    """The replica server as a subprocess; its first stdout line says where it listens."""

    def __init__(self, root: Path, epoch: int, timeout: float = 30.0):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.replica", "--port", "0", "--epoch", str(epoch)],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + timeout
        line = self.process.stdout.readline()
        if not line or time.monotonic() > deadline:
            self.stop()
            raise DemoError(f"the replica did not start: {self.process.stderr.read()[-2000:]}")
        self.info = json.loads(line)
        self.proxy = self.info["proxy"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _counts(root: Path) -> dict[str, int]:
    url = index_url(root)
    if not index_exists(url):
        return {}
    index = open_index(url, readonly=True)
    try:
        return index.counts()
    finally:
        index.close()


def run_demo(archive_root: Path, epoch: int, *, out=sys.stdout, progress=True, spiders=SPIDERS) -> int:
    root = project_root()
    archive_root = archive_root.resolve()
    archive_root.mkdir(parents=True, exist_ok=True)
    log_dir = archive_root / "logs"
    log_dir.mkdir(exist_ok=True)
    log_path = log_dir / f"demo-epoch{epoch}-{time.strftime('%Y%m%dT%H%M%S')}.log"
    before = _counts(archive_root)
    started = time.monotonic()
    print(f"Starting replica sites (epoch {epoch}) on loopback...", file=out, flush=True)
    replica = Replica(root, epoch)
    try:
        print(f"Replica proxy {replica.proxy}: {', '.join(replica.info.get('hosts', []))}", file=out)
        print(f"Crawling {', '.join(spiders)} into {archive_root} (log: {log_path})", file=out, flush=True)
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "settings", "PYTHONPATH": str(root)}
        with open(log_path, "w") as log:
            crawl = subprocess.Popen(
                [sys.executable, "-m", "crawler.run", *spiders, "--archive-dir", str(archive_root),
                 "--replica-proxy", replica.proxy], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
            while crawl.poll() is None:
                time.sleep(1.0)
                if progress:
                    now = _counts(archive_root)
                    print(f"\r  {now.get('captures', 0) - before.get('captures', 0):5d} responses archived, "
                          f"{now.get('documents', 0) - before.get('documents', 0):4d} cleaned copies stored "
                          f"({time.monotonic() - started:4.0f}s)", end="", file=out, flush=True)
            if progress:
                print(file=out)
    finally:
        replica.stop()
    return summarize(archive_root, before, crawl.returncode, log_path, time.monotonic() - started, out=out)


def summarize(archive_root: Path, before: dict, returncode: int, log_path: Path, seconds: float, *, out) -> int:
    with Archive(archive_root, readonly=True) as archive:
        runs = [r for r in archive.index.runs() if r["report"]][:len(SPIDERS)]
        reports = [r["report"] for r in runs]
        after = archive.index.counts()
        total = lambda key: sum(int(r.get(key, 0)) for r in reports)  # noqa: E731
        print("", file=out)
        print(f"Demo crawl finished in {seconds:.0f}s (exit code {returncode}).", file=out)
        print(f"  pages fetched:        {total('fetched')}", file=out)
        print(f"  articles stored:      {total('stored')} new cleaned copies"
              f" ({after['articles']} articles in the archive)", file=out)
        print(f"  unchanged (revisits): {total('unchanged')}", file=out)
        print(f"  boilerplate removed:  {total('boilerplate_removed')} blocks", file=out)
        print(f"  not articles:         {total('not_articles')} (pages cleaned as listings or programme pages)", file=out)
        print(f"  failures:             {total('failed')} (see {log_path})", file=out)
        print(f"  skipped by robots:    {total('skipped_robots')}", file=out)
        print(f"  archive:              {archive.root} ({after['captures']} captures, "
              f"{len(list(archive.warc_files()))} WARC files)", file=out)
        document = next((d for d in archive.index.all_documents() if d.page_type == "article"), None)
        if document is not None:
            capture = archive.index.capture(document.capture_id)
            paragraphs = document.text.split("\n\n")
            print("\nOne cleaned copy:", file=out)
            print(f"  {document.title}\n  {document.url}", file=out)
            for paragraph in paragraphs[:3]:
                print(f"    {paragraph[:300]}", file=out)
            if len(paragraphs) > 3:
                print(f"    [... {len(paragraphs) - 3} more paragraphs]", file=out)
            print(f"  original: {archive.warc_location(capture.warc_file)} (record at offset {capture.warc_offset})",
                  file=out)
            print(f"  try: archive get '{document.url}' --archive-dir {archive.root}", file=out)
    return 0 if returncode == 0 else 1
