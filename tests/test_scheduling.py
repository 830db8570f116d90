"""Scheduled runs: the crontab line in deploy/cron (shown in the README) runs a real crawl as
cron would (/bin/sh, a bare environment), resumes through its JOBDIR, and never overlaps
itself; the systemd units pass `systemd-analyze verify`."""

from __future__ import annotations

import fcntl
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.replica import content
from tests.replica.server import ReplicaServer

CRONTAB = PROJECT_ROOT / "deploy" / "cron" / "newsarchive.crontab"
SYSTEMD = PROJECT_ROOT / "deploy" / "systemd"
INSTALL_DIR = "/opt/newsarchive"
ENV_LINE = re.compile(r"^([A-Z_]+)=(.*)$")


def crontab() -> tuple[dict[str, str], str, str]:
    """(environment lines, schedule, command) of the one job in the crontab."""
    env, jobs = {}, []
    for line in CRONTAB.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if match := ENV_LINE.match(line):
            env[match[1]] = match[2]
        else:
            jobs.append(line)
    assert len(jobs) == 1, jobs
    fields = jobs[0].split(None, 5)
    return env, " ".join(fields[:5]), fields[5]


def test_schedule_is_a_valid_five_field_cron_expression():
    _, schedule, command = crontab()
    minute, hour, dom, month, dow = schedule.split()
    assert minute.isdigit() and 0 <= int(minute) < 60
    assert re.fullmatch(r"\*/\d+|\d+(,\d+)*|\*", hour) and (dom, month, dow) == ("*", "*", "*")
    assert "flock -n" in command and "--jobdir" in command


def test_readme_shows_the_crontab_line_and_the_units():
    readme = (PROJECT_ROOT / "README.md").read_text()
    _, schedule, command = crontab()
    assert f"{schedule} {command}" in readme
    assert "OnCalendar=" in readme and "scrapyd-deploy" in readme


def cron_run(env_lines: dict[str, str], command: str, archive_dir: Path, proxy: str) -> subprocess.CompletedProcess:
    """The job as cron runs it: /bin/sh -c, only the crontab's variables (+HOME, LOGNAME)."""
    venv_python = Path(sys.executable)
    command = command.replace(f"cd {INSTALL_DIR}", f"cd {PROJECT_ROOT}").replace(".venv/bin/python", str(venv_python))
    env = {**env_lines, "ARCHIVE_DIR": str(archive_dir), "HOME": str(archive_dir.parent), "LOGNAME": "cron",
           "REPLICA_PROXY": proxy}
    return subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("flock") is None, reason="flock (util-linux) is not installed")
def test_cron_line_crawls_and_does_not_overlap_itself(tmp_path):
    env, _, command = crontab()
    archive_dir = tmp_path / "archive"
    with ReplicaServer(epoch=1) as server:
        first = cron_run(env, command, archive_dir, server.proxy_url)
        assert first.returncode == 0, (archive_dir / "logs" / "cron.log").read_text()[-3000:]
        # While a run holds the lock, the next one exits at once without crawling.
        with open(archive_dir / "crawl.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the same lock flock(1) takes
            blocked = cron_run(env, command, archive_dir, server.proxy_url)
        assert blocked.returncode != 0
        server.set_epoch(2)
        second = cron_run(env, command, archive_dir, server.proxy_url)
        assert second.returncode == 0
    reports = [json.loads(p.read_text()) for p in (archive_dir / "runs").glob("*.json")]
    assert len(reports) == 6 and all(r["status"] == "ok" and r["replica"] for r in reports)  # 2 runs x 3 spiders
    later = sorted(reports, key=lambda r: r["started_at"])[3:]
    changed = content.changes(2)
    assert sum(r["new"] + r["changed"] for r in later) == len(changed["new"]) + len(changed["edited"])
    log = (archive_dir / "logs" / "cron.log").read_text()
    assert log.count("run report ") == 6 and "Traceback" not in log


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    for unit in ("newsarchive-crawl.service", "newsarchive-crawl.timer"):
        text = (SYSTEMD / unit).read_text().replace(f"{INSTALL_DIR}/.venv/bin/python", sys.executable)
        text = text.replace(INSTALL_DIR, str(PROJECT_ROOT)).replace("User=newsarchive\n", "")
        (tmp_path / unit).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "newsarchive-crawl.timer")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    calendar = re.search(r"^OnCalendar=(.+)$", (SYSTEMD / "newsarchive-crawl.timer").read_text(), re.M)[1]
    check = subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and "Next elapse" in check.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _api(port: int, path: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", data=body, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.e2e
def test_scrapyd_deploys_the_project_and_runs_a_spider(tmp_path):
    """scrapy.cfg [deploy] → scrapyd-deploy builds an egg → scrapyd runs a spider from it."""
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "scrapyd").exists() or not (bin_dir / "scrapyd-deploy").exists():
        pytest.skip("scrapyd / scrapyd-client are not installed (test extras)")
    project = tmp_path / "project"  # scrapyd-deploy writes setup.py and build/ into the project
    shutil.copytree(PROJECT_ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "data", "build", "*.egg-info", "__pycache__", ".pytest_cache", "benchmarks"))
    port = _free_port()
    config = project / "scrapy.cfg"
    config.write_text(config.read_text().replace("http://127.0.0.1:6800/", f"http://127.0.0.1:{port}/"))
    service = tmp_path / "scrapyd"
    service.mkdir()
    (service / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {service}/eggs\n"
        f"logs_dir = {service}/logs\ndbs_dir = {service}/dbs\nitems_dir =\n")
    daemon = subprocess.Popen([str(bin_dir / "scrapyd")], cwd=service, stdout=subprocess.DEVNULL,
                              stderr=subprocess.STDOUT)
    archive_dir = tmp_path / "archive"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _api(port, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "scrapyd did not start"
            time.sleep(0.3)
        deploy = subprocess.run([str(bin_dir / "scrapyd-deploy")], cwd=project, capture_output=True, text=True,
                                timeout=300)
        assert '"status": "ok"' in deploy.stdout + deploy.stderr, deploy.stdout + deploy.stderr
        with ReplicaServer(epoch=1) as server:
            job = _api(port, "schedule.json", [
                ("project", "newsarchive"), ("spider", "npr"), ("setting", f"ARCHIVE_DIR={archive_dir}"),
                ("setting", f"REPLICA_PROXY={server.proxy_url}"), ("setting", f"JOBDIR={archive_dir}/jobs/npr")])
            deadline = time.monotonic() + 180
            while not any(j["id"] == job["jobid"] for j in _api(port, "listjobs.json?project=newsarchive")["finished"]):
                assert time.monotonic() < deadline, "the scrapyd job did not finish"
                time.sleep(0.5)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
    (report,) = [json.loads(p.read_text()) for p in (archive_dir / "runs").glob("*.json")]
    assert report["status"] == "ok" and report["replica"]
    assert report["new"] == len([a for a in content.articles(1) if a.host == "npr.replica.test"])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_cluster_units_verify(tmp_path):
    """deploy/cluster: the worker template (instance 1), its timer and the viewer."""
    cluster = PROJECT_ROOT / "deploy" / "cluster"
    env = tmp_path / "cluster.env"
    env.write_text((cluster / "cluster.env.example").read_text())
    for unit, target in (("newsarchive-worker@.service", "newsarchive-worker@.service"),
                         ("newsarchive-worker@.timer", "newsarchive-worker@.timer"),
                         ("newsarchive-serve.service", "newsarchive-serve.service")):
        text = (cluster / unit).read_text().replace(f"{INSTALL_DIR}/.venv/bin/python", sys.executable)
        text = text.replace(f"{INSTALL_DIR}/.venv/bin/archive", str(Path(sys.executable).with_name("archive")))
        text = text.replace(INSTALL_DIR, str(PROJECT_ROOT)).replace("User=newsarchive\n", "")
        text = text.replace("/etc/newsarchive/cluster.env", str(env))
        (tmp_path / target).write_text(text)
    for unit in ("newsarchive-worker@1.timer", "newsarchive-serve.service"):
        result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / unit)], capture_output=True, text=True,
                                timeout=60, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert "ARCHIVE_WORKER=%i" in (cluster / "newsarchive-worker@.service").read_text()
