"""The configuration file: outlets, topics, models and crawl politeness (TOML).

Example::

    config = load_config("veille.toml")
    [o.id for o in config.outlets if o.language == "fr"]

The bundled default (``crawler/default.toml``) lists real outlets covering alternative social
networks; ``veille crawl --config my.toml`` replaces it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from extract import VeilleError

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")
LANGUAGES = ("fr", "en")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConfigError(VeilleError):
    """The configuration file is missing or invalid (message fit for one line on stderr)."""


@dataclass(frozen=True)
class DateWindow:
    """``--since`` / ``--until`` (ISO days, both included); unknown dates are inside.

    >>> DateWindow("2023-01-01").contains("2022-12-31T23:00:00"), DateWindow(until="2023-01-01").contains(None)
    (False, True)
    """

    since: str | None = None
    until: str | None = None

    def __post_init__(self):
        for bound in (self.since, self.until):
            if bound is None:
                continue
            try:
                valid = bool(ISO_DAY.match(bound)) and date.fromisoformat(bound) is not None
            except ValueError:
                valid = False
            if not valid:
                raise ConfigError(f"dates take the form YYYY-MM-DD, not {bound!r}")

    @property
    def unbounded(self) -> bool:
        return self.since is None and self.until is None

    def contains(self, day: str | None) -> bool:
        day = (day or "")[:10]
        if not ISO_DAY.match(day):
            return True
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    language: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()  # site crawl: home or section pages to follow links from
    allow: tuple[str, ...] = ()  # site crawl: URL regexes to keep (all when empty)
    deny: tuple[str, ...] = ()  # site crawl: URL regexes to leave out


@dataclass(frozen=True)
class Topic:
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    outlets: tuple[Outlet, ...]
    topics: tuple[Topic, ...]
    models: dict[str, str] = field(default_factory=dict)
    crawl: dict[str, object] = field(default_factory=dict)
    path: str = ""

    def outlet(self, outlet_id: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.id == outlet_id:
                return outlet
        raise ConfigError(f"unknown outlet {outlet_id!r} (known: {', '.join(o.id for o in self.outlets)})")


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate a TOML configuration (the bundled default when ``path`` is None)."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    outlets = []
    for raw in data.get("outlets", []):
        missing = {"id", "name", "language"} - raw.keys()
        if missing:
            raise ConfigError(f"{path}: outlet {raw.get('id', '?')!r} lacks {', '.join(sorted(missing))}")
        if raw["language"] not in LANGUAGES:
            raise ConfigError(f"{path}: outlet {raw['id']!r} has language {raw['language']!r}, expected fr or en")
        outlets.append(
            Outlet(
                id=raw["id"],
                name=raw["name"],
                language=raw["language"],
                feeds=tuple(raw.get("feeds", ())),
                sitemaps=tuple(raw.get("sitemaps", ())),
                urls=tuple(raw.get("urls", ())),
                start_urls=tuple(raw.get("start_urls", ())),
                allow=tuple(raw.get("allow", ())),
                deny=tuple(raw.get("deny", ())),
            )
        )
    if len({o.id for o in outlets}) != len(outlets):
        raise ConfigError(f"{path}: outlet ids must be unique")
    topics = tuple(Topic(name=t["name"], terms=tuple(t.get("terms", ()))) for t in data.get("topics", []))
    return Config(
        outlets=tuple(outlets),
        topics=topics,
        models=dict(data.get("models", {})),
        crawl=dict(data.get("crawl", {})),
        path=str(path),
    )
