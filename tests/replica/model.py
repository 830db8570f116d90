"""Records shared by the replica modules: hosts, fixed clocks, and the ground-truth dataclasses.

Nothing here reads the wall clock: epoch 1 is "now" = 2026-11-01T12:00:00Z and epoch 2 is a
week later, so every page, feed and sitemap is byte-identical from run to run.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime

RFERL = "rferl.replica.test"
NPR = "npr.replica.test"
KRPL = "krpl.replica.test"
WRPL = "wrpl.replica.test"
# Pangea language services (tests/replica/prose_services.py)
SVOBODA = "svoboda.replica.test"
FARDA = "farda.replica.test"
TAVISUPLEBA = "tavisupleba.replica.test"
AZATUTYUN = "azatutyun.replica.test"
SERVICE_HOSTS = (SVOBODA, FARDA, TAVISUPLEBA, AZATUTYUN)

# host -> (family, display name)
SITES: dict[str, tuple[str, str]] = {
    RFERL: ("pangea", "RFE/RL Replica"),
    NPR: ("npr", "NPR Replica"),
    KRPL: ("stations", "KRPL Public Radio"),
    WRPL: ("stations", "WRPL Lakeshore Public Radio"),
    SVOBODA: ("pangea", "Радио Свобода (реплика)"),
    FARDA: ("pangea", "رادیو فردا (نسخه آزمایشی)"),
    TAVISUPLEBA: ("pangea", "რადიო თავისუფლება (რეპლიკა)"),
    AZATUTYUN: ("pangea", "Ազատություն ռադիոկայան (կրկնօրինակ)"),
}
STATION_HOSTS = {"krpl": KRPL, "wrpl": WRPL}

EPOCH_NOW = {1: "2026-11-01T12:00:00Z", 2: "2026-11-08T12:00:00Z"}
EPOCHS = tuple(EPOCH_NOW)
ROBOTS_DATE = "2026-09-01T00:00:00Z"
NPR_RIGHTS = "Copyright 2026 NPR. To see more, visit https://www.npr.org."


@dataclass(frozen=True)
class Article:
    """What a clean copy of one article page holds (the replica's ground truth)."""

    host: str
    path: str
    url: str
    title: str
    paragraphs: list[str]
    images: list[dict]
    authors: list[str]
    author_bios: list[str]
    rights: str | None
    published: str
    modified: str
    language: str
    page_type: str = "article"
    boilerplate: list[str] = field(default_factory=list)
    # Strings on the page whose place in a clean copy no ground truth decides (e.g. NPR's
    # p.contributors-text): a cleaner may keep or drop them.
    optional: list[str] = field(default_factory=list)
    family: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    description: str = ""
    # A copy of another outlet's story (syndication): the URL of the story it reproduces.
    copy_of: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class NonArticle:
    """A listing or programme page: crawlable, never stored as an article."""

    host: str
    path: str
    url: str
    title: str
    page_type: str  # "listing" | "programme"


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def iso(value: str) -> str:
    """Normalise '2026-10-04T07:42' (taken as UTC) to '2026-10-04T07:42:00Z'."""
    if len(value) == 16:
        value += ":00"
    return parse_iso(value if value.endswith("Z") or "+" in value[10:] else value + "Z").strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def http_date(value: str) -> str:
    return format_datetime(parse_iso(value), usegmt=True)


def long_date(value: str) -> str:
    moment = parse_iso(value)
    return f"{moment:%B} {moment.day}, {moment.year}"


def esc(text: str) -> str:
    return html.escape(text, quote=True)
