"""Cross-run memory: what a scheduled run fetches, conditionally fetches, or skips.

Decided from the archive index, per discovered article URL:
- never captured -> fetch;
- finished earlier in this same run (a resumed run) -> skip;
- the sitemap/feed says it changed after our last capture -> fetch (conditional GET);
- inside its recrawl window (N days after we first archived it) -> conditional GET
  (If-None-Match / If-Modified-Since): 304 becomes a revisit, 200 a new capture;
- otherwise -> skip (archived, and old enough not to change any more).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from archive.index import Index
from archive.urls import canonical_url
from crawler import frontier

FETCH, CONDITIONAL, SKIP = "fetch", "conditional", "skip"

# Request meta flag: the index held no capture of the URL when the request was scheduled, so
# storing its first response need not look for an earlier copy. Dropped once the request may
# have been fetched (the capture middleware pops it; the shared frontier drops it from a
# request it gives back after a worker held it). Its value names the process that set it.
UNSEEN = "unseen"


def unseen_mark(crawler) -> str:
    """The UNSEEN value this process sets (an id of its own)."""
    mark = getattr(crawler, "_newsarchive_unseen_mark", None)
    if mark is None:
        mark = crawler._newsarchive_unseen_mark = uuid.uuid4().hex
    return mark


def take_unseen(crawler, request) -> bool:
    """Pop the UNSEEN flag off `request`: whether it can be trusted. Within one process the
    spider schedules a URL once, and the shared frontier queues it once per run; but a JOBDIR
    queue holds requests an earlier process of a resumed run scheduled, which this process
    may schedule again (its `seen` set starts empty): their flag is not trusted (and a
    resumed process sets none)."""
    value = request.meta.pop(UNSEEN, None)
    return bool(value) and (value == unseen_mark(crawler) or frontier.enabled(crawler.settings))


def parse_time(value: str | None) -> datetime | None:
    """ISO 8601 (date or datetime, 'Z' or offset) -> aware UTC datetime; None if unreadable."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


@dataclass(frozen=True)
class Decision:
    action: str
    reason: str
    headers: dict[str, str] | None = None
    unseen: bool = False  # the index held no capture of the URL when this was decided


class CrawlMemory:
    def __init__(self, index: Index, run_id: str, recrawl_days: float, *,
                 now: datetime | None = None):
        self.index = index
        self.recrawl = timedelta(days=recrawl_days)
        self.now = now or datetime.now(timezone.utc)
        self.done_in_run = index.run_done(run_id)
        self._never_captured: set[str] = set()  # looked up and not yet decided

    def look_up(self, urls: list[str]) -> None:
        """Ask the index at once which of `urls` it ever captured (one query for a sitemap or
        a listing page, not one per URL): `decide` answers the others without asking. What
        one look-up learns stays until decided: Scrapy reads several callbacks' output in
        turn, so the links of two sitemaps are decided interleaved."""
        keys = set()
        for url in urls:
            try:
                keys.add(canonical_url(url))
            except ValueError:  # decide() is never asked about it (claim_url refuses it)
                continue
        keys -= self.done_in_run
        keys -= self._never_captured
        if keys:
            self._never_captured |= keys - self.index.captured_urlkeys(keys)

    def decide(self, url: str, lastmod: str | None = None) -> Decision:
        key = canonical_url(url)
        if key in self.done_in_run:
            return Decision(SKIP, "already done by this run")
        if key in self._never_captured:
            self._never_captured.discard(key)  # asked once: a later question asks the index
            return Decision(FETCH, "new", unseen=True)
        state = self.index.url_state(key)
        if state is None:
            return Decision(FETCH, "new", unseen=True)
        headers = {}
        if state["etag"]:
            headers["If-None-Match"] = state["etag"]
        if state["last_modified"]:
            headers["If-Modified-Since"] = state["last_modified"]
        last = parse_time(state["last_fetched"])
        changed = parse_time(lastmod)
        if changed and last and changed > last:
            return Decision(CONDITIONAL, "changed since last capture", headers)
        if not state["has_document"] and state["last_status"] != 200:
            return Decision(FETCH, "no good capture yet")
        first = parse_time(state["first_fetched"])
        if first and self.now - first <= self.recrawl:
            return Decision(CONDITIONAL, "inside recrawl window", headers)
        return Decision(SKIP, "archived; outside recrawl window")
