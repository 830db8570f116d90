"""Shared test helpers: where ../shared lives, and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real-page tier: {SHARED} (../shared) not present on this machine")
    return SHARED


# Real servers (tests/services/) and the both-backends fixture (tests/backends.py).
pytest_plugins = ["tests.services.postgres", "tests.services.s3", "tests.backends"]
