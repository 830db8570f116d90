"""Closing what a crash left open: `*.warc.gz.open` files and the index rows behind them.

A writer that dies mid-record leaves one `.open` file whose last gzip member may be cut
short. Recovery keeps the longest prefix of complete, parseable records (one gzip member
each, CRC checked), truncates the rest, renames the file to `.warc.gz`, and removes the
index rows that would point past the new end, so that an index row never points at bytes
that are not on disk. Running it again finds nothing to do.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from archive import warc
from archive.index import open_index
from archive.warc.members import iter_members, split_record
from archive.store import WARC_SUBDIR, index_exists, index_url, warc_store_url
from archive.warc.storage import open_store


@dataclass
class FileRecovery:
    """What recovery did to one `.open` file. `action`: closed (all complete), truncated,
    removed (not one complete record), skipped (see `reason`)."""

    open_name: str
    name: str
    action: str
    records: int = 0
    kept_bytes: int = 0
    dropped_bytes: int = 0
    reason: str | None = None


@dataclass
class RecoveryReport:
    files: list[FileRecovery] = field(default_factory=list)
    removed_captures: list[str] = field(default_factory=list)   # WARC-Record-IDs
    removed_documents: list[int] = field(default_factory=list)  # document ids
    uploaded: list[str] = field(default_factory=list)  # closed files handed to object storage

    @property
    def skipped(self) -> list[FileRecovery]:
        return [item for item in self.files if item.action == "skipped"]


def complete_prefix(path: str | os.PathLike) -> tuple[int, int, str | None]:
    """(records, end offset, why the rest is unusable or None) for the longest prefix of
    `path` made of complete records, one per intact gzip member."""
    records, end = 0, 0
    with open(path, "rb") as handle:
        for member in iter_members(handle):
            if not member.ok:
                return records, end, f"{member.error} at offset {member.offset}"
            try:
                split_record(member.data)
            except ValueError as exc:
                return records, end, f"unparseable record at offset {member.offset}: {exc}"
            records += 1
            end = member.end
    return records, end, None


def recover_file(path: Path, *, min_age: float = 0.0, now: float | None = None) -> FileRecovery:
    """Truncate one `.open` file to its complete records and rename it to `.warc.gz`."""
    name = path.name.removesuffix(warc.OPEN_SUFFIX)
    target = path.with_name(name)
    size = path.stat().st_size
    age = (now if now is not None else time.time()) - path.stat().st_mtime
    if age < min_age:
        return FileRecovery(path.name, name, "skipped", reason=(
            f"modified {age:.0f}s ago: a crawl may still be writing it (wait, or pass --force)"))
    if target.exists():
        return FileRecovery(path.name, name, "skipped", reason=f"{name} already exists; not overwritten")
    records, end, problem = complete_prefix(path)
    if records == 0:
        path.unlink()
        return FileRecovery(path.name, name, "removed", dropped_bytes=size,
                            reason=problem or "empty file")
    if end < size:
        with open(path, "r+b") as handle:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(path, target)
    return FileRecovery(path.name, name, "truncated" if end < size else "closed", records=records,
                        kept_bytes=end, dropped_bytes=size - end, reason=problem)


def recover_archive(root: str | os.PathLike, *, min_age: float = 0.0) -> RecoveryReport:
    """Recover every `.open` WARC in the spool folder `root/warcs`, then prune the index of
    `root` (ARCHIVE_INDEX) of rows pointing past a recovered file's end. Files already in
    object storage were closed whole and are not touched."""
    root = Path(root)
    warc_dir = root / WARC_SUBDIR
    report = RecoveryReport()
    paths = sorted(warc_dir.glob("*.warc.gz" + warc.OPEN_SUFFIX)) if warc_dir.is_dir() else []
    now = time.time()
    for path in paths:
        report.files.append(recover_file(path, min_age=min_age, now=now))
    # Every closed file, not only those just recovered: a recovery interrupted between
    # rename and pruning is finished by the next run.
    ends = {path.name: path.stat().st_size for path in warc_dir.glob("*.warc.gz")} if warc_dir.is_dir() else {}
    ends.update({item.name: 0 for item in report.files if item.action == "removed"})
    url = index_url(root)
    if ends and index_exists(url):
        index = open_index(url)
        try:
            report.removed_captures, report.removed_documents = index.remove_rows_past(ends)
        finally:
            index.close()
    # Recovered files are closed files: hand them to the store (object storage uploads them;
    # a failed upload keeps them here for the next run).
    report.uploaded = open_store(warc_store_url(root), warc_dir).commit_pending()
    return report
