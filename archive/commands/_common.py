"""What the retrieval commands share: the read-only archive, the TIME argument, and the
mapping of retrieval failures to exit codes (nothing matches: 3; unreadable question: 2)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from archive.cli import EXIT_NOT_FOUND, CLIError
from archive.warc.payload import DecodeError
from archive.retrieval import BadRequest, NotFound
from archive.store import Archive

TIME_HELP = ("ISO date (2024-05-01: up to the end of that day), ISO datetime (2024-05-01T12:30:00Z; "
             "naive means UTC) or YYYYmmddHHMMSS")


@contextmanager
def reading(args) -> Iterator[Archive]:
    """The archive opened read-only; retrieval failures become one-line CLI errors."""
    try:
        with Archive(args.archive_dir, readonly=True) as archive:
            yield archive
    except NotFound as exc:
        raise CLIError(str(exc), EXIT_NOT_FOUND) from None
    except (BadRequest, DecodeError) as exc:
        raise CLIError(str(exc)) from None
