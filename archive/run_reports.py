"""Run reports of a crawl spread over several workers, added up into one per run.

A shared-frontier worker records its report under `<run id>@<worker>` (crawler/extensions/
run_report.py). `aggregate` turns index rows into one entry per run: counts summed, per-site
counts summed, first start and last finish, and the workers' own entries under "workers".
Rows of a one-process run pass through unchanged. Pure: rows in, rows out.
"""

from __future__ import annotations

from datetime import datetime

WORKER_SEPARATOR = "@"
SUMMED = ("discovered", "fetched", "new", "changed", "stored", "unchanged", "failed", "skipped_robots",
          "boilerplate_removed", "not_articles", "bytes")


def split_report_id(report_id: str) -> tuple[str, str | None]:
    """(run id, worker or None)."""
    run_id, sep, worker = report_id.partition(WORKER_SEPARATOR)
    return run_id, (worker if sep else None)


def _seconds(start: str | None, end: str | None) -> float | None:
    try:
        return round((datetime.fromisoformat(end.replace("Z", "+00:00"))
                      - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds(), 3)
    except (AttributeError, ValueError):
        return None


def _add(into: dict, more: dict) -> None:
    for key, value in more.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            into[key] = into.get(key, 0) + value
        elif isinstance(value, dict):
            _add(into.setdefault(key, {}), value)


def _status(workers: list[dict]) -> str:
    """ok once a worker saw the run complete (whatever a killed worker left: its requests
    were fetched by the others); else failed if one failed, else running."""
    reports = [w["report"] or {} for w in workers]
    if any(r.get("run_complete") for r in reports) and not any(w["status"] == "failed" for w in workers):
        return "ok"
    if any(w["status"] == "failed" for w in workers):
        return "failed"
    return "running" if any(w["status"] == "running" for w in workers) else (workers[0]["status"] or "")


def aggregate(rows: list[dict]) -> list[dict]:
    """Index run rows (newest first) -> one entry per run, in the same order."""
    out: list[dict] = []
    groups: dict[str, dict] = {}
    for row in rows:
        run_id, worker = split_report_id(row["id"])
        if worker is None:
            out.append(row)
            continue
        group = groups.get(run_id)
        if group is None:
            group = groups[run_id] = {"id": run_id, "spider": row.get("spider"), "workers": []}
            out.append(group)
        group["workers"].append({**row, "worker": worker})
    for group in groups.values():
        workers = sorted(group["workers"], key=lambda w: (w.get("started_at") or "", w["worker"]))
        group["workers"] = workers
        group["started_at"] = min((w.get("started_at") or "" for w in workers), default=None)
        finished = [w.get("finished_at") for w in workers if w.get("finished_at")]
        group["finished_at"] = max(finished) if finished else None
        group["status"] = _status(workers)
        report: dict = {"run_id": group["id"], "spider": group["spider"]}
        for w in workers:
            _add(report, {k: v for k, v in (w["report"] or {}).items() if k in SUMMED or k in ("sites", "captures")})
        for key in SUMMED:
            report.setdefault(key, 0)
        report["duration_s"] = _seconds(group["started_at"], group["finished_at"])
        report["workers"] = len(workers)
        report["workers_unfinished"] = sum(1 for w in workers if w["status"] == "running")
        report["status"] = group["status"]
        group["report"] = report
    return out
