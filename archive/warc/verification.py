"""Is every WARC record intact, and does every index row point at the record it names?

Each WARC file is read gzip member by member (`archive.warc.members`), each member's WARC
headers parsed by FastWARC where it is installed, else warcio (`archive.warc.readers`; the
verdicts are the same, the digests are recomputed here either way). For every record: the gzip CRC, Content-Length, and the digests
it carries, recomputed:
- WARC-Block-Digest over the whole block (HTTP headers included);
- WARC-Payload-Digest over the HTTP entity exactly as stored after the HTTP headers. That is
  what warcio computes when writing and checking: no Content-Encoding undone, no chunking
  undone. Our response records hold the entity as received with Content-Encoding kept and
  transfer chunking already removed (`Transfer-Encoding` renamed), so the digest is over
  the dechunked, still-encoded entity. A foreign record that still says
  `Transfer-Encoding: chunked` is also accepted when the digest matches the dechunked body;
- a revisit's payload digest must equal that of the record it refers to (when present).
Then every capture row and document row of the index must name a real record at that file
and offset, with the same WARC-Record-ID and (for captures) the same length.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from archive import warc
from archive.index import Index, open_index
from archive.warc.members import header_value, iter_members, split_record
from archive.warc.readers import member_headers
from archive.store import WARC_SUBDIR, index_exists, index_url, warc_store_url
from archive.warc.storage import open_store

Progress = Callable[[str], None]
PARTIAL_HEAD = 8192


@dataclass
class Problem:
    file: str
    offset: int | None
    record_id: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.offset}" if self.offset is not None else self.file
        return f"{where} {self.record_id or '(record id unknown)'}: {self.reason}"


@dataclass
class RecordInfo:
    record_id: str | None
    length: int
    warc_type: str | None = None
    payload_digest: str | None = None
    refers_to: str | None = None
    ok: bool = True


@dataclass
class FileResult:
    name: str
    size: int
    records: dict[int, RecordInfo] = field(default_factory=dict)  # by offset
    problems: list[Problem] = field(default_factory=list)
    digests: int = 0


@dataclass
class VerifyReport:
    files: int = 0
    records: int = 0
    bytes: int = 0
    digests: int = 0
    captures: int = 0
    documents: int = 0
    open_files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def digest_matches(expected: str, data: bytes) -> bool | None:
    """Whether `expected` ("algo:value", value in base32, hex or base64) is the digest of
    `data`; None for an unknown algorithm or unreadable value."""
    algo, sep, value = expected.partition(":")
    if not sep:
        return None
    try:
        raw = hashlib.new(algo.strip().lower().replace("-", ""), data).digest()
    except ValueError:
        return None
    value = value.strip()
    candidates = {base64.b32encode(raw).decode().rstrip("="), raw.hex(), base64.b64encode(raw).decode().rstrip("=")}
    return value.rstrip("=") in candidates or value.lower() in candidates


def dechunk(data: bytes) -> bytes | None:
    """HTTP/1.1 chunked transfer coding undone; None when `data` is not chunked."""
    out, pos = [], 0
    try:
        while True:
            line_end = data.index(b"\r\n", pos)
            size = int(data[pos:line_end].split(b";")[0].strip(), 16)
            pos = line_end + 2
            if size == 0:
                return b"".join(out)
            out.append(data[pos:pos + size])
            pos += size + 2
    except ValueError:
        return None


def check_record(file: str, offset: int, data: bytes, *, reader: str | None = None
                 ) -> tuple[RecordInfo, list[Problem], int]:
    """One inflated gzip member: (what it holds, its problems, digests recomputed)."""
    try:
        _, block = split_record(data)
    except ValueError as exc:
        record_id = header_value(data[:PARTIAL_HEAD], "WARC-Record-ID") if data.startswith(b"WARC/") else None
        return RecordInfo(record_id, 0, ok=False), [Problem(file, offset, record_id, f"not one complete WARC record: {exc}")], 0
    header = member_headers(data, reader)
    info = RecordInfo(header("WARC-Record-ID"), 0, header("WARC-Type"),
                      header("WARC-Payload-Digest"), header("WARC-Refers-To"))
    problems, digests = [], 0
    bad = lambda reason: problems.append(Problem(file, offset, info.record_id, reason))  # noqa: E731
    if not info.record_id:
        bad("no WARC-Record-ID")
    block_digest = header("WARC-Block-Digest")
    if block_digest:
        digests += 1
        if digest_matches(block_digest, block) is not True:
            bad(f"WARC-Block-Digest mismatch (header {block_digest})")
    if info.payload_digest and info.warc_type != "revisit":
        digests += 1
        payload, chunked = _payload(block, header("Content-Type") or "")
        matches = digest_matches(info.payload_digest, payload)
        if matches is not True and chunked:
            plain = dechunk(payload)
            matches = plain is not None and digest_matches(info.payload_digest, plain)
        if matches is not True:
            bad(f"WARC-Payload-Digest mismatch (header {info.payload_digest})")
    info.ok = not problems
    return info, problems, digests


def _payload(block: bytes, content_type: str) -> tuple[bytes, bool]:
    """(entity after the HTTP headers, whether they say chunked) for application/http
    records; the whole block otherwise."""
    if not content_type.lower().startswith("application/http"):
        return block, False
    end = block.find(b"\r\n\r\n")
    if end < 0:
        return b"", False
    http_head = block[:end].lower()
    chunked = any(line.startswith(b"transfer-encoding:") and b"chunked" in line for line in http_head.split(b"\r\n"))
    return block[end + 4:], chunked


def verify_file(path: Path, *, name: str | None = None, progress: Progress | None = None,
                every: float = 5.0, reader: str | None = None) -> FileResult:
    """Every record of one local WARC file, member by member; `progress` hears every `every` s."""
    with open(path, "rb") as handle:
        return verify_stream(handle, name or path.name, path.stat().st_size, progress=progress, every=every,
                             reader=reader)


def verify_stream(handle: BinaryIO, name: str, size: int, *, progress: Progress | None = None,
                  every: float = 5.0, reader: str | None = None) -> FileResult:
    """Every record of one WARC file read from a seekable `handle` (a local file, or an
    object read by range requests); `reader` names the header parser (default: the fastest)."""
    result = FileResult(name, size)
    last = time.monotonic()
    for member in iter_members(handle):
        if progress and time.monotonic() - last >= every:
            last = time.monotonic()
            progress(f"{result.name}: {member.offset / 1e6:.1f}/{result.size / 1e6:.1f} MB")
        if not member.ok:
            record_id = header_value(member.partial, "WARC-Record-ID") if member.partial.startswith(b"WARC/") else None
            result.records[member.offset] = RecordInfo(record_id, member.length, ok=False)
            result.problems.append(Problem(result.name, member.offset, record_id, member.error))
            continue
        info, problems, digests = check_record(result.name, member.offset, member.data, reader=reader)
        info.length = member.length
        result.records[member.offset] = info
        result.problems.extend(problems)
        result.digests += digests
    return result


def verify_archive(root: str | os.PathLike, *, progress: Progress | None = None,
                   reader: str | None = None) -> VerifyReport:
    """All WARC files of the archive at `root` (in its store, and `.open` ones in its spool
    folder), then its index against them. The store and index are those `archive.store`
    resolves for `root` (ARCHIVE_INDEX, WARC_STORE)."""
    root = Path(root)
    store = open_store(warc_store_url(root), root / WARC_SUBDIR)
    open_names = sorted(path.name for path in store.spool.glob("*.warc.gz" + warc.OPEN_SUFFIX)) \
        if store.spool.is_dir() else []
    names = store.names() + open_names
    report = VerifyReport()
    results: dict[str, FileResult] = {}
    sizes = {name: store.size(name.removesuffix(warc.OPEN_SUFFIX)) for name in names}
    total = sum(sizes.values())
    for number, file_name in enumerate(names, 1):
        name = file_name.removesuffix(warc.OPEN_SUFFIX)
        still_open = file_name.endswith(warc.OPEN_SUFFIX)
        if still_open:
            report.open_files.append(file_name)
        with store.open(name) as handle:
            result = verify_stream(handle, name, sizes[file_name], progress=progress, reader=reader)
        for problem in result.problems:
            if still_open:
                problem.reason += " (file still open: a crawl is running, or run `archive recover`)"
        results[name] = result
        report.files += 1
        report.records += len(result.records)
        report.bytes += result.size
        report.digests += result.digests
        report.problems.extend(result.problems)
        if progress:
            progress(f"[{number}/{len(names)}] {file_name}: {len(result.records)} records, "
                     f"{report.bytes / 1e6:.1f}/{total / 1e6:.1f} MB")
    report.problems.extend(_check_revisits(results))
    url = index_url(root)
    if index_exists(url):
        index = open_index(url, readonly=True)
        try:
            _check_index(index, results, report, progress)
        finally:
            index.close()
    return report


def _check_revisits(results: dict[str, FileResult]) -> list[Problem]:
    payloads = {info.record_id: info.payload_digest for result in results.values()
                for info in result.records.values() if info.ok and info.warc_type == "response"}
    problems = []
    for result in results.values():
        for offset, info in result.records.items():
            if info.warc_type == "revisit" and info.refers_to in payloads:
                if payloads[info.refers_to] != info.payload_digest:
                    problems.append(Problem(result.name, offset, info.record_id,
                                            f"revisit payload digest {info.payload_digest} differs from "
                                            f"{payloads[info.refers_to]} of {info.refers_to}"))
    return problems


def _check_row(results, file, offset, record_id, length, what) -> Problem | None:
    result = results.get(file)
    if result is None:
        return Problem(file, offset, record_id, f"{what}: WARC file missing")
    if offset is None or offset + (length or 0) > result.size:
        return Problem(file, offset, record_id, f"{what}: points past the end of the file ({result.size} bytes)")
    info = result.records.get(offset)
    if info is None:
        return Problem(file, offset, record_id, f"{what}: no record starts at this offset")
    if info.record_id != record_id:
        return Problem(file, offset, record_id, f"{what}: record here is {info.record_id}")
    if length is not None and info.length != length:
        return Problem(file, offset, record_id, f"{what}: length {length} in index, {info.length} in file")
    return None


def _check_index(index: Index, results, report: VerifyReport, progress: Progress | None) -> None:
    flagged = {(p.file, p.offset): p for p in report.problems}
    rows = [(results, c.warc_file, c.warc_offset, c.record_id, c.warc_length, f"index capture {c.id}")
            for c in index.all_captures()]
    report.captures = len(rows)
    documents = [(results, d.conversion_file, d.conversion_offset, d.conversion_record_id, d.conversion_length,
                  f"index document {d.id}") for d in index.all_documents(include_superseded=True)]
    report.documents = len(documents)
    for row in rows + documents:
        known = flagged.get((row[1], row[2]))
        if known is not None:  # the record itself is bad: name it as the index does
            known.record_id = known.record_id or row[3]
            continue
        problem = _check_row(*row)
        if problem:
            report.problems.append(problem)
    if progress:
        progress(f"index: {report.captures} captures and {report.documents} documents checked")
