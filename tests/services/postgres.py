"""A real PostgreSQL server (Debian's package) in a temporary folder on 127.0.0.1.

`initdb` + `postgres` run as the `postgres` user when the tests run as root (PostgreSQL
refuses to run as root), listening on a free port; each test gets a database of its own.
Installed by scripts/install-postgresql.sh; missing, the tests that need it skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.services.ports import free_port

INSTALL_HINT = "PostgreSQL server not installed (scripts/install-postgresql.sh, run by `make test`)"


def server_binaries() -> Path | None:
    """The folder of Debian's `postgres`/`initdb`/`pg_ctl` (newest major version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def psycopg_available() -> bool:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


class PostgresServer:
    """Start with `start()`, stop with `stop()`; `restart()` for outage tests."""

    def __init__(self, folder: Path | None = None) -> None:
        """A fresh cluster in a temporary folder; or the cluster kept in `folder` (made there
        when the folder is new or empty; `stop()` leaves it for the next run)."""
        self.bin = server_binaries()
        if self.bin is None:
            raise FileNotFoundError(INSTALL_HINT)
        self.folder = Path(tempfile.mkdtemp(prefix="newsarchive-pg-")) if folder is None else Path(folder)
        self.data = self.folder / "data"
        self.port = free_port()
        self.running = False
        self._as_postgres = os.geteuid() == 0
        self._databases = 0
        if (self.data / "PG_VERSION").exists():
            return
        refused = self.cannot_keep_in(self.folder)
        if refused:
            raise FileExistsError(refused)
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run([self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync"])

    @staticmethod
    def cannot_keep_in(folder: Path) -> str | None:
        """Why a cluster cannot be kept in `folder` (it holds other files), or None."""
        folder = Path(folder)
        if (folder / "data" / "PG_VERSION").exists() or not folder.exists():
            return None
        if not folder.is_dir() or any(folder.iterdir()):
            return f"{folder} is not an empty folder nor one holding a kept PostgreSQL cluster"
        return None

    def _command(self, argv: list) -> list[str]:
        argv = [str(a) for a in argv]
        return ["runuser", "-u", "postgres", "--", *argv] if self._as_postgres else argv

    def _run(self, argv: list) -> None:
        subprocess.run(self._command(argv), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=120)

    @property
    def base_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def start(self) -> "PostgresServer":
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.folder} -c fsync=off -c synchronous_commit=off"
                   " -c full_page_writes=off -c max_connections=100")
        self._run([self.bin / "pg_ctl", "start", "-w", "-t", "60", "-D", self.data, "-l", self.folder / "postgres.log",
                   "-o", options])
        self.running = True
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.base_url + "/postgres", connect_timeout=2).close()
                return
            except psycopg.OperationalError:  # "the database system is starting up"
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` (roll back open transactions) or `immediate` (as a crash)."""
        if not self.running:
            return
        self._run([self.bin / "pg_ctl", "stop", "-w", "-t", "60", "-D", self.data, "-m", mode])
        self.running = False

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        import psycopg

        self._databases += 1
        name = f"test_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.base_url + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.base_url}/{name}"

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def skip_reason() -> str | None:
    if server_binaries() is None:
        return INSTALL_HINT
    if not psycopg_available():
        return "psycopg not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def postgres_server():
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    server = PostgresServer().start()
    yield server
    server.close()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    return postgres_server.new_database()
