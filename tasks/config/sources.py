"""The sources file: `[[source]]` entries, validated, with their URLs checked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tasks.config.environment import CONFIG_DIR
from tasks.config.files import _DEPARTMENT_ID, _check_url, _read_toml, _unknown_keys
from tasks.config.portals import Portal, parse_portals
from tasks.contracts import Kind, Source
from tasks.errors import ConfigError

# ---- sources --------------------------------------------------------------------------------

_SOURCE_KEYS = {"department", "name", "year", "kind", "url", "urls"}
def _resolve_local(url: str, base: Path) -> str:
    """Relative local paths in a sources file are relative to that file's folder."""
    parsed = urlparse(url)
    if parsed.scheme in {"http", "https", "file"}:
        return url
    path = Path(url)
    return str(path if path.is_absolute() else (base / path).resolve())


def parse_sources(data: dict[str, Any], where: str, base: Path) -> list[Source]:
    """Validate the `[[source]]` tables of a sources document."""
    _unknown_keys(where, data, {"source", "portal"})
    raw = data.get("source", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: `source` must be an array of tables ([[source]])")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        at = f"{where} source[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{at}: must be a table")
        _unknown_keys(at, entry, _SOURCE_KEYS)
        for key in ("department", "name", "year", "kind"):
            if key not in entry:
                raise ConfigError(f"{at}: missing `{key}`")
        dept = entry["department"]
        if not isinstance(dept, str) or not _DEPARTMENT_ID.match(dept):
            raise ConfigError(f"{at}.department: {dept!r} must be a lower-case ASCII id "
                              "such as 'xj-hrss'")
        year = entry["year"]
        if not isinstance(year, int) or not 1990 <= year <= 2100:
            raise ConfigError(f"{at}.year: {year!r} is not a year")
        try:
            kind = Kind(entry["kind"])
        except ValueError:
            raise ConfigError(f"{at}.kind: {entry['kind']!r} must be 'budget' or 'final'") from None
        if ("url" in entry) == ("urls" in entry):
            raise ConfigError(f"{at}: give exactly one of `url` or `urls`")
        urls = [entry["url"]] if "url" in entry else entry["urls"]
        if not isinstance(urls, list) or not urls:
            raise ConfigError(f"{at}.urls: must be a non-empty list")
        for j, url in enumerate(urls):
            _check_url(f"{at}.urls[{j}]" if "urls" in entry else f"{at}.url", url)
        source = Source(department=dept, name=str(entry["name"]), year=year, kind=kind,
                        urls=tuple(_resolve_local(u, base) for u in urls))
        if source.key in seen:
            raise ConfigError(f"{at}: {source.key} is listed twice")
        seen.add(source.key)
        sources.append(source)
    return sources


def _sources_file(path: str | os.PathLike[str] | None) -> Path:
    return Path(path) if path else CONFIG_DIR / "sources.toml"


def load_sources(path: str | os.PathLike[str] | None = None) -> list[Source]:
    """Read and validate a sources file (default `config/sources.toml`), portals included."""
    file = _sources_file(path)
    data = _read_toml(file)
    parse_portals(data, str(file))  # a bad portal is an error whichever part is used
    return parse_sources(data, str(file), file.resolve().parent)


def load_portal(name: str, path: str | os.PathLike[str] | None = None) -> Portal:
    """The portal called `name` in a sources file (default `config/sources.toml`)."""
    file = _sources_file(path)
    data = _read_toml(file)
    portals = parse_portals(data, str(file))
    parse_sources(data, str(file), file.resolve().parent)
    if name not in portals:
        raise ConfigError(f"{file}: no [[portal]] named {name!r}; portals there: "
                          f"{', '.join(portals) or 'none'}")
    return portals[name]
