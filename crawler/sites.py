"""Crawl targets from the site profiles (`settings/sites/*.toml`): which hosts a spider
crawls and where it discovers articles. The same profile serves the real sites
(`[[sites]]`) and the loopback replica (`[[replica_sites]]`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from archive.extract.profiles import sites_dir



class ProfileError(ValueError):
    """A site profile is missing or malformed."""


@dataclass(frozen=True)
class CrawlSite:
    host: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()

    @property
    def scheme(self) -> str:
        """The scheme the profile's own discovery URLs use (https unless they say http)."""
        for url in self.feeds + self.sitemaps + self.sections:
            if url.startswith("http://"):
                return "http"
        return "https"


@dataclass(frozen=True)
class CrawlProfile:
    name: str
    sites: tuple[CrawlSite, ...]
    article_patterns: tuple[re.Pattern, ...] = ()
    recrawl_days: float = 7.0
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def hosts(self) -> list[str]:
        return [site.host for site in self.sites]

    def is_article_url(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.article_patterns)


def load_crawl_profile(name: str, *, replica: bool = False, directory: Path | None = None) -> CrawlProfile:
    """The crawl part of `settings/sites/{name}.toml` (read from an egg too, for scrapyd)."""
    path = (directory or sites_dir()) / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, KeyError):
        raise ProfileError(f"no site profile {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: {exc}") from None
    table = "replica_sites" if replica else "sites"
    sites = tuple(
        CrawlSite(host=entry["host"], feeds=tuple(entry.get("feeds", ())),
                  sitemaps=tuple(entry.get("sitemaps", ())), sections=tuple(entry.get("sections", ())))
        for entry in data.get(table, []))
    if not sites:
        raise ProfileError(f"{path}: no [[{table}]] entries")
    profile = data.get("profile", {})
    patterns = tuple(re.compile(p) for p in profile.get("article_url_patterns", []))
    return CrawlProfile(name=profile.get("name", name), sites=sites, article_patterns=patterns,
                        recrawl_days=float(profile.get("recrawl_days", 7)), extra=profile)
