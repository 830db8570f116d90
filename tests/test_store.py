"""The archive facade: captures, revisits and cleaned copies stay consistent."""

import gzip

from archive import warc
from archive.store import Archive, Exchange, payload_digest

URL = "http://rferl.replica.test/a/river-levels/1234567.html"


def _exchange(body: bytes, status: int = 200, **extra) -> Exchange:
    return Exchange(url=URL + "?utm_source=feed", method="GET", request_headers=[("Accept", "text/html")],
                    status=status, response_headers=[("Content-Type", "text/html; charset=utf-8"),
                                                     ("Content-Encoding", "gzip"), ("ETag", '"v1"')],
                    body=body, **extra)


def test_first_capture_is_a_response_with_the_bytes_as_received(tmp_path):
    body = gzip.compress(b"<html><p>Original</p></html>")
    with Archive(tmp_path) as archive:
        capture = archive.record_exchange(_exchange(body))
        source, record, payload = archive.original_payload(capture)
    assert capture.record_type == "response" and capture.revisit_of is None
    assert payload == body
    assert capture.payload_digest == payload_digest(body)
    assert record.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(body)
    assert capture.etag == '"v1"' and capture.mime == "text/html"


def test_revisit_written_when_payload_unchanged(tmp_path):
    body = gzip.compress(b"<html><p>Same</p></html>")
    with Archive(tmp_path) as archive:
        first = archive.record_exchange(_exchange(body))
        second = archive.record_exchange(_exchange(body))
        _, record, payload = archive.original_payload(second)
        revisit, _ = warc.read_record(archive.warc_path(second.warc_file), second.warc_offset)
    assert second.record_type == "revisit" and second.revisit_of == first.id
    assert revisit.rec_type == "revisit"
    assert revisit.rec_headers.get_header("WARC-Refers-To") == first.record_id
    assert revisit.rec_headers.get_header("WARC-Profile").endswith("identical-payload-digest")
    assert payload == body  # the original behind the revisit


def test_changed_payload_is_a_new_response(tmp_path):
    with Archive(tmp_path) as archive:
        archive.record_exchange(_exchange(b"one"))
        second = archive.record_exchange(_exchange(b"two"))
    assert second.record_type == "response"


def test_not_modified_answer_becomes_server_not_modified_revisit(tmp_path):
    with Archive(tmp_path) as archive:
        first = archive.record_exchange(_exchange(b"body"))
        second = archive.record_exchange(_exchange(b"", status=304))
        revisit, _ = warc.read_record(archive.warc_path(second.warc_file), second.warc_offset)
    assert second.revisit_of == first.id
    assert revisit.rec_headers.get_header("WARC-Profile").endswith("server-not-modified")
    assert revisit.http_headers.get_statuscode() == "304"


def test_cleaned_copy_points_at_its_response_record(tmp_path):
    with Archive(tmp_path) as archive:
        capture = archive.record_exchange(_exchange(b"<p>x</p>"))
        document = archive.record_document(capture, {"title": "T", "text": "Para one.\n\nPara two.",
                                                     "page_type": "article", "authors": ["A"]})
        conversion, text = warc.read_record(archive.warc_path(document.conversion_file), document.conversion_offset)
        found = archive.index.document(capture.urlkey)
    assert conversion.rec_type == "conversion"
    assert conversion.rec_headers.get_header("WARC-Refers-To") == capture.record_id
    assert conversion.rec_headers.get_header("WARC-Target-URI") == capture.url
    assert text.decode("utf-8") == "Para one.\n\nPara two."
    assert document.conversion_file.endswith("-text.warc.gz")
    assert found.id == document.id and found.metadata["authors"] == ["A"]


def test_files_are_open_while_written_and_renamed_when_closed(tmp_path):
    archive = Archive(tmp_path)
    archive.record_exchange(_exchange(b"x"))
    assert [p.name.endswith(".warc.gz.open") for p in (tmp_path / "warcs").iterdir()] == [True]
    archive.close()
    names = [p.name for p in (tmp_path / "warcs").iterdir()]
    assert len(names) == 1 and names[0].endswith(".warc.gz")


def test_readonly_open_of_missing_archive_says_so(tmp_path):
    import pytest
    with pytest.raises(FileNotFoundError, match="no archive at"):
        Archive(tmp_path / "nowhere", readonly=True)


def test_transfer_encoding_is_kept_as_a_fact_not_an_instruction(tmp_path):
    """The payload is stored de-chunked, so a Transfer-Encoding header (where the HTTP client
    passes one on) is renamed X-Orig-Transfer-Encoding: replay tools must not de-chunk again."""
    body = b"<html><p>Sent in chunks</p></html>"
    exchange = Exchange(url=URL, method="GET", request_headers=[], status=200, body=body,
                        response_headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
    with Archive(tmp_path) as archive:
        capture = archive.record_exchange(exchange)
        _, record, payload = archive.original_payload(capture)
    assert payload == body
    assert record.http_headers.get_header("Transfer-Encoding") is None
    assert record.http_headers.get_header("X-Orig-Transfer-Encoding") == "chunked"
