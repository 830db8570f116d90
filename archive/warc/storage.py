"""Where closed WARC files live: a local folder (the default) or S3-compatible object storage.

Writers always write to a local spool folder (`.open` files, renamed when closed); `commit`
hands a closed file to the store. For the local store the spool is the store. For S3 the
file is uploaded (multipart when large, every part's MD5 checked by the server, the whole
object's ETag checked after) and the local copy removed only once the upload is confirmed;
a file whose upload failed stays in the spool, and `commit_pending` (run when an archive is
opened for writing) uploads it later. Index rows name a file by its name; the store resolves
the name, so rows do not change when a file moves from the spool to the bucket.

Readers ask for one record (`read`: a range request) or a whole file (`open`: a seekable
reader that fetches by ranges). Credentials are boto3's own (environment, profile, instance
role) and are never logged nor written into a WARC; `AWS_ENDPOINT_URL` names a non-AWS server.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol

from archive.warc.records import OPEN_SUFFIX

logger = logging.getLogger(__name__)

WARC_GLOB = "*.warc.gz"
PART_SIZE = 64 * 1024 * 1024  # S3 allows 5 MiB..5 GiB per part; one part below this size
READ_BUFFER = 8 * 1024 * 1024


class BadStoreURL(ValueError):
    """A WARC_STORE value that names no store this archive knows."""


class StoreError(OSError):
    """The store could not be reached or refused a request."""


class WarcStore(Protocol):
    url: str
    spool: Path

    def commit(self, path: Path) -> bool: ...
    def commit_pending(self) -> list[str]: ...
    def has(self, name: str) -> bool: ...
    def pending(self) -> list[Path]: ...
    def names(self) -> list[str]: ...
    def size(self, name: str) -> int: ...
    def read(self, name: str, offset: int, length: int) -> bytes: ...
    def open(self, name: str) -> BinaryIO: ...


def open_store(url: str, spool: Path) -> WarcStore:
    """`file:///ABSOLUTE/PATH` or `s3://BUCKET/PREFIX`; `spool` is the local folder where
    this process writes before committing (the store itself for `file://`)."""
    check_url(url)
    if url.startswith("file://"):
        return LocalWarcStore(Path(url[len("file://"):]))
    bucket, _, prefix = url[len("s3://"):].partition("/")
    return S3WarcStore(bucket, prefix.strip("/"), spool)


def check_url(url: str) -> None:
    """Raise BadStoreURL unless `url` names a store this archive knows."""
    if not url.startswith(("file://", "s3://")):
        raise BadStoreURL(f"WARC_STORE {url!r} is not file:///PATH or s3://BUCKET/PREFIX")
    if url.startswith("s3://") and not url[len("s3://"):].partition("/")[0]:
        raise BadStoreURL(f"WARC_STORE {url!r} names no bucket (s3://bucket/prefix)")


def _local(directory: Path, name: str) -> Path | None:
    """The spool file for `name`: closed, or still `.open` while a writer has it."""
    for path in (directory / name, directory / (name + OPEN_SUFFIX)):
        if path.exists():
            return path
    return None


def _read_range(path: Path, offset: int, length: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(length)


class LocalWarcStore:
    """WARC files in one local folder: the embedded default, and its own spool."""

    def __init__(self, directory: Path):
        self.spool = Path(directory)
        self.url = "file://" + str(self.spool.resolve())

    def commit(self, path: Path) -> bool:
        return True  # already where it belongs

    def commit_pending(self) -> list[str]:
        return []

    def pending(self) -> list[Path]:
        return []

    def names(self) -> list[str]:
        return sorted(path.name for path in self.spool.glob(WARC_GLOB)) if self.spool.is_dir() else []

    def has(self, name: str) -> bool:
        return _local(self.spool, name) is not None

    def _path(self, name: str) -> Path:
        path = _local(self.spool, name)
        if path is None:
            raise FileNotFoundError(f"WARC file {name} is not in {self.spool}")
        return path

    def size(self, name: str) -> int:
        return self._path(name).stat().st_size

    def read(self, name: str, offset: int, length: int) -> bytes:
        return _read_range(self._path(name), offset, length)

    def open(self, name: str) -> BinaryIO:
        return open(self._path(name), "rb")


class S3WarcStore:
    """WARC files as objects `prefix/name` in one bucket of an S3-compatible server."""

    def __init__(self, bucket: str, prefix: str, spool: Path, *, client=None):
        self.bucket, self.prefix, self.spool = bucket, prefix, Path(spool)
        self.url = f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"
        self._client = client
        self._client_made = threading.Lock()  # a crawl uploads from its writer thread too
        self._seen: set[str] = set()

    @property
    def client(self):
        """One boto3 client (thread-safe once made; making one is not), made on first use."""
        with self._client_made:
            if self._client is None:
                import boto3  # only where object storage is used
                from botocore.config import Config

                self._client = boto3.client("s3", config=Config(
                    retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=60))
        return self._client

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    # -- writing ----------------------------------------------------------------------------
    def pending(self) -> list[Path]:
        """Closed spool files not yet confirmed in the bucket."""
        return sorted(self.spool.glob(WARC_GLOB)) if self.spool.is_dir() else []

    def commit(self, path: Path) -> bool:
        """Upload one closed file; remove the local copy once the bucket holds exactly its
        bytes. False (file kept, a warning logged) when the upload failed."""
        try:
            self._upload(Path(path))
        except Exception as exc:  # noqa: BLE001 - any failure: keep the file, retry next run
            logger.warning("upload of %s to %s failed (%s); kept in %s, retried at the next run",
                           Path(path).name, self.url, _describe(exc), self.spool)
            return False
        Path(path).unlink()
        logger.info("uploaded %s to %s", Path(path).name, self.url)
        return True

    def commit_pending(self) -> list[str]:
        """Upload every closed spool file (those an earlier run could not); names uploaded."""
        return [path.name for path in self.pending() if self.commit(path)]

    def _upload(self, path: Path) -> None:
        key, size = self.key(path.name), path.stat().st_size
        if size <= PART_SIZE:
            data = path.read_bytes()
            digest = hashlib.md5(data)
            answer = self.client.put_object(Bucket=self.bucket, Key=key, Body=data,
                                            ContentMD5=base64.b64encode(digest.digest()).decode())
            expected = digest.hexdigest()
        else:
            answer, expected = self._upload_parts(path, key)
        if answer["ETag"].strip('"') != expected:
            raise StoreError(f"bucket answered ETag {answer['ETag']} for {key}, expected {expected}")
        head = self.client.head_object(Bucket=self.bucket, Key=key)
        if head["ContentLength"] != size or head["ETag"].strip('"') != expected:
            raise StoreError(f"{key} in the bucket is not the file uploaded ({head['ContentLength']} bytes)")

    def _upload_parts(self, path: Path, key: str) -> tuple[dict, str]:
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)
        parts, digests = [], []
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(PART_SIZE):
                    digest = hashlib.md5(chunk).digest()
                    answer = self.client.upload_part(
                        Bucket=self.bucket, Key=key, UploadId=upload["UploadId"], PartNumber=len(parts) + 1,
                        Body=chunk, ContentMD5=base64.b64encode(digest).decode())
                    parts.append({"ETag": answer["ETag"], "PartNumber": len(parts) + 1})
                    digests.append(digest)
            answer = self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload["UploadId"], MultipartUpload={"Parts": parts})
        except Exception:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload["UploadId"])
            raise
        # S3's multipart ETag: md5 of the parts' md5s, then "-" and the number of parts.
        return answer, f"{hashlib.md5(b''.join(digests)).hexdigest()}-{len(parts)}"

    # -- reading ----------------------------------------------------------------------------
    def names(self) -> list[str]:
        names = {path.name for path in self.pending()}
        start = self.key("")
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
                for item in page.get("Contents", []):
                    name = item["Key"][len(start):]
                    if name.endswith(".warc.gz") and "/" not in name:
                        names.add(name)
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"cannot list {self.url}: {_describe(exc)}") from None
        return sorted(names)

    def has(self, name: str) -> bool:
        """Whether this process can read `name`: in its own spool, or in the bucket. (A file
        another worker has not uploaded yet is in neither.)"""
        if _local(self.spool, name) is not None or name in self._seen:
            return True
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(name))
        except Exception:  # noqa: BLE001 - missing, or unreachable: not readable now either way
            return False
        self._seen.add(name)  # objects are never removed: no need to ask again
        return True

    def size(self, name: str) -> int:
        local = _local(self.spool, name)
        if local is not None:
            return local.stat().st_size
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(name))["ContentLength"]
        except Exception as exc:  # noqa: BLE001
            raise _missing(self, name, exc) from None

    def read(self, name: str, offset: int, length: int) -> bytes:
        """One record's bytes: from the spool while the file is still here, else one range GET."""
        local = _local(self.spool, name)
        if local is not None:
            return _read_range(local, offset, length)
        return self.read_range(name, offset, length)

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(name),
                                            Range=f"bytes={offset}-{offset + length - 1}")
            return answer["Body"].read()
        except Exception as exc:  # noqa: BLE001
            raise _missing(self, name, exc) from None

    def open(self, name: str) -> BinaryIO:
        local = _local(self.spool, name)
        if local is not None:
            return open(local, "rb")
        return io.BufferedReader(_RangeReader(self, name, self.size(name)), buffer_size=READ_BUFFER)


class _RangeReader(io.RawIOBase):
    """A seekable read-only file over one object, each read a range GET."""

    def __init__(self, store: S3WarcStore, name: str, size: int):
        self.store, self.name, self.length, self.position = store, name, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.length}[whence]
        self.position = max(0, base + offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        want = min(len(buffer), self.length - self.position)
        if want <= 0:
            return 0
        data = self.store.read_range(self.name, self.position, want)
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)


def _describe(exc: Exception) -> str:
    """A one-line reason without credentials (botocore messages never carry the secret)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def _missing(store: S3WarcStore, name: str, exc: Exception) -> OSError:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code") if hasattr(exc, "response") else None
    if code in ("NoSuchKey", "404", "NotFound"):
        return FileNotFoundError(f"WARC file {name} is not in {store.url}")
    return StoreError(f"cannot read {name} from {store.url}: {_describe(exc)}")


@contextmanager
def local_copies(store: WarcStore, names: list[str]) -> Iterator[list[Path]]:
    """Paths of `names` on this machine, for tools that read files by path (cdxj-indexer,
    the WACZ zip): the files themselves for a local store, else copies streamed from the
    store into a temporary folder that is removed afterwards."""
    paths = [_local(store.spool, name) for name in names]
    if all(path is not None and not path.name.endswith(OPEN_SUFFIX) for path in paths):
        yield paths
        return
    with tempfile.TemporaryDirectory(prefix="newsarchive-warcs-") as folder:
        copies = []
        for name in names:
            target = Path(folder) / name
            with store.open(name) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, READ_BUFFER)
            copies.append(target)
        yield copies
