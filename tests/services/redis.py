"""A real redis-server on 127.0.0.1, on a free port, in a temporary folder, with no
persistence (`--save '' --appendonly no`): started for a test, stopped after it.

    with RedisServer() as redis:   # skips the test when redis-server is missing
        redis.url                  # redis://127.0.0.1:PORT/0
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from tests.services.ports import free_port

INSTALL_HINT = "redis-server is not installed (scripts/install-redis.sh installs Debian's package)"
START_TIMEOUT = 10.0


def skip_reason() -> str | None:
    return INSTALL_HINT if shutil.which("redis-server") is None else None


class RedisServer:
    def __init__(self):
        self.program = shutil.which("redis-server")
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._dir: tempfile.TemporaryDirectory | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        if self.program is None:
            pytest.skip(INSTALL_HINT)
        self._dir = tempfile.TemporaryDirectory(prefix="redis-test-")
        self.port = free_port()
        self.process = subprocess.Popen(
            [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self._dir.name, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.process.stderr.read().decode(errors="replace").strip()
                self.stop()
                raise RuntimeError(f"redis-server exited at start: {message}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on 127.0.0.1:{self.port} within {START_TIMEOUT:.0f}s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    close = stop

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@pytest.fixture
def redis_server():
    """A fresh redis-server for one test."""
    with RedisServer() as server:
        yield server
