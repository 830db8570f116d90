"""archive recover: `.open` WARC files cut by a crash are closed at their last complete record,
and the index never keeps a row pointing past the end of a WARC file."""

from __future__ import annotations

from pathlib import Path

from archive import warc
from archive.cli import main
from archive.warc.members import iter_members
from archive.warc.recovery import complete_prefix, recover_archive
from archive.store import Archive, Exchange
from tests.warc_tools import warcio_check

URL = "http://rferl.replica.test/a/story-{n}/1000000{n}.html"


def _exchange(n: int) -> Exchange:
    body = (f"<html><body><p>Replica story number {n}.</p></body></html>" * (n + 5)).encode()
    return Exchange(url=URL.format(n=n), method="GET", request_headers=[("Accept", "text/html")], status=200,
                    response_headers=[("Content-Type", "text/html; charset=utf-8")], body=body)


def crashed_archive(root: Path, captures: int = 4, cut: int = 25):
    """An archive whose crawl 'crashed': files never closed, the response file cut `cut`
    bytes into its last record (a response + request pair)."""
    archive = Archive(root)
    made = [archive.record_exchange(_exchange(n)) for n in range(captures)]
    for capture in made[:2]:
        archive.record_document(capture, {"text": f"Text of {capture.url}", "page_type": "article"})
    # The process dies here: what is on disk now is what the .open files keep.
    snapshot = {path.name: path.read_bytes() for path in (root / "warcs").glob("*.warc.gz.open")}
    archive.close()
    for path in (root / "warcs").iterdir():
        path.unlink()
    for name, data in snapshot.items():
        (root / "warcs" / name).write_bytes(data)
    [open_file] = [p for p in (root / "warcs").glob("*.warc.gz.open") if "-text" not in p.name]
    last = made[-1]
    with open(open_file, "r+b") as handle:
        handle.truncate(last.warc_offset + cut)
    return open_file, made


def test_complete_prefix_stops_at_the_cut_record(tmp_path):
    open_file, made = crashed_archive(tmp_path)
    records, end, problem = complete_prefix(open_file)
    # warcinfo + (response, request) x 3 complete captures; the 4th response is cut
    assert records == 1 + 2 * 3
    assert end == made[-1].warc_offset
    assert "cut short" in problem


def test_recover_truncates_renames_and_passes_warcio_check(tmp_path):
    open_file, made = crashed_archive(tmp_path)
    report = recover_archive(tmp_path)
    closed = open_file.with_name(open_file.name.removesuffix(".open"))
    assert not open_file.exists() and closed.exists()
    assert closed.stat().st_size == made[-1].warc_offset
    by_name = {item.name: item for item in report.files}
    assert by_name[closed.name].action == "truncated" and by_name[closed.name].dropped_bytes == 25
    text_file = [item for item in report.files if "-text" in item.name][0]
    assert text_file.action == "closed" and text_file.dropped_bytes == 0
    result = warcio_check(closed)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout
    with open(closed, "rb") as handle:
        assert all(member.ok for member in iter_members(handle))
    assert report.removed_captures == [made[-1].record_id]
    with Archive(tmp_path, readonly=True) as archive:
        ids = [c.record_id for c in archive.index.all_captures()]
        assert ids == [c.record_id for c in made[:-1]]
        for capture in archive.index.all_captures():
            path = archive.warc_path(capture.warc_file)
            assert capture.warc_offset + capture.warc_length <= path.stat().st_size
            record, _ = warc.read_record(path, capture.warc_offset)
            assert warc.record_id(record) == capture.record_id


def test_recovery_drops_documents_past_the_end_of_the_text_warc(tmp_path):
    crashed_archive(tmp_path)
    [text_open] = list((tmp_path / "warcs").glob("*-text.warc.gz.open"))
    with Archive(tmp_path, readonly=True) as archive:
        last_doc = list(archive.index.all_documents())[-1]
    with open(text_open, "r+b") as handle:
        handle.truncate(last_doc.conversion_offset + 10)
    report = recover_archive(tmp_path)
    assert report.removed_documents == [last_doc.id]
    with Archive(tmp_path, readonly=True) as archive:
        assert [d.id for d in archive.index.all_documents()] == [last_doc.id - 1]


def test_recover_is_idempotent_and_says_when_nothing_to_do(tmp_path, capsys):
    crashed_archive(tmp_path)
    assert main(["recover", "--archive-dir", str(tmp_path), "--force"]) == 0
    out = capsys.readouterr().out
    assert "truncated" in out and "dropped 25 bytes" in out and "index: removed 1 capture" in out
    before = sorted((p.name, p.stat().st_size) for p in (tmp_path / "warcs").iterdir())
    assert main(["recover", "--archive-dir", str(tmp_path), "--force"]) == 0
    assert "nothing to recover" in capsys.readouterr().out
    assert sorted((p.name, p.stat().st_size) for p in (tmp_path / "warcs").iterdir()) == before


def test_recent_open_files_are_left_alone_without_force(tmp_path, capsys):
    open_file, _ = crashed_archive(tmp_path)
    assert main(["recover", "--archive-dir", str(tmp_path)]) == 1
    assert "may still be writing" in capsys.readouterr().out
    assert open_file.exists()


def test_file_without_one_complete_record_is_removed(tmp_path):
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    broken = warcs / "newsarchive-x-20260101000000-00001-host.warc.gz.open"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    report = recover_archive(tmp_path)
    assert [item.action for item in report.files] == ["removed"]
    assert not broken.exists()


def test_recover_on_missing_archive_is_a_clear_error(tmp_path, capsys):
    assert main(["recover", "--archive-dir", str(tmp_path / "nowhere")]) == 2
    assert "no archive at" in capsys.readouterr().err
