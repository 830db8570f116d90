"""Third-party WARC tools the interop tests run as other programs would: `warcio check`,
`cdxj-indexer`, `wacz validate` (console scripts of the test extras, next to this Python)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def warcio_check(*paths: Path) -> subprocess.CompletedProcess:
    """`warcio check -v`: every record parses and every digest present matches."""
    return subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
