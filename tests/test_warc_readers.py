"""FastWARC as a second reader: every record an epoch 1 + 2 replica crawl wrote (responses,
requests, revisits, conversions, metadata) looks the same to FastWARC as to warcio, and
FastWARC's own digest checks pass; `archive verify` reaches the same verdicts with either."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest

from archive.index import open_index
from archive.store import index_url
from archive.warc.readers import READERS, iter_views, reader_name
from archive.warc.verification import verify_archive
from tests import synthetic_archive as synth

pytest.importorskip("fastwarc.warc", reason="fastwarc (resiliparse) is not installed")


def _compare(path: Path) -> list:
    slow, fast = list(iter_views(path, "warcio")), list(iter_views(path, "fastwarc"))
    assert len(fast) == len(slow) > 0, path.name
    for w, f in zip(slow, fast):
        assert (f.offset, f.warc_type, f.record_id, f.target_uri) == (w.offset, w.warc_type, w.record_id, w.target_uri)
        assert f.headers == w.headers and f.http_headers == w.http_headers, w.record_id
        assert f.payload == w.payload, w.record_id
        assert f.block_digest_ok is True, w.record_id  # every record we write carries a block digest
        if w.warc_type in ("response", "resource", "request"):
            assert f.payload_digest_ok is not False, w.record_id
    return fast


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    from tests.crawl_support import run_crawl
    from tests.replica.server import ReplicaServer

    root = tmp_path_factory.mktemp("readers") / "archive"
    for epoch in (1, 2):
        with ReplicaServer(epoch=epoch) as server:
            result = run_crawl(root, server.proxy_url)
        assert result.returncode == 0, result.log[-3000:]
    return root


@pytest.mark.e2e
def test_fastwarc_reads_every_record_of_a_two_epoch_crawl_as_warcio_does(crawled):
    seen: dict[tuple[str, int], str] = {}
    types = set()
    for path in sorted((crawled / "warcs").glob("*.warc.gz")):
        for view in _compare(path):
            seen[(path.name, view.offset)] = view.record_id
            types.add(view.warc_type)
            if view.warc_type == "response":
                assert view.payload_digest_ok is True
    assert {"warcinfo", "request", "response", "revisit", "conversion", "metadata"} <= types
    index = open_index(index_url(crawled), readonly=True)
    try:  # every index row names the record FastWARC finds at its offset
        captures = list(index.all_captures())
        assert captures and all(seen[(c.warc_file, c.warc_offset)] == c.record_id for c in captures)
        documents = list(index.all_documents(include_superseded=True))
        assert all(seen[(d.conversion_file, d.conversion_offset)] == d.conversion_record_id for d in documents)
    finally:
        index.close()
    verdicts = {reader: verify_archive(crawled, reader=reader) for reader in READERS}
    assert all(report.ok and report.records == len(seen) for report in verdicts.values())


def test_both_readers_see_the_synthetic_archive_alike(tmp_path):
    root = synth.build(tmp_path / "archive")
    for path in sorted((root / "warcs").glob("*.warc.gz")):
        _compare(path)


def test_verify_verdicts_are_the_same_with_either_reader(tmp_path):
    root = synth.build(tmp_path / "archive")
    [original] = [p for p in (root / "warcs").glob("*.warc.gz") if not p.name.endswith("-text.warc.gz")]
    views = list(iter_views(original, "fastwarc"))
    victim = next(v for v in views if v.warc_type == "response")
    # rewrite one response member with a changed payload byte (valid gzip, wrong digests)
    data = original.read_bytes()
    end = next(v.offset for v in views if v.offset > victim.offset)
    member = zlib.decompress(data[victim.offset:end], wbits=31)
    at = member.rindex(b"\r\n\r\n") - 3
    member = member[:at] + bytes([member[at] ^ 1]) + member[at + 1:]
    packer = zlib.compressobj(wbits=31)
    broken = tmp_path / "broken"
    shutil.copytree(root, broken)
    (broken / "warcs" / original.name).write_bytes(data[:victim.offset] + packer.compress(member) + packer.flush()
                                                   + data[end:])
    reports = {reader: verify_archive(broken, reader=reader) for reader in READERS}
    problems = {reader: sorted(map(str, report.problems)) for reader, report in reports.items()}
    assert len(set(map(tuple, problems.values()))) == 1, problems
    assert any(victim.record_id in p and "Digest mismatch" in p for p in problems["fastwarc"])
    assert not reports["warcio"].ok and verify_archive(root, reader="fastwarc").ok


def test_an_unknown_reader_is_a_clear_error():
    assert reader_name(None) == "fastwarc" and reader_name("warcio") == "warcio"
    with pytest.raises(ValueError, match="not available"):
        reader_name("libwarc")
