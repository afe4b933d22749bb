"""Typed, validated configuration: where things live, the sources, the table layouts and the
check thresholds. Every file in `config/` is read here and nowhere else; a bad key is named
in the error.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tasks.contracts import Kind, Severity, Source
from tasks.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = Path(os.environ.get("YUSUAN_CONFIG_DIR", PROJECT_ROOT / "config"))


def warehouse_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file: an explicit path, else $YUSUAN_WAREHOUSE, else ./warehouse.duckdb."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("YUSUAN_WAREHOUSE", "warehouse.duckdb"))


def data_dir() -> Path:
    """Raw downloads and staged extractions: $YUSUAN_DATA, else ./data."""
    return Path(os.environ.get("YUSUAN_DATA", "data"))


def lock_wait_seconds() -> float:
    """How long a load waits for another process's warehouse lock: $YUSUAN_LOCK_WAIT, else 60."""
    raw = os.environ.get("YUSUAN_LOCK_WAIT", "60")
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"YUSUAN_LOCK_WAIT={raw!r}: must be a number of seconds") from None
    if value < 0:
        raise ConfigError(f"YUSUAN_LOCK_WAIT={raw!r}: must not be negative")
    return value


def reports_dir() -> Path:
    """Markdown reports of compare-years: $YUSUAN_REPORTS, else ./reports."""
    return Path(os.environ.get("YUSUAN_REPORTS", "reports"))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _unknown_keys(where: str, given: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(given) - allowed)
    if extra:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(extra)}; allowed: "
                          f"{', '.join(sorted(allowed))}")


# ---- sources --------------------------------------------------------------------------------

_DEPARTMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SOURCE_KEYS = {"department", "name", "year", "kind", "url", "urls"}
ALLOWED_SCHEMES = {"http", "https", "file", ""}


def _check_url(where: str, url: str) -> None:
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: a URL must be a non-empty string")
    scheme = urlparse(url).scheme.lower()
    # A one-letter scheme is a Windows drive letter, i.e. a local path.
    if len(scheme) > 1 and scheme not in ALLOWED_SCHEMES:
        raise ConfigError(f"{where}: scheme {scheme!r} is not supported "
                          "(use http, https, file or a local path)")
    if scheme in {"http", "https"} and not urlparse(url).hostname:
        raise ConfigError(f"{where}: {url!r} has no host")


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


def load_sources(path: str | os.PathLike[str] | None = None) -> list[Source]:
    """Read and validate a sources file (default `config/sources.toml`)."""
    file = Path(path) if path else CONFIG_DIR / "sources.toml"
    return parse_sources(_read_toml(file), str(file), file.resolve().parent)


# ---- table layouts --------------------------------------------------------------------------

@dataclass(frozen=True)
class TableKind:
    slug: str
    label: str
    titles: tuple[re.Pattern[str], ...]
    scope: str | None


@dataclass(frozen=True)
class ColumnKey:
    key: str
    leaf: tuple[re.Pattern[str], ...]
    parent: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class SectionScope:
    scope: str
    heading: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Layouts:
    kinds: tuple[TableKind, ...]
    columns: tuple[ColumnKey, ...]
    sections: tuple[SectionScope, ...] = ()

    def scope_of(self, heading: str) -> str | None:
        """The scope a narrative section heading names (see [[section]] in tables.toml)."""
        for section in self.sections:
            if any(p.search(heading) for p in section.heading):
                return section.scope
        return None


def _patterns(where: str, values: Any) -> tuple[re.Pattern[str], ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: must be a list of regular expressions")
    try:
        return tuple(re.compile(v) for v in values)
    except re.error as exc:
        raise ConfigError(f"{where}: bad regular expression: {exc}") from None


@cache
def load_layouts(path: Path | None = None) -> Layouts:
    """The table kinds and canonical columns of `config/tables.toml`."""
    file = path or CONFIG_DIR / "tables.toml"
    data = _read_toml(file)
    _unknown_keys(str(file), data, {"kind", "column", "section"})
    kinds = []
    for i, k in enumerate(data.get("kind", [])):
        at = f"{file} kind[{i}]"
        _unknown_keys(at, k, {"slug", "label", "titles", "scope"})
        if "slug" not in k or "titles" not in k:
            raise ConfigError(f"{at}: needs `slug` and `titles`")
        kinds.append(TableKind(k["slug"], k.get("label", k["slug"]),
                               _patterns(f"{at}.titles", k["titles"]), k.get("scope")))
    columns = []
    for i, c in enumerate(data.get("column", [])):
        at = f"{file} column[{i}]"
        _unknown_keys(at, c, {"key", "leaf", "parent"})
        columns.append(ColumnKey(c["key"], _patterns(f"{at}.leaf", c["leaf"]),
                                 _patterns(f"{at}.parent", c.get("parent", []))))
    sections = []
    for i, sec in enumerate(data.get("section", [])):
        at = f"{file} section[{i}]"
        _unknown_keys(at, sec, {"scope", "heading"})
        sections.append(SectionScope(sec["scope"], _patterns(f"{at}.heading", sec["heading"])))
    return Layouts(tuple(kinds), tuple(columns), tuple(sections))


# ---- checks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleConfig:
    slug: str
    enabled: bool
    severity: Severity
    params: dict[str, Decimal]


@dataclass(frozen=True)
class ChecksConfig:
    pct_slack_points: Decimal
    rules: dict[str, RuleConfig]

    def rule(self, slug: str) -> RuleConfig:
        try:
            return self.rules[slug]
        except KeyError:
            raise ConfigError(f"config/checks.toml has no section [{slug}]") from None


def _decimal(where: str, value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ConfigError(f"{where}: {value!r} is not a number") from None


def parse_checks(data: dict[str, Any], where: str,
                 known: dict[str, set[str]] | None = None) -> ChecksConfig:
    """Validate checks.toml. `known` maps each rule slug to its extra parameter names."""
    rounding = data.get("rounding", {})
    _unknown_keys(f"{where} [rounding]", rounding, {"pct_slack_points"})
    rules: dict[str, RuleConfig] = {}
    for slug, section in data.items():
        if slug == "rounding":
            continue
        at = f"{where} [{slug}]"
        if not isinstance(section, dict):
            raise ConfigError(f"{at}: must be a table")
        if known is not None and slug not in known:
            raise ConfigError(f"{at}: no rule has this slug; known: {', '.join(sorted(known))}")
        extra = known.get(slug, set()) if known is not None else set(section) - {"enabled",
                                                                                 "severity"}
        _unknown_keys(at, section, {"enabled", "severity"} | extra)
        try:
            severity = Severity(section.get("severity", "error"))
        except ValueError:
            raise ConfigError(f"{at}.severity: must be error, warning or info") from None
        enabled = section.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{at}.enabled: must be true or false")
        params = {k: _decimal(f"{at}.{k}", v) for k, v in section.items()
                  if k not in {"enabled", "severity"}}
        rules[slug] = RuleConfig(slug, enabled, severity, params)
    return ChecksConfig(_decimal(f"{where} [rounding].pct_slack_points",
                                 rounding.get("pct_slack_points", "0.01")), rules)


def load_checks(path: Path | None = None, known: dict[str, set[str]] | None = None
                ) -> ChecksConfig:
    """Read `config/checks.toml`, validated against the rules that exist."""
    file = path or CONFIG_DIR / "checks.toml"
    return parse_checks(_read_toml(file), str(file), known)
