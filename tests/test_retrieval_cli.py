"""`archive get/history/search/diff/original/stats` against a small synthetic archive."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from archive import retrieval
from tests import synthetic_archive as synth
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory, backend):
    return synth.build(tmp_path_factory.mktemp("archive"))


def run(archive_dir, *args, text=True):
    return subprocess.run([sys.executable, "-m", "archive", *args, "--archive-dir", str(archive_dir)],
                          capture_output=True, text=text, cwd=PROJECT_ROOT, timeout=60)


# -- time parsing ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, lower, upper", [
    ("2024-05-01", "2024-05-01T00:00:00", "2024-05-01T23:59:59~"),
    ("20240501", "2024-05-01T00:00:00", "2024-05-01T23:59:59~"),
    ("20240501103000", "2024-05-01T10:30:00", "2024-05-01T10:30:00~"),
    ("2024-05-01T12:30:00+02:00", "2024-05-01T10:30:00", "2024-05-01T10:30:00~"),
    ("2024-05-01T10:30Z", "2024-05-01T10:30:00", "2024-05-01T10:30:59~"),
    ("2024", "2024-01-01T00:00:00", "2024-12-31T23:59:59~"),
    ("202402", "2024-02-01T00:00:00", "2024-02-29T23:59:59~"),
])
def test_times_denote_the_whole_period_typed(text, lower, upper):
    span = retrieval.parse_time(text)
    assert (span.lower, span.upper) == (lower, upper)


def test_upper_bound_covers_stored_dates_with_and_without_microseconds():
    upper = retrieval.parse_time("2024-05-01T10:00:00").upper
    assert "2024-05-01T10:00:00Z" <= upper and "2024-05-01T10:00:00.999999Z" <= upper
    assert "2024-05-01T10:00:01Z" > upper


@pytest.mark.parametrize("text", ["banana", "2024-13-01", "2024-05-01T25:00", "123"])
def test_unreadable_time_is_a_bad_request(text):
    with pytest.raises(retrieval.BadRequest):
        retrieval.parse_time(text)


# -- get ------------------------------------------------------------------------------------
def test_get_finds_latest_text_under_any_spelling_of_the_url(archive_dir):
    result = run(archive_dir, "get", "http://rferl.org/a/river-levels/1234567.html/?utm_source=x")
    assert result.returncode == 0, result.stderr
    assert "three metres" in result.stdout and "Officials expect" in result.stdout
    assert "Captured: 2024-05-02T10:00:00" in result.stdout


@pytest.mark.parametrize("at", ["2024-05-01", "20240501235959", "2024-05-01T10:00:00Z", "2024-05-02T09:59"])
def test_get_at_returns_the_capture_at_or_before_that_time(archive_dir, at):
    result = run(archive_dir, "get", synth.RIVER, "--at", at, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"] == synth.RIVER_V1
    assert data["provenance"]["captured_at"].startswith(synth.T1)
    assert data["provenance"]["original_record"]["file"].endswith(".warc.gz")


def test_get_markdown_has_title_and_provenance(archive_dir):
    result = run(archive_dir, "get", synth.RIVER, "--format", "markdown")
    assert result.stdout.startswith("# River levels rise in Kyiv") and "**Original:**" in result.stdout


@pytest.mark.parametrize("args, message", [
    (("get", "https://unknown.example/a"), "no capture of"),
    (("get", synth.RIVER, "--at", "2023-12-31"), "the first is from"),
    (("get", synth.LISTING), "no cleaned copy"),
    (("history", "https://unknown.example/a"), "no capture of"),
    (("diff", "https://unknown.example/a"), "no capture of"),
    (("original", "https://unknown.example/a"), "no capture of"),
    (("search", "zebra"), "no document matches"),
])
def test_nothing_matching_exits_3_with_a_clear_message(archive_dir, args, message):
    result = run(archive_dir, *args)
    assert result.returncode == 3 and message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("args", [("get", synth.RIVER, "--at", "yesterday"), ("get", "ftp://x.org/a"),
                                  ("search", "x" * 600)])
def test_unreadable_questions_exit_2(archive_dir, args):
    result = run(archive_dir, *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr


# -- history --------------------------------------------------------------------------------
def test_history_lists_every_capture_with_text_changes(archive_dir):
    result = run(archive_dir, "history", synth.RIVER)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 4
    assert ["first", "changed", "same"] == [line.split()[3] for line in lines[1:]]
    assert lines[3].split()[2] == "revisit" and ".warc.gz" in lines[3]


def test_history_json_gives_warc_locations(archive_dir):
    entries = json.loads(run(archive_dir, "history", synth.RIVER, "--format", "json").stdout)
    assert [e["record_type"] for e in entries] == ["response", "response", "revisit"]
    assert all(e["warc_offset"] >= 0 and e["record_id"].startswith("<urn:uuid:") for e in entries)
    assert entries[2]["text_digest"] == entries[1]["text_digest"] != entries[0]["text_digest"]


# -- search ---------------------------------------------------------------------------------
def test_search_ranks_and_marks_matches(archive_dir):
    result = run(archive_dir, "search", "evacuated")
    assert result.returncode == 0 and "[evacuated]" in result.stdout
    assert result.stdout.count("rferl.org/a/river-levels") == 1  # one hit per URL


def test_search_title_match_ranks_first(archive_dir):
    hits = json.loads(run(archive_dir, "search", "flood", "--format", "json").stdout)
    assert hits[0]["url"] == synth.EVIL  # "Flood" in its title; the river text only mentions it


def test_search_filters_by_site_and_time(archive_dir):
    assert run(archive_dir, "search", "flood", "--site", "www.npr.org").stdout.count("npr.org/2024") == 1
    assert "rferl" not in run(archive_dir, "search", "flood", "--site", "npr.org").stdout
    assert run(archive_dir, "search", "wildfire", "--since", "2024-05-02").returncode == 3
    assert run(archive_dir, "search", "officials", "--until", "2024-05-01").returncode == 3


@pytest.mark.parametrize("query", ['"unbalanced', "covid-19 AND (", "NEAR(", "U.S. river", "title:", "*"])
def test_malformed_fts_query_never_crashes(archive_dir, query):
    result = run(archive_dir, "search", query)
    assert result.returncode in (0, 2, 3) and "Traceback" not in result.stderr
    assert "index cannot be read" not in result.stderr


def test_malformed_query_falls_back_to_its_words(archive_dir):
    result = run(archive_dir, "search", "river. (kyiv")
    assert result.returncode == 0 and "River levels" in result.stdout


# -- diff -----------------------------------------------------------------------------------
def test_diff_defaults_to_last_two_distinct_texts(archive_dir):
    result = run(archive_dir, "diff", synth.RIVER)
    assert result.returncode == 0
    assert "-The river rose two metres overnight." in result.stdout
    assert "+The river rose three metres overnight." in result.stdout and result.stdout.startswith("--- ")


def test_diff_says_no_change_when_texts_are_identical(archive_dir):
    result = run(archive_dir, "diff", synth.RIVER, "--from", "2024-05-02", "--to", "2024-05-03")
    assert result.returncode == 0 and result.stdout.startswith("no change")


# -- original -------------------------------------------------------------------------------
def test_original_writes_the_payload_bytes_exactly_as_archived(archive_dir):
    result = run(archive_dir, "original", synth.RIVER, "--at", "2024-05-01", text=False)
    assert result.returncode == 0 and result.stdout[:2] == b"\x1f\x8b"
    assert b"two metres" in gzip.decompress(result.stdout)


def test_original_follows_a_revisit_to_its_response(archive_dir, tmp_path):
    out = tmp_path / "page.bin"
    result = run(archive_dir, "original", synth.RIVER, "--output", str(out))
    assert result.returncode == 0 and "revisit" in result.stderr
    assert b"three metres" in gzip.decompress(out.read_bytes())


def test_original_decode_undoes_gzip_and_charset(archive_dir):
    result = run(archive_dir, "original", synth.CYRILLIC, "--decode", text=False)
    assert synth.CYRILLIC_TEXT in result.stdout.decode("utf-8")


def test_original_headers_precede_the_payload(archive_dir):
    result = run(archive_dir, "original", synth.EVIL, "--headers", text=False)
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"Content-Type: text/html" in head
    assert body == synth.EVIL_HTML


# -- stats ----------------------------------------------------------------------------------
def test_stats_counts_the_synthetic_archive(archive_dir):
    counts = json.loads(run(archive_dir, "stats", "--format", "json").stdout)
    assert counts["captures"] == 6 and counts["revisits"] == 1 and counts["documents"] == 4
