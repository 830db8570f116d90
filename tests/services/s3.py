"""An S3-compatible server process on 127.0.0.1: moto's standalone server (`moto_server`),
spoken to over HTTP with boto3 exactly as a real S3 or MinIO would be.

The server keeps objects in memory: a restart is an empty bucket store (what the "S3 down
at upload" tests need). Installed with the test extras; missing, the tests that need it skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.services.ports import free_port, wait_for_port

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-access-key", "AWS_SECRET_ACCESS_KEY": "test-secret-key-never-logged",
               "AWS_DEFAULT_REGION": "us-east-1"}


def moto_server_program() -> str | None:
    beside = Path(sys.executable).with_name("moto_server")
    return str(beside) if beside.exists() else shutil.which("moto_server")


class S3Server:
    def __init__(self, port: int | None = None) -> None:
        self.program = moto_server_program()
        if self.program is None:
            raise FileNotFoundError("moto_server not installed (pip install -e '.[test]')")
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsarchive-s3-"))
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """What a process needs to talk to this server as it would to S3."""
        return {"AWS_ENDPOINT_URL": self.endpoint, **CREDENTIALS}

    def start(self) -> "S3Server":
        log = open(self.folder / "moto.log", "ab")
        self.process = subprocess.Popen([self.program, "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=log, stderr=log, env={**os.environ, **CREDENTIALS})
        wait_for_port(self.port, timeout=30, process=self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1")

    def new_bucket(self, prefix: str = "warcs") -> str:
        """A fresh bucket; the WARC_STORE URL of `prefix` in it."""
        name = f"test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return f"s3://{name}/{prefix}"

    def keys(self, store_url: str) -> list[str]:
        bucket, _, prefix = store_url[len("s3://"):].partition("/")
        answer = self.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def skip_reason() -> str | None:
    if moto_server_program() is None:
        return "moto_server not installed (pip install -e '.[test]')"
    try:
        import boto3  # noqa: F401
    except ImportError:
        return "boto3 not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def s3_server():
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    server = S3Server().start()
    yield server
    server.close()
