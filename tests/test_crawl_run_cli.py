"""`python -m crawler.run` (what cron and systemd call): bad folders are a one-line error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT


@pytest.mark.parametrize("args", [["--archive-dir", "/proc/no-such/data"],
                                  ["--archive-dir", "{tmp}", "--jobdir", "/proc/no-such/jobs"]])
def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path, args):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = subprocess.run([sys.executable, "-m", "crawler.run", "npr", *args], cwd=PROJECT_ROOT,
                            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot create it" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("setting, said", [("INDEX_WRITER_THREAD=sometimes", "INDEX_WRITER_THREAD must be true or false"),
                                           ("ARCHIVE_INDEX=mysql://db/archive", "ARCHIVE_INDEX")])
def test_a_setting_that_names_no_backend_choice_is_a_clear_error(tmp_path, setting, said):
    result = subprocess.run([sys.executable, "-m", "crawler.run", "npr", "--archive-dir", str(tmp_path), "-s", setting],
                            cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert said in result.stderr.splitlines()[-1]
