"""The project is an ordinary Scrapy project: `scrapy list` and `scrapy crawl` from its root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.replica import content
from tests.replica.server import ReplicaServer

SCRAPY = str(Path(sys.executable).parent / "scrapy")


def scrapy(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}  # scrapy.cfg must suffice
    return subprocess.run([SCRAPY, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_scrapy_list_names_the_three_spiders():
    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["npr", "rferl", "stations"]


@pytest.mark.e2e
def test_scrapy_crawl_against_the_replica_is_a_setting_not_a_code_change(tmp_path):
    archive_dir = tmp_path / "archive"
    with ReplicaServer(epoch=1) as server:
        result = scrapy("crawl", "stations", "-s", f"REPLICA_PROXY={server.proxy_url}",
                        "-s", f"ARCHIVE_DIR={archive_dir}", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    (report,) = [json.loads(p.read_text()) for p in (archive_dir / "runs").glob("*.json")]
    stations = [a for a in content.articles(1) if a.host in ("krpl.replica.test", "wrpl.replica.test")]
    assert report["status"] == "ok" and report["new"] == len(stations)
    assert "Traceback" not in result.stderr


@pytest.mark.e2e
def test_scrapy_crawl_exits_non_zero_when_the_run_fails(tmp_path):
    archive_dir = tmp_path / "archive"
    with ReplicaServer(epoch=1) as server:  # closed after 3 pages: not "finished", so a failed run
        result = scrapy("crawl", "npr", "-s", f"REPLICA_PROXY={server.proxy_url}", "-s", f"ARCHIVE_DIR={archive_dir}",
                        "-s", "CLOSESPIDER_PAGECOUNT=3", timeout=300)
    (report,) = [json.loads(p.read_text()) for p in (archive_dir / "runs").glob("*.json")]
    assert report["status"] == "failed" and report["finish_reason"] == "closespider_pagecount"
    assert result.returncode == 1, result.stderr[-2000:]


def test_scrapy_crawl_into_a_folder_that_cannot_be_written_is_a_clear_error():
    result = scrapy("crawl", "npr", "-s", "ARCHIVE_DIR=/proc/no-such/data")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "ARCHIVE_DIR /proc/no-such/data: cannot create it" in result.stderr


def test_no_spider_callback_is_a_generator_returning_a_value():
    """settings.WARN_ON_GENERATOR_RETURN_VALUE is off (Scrapy's per-response check parses a
    callback's source every time): this is that check, done once for every spider method."""
    import inspect

    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.misc import is_generator_with_return_value

    import settings as project_settings

    def returns_from_a_generator(response):
        yield response
        return "lost"  # what Scrapy would warn about

    assert is_generator_with_return_value(returns_from_a_generator)
    assert project_settings.WARN_ON_GENERATOR_RETURN_VALUE is False
    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": project_settings.SPIDER_MODULES}))
    checked = []
    for name in loader.list():
        for attr, method in inspect.getmembers(loader.load(name), inspect.isfunction):
            if method.__module__.startswith("crawler.") and inspect.isgeneratorfunction(method):
                assert not is_generator_with_return_value(method), f"{name}.{attr} returns a value"
                checked.append(attr)
    assert "parse_page" in checked
