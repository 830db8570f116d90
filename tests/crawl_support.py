"""Running a real crawl of the replica from tests: a subprocess, bounded in time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

CRAWL_TIMEOUT = 600


def run_crawl(archive_dir: Path, proxy: str, *spiders: str, settings: dict[str, str] | None = None,
              spider_args: dict[str, str] | None = None, timeout: float = CRAWL_TIMEOUT,
              log_name: str = "crawl.log") -> subprocess.CompletedProcess:
    """`python -m crawler.run` against the replica; the log is kept next to the archive."""
    command = [sys.executable, "-m", "crawler.run", *(spiders or ("rferl", "npr", "stations")),
               "--archive-dir", str(archive_dir), "--replica-proxy", proxy]
    for name, value in (settings or {}).items():
        command += ["-s", f"{name}={value}"]
    for name, value in (spider_args or {}).items():
        command += ["-a", f"{name}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "settings", "PYTHONPATH": str(PROJECT_ROOT)}
    archive_dir.mkdir(parents=True, exist_ok=True)
    log = archive_dir / log_name
    with open(log, "w") as handle:
        result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                timeout=timeout)
    result.log = log.read_text(errors="replace")
    return result
