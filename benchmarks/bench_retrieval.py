"""Retrieval benchmark: `get` and `search` latency on a 1,000,000-capture index, index size
per capture, and `reextract` throughput with 1 and all workers on a small real archive.

Writes benchmarks/results/retrieval.md. The generated index is cached under /tmp (delete
it, or pass --regenerate, to rebuild). Targets: get p99 < 10 ms and search p99 < 100 ms
in-process; reextract >= 1.8x faster on 2 cores than on 1.

    python benchmarks/bench_retrieval.py [--captures 1000000] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import retrieval  # noqa: E402
from archive.index import RANK_WINDOW, SqliteIndex  # noqa: E402
from archive.index.text import normalize_for_search  # noqa: E402
from archive.store import INDEX_NAME, Archive, Exchange  # noqa: E402

CACHE = Path("/tmp/newsarchive-bench")
HOSTS = ["rferl.org", "svoboda.org", "azattyq.org", "currenttime.tv", "voanews.com", "npr.org",
         "kosu.org", "wbur.org", "kqed.org", "wamu.org"]
RESULTS = ROOT / "benchmarks" / "results" / "retrieval.md"


# -- the big index --------------------------------------------------------------------------
def vocabulary(rng: random.Random, size: int = 30000) -> tuple[list[str], list[float]]:
    """Pronounceable words with Zipf frequencies: a few very common, a long rare tail."""
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    words = set()
    while len(words) < size:
        length = rng.randint(2, 5)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(length))[: rng.randint(3, 10)])
    words = sorted(words)
    rng.shuffle(words)
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        weights.append(total)
    return words, weights


def generate(path: Path, captures: int, seed: int = 7) -> dict:
    """Bulk-insert `captures` captures (about 30% revisits) and their documents straight into
    the SqliteIndex schema: URLs, sizes and text lengths like the real crawl, texts shorter."""
    rng = random.Random(seed)
    words, cum = vocabulary(rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    SqliteIndex(path).close()  # the real schema
    db = sqlite3.connect(path)
    db.create_function("search_text", 1, normalize_for_search, deterministic=True)  # the FTS triggers call it
    db.execute("PRAGMA journal_mode=WAL")  # journal_mode=OFF + FTS5 'optimize' left a malformed FTS index
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    capture_rows, document_rows, sample_urls = [], [], []
    capture_id = document_id = 0
    began = time.monotonic()

    def text_of(n_words: int) -> str:
        chosen = rng.choices(words, cum_weights=cum, k=n_words)
        paragraphs, i = [], 0
        while i < len(chosen):
            step = rng.randint(25, 45)
            paragraphs.append(" ".join(chosen[i:i + step]).capitalize() + ".")
            i += step
        return "\n\n".join(paragraphs)

    def flush() -> None:
        db.executemany("INSERT INTO captures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", capture_rows)
        db.executemany(
            "INSERT INTO documents (id, capture_id, url, urlkey, host, captured_at, page_type, title, text,"
            " text_digest, published, profile, rules_version, extractor, metadata, conversion_file,"
            " conversion_offset, conversion_length, conversion_record_id, metadata_record_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", document_rows)
        capture_rows.clear()
        document_rows.clear()

    with db:
        n = -1
        while capture_id < captures:
            n += 1
            host = HOSTS[n % len(HOSTS)]
            slug = "-".join(rng.choices(words, cum_weights=cum, k=rng.randint(3, 7)))
            url = f"https://www.{host}/a/{slug}/{31000000 + n}.html"
            key = f"http://{host}/a/{slug}/{31000000 + n}.html"
            if len(sample_urls) < 5000 and rng.random() < 0.05:
                sample_urls.append(url)
            title = " ".join(rng.choices(words, cum_weights=cum, k=rng.randint(5, 11))).capitalize()
            text = text_of(rng.randint(60, 140))
            when = start + timedelta(seconds=rng.randint(0, 600 * 86400))
            n_captures = 1 + int(rng.expovariate(1 / 2.3))
            digest = None
            for _ in range(n_captures):
                if capture_id >= captures:
                    break
                capture_id += 1
                when += timedelta(hours=rng.randint(6, 24 * 20))
                fetched = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                revisit = digest is not None and rng.random() < 0.45
                if not revisit:
                    if digest is not None and rng.random() < 0.5:
                        text = text + "\n\n" + text_of(rng.randint(10, 30))  # an edit
                    digest = f"sha1:{rng.getrandbits(160):040x}"
                warc = f"newsarchive-{when:%Y%m%d}000000-{capture_id // 5000:05d}-crawler.warc.gz"
                capture_rows.append((capture_id, url, key, host, fetched, 200, "text/html",
                                     "revisit" if revisit else "response", f"<urn:uuid:{rng.getrandbits(128):032x}>",
                                     digest, warc, rng.randint(0, 10**9), rng.randint(600, 9000),
                                     capture_id - 1 if revisit else None, None, None, None, host))
                if not revisit:
                    document_id += 1
                    document_rows.append((
                        document_id, capture_id, url, key, host, fetched, "article", title, text,
                        f"sha1:{hash(text) & (2**160 - 1):040x}", when.strftime("%Y-%m-%d"), host, "1",
                        "bench/1", '{"authors": ["Staff"], "language": "en"}', warc.replace(".warc", "-text.warc"),
                        rng.randint(0, 10**9), 900, f"<urn:uuid:{rng.getrandbits(128):032x}>",
                        f"<urn:uuid:{rng.getrandbits(128):032x}>"))
            if len(capture_rows) >= 20000:
                flush()
                print(f"\r  generating: {capture_id:,}/{captures:,} captures"
                      f" ({time.monotonic() - began:.0f}s)", end="", file=sys.stderr, flush=True)
        flush()
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"\r  generated {capture_id:,} captures, {document_id:,} documents in"
          f" {time.monotonic() - began:.0f}s", file=sys.stderr)
    sample = path.with_suffix(".urls")
    sample.write_text("\n".join(sample_urls))
    return {"captures": capture_id, "documents": document_id}


# -- measuring ------------------------------------------------------------------------------
def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def timed(fn, *args, **kwargs) -> float:
    began = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - began) * 1000


def query_sets(index: SqliteIndex) -> dict[str, list[str]]:
    """Words of known document frequency: rare, medium, common. Candidates are spread over
    the Zipf ranks of the generator's vocabulary; each one's frequency is counted with FTS5.
    (Counting directly keeps this independent of the fts5vocab module.)"""
    words, _ = vocabulary(random.Random(7))
    ranks = sorted({int(1.35 ** i) for i in range(1, 35) for _ in (0,)} | set(range(30, 3000, 37)))
    rows = [(words[r - 1], index.db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?",
                                             (f'"{words[r - 1]}"',)).fetchone()[0]) for r in ranks if r <= len(words)]
    by = lambda lo, hi: [t for t, d in rows if lo <= d < hi][:200]  # noqa: E731
    rng = random.Random(1)
    rare, medium, common = by(20, 500), by(2000, 20000), by(50000, 400000)
    return {"rare word": rare, "medium word": medium, "common word": common,
            "two medium words": [f"{rng.choice(medium)} {rng.choice(medium)}" for _ in range(100)],
            "phrase, common words": [f'"{rng.choice(common)} {rng.choice(common)}"' for _ in range(100)]}


def bench_in_process(index, urls: list[str], samples: int,
                     sets: dict[str, list[str]]) -> list[tuple[str, float, float, int]]:
    """get/history/search latency on `index` (any backend), with the query mix `sets`."""
    rng = random.Random(3)
    out = []
    for label, at in (("get (latest)", None), ("get --at 2024-01-01", "2024-01-01")):
        times = []
        for url in rng.choices(urls, k=samples):
            try:
                times.append(timed(retrieval.get_document, index, url, at))
            except retrieval.NotFound:
                times.append(timed(lambda: None))
        out.append((label, *percentiles(times), len(times)))
    times = [timed(retrieval.history, index, url) for url in rng.choices(urls, k=samples)]
    out.append(("history", *percentiles(times), len(times)))
    for label, queries in sets.items():
        if not queries:
            continue
        picks = rng.choices(queries, k=min(samples, 100 if label.startswith(("common", "phrase")) else 300))
        times = [timed(retrieval.search, index, q) for q in picks]
        out.append((f"search: {label}", *percentiles(times), len(times)))
    medium = sets["medium word"] or sets["rare word"]
    for label, kwargs in (("search medium --site npr.org", {"site": "npr.org"}),
                          ("search medium --since 2024-06-01", {"since": "2024-06-01"})):
        times = [timed(retrieval.search, index, q, **kwargs) for q in rng.choices(medium, k=min(samples, 300))]
        out.append((label, *percentiles(times), len(times)))
    for label, kwargs in (("search common --site npr.org", {"site": "npr.org"}),
                          ("search common --since 2024-06-01", {"since": "2024-06-01"})):
        times = [timed(retrieval.search, index, q, **kwargs) for q in rng.choices(sets["common word"], k=50)]
        out.append((label, *percentiles(times), len(times)))
    return out


def bench_cli(archive_dir: Path, urls: list[str], words: list[str], samples: int) -> list[tuple[str, float, float, int]]:
    rng = random.Random(4)
    out = []
    for label, make in (("archive get URL", lambda: ["get", rng.choice(urls)]),
                        ("archive search WORD", lambda: ["search", rng.choice(words)])):
        times = []
        for _ in range(samples):
            command = [sys.executable, "-m", "archive", *make(), "--archive-dir", str(archive_dir)]
            began = time.perf_counter()
            subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
            times.append((time.perf_counter() - began) * 1000)
        out.append((label, *percentiles(times), len(times)))
    return out


# -- reextract ------------------------------------------------------------------------------
def trafilatura_clean(html: str, url: str) -> dict:
    """Stand-in while archive.extract is not in the tree: trafilatura with the same output keys."""
    import trafilatura

    text = trafilatura.extract(html, url=url, favor_precision=True) or ""
    return {"url": url, "title": None, "text": text.replace("\n", "\n\n"), "page_type": "article",
            "extractor": "trafilatura-standin", "rules_version": "bench"}


def page_html(rng: random.Random, words: list[str], n: int) -> bytes:
    nav = "".join(f"<li><a href='/s/{i}'>{rng.choice(words).title()}</a></li>" for i in range(60))
    paragraphs = "".join("<p>" + " ".join(rng.choices(words, k=rng.randint(30, 70))).capitalize() + ".</p>"
                         for _ in range(rng.randint(8, 16)))
    related = "".join(f"<div class='card'><a href='/a/{i}'>{' '.join(rng.choices(words, k=8))}</a>"
                      f"<span>{rng.choice(words)}</span></div>" for i in range(25))
    return (f"<!doctype html><html><head><title>Article {n}</title><meta charset='utf-8'>"
            f"<script>var analytics = {{'id': {n}}};</script></head><body><a class='skip' href='#main'>Skip</a>"
            f"<header><nav><ul>{nav}</ul></nav></header><main id='main'><article><h1>Article {n}</h1>"
            f"<div class='byline'>By Staff</div><div class='body'>{paragraphs}</div></article>"
            f"<aside class='related'>{related}</aside></main><footer>{nav}<p>Copyright</p></footer>"
            "</body></html>").encode()


def bench_reextract(pages: int) -> tuple[list[tuple[int, float, float]], str]:
    from archive.reextract import reextract

    try:
        import archive.extract  # noqa: F401
        cleaner, name = "archive.extract:clean", "archive.extract.clean"
    except ImportError:
        cleaner, name = "__main__:trafilatura_clean", "trafilatura stand-in (archive.extract not in the tree yet)"
    rng = random.Random(5)
    words, _ = vocabulary(rng, 5000)
    root = Path(tempfile.mkdtemp(prefix="bench-reextract-"))
    rows = []
    try:
        with Archive(root) as archive:
            for n in range(pages):
                capture = archive.record_exchange(Exchange(
                    url=f"https://www.rferl.org/a/bench-{n}/{n}.html", method="GET", request_headers=[],
                    status=200, response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=page_html(rng, words, n)))
                archive.record_document(capture, {"title": f"Article {n}", "text": "old", "page_type": "article"})
        for workers in sorted({1, os.cpu_count() or 1}):
            copy = Path(tempfile.mkdtemp(prefix="bench-reextract-run-")) / "a"
            shutil.copytree(root, copy)
            with Archive(copy) as archive:
                summary = reextract(archive, workers=workers, cleaner=cleaner)
            rows.append((workers, summary.pages_per_second, summary.seconds))
            shutil.rmtree(copy.parent)
    finally:
        shutil.rmtree(root)
    return rows, name


# -- report ---------------------------------------------------------------------------------
def table(rows, target: float | None = None) -> list[str]:
    lines = ["| operation | median ms | p99 ms | samples |", "|---|---:|---:|---:|"]
    lines += [f"| {label} | {median:.2f} | {p99:.2f} | {n} |" for label, median, p99, n in rows]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000, help="in-process samples per operation")
    parser.add_argument("--cli-samples", type=int, default=30)
    parser.add_argument("--pages", type=int, default=2000, help="pages in the reextract archive")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--quick", action="store_true", help="100,000 captures, fewer samples")
    args = parser.parse_args()
    if args.quick:
        args.captures, args.samples, args.cli_samples, args.pages = 100_000, 300, 5, 60
    archive_dir = CACHE / f"captures-{args.captures}"
    db_path = archive_dir / INDEX_NAME
    if args.regenerate or not db_path.exists() or not db_path.with_suffix(".urls").exists():
        print(f"generating an index of {args.captures:,} captures in {db_path} ...", file=sys.stderr)
        began = time.monotonic()
        generate(db_path, args.captures)
        generation = time.monotonic() - began
    else:
        generation = None
    index = SqliteIndex(db_path, readonly=True)
    counts = index.counts()
    index.close()
    urls = db_path.with_suffix(".urls").read_text().split("\n")
    size = sum(p.stat().st_size for p in archive_dir.glob(INDEX_NAME + "*"))
    print("measuring in-process latency ...", file=sys.stderr)
    index = SqliteIndex(db_path, readonly=True)
    sets = query_sets(index)
    in_process = bench_in_process(index, urls, args.samples, sets)
    index.close()
    print("measuring CLI latency ...", file=sys.stderr)
    medium = sets["medium word"]
    cli = bench_cli(archive_dir, urls, medium, args.cli_samples)
    print("measuring reextract ...", file=sys.stderr)
    reex, cleaner = bench_reextract(args.pages)
    get_p99 = max(p99 for label, _, p99, _ in in_process if label.startswith("get"))
    search_p99 = max(p99 for label, _, p99, _ in in_process if label.startswith("search"))
    speedup = reex[-1][1] / reex[0][1] if len(reex) > 1 and reex[0][1] else None

    lines = ["# Retrieval benchmark", "",
             f"Generated by `benchmarks/bench_retrieval.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"SQLite {sqlite3.sqlite_version}.", "",
             "## Index", "",
             f"- captures: {counts['captures']:,} ({counts['revisits']:,} revisits), URLs: {counts['urls']:,}, "
             f"current documents: {counts['documents']:,} (texts 60-170 words)",
             f"- index size: {size / 1e6:,.0f} MB, **{size / counts['captures']:,.0f} bytes per capture** "
             "(captures + documents + FTS5)",
             f"- generation: {generation:.0f} s" if generation else "- generation: cached in " + str(archive_dir), "",
             "## In-process latency (archive.retrieval on a read-only SqliteIndex, warm cache)", "",
             *table(in_process), "",
             f"Targets: get p99 < 10 ms: **{'met' if get_p99 < 10 else 'NOT met'}** (worst get p99 {get_p99:.2f} ms); "
             f"search p99 < 100 ms: **{'met' if search_p99 < 100 else 'NOT met'}** (worst search p99 {search_p99:.2f} ms).",
             "", "Search words are picked by document frequency (counted with FTS5): rare 20-500 documents, "
             "medium 2,000-20,000, common 50,000+. Ranking scores every match (bm25, one hit per URL), so "
             "latency grows with the number of matches; a query matching more than "
             f"{RANK_WINDOW:,} documents ranks the {RANK_WINDOW:,} most recently stored ones "
             "(archive.index.RANK_WINDOW), which bounds the common-word case. --site is a column filter "
             "inside FTS5 and --since/--until a range of document ids, so filtered queries keep that bound.", "",
             "## Through the command line (subprocess, includes interpreter start-up)", "",
             *table(cli), "",
             f"## reextract ({args.pages} synthetic pages of ~25 KB, cleaner: {cleaner})", "",
             "| workers | pages/s | seconds |", "|---:|---:|---:|",
             *[f"| {w} | {rate:.1f} | {secs:.1f} |" for w, rate, secs in reex], ""]
    if speedup is not None:
        lines.append(f"Scaling {reex[0][0]} -> {reex[-1][0]} workers: **{speedup:.2f}x** "
                     f"(target >= 1.8x on 2 cores: {'met' if speedup >= 1.8 else 'NOT met'}).")
    else:
        lines.append("One core only: scaling not measurable here.")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
