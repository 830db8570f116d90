"""A full disk stops the crawl with one clear message, a failed run report, a non-zero exit
and a valid archive: every index row points at a whole record (issue 7.4).

Two ways to fill the disk: a 2 MiB tmpfs mounted under the archive (needs root and mount;
skipped with a message otherwise) and RLIMIT_FSIZE in the crawl process (any user: a write
past the limit fails with EFBIG, which Python turns into OSError since it ignores SIGXFSZ).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import warc
from archive.store import Archive
from tests.conftest import PROJECT_ROOT
from tests.replica.server import ReplicaServer
from tests.robustness_results import Tally

pytestmark = pytest.mark.e2e

BULK = 500  # more than fits: ~6 kB of WARC + ~4 kB of index per page
TMPFS_SIZE = "2m"
FSIZE_LIMIT = 512 * 1024


@pytest.fixture(scope="module")
def tally():
    t = Tally("disk_full", "Full disk during a crawl (tests/test_disk_full.py)")
    t.zero("tracebacks seen", "records lost")
    yield t
    t.save()


def mount_tmpfs(mountpoint: Path, size: str):
    if os.geteuid() != 0:
        pytest.skip("full-disk test on tmpfs needs root (mount); the RLIMIT_FSIZE variant runs without it")
    if not shutil.which("mount"):
        pytest.skip("no mount command on this machine")
    mountpoint.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")


@pytest.fixture(params=["archive", "warcs"])
def small_disk(request, tmp_path):
    """(archive root, mount point): the whole archive on a small tmpfs, or only its WARC folder
    (so the WARC writer, not SQLite, is the first to meet the full disk)."""
    root = tmp_path / "archive"
    mountpoint = root if request.param == "archive" else root / "warcs"
    mount_tmpfs(mountpoint, TMPFS_SIZE if request.param == "archive" else "1m")
    try:
        yield request.param, root
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def crawl(archive_dir: Path, proxy: str, fsize: int | None = None, *,
          writer_thread: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crawler.run", "rferl", "--archive-dir", str(archive_dir),
               "--replica-proxy", proxy, "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
               "-s", f"INDEX_WRITER_THREAD={writer_thread}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "settings", "PYTHONPATH": str(PROJECT_ROOT)}

    def limit():  # in the child only; the log goes to a pipe, which the limit does not cover
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
                          preexec_fn=limit if fsize else None)


def check_archive(root: Path, tally: Tally) -> dict:
    """Every capture and cleaned copy in the index opens at its offset as the record it names."""
    checked = lost = 0
    with Archive(root, readonly=True) as archive:
        for capture in archive.index.all_captures():
            checked += 1
            try:
                record, _ = warc.read_record(archive.warc_path(capture.warc_file), capture.warc_offset)
                ok = record.rec_headers.get_header("WARC-Record-ID") == capture.record_id
            except Exception:  # noqa: BLE001 - any failure to read back is a lost record
                ok = False
            lost += not ok
        for document in archive.index.all_documents(include_superseded=True):
            checked += 1
            try:
                record, text = warc.read_record(archive.warc_path(document.conversion_file), document.conversion_offset)
                ok = (record.rec_headers.get_header("WARC-Record-ID") == document.conversion_record_id
                      and text.decode("utf-8") == document.text)
            except Exception:  # noqa: BLE001
                ok = False
            lost += not ok
        runs = archive.index.runs()
    whole_files = 0
    for path in sorted((root / "warcs").iterdir()):
        with open(path, "rb") as handle:  # every file, .open ones included, reads to its end
            for record in ArchiveIterator(handle):
                record.raw_stream.read()
        whole_files += 1
    tally.add("index rows read back", checked)
    tally.add("records lost", lost)
    tally.add("WARC files read to the end", whole_files)
    return {"checked": checked, "lost": lost, "runs": runs}


def assert_stopped_cleanly(result: subprocess.CompletedProcess, root: Path, tally: Tally, *, strict: bool) -> None:
    log = result.stdout + result.stderr
    tally.add("tracebacks seen", log.count("Traceback"))
    tally.add("faults injected (full disk)")
    assert "Traceback" not in log, log[-3000:]
    assert result.returncode != 0, "a run stopped by a full disk must exit non-zero"
    critical = [line for line in log.splitlines() if "] CRITICAL:" in line]
    assert len(critical) == 1, critical
    expected = ("disk full:",) if strict else ("disk full:", "archive write failed:")
    assert any(word in critical[0] for word in expected), critical[0]
    found = check_archive(root, tally)
    assert found["checked"] > 0 and found["lost"] == 0
    reports = [json.loads(p.read_text()) for p in (root / "runs").glob("*.json")]
    assert reports and all(r["status"] == "failed" for r in reports), reports
    assert reports[0]["finish_reason"] in (("disk_full",) if strict else ("disk_full", "archive_write_error"))
    assert not list(root.glob(".space-reserve-*")), "the reserve file is removed when the run stops"
    tally.add("runs stopped with a failed report", len(reports))


def test_full_tmpfs_stops_the_crawl_with_a_clear_message_and_a_valid_archive(small_disk, tally):
    where, root = small_disk
    with ReplicaServer(epoch=1, bulk=BULK) as replica:
        result = crawl(root, replica.proxy_url)
    assert_stopped_cleanly(result, root, tally, strict=True)
    if where == "warcs":  # the WARC writer met the full disk: its file stays .open, whole records only
        left_open = list((root / "warcs").glob("*.warc.gz.open"))
        assert len(left_open) == 1, left_open
        tally.add("WARC files left .open")
    recover_and_verify(root, tally)
    tally.note(f"tmpfs ({where})", f"the {'whole archive' if where == 'archive' else 'WARC folder only'} on a small "
                                   f"tmpfs, rferl crawl with {BULK} extra bulk pages: one 'disk full:' line, "
                                   "failed report, archive recover + archive verify pass")


def recover_and_verify(root: Path, tally: Tally) -> None:
    """`archive recover` closes what the run left open; `archive verify` then finds nothing wrong."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    for command in (["recover", "--force"], ["verify", "--quiet"]):
        done = subprocess.run([sys.executable, "-m", "archive", *command, "--archive-dir", str(root)],
                              capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (command, done.stdout, done.stderr)
    assert not list((root / "warcs").glob("*.open"))
    tally.add("archives recovered and verified after a full disk")


@pytest.mark.parametrize("writer_thread", [False, True], ids=["in-line", "writer-thread"])
def test_file_size_limit_stops_the_crawl_with_a_clear_message_and_a_valid_archive(tmp_path, tally, writer_thread):
    """Also with the cleaned copies stored on the writer thread (a server index's default):
    its write error stops the run the same way."""
    root = tmp_path / "archive"
    with ReplicaServer(epoch=1, bulk=BULK) as replica:
        result = crawl(root, replica.proxy_url, fsize=FSIZE_LIMIT, writer_thread=writer_thread)
    assert_stopped_cleanly(result, root, tally, strict=False)
    recover_and_verify(root, tally)
    tally.note("RLIMIT_FSIZE", f"{FSIZE_LIMIT // 1024} KiB per file in the crawl process: the first file past the "
                               "limit (a WARC or the SQLite index) stops the run")


def test_an_index_that_cannot_even_be_created_is_a_one_line_error_before_the_crawl(tmp_path, tally):
    """A file-size limit below what a new SQLite index needs: the crawl does not start, and
    says why in one line (no traceback from inside Scrapy)."""
    root = tmp_path / "archive"
    with ReplicaServer(epoch=1, bulk=BULK) as replica:
        result = crawl(root, replica.proxy_url, fsize=100 * 1024)
    log = result.stdout + result.stderr
    tally.add("tracebacks seen", log.count("Traceback"))
    assert result.returncode != 0 and "Traceback" not in log, log[-3000:]
    assert "the archive index" in log and "cannot be opened for writing" in log and "disk full" in log, log[-2000:]
    assert not replica.requests.urls(), "nothing was fetched"


class _FillingFile:
    """A file that takes `room` more bytes, writes part of what does not fit, then says ENOSPC."""

    def __init__(self, real, room: int):
        self.real, self.room = real, room

    def write(self, data) -> int:
        if len(data) <= self.room:
            self.room -= len(data)
            return self.real.write(data)
        if self.room > 0:
            written = self.real.write(data[: self.room])
            self.room = 0
            return written
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_warc_writer_cuts_a_half_written_record_and_leaves_the_file_open(tmp_path, tally):
    writer = warc.RollingWarcWriter(tmp_path, "t", {"software": "test"})
    first = writer.write(warc.response_record("http://a.test/1", 200, [("Content-Type", "text/html")], b"<p>one</p>"))
    size = (tmp_path / (writer.current_name + ".open")).stat().st_size
    writer._file = _FillingFile(writer._file, room=100)
    body = os.urandom(50_000)
    with pytest.raises(OSError) as caught:
        writer.write(warc.response_record("http://a.test/2", 200, [("Content-Type", "text/html")], body))
    assert caught.value.errno == 28
    tally.add("faults injected (full disk)")
    assert (tmp_path / (writer.current_name + ".open")).stat().st_size == size  # the partial record is gone
    with pytest.raises(OSError):  # no later write slips in after the failure
        writer.write(warc.response_record("http://a.test/3", 200, [], b"x"))
    writer.close()
    left = tmp_path / (writer.current_name + ".open")
    assert left.exists() and not (tmp_path / writer.current_name).exists()
    record, payload = warc.read_record(left, first[0].offset)
    assert record.rec_headers.get_header("WARC-Target-URI") == "http://a.test/1" and payload == b"<p>one</p>"
    with open(left, "rb") as handle:
        assert [r.rec_type for r in ArchiveIterator(handle)] == ["warcinfo", "response"]
