"""The `archive` command line: help everywhere, clear errors, no tracebacks."""

import subprocess
import sys

import pytest

from archive.cli import build_parser
from tests.conftest import PROJECT_ROOT


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def _run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "archive", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120, **kwargs)


def test_core_subcommands_are_registered():
    assert {"demo", "clean", "stats", "runs"} <= set(_subcommands())


@pytest.mark.parametrize("command", _subcommands())
def test_every_subcommand_explains_itself(command):
    result = _run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert f"archive {command}" in result.stdout and len(result.stdout) > 150


def test_top_level_help_lists_commands():
    result = _run("--help")
    assert result.returncode == 0 and "demo" in result.stdout and "ARCHIVE_DIR" in result.stdout


@pytest.mark.parametrize("command", ["stats", "runs"])
def test_missing_archive_is_a_clear_error_not_a_traceback(tmp_path, command):
    result = _run(command, "--archive-dir", str(tmp_path / "absent"))
    assert result.returncode == 2
    assert "no archive at" in result.stderr and "Traceback" not in result.stderr


def test_clean_of_a_missing_file_is_a_clear_error(tmp_path):
    result = _run("clean", str(tmp_path / "nope.html"), "--url", "https://www.rferl.org/a/x/1.html")
    assert result.returncode == 2 and "no such file" in result.stderr and "Traceback" not in result.stderr


def test_retrieval_commands_do_not_load_the_cleaner_or_the_exporters():
    """`archive get` / `search` start fast: building the parser and opening an archive must not
    import trafilatura (the cleaner), cdxj-indexer (export), datasketch (story signatures, written
    only) or a backend driver the embedded archive does not use, which cost ~0.2-0.5 s per call."""
    code = ("import sys, archive.cli, archive.store; archive.cli.build_parser(); "
            "print(sorted(m for m in ('trafilatura', 'cdxj_indexer', 'scrapy', 'datasketch', 'psycopg', 'boto3') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
