"""The cluster demo: Redis, PostgreSQL and an S3-compatible server on 127.0.0.1, the replica
sites, and N crawl workers sharing the three (README "Running on several machines").

    python scripts/cluster_up.py [--workers 3] [--keep]

Each worker is its own `python -m crawler.run` process with its own spool folder and
ARCHIVE_WORKER name, as on separate machines. Afterwards the shared archive is verified and
summarised; with --keep the servers stay up and the variables to reach them are printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.demo import Replica  # noqa: E402
from archive.index import open_index  # noqa: E402
from archive.warc.verification import verify_archive  # noqa: E402
from tests.services import postgres, redis, s3  # noqa: E402

SPIDERS = ("rferl", "npr", "stations")


def start_servers() -> tuple[dict[str, str], list]:
    """Start the three servers; the environment that points a process at them."""
    for module, name in ((postgres, "PostgreSQL"), (redis, "Redis"), (s3, "the S3 server")):
        reason = module.skip_reason()
        if reason:
            raise SystemExit(f"cluster demo: cannot start {name}: {reason}")
    pg = postgres.PostgresServer().start()
    frontier = redis.RedisServer().start()
    objects = s3.S3Server().start()
    env = {"ARCHIVE_INDEX": pg.new_database(), "WARC_STORE": objects.new_bucket(),
           "FRONTIER_REDIS_URL": frontier.url, **objects.env}
    return env, [pg, frontier, objects]


def run_workers(env: dict[str, str], workers: int, proxy: str, folder: Path) -> list[dict]:
    processes = []
    for number in range(1, workers + 1):
        spool = folder / f"worker-{number}"
        spool.mkdir(parents=True, exist_ok=True)
        log = open(spool / "crawl.log", "w")
        worker_env = {**os.environ, **env, "ARCHIVE_WORKER": f"w{number}", "SCRAPY_SETTINGS_MODULE": "settings",
                      "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "crawler.run", *SPIDERS, "--archive-dir", str(spool),
                   "--replica-proxy", proxy, "--jobdir", str(spool / "jobs")]
        processes.append((number, spool, subprocess.Popen(command, cwd=ROOT, env=worker_env, stdout=log,
                                                          stderr=subprocess.STDOUT), time.monotonic()))
    results = []
    for number, spool, process, began in processes:
        code = process.wait()
        results.append({"worker": number, "exit": code, "seconds": round(time.monotonic() - began, 1),
                        "log": str(spool / "crawl.log")})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="leave the servers running, print their variables")
    parser.add_argument("--folder", default=str(ROOT / "cluster"), help="worker spool folders (default ./cluster)")
    args = parser.parse_args()
    folder = Path(args.folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    print("Starting Redis, PostgreSQL and an S3-compatible server on 127.0.0.1 ...", flush=True)
    env, servers = start_servers()
    os.environ.update(env)
    replica = Replica(ROOT, 1)
    try:
        print(f"Replica proxy {replica.proxy}; {args.workers} workers crawling {', '.join(SPIDERS)} ...",
              flush=True)
        results = run_workers(env, args.workers, replica.proxy, folder)
    finally:
        replica.stop()
    for result in results:
        print(f"  worker {result['worker']}: exit {result['exit']} after {result['seconds']} s ({result['log']})")
    index = open_index(env["ARCHIVE_INDEX"], readonly=True)
    counts = index.counts()
    index.close()
    report = verify_archive(Path(tempfile.mkdtemp(prefix="cluster-verify-")))
    print(f"Shared archive: {counts['captures']} captures, {counts['articles']} articles in PostgreSQL; "
          f"{report.files} WARC files in {env['WARC_STORE']}; verify: "
          f"{'ok' if report.ok else str(len(report.problems)) + ' problems'} ({report.records} records)")
    if args.keep:
        print("\nServers left running. To use the shared archive from a shell:")
        for name, value in env.items():
            print(f"  export {name}={value}")
        print("  archive search flood --archive-dir " + str(folder / "viewer"))
        print(f"Stop them with: pkill -f 'redis-server|moto_server'; {servers[0].bin / 'pg_ctl'} stop -D {servers[0].data}"
              " (as the postgres user when run as root)")
        return 0
    for server in servers:
        server.close()
    return 0 if report.ok and all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
