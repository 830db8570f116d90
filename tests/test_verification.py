"""archive verify: every record re-read, digests recomputed, every index row checked; a bad
record is named by file, offset, record id and reason."""

from __future__ import annotations

import base64
import gzip
import hashlib
import sqlite3
from pathlib import Path

from archive.cli import main
from archive.warc.members import iter_members
from archive.store import Archive, Exchange
from archive.warc.verification import dechunk, digest_matches, verify_archive, verify_file

URL = "http://npr.replica.test/2026/10/0{n}/126000000{n}/story-{n}"


def _exchange(n: int, body: bytes | None = None) -> Exchange:
    body = body if body is not None else gzip.compress(f"<html><p>Replica story {n}</p></html>".encode() * 40)
    return Exchange(url=URL.format(n=n), method="GET", request_headers=[("Accept", "text/html")], status=200,
                    response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
                    body=body)


def small_archive(root: Path):
    with Archive(root) as archive:
        captures = [archive.record_exchange(_exchange(n)) for n in range(1, 5)]
        captures.append(archive.record_exchange(_exchange(1, captures[0] and _body(archive, captures[0]))))
        for capture in captures[:4]:
            archive.record_document(capture, {"text": f"Cleaned {capture.url}", "page_type": "article"})
    return captures


def _body(archive, capture) -> bytes:
    return archive.original_payload(capture)[2]


def test_digest_formats_and_dechunk():
    data = b"entity"
    raw = hashlib.sha1(data).digest()
    assert digest_matches("sha1:" + base64.b32encode(raw).decode(), data)
    assert digest_matches("sha1:" + raw.hex(), data)
    assert digest_matches("sha256:" + hashlib.sha256(data).hexdigest(), data)
    assert digest_matches("sha1:" + base64.b32encode(raw).decode(), data + b"x") is False
    assert digest_matches("nosuchalgo:AAAA", data) is None
    assert dechunk(b"3\r\nent\r\n3\r\nity\r\n0\r\n\r\n") == data
    assert dechunk(b"not chunked") is None


def test_clean_archive_verifies(tmp_path, capsys):
    captures = small_archive(tmp_path)
    assert captures[-1].record_type == "revisit"
    report = verify_archive(tmp_path)
    assert report.ok, [str(p) for p in report.problems]
    assert report.captures == 5 and report.documents == 4
    # warcinfo x2 + 4 x (response, request) + (revisit, request) + 4 x (conversion, metadata)
    assert report.records == 2 + 8 + 2 + 8
    assert report.digests > report.records  # block and payload digests
    assert main(["verify", "--archive-dir", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("OK: 2 WARC files") and "verify: [1/2]" in captured.err


def _rewrite(path: Path, change) -> None:
    """Rebuild a WARC file member by member, `change(index, data)` altering the inflated data."""
    with open(path, "rb") as handle:
        members = [m.data for m in iter_members(handle)]
    path.write_bytes(b"".join(gzip.compress(change(i, data)) for i, data in enumerate(members)))


def test_payload_changed_inside_a_valid_gzip_member_fails_its_digest(tmp_path):
    captures = small_archive(tmp_path)
    path = tmp_path / "warcs" / captures[1].warc_file
    target = b"WARC-Record-ID: " + captures[1].record_id.encode()

    def flip_last_payload_byte(i, data):
        if target in data.split(b"\r\n\r\n", 1)[0]:
            end = len(data) - 5
            return data[:end] + bytes([data[end] ^ 0x01]) + data[end + 1:]
        return data

    _rewrite(path, flip_last_payload_byte)
    result = verify_file(path)
    assert sorted(p.reason.split(" (")[0] for p in result.problems) == [
        "WARC-Block-Digest mismatch", "WARC-Payload-Digest mismatch"]
    assert {p.record_id for p in result.problems} == {captures[1].record_id}


def test_one_corrupt_byte_is_named_by_file_offset_and_record_id(tmp_path, capsys):
    captures = small_archive(tmp_path)
    victim = captures[2]
    path = tmp_path / "warcs" / victim.warc_file
    data = bytearray(path.read_bytes())
    data[victim.warc_offset + victim.warc_length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    report = verify_archive(tmp_path)
    assert [(p.file, p.offset, p.record_id) for p in report.problems] == [
        (victim.warc_file, victim.warc_offset, victim.record_id)]
    assert report.records == 20  # the records after it were still read
    assert main(["verify", "-q", "--archive-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"BAD {victim.warc_file}:{victim.warc_offset} {victim.record_id}: gzip" in out
    assert "FAILED: 1 problem(s)" in out


def test_index_rows_must_name_the_record_at_their_offset(tmp_path, capsys):
    captures = small_archive(tmp_path)
    db = sqlite3.connect(tmp_path / "index.sqlite3")
    with db:
        db.execute("UPDATE captures SET warc_offset = warc_offset + 1 WHERE id = ?", (captures[0].id,))
        db.execute("UPDATE captures SET record_id = '<urn:uuid:not-here>' WHERE id = ?", (captures[1].id,))
        db.execute("UPDATE documents SET conversion_offset = 10000000 WHERE capture_id = ?", (captures[2].id,))
        db.execute("UPDATE captures SET warc_file = 'gone.warc.gz' WHERE id = ?", (captures[3].id,))
    db.close()
    reasons = {p.record_id: p.reason for p in verify_archive(tmp_path).problems}
    assert "no record starts at this offset" in reasons[captures[0].record_id]
    assert "record here is " + captures[1].record_id in reasons["<urn:uuid:not-here>"]
    assert any("past the end" in r and r.startswith("index document") for r in reasons.values())
    assert "WARC file missing" in reasons[captures[3].record_id]
    assert len(reasons) == 4


def test_verify_of_missing_archive_is_a_clear_error(tmp_path, capsys):
    assert main(["verify", "--archive-dir", str(tmp_path / "nowhere")]) == 2
    assert "no archive at" in capsys.readouterr().err
