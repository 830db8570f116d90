"""`archive reextract`: re-cleaning stored originals, in parallel, keeping the old copies."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from archive.index import SqliteIndex
from archive.store import INDEX_NAME
from tests import synthetic_archive as synth
from tests.conftest import PROJECT_ROOT

CLEANER = "tests.fake_cleaner:clean"


@pytest.fixture
def archive_dir(tmp_path):
    return synth.build(tmp_path / "archive")


def reextract(archive_dir, *args, rules="1"):
    result = subprocess.run(
        [sys.executable, "-m", "archive", "reextract", "--archive-dir", str(archive_dir), "--cleaner", CLEANER,
         "--format", "json", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
        env={**os.environ, "FAKE_RULES": rules})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_new_rules_supersede_old_copies_which_are_kept(archive_dir, workers):
    summary, stderr = reextract(archive_dir, "--workers", workers, rules="2")
    assert summary["documents"] == 4 and summary["texts_changed"] == 4 and summary["failed"] == 0
    assert "4/4" in stderr  # the progress line
    index = SqliteIndex(archive_dir / INDEX_NAME, readonly=True)
    current = index.document(synth.RIVER.replace("https://www.", "http://"))
    assert current.text == synth.RIVER_V2.upper() and current.rules_version == "2"
    old = index.documents(current.urlkey, include_superseded=True)
    assert len(old) == 4 and sum(d.superseded_by is not None for d in old) == 2
    assert current.conversion_file.endswith("-text.warc.gz")
    index.close()


def test_identical_output_writes_nothing(archive_dir):
    reextract(archive_dir)
    summary, _ = reextract(archive_dir)
    assert summary["unchanged"] == 4 and summary["recleaned"] == 0 and summary["texts_changed"] == 0


def test_site_limits_the_work(archive_dir):
    summary, _ = reextract(archive_dir, "--site", "www.rferl.org", rules="2")
    assert summary["documents"] == 2


def test_missing_cleaner_is_a_clear_error(archive_dir):
    result = subprocess.run([sys.executable, "-m", "archive", "reextract", "--archive-dir", str(archive_dir),
                             "--cleaner", "no.such.module:clean"], capture_output=True, text=True,
                            cwd=PROJECT_ROOT, timeout=60)
    assert result.returncode == 2 and "not available" in result.stderr and "Traceback" not in result.stderr


def test_missing_archive_is_not_created(tmp_path):
    result = subprocess.run([sys.executable, "-m", "archive", "reextract", "--archive-dir", str(tmp_path / "x"),
                             "--cleaner", CLEANER], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert result.returncode == 2 and "no archive at" in result.stderr and not (tmp_path / "x").exists()
