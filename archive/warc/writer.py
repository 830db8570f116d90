"""Writing WARC files: gzip-per-record, `.open` while written, renamed when closed, rolled
at a size. Where each record landed is returned as a `RecordLocation`, which the index keeps."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, Callable

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from archive.warc.records import OPEN_SUFFIX, WARC_VERSION, _builder, record_id


@dataclass(frozen=True)
class RecordLocation:
    """Where one record sits: file name (relative to the WARC folder), gzip member offset
    and length, and its WARC-Record-ID."""

    filename: str
    offset: int
    length: int
    record_id: str


class RollingWarcWriter:
    """Appends records to gzip-per-record WARC files in `directory`, one writer per prefix.

    A file is created on first write with a `warcinfo` record, named `*.warc.gz.open`,
    rolled once it passes `max_size` bytes and renamed to `*.warc.gz` when closed, so a
    crash leaves at most one `.open` file per writer (see `archive.recover`).

    Each `write` is all or nothing: the records are serialised first and appended in one go;
    if the disk fills (or any write fails) the file is cut back to where that `write` began,
    the writer refuses further writes (`failed`), and `close` leaves the file `.open`: the
    run did not finish it."""

    def __init__(self, directory: str | os.PathLike, prefix: str, warcinfo: dict[str, str], *,
                 max_size: int = 1_000_000_000, suffix: str = "", fsync: bool = False,
                 worker: str | None = None, on_close: Callable[[Path], object] | None = None):
        self.directory = Path(directory)
        self.worker = worker
        self.on_close = on_close
        self.prefix = prefix
        self.suffix = suffix
        self.warcinfo = warcinfo
        self.max_size = max_size
        self.fsync = fsync
        self.serial = 0
        self.failed: OSError | None = None
        self._file: BinaryIO | None = None
        self._name = ""
        self._size = 0
        self.directory.mkdir(parents=True, exist_ok=True)

    @property
    def current_name(self) -> str:
        return self._name

    def write(self, *records: ArcWarcRecord) -> list[RecordLocation]:
        """Write `records` one after another into the same file and return their locations."""
        if self.failed is not None:
            raise OSError(self.failed.errno, f"WARC writer stopped after an earlier failure: {self.failed}")
        self._ensure_file()
        start = self._size
        chunks, locations = [], []
        for record in records:
            data = _serialise(record)
            locations.append(RecordLocation(self._name, start + sum(map(len, chunks)), len(data), record_id(record)))
            chunks.append(data)
        self._append(b"".join(chunks))
        if self._size >= self.max_size:
            self.close()
        return locations

    def _append(self, data: bytes) -> None:
        start = self._size
        try:
            view = memoryview(data)
            while view:
                view = view[self._file.write(view):]
            if self.fsync:
                os.fsync(self._file.fileno())
        except OSError as exc:
            self.failed = exc
            try:  # a half-written record must not stay in the file
                os.ftruncate(self._file.fileno(), start)
                self._file.seek(start)
            except OSError:
                pass
            raise
        self._size = start + len(data)

    def close(self) -> None:
        if self._file is None:
            return
        self._file.close()
        self._file = None
        if self.failed is None:
            os.replace(self.directory / (self._name + OPEN_SUFFIX), self.directory / self._name)
            if self.on_close is not None:  # e.g. upload to object storage
                self.on_close(self.directory / self._name)

    def _ensure_file(self) -> None:
        if self._file is not None:
            return
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        host = socket.gethostname().split(".")[0] or "localhost"
        if self.worker:  # several workers on one machine write into one store
            host = f"{host}-{self.worker}"
        while True:
            self.serial += 1
            name = f"{self.prefix}-{stamp}-{self.serial:05d}-{host}{self.suffix}.warc.gz"
            path = self.directory / (name + OPEN_SUFFIX)
            if not path.exists() and not (self.directory / name).exists():
                break
        info = {"format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "hostname": socket.gethostname(), **self.warcinfo}
        data = _serialise(_builder.create_warcinfo_record(name, info))
        self._file = open(path, "xb", buffering=0)
        self._name, self._size = name, 0
        try:
            self._append(data)
        except OSError:  # not even the warcinfo fits: leave no empty file behind
            self._file.close()
            self._file = None
            path.unlink(missing_ok=True)
            raise

    def __enter__(self) -> "RollingWarcWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serialise(record: ArcWarcRecord) -> bytes:
    """One record as its gzip member, exactly as WARCWriter writes it to a file."""
    buffer = BytesIO()
    WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION).write_record(record)
    return buffer.getvalue()
