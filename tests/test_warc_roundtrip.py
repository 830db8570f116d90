"""Property-based WARC round trip (issue 7.2): arbitrary URL, status, headers and body bytes,
written by `archive.warc.RollingWarcWriter`, read back by `read_record` at the returned offset
and by warcio's ArchiveIterator over the whole file, give the same payload bytes, the same
headers and valid block and payload digests.

Header values are printable ASCII here: warcio %-encodes non-ASCII header bytes on write (its
documented convention), so those do not come back byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from warcio.archiveiterator import ArchiveIterator

from archive import warc
from archive.store import payload_digest
from tests.robustness_results import Tally

HEADER_NAME = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-", min_size=1,
                      max_size=24).filter(lambda n: n.lower() not in ("content-length", "transfer-encoding")
                                          and not n.startswith("-"))
HEADER_VALUE = st.text(alphabet=[chr(c) for c in range(0x21, 0x7F)] + [" "], max_size=120).map(str.strip)
HOST = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z0-9]{1,10}){1,3}", fullmatch=True)
PATH = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%!$&'()*+,;=:@", max_size=16),
                max_size=6).map(lambda parts: "/" + "/".join(parts))
QUERY = st.one_of(st.just(""), st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789=&%+-_.", max_size=40)
                  .map(lambda q: "?" + q))
URL = st.builds(lambda scheme, host, path, query: f"{scheme}://{host}{path}{query}",
                st.sampled_from(["http", "https"]), HOST, PATH, QUERY)
BODY = st.one_of(st.binary(max_size=4096), st.binary(min_size=60_000, max_size=70_000),
                 st.sampled_from([b"", b"\r\n\r\n", b"WARC/1.1\r\n", b"\x1f\x8b\x08\x00", b"\x00" * 1000]))
EXCHANGE = st.tuples(URL, st.integers(100, 599), st.lists(st.tuples(HEADER_NAME, HEADER_VALUE), max_size=12),
                     BODY, st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2"]))


@pytest.fixture(scope="module")
def tally():
    t = Tally("warc_roundtrip", "WARC round trip, property-based (tests/test_warc_roundtrip.py)")
    t.zero("records lost")
    yield t
    t.save()


def _sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                   HealthCheck.function_scoped_fixture])
@given(exchanges=st.lists(EXCHANGE, min_size=1, max_size=5), max_size=st.sampled_from([1, 50_000, 10**9]))
def test_records_read_back_identical_with_valid_digests(exchanges, max_size, tally):
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        written = []
        with warc.RollingWarcWriter(directory, "rt", {"software": "roundtrip-test"}, max_size=max_size) as writer:
            for url, status, headers, body, protocol in exchanges:
                response = warc.response_record(url, status, headers, body, protocol=protocol)
                request = warc.request_record(url, "GET", [("Accept", "*/*")], concurrent_to=warc.record_id(response),
                                              date=response.rec_headers.get_header("WARC-Date"))
                locations = writer.write(response, request)
                written.append((locations, url, status, headers, body))
        files = sorted(directory.iterdir())
        assert not [f for f in files if f.name.endswith(warc.OPEN_SUFFIX)]  # all closed and renamed
        by_id = {}
        for path in files:  # warcio reads every file start to end; digests checked as it reads
            with open(path, "rb") as handle:
                iterator = ArchiveIterator(handle, check_digests=True)
                for record in iterator:
                    payload = record.raw_stream.read()
                    by_id[record.rec_headers.get_header("WARC-Record-ID")] = (record, payload,
                                                                             iterator.get_record_offset(), path.name)
                    assert record.digest_checker.passed is not False, record.digest_checker.problems
        for locations, url, status, headers, body in written:
            response_at, request_at = locations
            tally.add("WARC round trip: records written", 2)
            record, payload = warc.read_record(directory / response_at.filename, response_at.offset)
            if record.rec_headers.get_header("WARC-Record-ID") != response_at.record_id or payload != body:
                tally.add("records lost")
            assert record.rec_headers.get_header("WARC-Record-ID") == response_at.record_id
            assert record.rec_headers.get_header("WARC-Target-URI") == url
            assert payload == body
            assert record.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(body) == _sha1_b32(body)
            assert int(record.http_headers.get_statuscode()) == status
            expected = [(warc.RENAMED_HEADERS.get(n.lower(), n), v) for n, v in headers]
            assert [(n, v) for n, v in record.http_headers.headers] == expected
            # the same record, found by warcio's own walk over the file, at the same place
            seen, seen_payload, offset, filename = by_id[response_at.record_id]
            assert (filename, offset, seen_payload) == (response_at.filename, response_at.offset, body)
            request, _ = warc.read_record(directory / request_at.filename, request_at.offset)
            assert request.rec_headers.get_header("WARC-Concurrent-To") == response_at.record_id
            assert request_at.offset == response_at.offset + response_at.length
        tally.add("WARC round trip: examples", 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=URL, text=st.text(max_size=3000))
def test_conversion_records_keep_any_text(url, text, tally):
    with tempfile.TemporaryDirectory() as folder:
        with warc.RollingWarcWriter(folder, "rt", {"software": "roundtrip-test"}, suffix="-text") as writer:
            record = warc.conversion_record(url, text, refers_to="<urn:uuid:00000000-0000-0000-0000-000000000000>")
            location = writer.write(record)[0]
        read, payload = warc.read_record(Path(folder) / location.filename, location.offset)
    tally.add("WARC round trip: records written")
    data = text.encode("utf-8")
    assert payload == data and payload.decode("utf-8") == text
    assert read.rec_headers.get_header("WARC-Block-Digest") == _sha1_b32(data)
