"""Per-page precision and recall of clean() and plain trafilatura on WCXB and AEB: which pages
cost the most, to look at them (bench_clean.py gives the corpus figures).

    python benchmarks/pages_clean.py [--set wcxb|aeb] [--worst 20] [--save FILE] [--against FILE]

Each page's loss is what it takes from the corpus mean (1 - P or 1 - R, over the page count).
--save writes every page's figures and text as JSON; --against an earlier such file lists the
pages whose F1 changed. trafilatura's outputs are kept in /tmp between runs (they do not change).
"""

from __future__ import annotations

import argparse
import json
import sys
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_clean import aeb_pages, ours, plain, wcxb_pages  # noqa: E402
from archive.extract.scoring import item_counts  # noqa: E402

CACHE = Path("/tmp/pages_clean_trafilatura")


def _pr(truth: str, text: str) -> tuple[float, float]:
    tp, fp, fn = item_counts(truth, text)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def _one(page: dict) -> dict:
    text = ours(page["html"], page["url"])
    p, r = _pr(page["truth"], text)
    return {"id": page["id"], "url": page["url"], "p": p, "r": r, "text": text}


def _plain(name: str, page: dict) -> str:
    path = CACHE / name / f"{page['id']}.txt"
    if path.exists():
        return path.read_text()
    text = plain(page["html"], page["url"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("wcxb", "aeb"), default="wcxb")
    parser.add_argument("--worst", type=int, default=20)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save")
    parser.add_argument("--against")
    args = parser.parse_args()
    pages = (wcxb_pages if args.set == "wcxb" else aeb_pages)(args.limit)
    with Pool(args.jobs) as pool:
        rows = pool.map(_one, pages, chunksize=8)
    for row, page in zip(rows, pages):
        row["tp"], row["tr"] = _pr(page["truth"], _plain(args.set, page))
    n = len(rows)
    mp, mr = sum(r["p"] for r in rows) / n, sum(r["r"] for r in rows) / n
    tp, tr = sum(r["tp"] for r in rows) / n, sum(r["tr"] for r in rows) / n
    print(f"{args.set}: {n} pages  clean P {mp:.4f} R {mr:.4f} F1 {2 * mp * mr / (mp + mr):.4f}"
          f"  trafilatura P {tp:.4f} R {tr:.4f} F1 {2 * tp * tr / (tp + tr):.4f}")
    for key, label in (("p", "precision"), ("r", "recall")):
        print(f"\nworst {args.worst} by {label} loss (loss x1000 of the mean; clean vs trafilatura)")
        for row in sorted(rows, key=lambda r: r[key])[:args.worst]:
            print(f"  {row['id']}  {1000 * (1 - row[key]) / n:5.2f}  P {row['p']:.3f}/{row['tp']:.3f}"
                  f"  R {row['r']:.3f}/{row['tr']:.3f}  {row['url'][:90]}")
    if args.against:
        before = {r["id"]: r for r in json.loads(Path(args.against).read_text())}
        changed = []
        for row in rows:
            old = before.get(row["id"])
            if old and (abs(old["p"] - row["p"]) > 1e-9 or abs(old["r"] - row["r"]) > 1e-9):
                changed.append((row["p"] - old["p"] + row["r"] - old["r"], row, old))
        print(f"\n{len(changed)} pages changed against {args.against}")
        for delta, row, old in sorted(changed, key=lambda c: c[0]):
            print(f"  {row['id']}  P {old['p']:.3f}->{row['p']:.3f}  R {old['r']:.3f}->{row['r']:.3f}  {row['url'][:80]}")
    if args.save:
        Path(args.save).write_text(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
