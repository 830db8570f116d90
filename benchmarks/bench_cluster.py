"""Cluster benchmark: the shared backends against the embedded default, in one run.

- retrieval: the 1,000,000-capture index of bench_retrieval.py copied into a real PostgreSQL
  server; get/history/search latency with the same query mix as benchmarks/results/retrieval.md,
  next to SQLite's on the same data; bytes per capture in each.
- crawl: bulk replica crawl throughput (pages/s) of today's single process (SQLite + local
  files) and of 1, 2 and 3 workers sharing Redis + PostgreSQL + an S3-compatible server.

Writes benchmarks/results/cluster.md (and cluster.json, so each part can be rerun alone):

    python benchmarks/bench_cluster.py [--only retrieval|crawl] [--captures 1000000] [--quick] [--rounds 5]
                                       [--keep-postgres /tmp/newsarchive-bench/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_retrieval  # noqa: E402
from archive.index import SqliteIndex, open_index  # noqa: E402
from archive.store import INDEX_NAME  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "cluster.md"
STATE = RESULTS.with_suffix(".json")
CAPTURE_COLUMNS = ("id, url, urlkey, host, fetched_at, status, mime, record_type, record_id, payload_digest,"
                   " warc_file, warc_offset, warc_length, revisit_of, etag, last_modified, run_id, profile")
DOCUMENT_COLUMNS = ("id, capture_id, url, urlkey, host, captured_at, page_type, title, text, text_digest,"
                    " published, profile, rules_version, extractor, metadata, conversion_file, conversion_offset,"
                    " conversion_length, conversion_record_id, metadata_record_id, superseded_by, created_at")


# -- retrieval on PostgreSQL ------------------------------------------------------------------
def sqlite_index(captures: int) -> Path:
    folder = bench_retrieval.CACHE / f"captures-{captures}"
    path = folder / INDEX_NAME
    if not path.exists() or not path.with_suffix(".urls").exists():
        print(f"generating an index of {captures:,} captures in {path} ...", file=sys.stderr)
        bench_retrieval.generate(path, captures)
    return path


def load_into_postgres(sqlite_path: Path, url: str) -> float:
    """Copy captures and documents into a fresh PostgreSQL index (the real schema; the GIN
    index is built after the copy, as one would for a bulk load). Seconds taken."""
    began = time.monotonic()
    index = open_index(url)
    conn = index.conn
    conn.execute("DROP INDEX IF EXISTS documents_search")
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    # The generator's documents are English: ts_config goes in with the COPY (an UPDATE
    # afterwards would compute every tsvector twice).
    for table, columns, extra, value in (("captures", CAPTURE_COLUMNS, "", ""),
                                         ("documents", DOCUMENT_COLUMNS, ", ts_config", ", 'english'")):
        rows = source.execute(f"SELECT {columns}{value} FROM {table} ORDER BY id")
        copied = 0
        with conn.transaction(), conn.cursor().copy(f"COPY {table} ({columns}{extra}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                copied += 1
                if copied % 50000 == 0:
                    print(f"\r  copying {table}: {copied:,}", end="", file=sys.stderr, flush=True)
        print(f"\r  copied {table}: {copied:,}", file=sys.stderr)
    conn.execute("INSERT INTO ts_configs VALUES ('english') ON CONFLICT DO NOTHING")
    print("  building the GIN index ...", file=sys.stderr)
    conn.execute("CREATE INDEX documents_search ON documents USING GIN (search_vector)")
    for table in ("captures", "documents"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.execute("VACUUM ANALYZE")
    index.close()
    return time.monotonic() - began


def kept_postgres(folder: Path, captures: int, sqlite_path: Path):
    """A PostgreSQL cluster kept in `folder` between runs, holding the loaded index (the COPY and
    the GIN build take minutes): started from there if a previous run loaded it, else made and
    loaded. (server, url, load seconds or None when reused); `server.stop()` keeps the data."""
    from tests.services.postgres import PostgresServer

    marker = folder / f"loaded-{captures}"
    name = f"bench_{captures}"
    server = PostgresServer(folder)  # an unfinished earlier load's database is dropped below
    server.start()
    url = f"{server.base_url}/{name}"
    if marker.exists():
        open_index(url).close()  # migrations of a newer schema, if any
        return server, url, float(marker.read_text())
    import psycopg

    with psycopg.connect(server.base_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    seconds = load_into_postgres(sqlite_path, url)
    marker.write_text(f"{seconds:.0f}\n")
    return server, url, seconds


def bench_retrieval_part(captures: int, samples: int, postgres_url: str | None = None,
                         keep: Path | None = None) -> dict:
    from tests.services.postgres import PostgresServer

    sqlite_path = sqlite_index(captures)
    load = [os.getloadavg()[0]]  # what else ran on the machine shows in the tails
    urls = sqlite_path.with_suffix(".urls").read_text().split("\n")
    lite = SqliteIndex(sqlite_path, readonly=True)
    sets = bench_retrieval.query_sets(lite)
    counts = lite.counts()
    print("measuring SQLite ...", file=sys.stderr)
    sqlite_rows = bench_retrieval.bench_in_process(lite, urls, samples, sets)
    lite.close()
    sqlite_bytes = sum(p.stat().st_size for p in sqlite_path.parent.glob(INDEX_NAME + "*"))
    server, load_seconds = None, None
    if keep and not postgres_url:
        server, postgres_url, load_seconds = kept_postgres(keep, captures, sqlite_path)
    elif not postgres_url:
        server = PostgresServer().start()
    try:
        url = postgres_url or server.new_database()
        if server and not keep:
            load_seconds = load_into_postgres(sqlite_path, url)
        pg = open_index(url, readonly=True)
        pg_bytes = pg._value("SELECT pg_database_size(current_database())")
        version = pg._value("SHOW server_version")
        print("measuring PostgreSQL ...", file=sys.stderr)
        bench_retrieval.bench_in_process(pg, urls, min(samples, 200), sets)  # warm the cache
        pg_rows = bench_retrieval.bench_in_process(pg, urls, samples, sets)
        load.append(os.getloadavg()[0])
        pg.close()
    finally:
        if server and keep:
            server.stop()  # the data stays for the next run
        elif server:
            server.close()
    return {"captures": counts["captures"], "documents": counts["documents"], "load_seconds": load_seconds,
            "kept": bool(keep and server), "postgres_version": version, "sqlite_bytes": sqlite_bytes,
            "postgres_bytes": pg_bytes, "load": load,
            "sqlite": sqlite_rows, "postgres": pg_rows}


def retrieval_lines(data: dict) -> list[str]:
    sqlite = {label: (median, p99) for label, median, p99, _ in data["sqlite"]}
    lines = ["## Retrieval on PostgreSQL vs SQLite (same 1M-capture data, same query mix)", "",
             f"{data['captures']:,} captures, {data['documents']:,} documents; PostgreSQL {data['postgres_version']} "
             "(Debian package, private cluster on 127.0.0.1, "
             + (f"loaded by COPY in {data['load_seconds']:.0f} s"
                + (", kept between runs in --keep-postgres); " if data.get("kept") else "); ")
                if data["load_seconds"] else
                "loaded by COPY by this script before the run); ")
             + 
             "in-process `archive.retrieval` calls, warm cache."
             + (f" Load average (1 min) {data['load'][0]:.1f} at the start, {data['load'][1]:.1f} at the end, on "
                f"{os.cpu_count()} cores: other processes on the machine show in the p99s." if data.get("load") else ""),
             "",
             "| operation | PostgreSQL median ms | PostgreSQL p99 ms | SQLite median ms | SQLite p99 ms |",
             "|---|---:|---:|---:|---:|"]
    for label, median, p99, _ in data["postgres"]:
        lite = sqlite.get(label, (float("nan"), float("nan")))
        lines.append(f"| {label} | {median:.2f} | {p99:.2f} | {lite[0]:.2f} | {lite[1]:.2f} |")
    get_p99 = max(p99 for label, _, p99, _ in data["postgres"] if label.startswith("get"))
    search_p99 = max(p99 for label, _, p99, _ in data["postgres"] if label.startswith("search"))
    lines += ["", f"Targets on PostgreSQL: get p99 < 10 ms: **{'met' if get_p99 < 10 else 'NOT met'}** "
              f"(worst {get_p99:.2f} ms); search p99 < 100 ms: **{'met' if search_p99 < 100 else 'NOT met'}** "
              f"(worst {search_p99:.2f} ms).", "",
              f"Bytes per capture: PostgreSQL {data['postgres_bytes'] / data['captures']:,.0f} "
              f"(whole database: tables, tsvector column, GIN and b-tree indexes), SQLite "
              f"{data['sqlite_bytes'] / data['captures']:,.0f} (file + WAL); ratio "
              f"{data['postgres_bytes'] / data['sqlite_bytes']:.2f}x.", ""]
    return lines


# -- report -------------------------------------------------------------------------------------
def write_report(state: dict) -> None:
    lines = ["# Cluster benchmark", "",
             f"Generated by `benchmarks/bench_cluster.py`; {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}. Each part rewrites its own section (cluster.json).", ""]
    if "crawl" in state:
        from bench_cluster_crawl import crawl_lines

        lines += crawl_lines(state["crawl"])
    if "retrieval" in state:
        lines += retrieval_lines(state["retrieval"])
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("retrieval", "crawl"))
    parser.add_argument("--captures", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="100,000 captures, fewer samples")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating (embedded, one shared worker) crawl pairs; the overhead is their median")
    parser.add_argument("--postgres-url", help="measure an index this script already loaded (skips the load)")
    parser.add_argument("--keep-postgres", type=Path, metavar="DIR",
                        help="keep the loaded PostgreSQL cluster in DIR and reuse it in later runs"
                             " (e.g. /tmp/newsarchive-bench/postgres; delete DIR to load afresh)")
    args = parser.parse_args()
    if args.keep_postgres:
        from tests.services.postgres import PostgresServer

        refused = PostgresServer.cannot_keep_in(args.keep_postgres)
        if refused:
            parser.error(f"--keep-postgres: {refused}")
    if args.quick:
        args.captures, args.samples = 100_000, 200
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    if args.only in (None, "crawl"):
        from bench_cluster_crawl import bench_crawl_part

        state["crawl"] = bench_crawl_part(quick=args.quick, rounds=args.rounds)
        STATE.write_text(json.dumps(state, indent=1))  # each part kept as soon as it is measured
    if args.only in (None, "retrieval"):
        state["retrieval"] = bench_retrieval_part(args.captures, args.samples, args.postgres_url, args.keep_postgres)
    STATE.write_text(json.dumps(state, indent=1))
    write_report(state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
