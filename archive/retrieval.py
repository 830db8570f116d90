"""What an archivist asks of the archive: a cleaned copy as of a date, a URL's history, a
search, the original bytes, and what changed between two captures.

Both front ends - the command line (`archive/commands/`) and the web viewer (`archive/web/`) -
call these functions and only format the answers, so a rule such as "a date means up to the
end of that day" exists once. Failures are `NotFound` (nothing matches: exit 3 / HTTP 404) or
`BadRequest` (the question cannot be read: exit 2 / HTTP 400).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from archive.index import Capture, Document, QuerySyntaxError
from archive.warc.payload import HttpHead, decode_text
from archive.urls import InvalidURL, canonical_url

MAX_QUERY_CHARS = 500
MAX_LIMIT = 1000
# Sorts after every character a stored WARC-Date can hold at that position ('.', digits, 'Z'),
# so "<second>~" is an upper bound for every timestamp within that second, micros or not.
_AFTER = "~"
_DIGITS = re.compile(r"^\d{4}(\d{2}){0,5}$")
_TOKEN = re.compile(r"\w+", re.UNICODE)


class NotFound(LookupError):
    """Nothing in the archive matches the question."""


class BadRequest(ValueError):
    """The question cannot be read (a malformed time, URL or query)."""


# -- time -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimeSpan:
    """What a user-typed time denotes: a whole year, day, minute or second, in UTC.
    `--at 2024-05-01` therefore includes captures made during that day."""

    start: datetime
    end: datetime  # exclusive

    @property
    def lower(self) -> str:
        """The smallest stored fetched_at value that lies inside the span."""
        return self.start.strftime("%Y-%m-%dT%H:%M:%S")

    @property
    def upper(self) -> str:
        """A string that sorts after every stored fetched_at value inside the span."""
        return (self.end - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S") + _AFTER


def parse_time(text: str) -> TimeSpan:
    """Read an ISO date or datetime (naive means UTC; an offset is converted), or a WARC/CDX
    style timestamp `YYYY[mm[dd[HH[MM[SS]]]]]`."""
    value = (text or "").strip()
    try:
        if _DIGITS.match(value):
            return _digits_span(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            start = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc)
            return TimeSpan(start, start + timedelta(days=1))
        moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise BadRequest(f"cannot read time {text!r}: use an ISO date (2024-05-01), an ISO datetime "
                         "(2024-05-01T12:30:00Z) or YYYYmmddHHMMSS") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc).replace(microsecond=0)
    has_seconds = re.search(r"T\d{2}:\d{2}:\d{2}", value.replace(" ", "T", 1)) is not None
    return TimeSpan(moment, moment + (timedelta(seconds=1) if has_seconds else timedelta(minutes=1)))


def _digits_span(value: str) -> TimeSpan:
    fields = [int(value[0:4])] + [int(value[i:i + 2]) for i in range(4, len(value), 2)]
    defaults = [1, 1, 0, 0, 0]
    start = datetime(*(fields + defaults[len(fields) - 1:]), tzinfo=timezone.utc)
    if len(fields) == 1:
        end = start.replace(year=start.year + 1)
    elif len(fields) == 2:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        end = start + (timedelta(days=1), timedelta(hours=1), timedelta(minutes=1),
                       timedelta(seconds=1))[len(fields) - 3]
    return TimeSpan(start, end)


def upper_bound(text: str | None) -> str | None:
    return parse_time(text).upper if text else None


def lower_bound(text: str | None) -> str | None:
    return parse_time(text).lower if text else None


def urlkey(url: str) -> str:
    try:
        return canonical_url(url)
    except InvalidURL as exc:
        raise BadRequest(str(exc)) from None


# -- lookups --------------------------------------------------------------------------------
def _not_captured(url: str, key: str) -> NotFound:
    return NotFound(f"no capture of {url} in the archive (looked up as {key})")


def get_document(index, url: str, at: str | None = None) -> Document:
    """The current cleaned copy of the newest capture of `url` at or before `at`."""
    key = urlkey(url)
    document = index.document(key, upper_bound(at))
    if document is not None:
        return document
    first = next(iter(index.captures(key)), None)
    if first is None:
        raise _not_captured(url, key)
    if at and first.fetched_at > upper_bound(at):
        raise NotFound(f"no capture of {url} at or before {at}; the first is from {first.fetched_at}")
    raise NotFound(f"{url} was captured but has no cleaned copy"
                   + (f" at or before {at}" if at else "") + " (not an article, or cleaning failed)")


def get_capture(index, url: str, at: str | None = None) -> Capture:
    """The newest capture (response or revisit) of `url` at or before `at`."""
    key = urlkey(url)
    capture = index.latest_capture(key, upper_bound(at))
    if capture is not None:
        return capture
    first = next(iter(index.captures(key)), None)
    if first is None:
        raise _not_captured(url, key)
    raise NotFound(f"no capture of {url} at or before {at}; the first is from {first.fetched_at}")


@dataclass
class HistoryEntry:
    """One capture as the history lists it; `text_changed` compares with the previous
    capture that had a cleaned copy (None when there is nothing to compare)."""

    fetched_at: str
    status: int
    record_type: str
    url: str
    warc_file: str
    warc_offset: int
    record_id: str
    document_id: int | None
    text_digest: str | None
    text_changed: bool | None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def history(index, url: str) -> list[HistoryEntry]:
    key = urlkey(url)
    rows = index.capture_history(key)
    if not rows:
        raise _not_captured(url, key)
    entries, previous = [], None
    for row in rows:
        digest = row["text_digest"]
        changed = None if digest is None or previous is None else digest != previous
        entries.append(HistoryEntry(row["fetched_at"], row["status"], row["record_type"], row["url"],
                                    row["warc_file"], row["warc_offset"], row["record_id"],
                                    row["document_id"], digest, changed, row["title"]))
        previous = digest or previous
    return entries


# -- search ---------------------------------------------------------------------------------
@dataclass
class SearchHit:
    document: Document
    score: float
    snippet: str  # matches between \x02 and \x03; see `marked`

    def marked(self, before: str, after: str, escape=lambda s: s) -> str:
        """The snippet with matches wrapped in `before`/`after`, the rest passed through
        `escape` (html.escape for the web)."""
        out = []
        for i, part in enumerate(re.split("[\x02\x03]", self.snippet)):
            out.append(escape(part) if i % 2 == 0 else before + escape(part) + after)
        return "".join(out)


def literal_query(query: str) -> str:
    """Every word of `query` as a quoted FTS5 string, all required: what a malformed
    expression falls back to, so `U.S. covid-19` still finds something."""
    return " ".join('"' + token.replace('"', '""') + '"' for token in _TOKEN.findall(query))


def search(index, query: str, *, site: str | None = None, since: str | None = None,
           until: str | None = None, limit: int = 20) -> list[SearchHit]:
    """FTS5 search, bm25-ranked. The query may use FTS5 syntax (phrases, OR, NOT, prefix*,
    title:word); if the index cannot parse it, its words are searched literally instead."""
    query = (query or "").strip()
    if not query:
        raise BadRequest("empty search query")
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"search query longer than {MAX_QUERY_CHARS} characters")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}")
    host = site.lower().removeprefix("www.") if site else None
    bounds = dict(host=host, since=lower_bound(since), until=upper_bound(until), limit=limit)
    try:
        rows = index.search(query, **bounds)
    except QuerySyntaxError:
        fallback = literal_query(query)
        if not fallback:
            raise BadRequest(f"nothing to search for in {query!r}") from None
        rows = index.search(fallback, **bounds)
    # Paragraph breaks inside a snippet would break a one-line listing.
    return [SearchHit(document, score, " ".join(snippet.split())) for document, score, snippet in rows]


# -- originals ------------------------------------------------------------------------------
@dataclass
class Original:
    """The archived bytes behind a capture: `capture` is what was asked for, `source` the
    response record holding the payload (the same, unless `capture` is a revisit)."""

    capture: Capture
    source: Capture
    record: Any
    payload: bytes

    @property
    def head(self) -> HttpHead:
        return HttpHead.from_record(self.record)

    def header_block(self) -> str:
        """The HTTP status line and headers as archived (CRLF-separated, blank line last)."""
        headers = self.record.http_headers
        return headers.to_str().rstrip("\r\n") + "\r\n\r\n" if headers else ""

    def text(self) -> str:
        return decode_text(self.payload, self.head)


def get_original(archive, url: str, at: str | None = None) -> Original:
    capture = get_capture(archive.index, url, at)
    source, record, payload = archive.original_payload(capture)
    return Original(capture, source, record, payload)


def original_of_document(archive, document: Document) -> Original:
    capture = archive.index.capture(document.capture_id)
    source, record, payload = archive.original_payload(capture)
    return Original(capture, source, record, payload)


# -- diff -----------------------------------------------------------------------------------
@dataclass
class Diff:
    old: Document
    new: Document
    lines: list[str]

    @property
    def changed(self) -> bool:
        return self.old.text_digest != self.new.text_digest

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.new.url, "from": self.old.captured_at, "to": self.new.captured_at,
                "changed": self.changed, "diff": "".join(self.lines)}


def diff(index, url: str, since: str | None = None, until: str | None = None) -> Diff:
    """Unified diff of the cleaned text of two captures: those at `since` and `until` (each
    defaulting to the oldest / newest), or by default the last two distinct texts."""
    key = urlkey(url)
    documents = index.documents(key)
    if not documents:
        get_document(index, url)  # raises the precise NotFound
    if since or until:
        old = get_document(index, url, since) if since else documents[0]
        new = get_document(index, url, until) if until else documents[-1]
    else:
        new = documents[-1]
        old = next((d for d in reversed(documents) if d.text_digest != new.text_digest), documents[0])
    lines = list(difflib.unified_diff(
        old.text.splitlines(keepends=True), new.text.splitlines(keepends=True),
        fromfile=f"{old.url} @ {old.captured_at}", tofile=f"{new.url} @ {new.captured_at}"))
    lines = [line if line.endswith("\n") else line + "\n" for line in lines]
    return Diff(old, new, lines)
