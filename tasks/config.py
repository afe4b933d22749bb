"""Typed, validated configuration: where things live, the sources, the table layouts and the
check thresholds. Every file in `config/` is read here and nowhere else; a bad key is named
in the error.
"""

from __future__ import annotations

import codecs
import os
import re
import tomllib
from collections.abc import Mapping
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


RUNNERS = ("process", "thread", "dask")


@dataclass(frozen=True)
class RunnerSettings:
    """Where extraction runs. Fetching stays in the flow's threads, loading in the flow."""

    kind: str  # one of RUNNERS
    workers: int | None = None  # processes or threads; None: one per core
    dask_address: str | None = None  # scheduler of an existing cluster, e.g. tcp://host:8786


def runner_settings(env: Mapping[str, str] = os.environ) -> RunnerSettings:
    """$YUSUAN_EXTRACT_RUNNER (process, thread or dask; default process, or dask when
    $YUSUAN_DASK_ADDRESS is set), $YUSUAN_EXTRACT_WORKERS, $YUSUAN_DASK_ADDRESS."""
    address = env.get("YUSUAN_DASK_ADDRESS", "").strip() or None
    kind = env.get("YUSUAN_EXTRACT_RUNNER", "").strip() or ("dask" if address else "process")
    if kind not in RUNNERS:
        raise ConfigError(f"YUSUAN_EXTRACT_RUNNER: {kind!r} must be one of {', '.join(RUNNERS)}")
    if kind == "dask" and not address:
        raise ConfigError("YUSUAN_EXTRACT_RUNNER=dask needs YUSUAN_DASK_ADDRESS, the address of "
                          "the cluster's scheduler (e.g. tcp://10.0.0.5:8786)")
    if address and kind != "dask":
        raise ConfigError(f"YUSUAN_DASK_ADDRESS is set but YUSUAN_EXTRACT_RUNNER={kind}; unset "
                          "one of them")
    raw = env.get("YUSUAN_EXTRACT_WORKERS", "").strip()
    if raw and not (raw.isdigit() and 0 < int(raw) <= 256):
        raise ConfigError(f"YUSUAN_EXTRACT_WORKERS: {raw!r} must be a whole number from 1 to "
                          "256")
    if raw and kind == "dask":
        raise ConfigError("YUSUAN_EXTRACT_WORKERS does not apply to a Dask cluster, whose "
                          "workers are started with the cluster; unset it")
    return RunnerSettings(kind, int(raw) if raw else None, address)


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


_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}"
                   r"[a-z0-9])?$|^\[[0-9a-f:.]+\]$")


def _check_url(where: str, url: str, schemes: set[str] = ALLOWED_SCHEMES) -> None:
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: a URL must be a non-empty string")
    if url != url.strip() or ("://" in url and any(c.isspace() for c in url)):
        raise ConfigError(f"{where}: {url!r} contains white space; percent-encode it (%20)")
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    # A one-letter scheme is a Windows drive letter, i.e. a local path.
    if len(scheme) > 1 and scheme not in schemes:
        allowed = ", ".join(sorted(x for x in schemes if x)) + (" or a local path"
                                                                 if "" in schemes else "")
        raise ConfigError(f"{where}: scheme {scheme!r} is not supported (use {allowed})")
    if len(scheme) <= 1 and "" not in schemes:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL")
    if scheme in {"http", "https"}:
        try:
            host, _port = parsed.hostname, parsed.port  # .port raises on a bad port
        except ValueError as exc:
            raise ConfigError(f"{where}: {url!r} is not a valid URL ({exc})") from None
        if not host:
            raise ConfigError(f"{where}: {url!r} has no host")
        if not _HOST.match(host) and not _HOST.match(f"[{host}]"):
            raise ConfigError(f"{where}: {url!r} has an invalid host {host!r}")


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


# ---- portals --------------------------------------------------------------------------------
# A portal is where a government publishes its disclosures: listing pages to discover them
# from, what to look for, and how politely to fetch. It lives in a sources file as
# [[portal]] (with [[portal.department]] tables), so one file holds a user's whole setup.

# Browser-like, because several portals' firewalls refuse bare library agents, and naming
# yusuan, so that an operator can see who is reading.
DEFAULT_USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/124.0 Safari/537.36 yusuan/0.1 (budget-disclosure checker)")
DEFAULT_KEYWORDS = ("部门预算", "部门决算", "预算公开", "决算公开")


@dataclass(frozen=True)
class FetchSettings:
    """How to download: timeouts, politeness, retries, size cap and the hosts allowed.

    `hosts=None` allows only the hosts of the URLs being fetched (a plain [[source]]).
    """

    hosts: frozenset[str] | None = None
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    delay_seconds: float = 1.0  # between two requests to the same host
    retries: int = 3  # extra attempts after a timeout, a 5xx or a truncated body
    backoff_seconds: tuple[float, ...] = (2.0, 10.0, 30.0)  # before retry 1, 2, 3 (last repeats)
    max_bytes: int = 200 * 2**20
    # Local paths and file:// are for sources a user lists, never for what a portal links.
    local_files: bool = True


@dataclass(frozen=True)
class PortalDepartment:
    """A department whose disclosures a portal lists: its id and the names titles use."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Portal:
    """Listing pages and what to look for on them (see [[portal]] in config/sources.toml)."""

    name: str
    listing: tuple[str, ...]
    departments: tuple[PortalDepartment, ...]
    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    years: tuple[int, ...] = ()  # empty: every year
    kinds: tuple[Kind, ...] = (Kind.BUDGET, Kind.FINAL)
    pagination: str | None = None  # e.g. "index_{n}.html"; None: follow the page's own links
    first_page: int = 1  # {n} of the second listing page (TRS sites: index_1.html)
    max_pages: int = 10  # listing pages read per listing URL, the first included
    encoding: str | None = None  # None: as the page declares, else detected (UTF-8 or GBK)
    fetch: FetchSettings = FetchSettings()


_PORTAL_KEYS = {"name", "listing", "department", "keywords", "years", "kinds", "pagination",
                "first_page", "max_pages", "encoding", "hosts", "user_agent", "connect_timeout",
                "read_timeout", "delay_seconds", "retries", "backoff_seconds", "max_mb"}
_PORTAL_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _number(where: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{where}: {value!r} must be a number from {low:g} to {high:g}")
    return float(value)


def _integer(where: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{where}: {value!r} must be a whole number from {low} to {high}")
    return value


def _strings(where: str, value: Any, allow_empty: bool = False) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if (not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value)
            or (not value and not allow_empty)):
        raise ConfigError(f"{where}: must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _host(where: str, value: Any) -> str:
    host = value.strip().lower() if isinstance(value, str) else ""
    if not _HOST.match(host):
        raise ConfigError(f"{where}: {value!r} must be a bare host name such as "
                          "'www.gz.gov.cn' (no scheme, port or path)")
    return host.strip("[]")


def _parse_portal(entry: Any, at: str) -> Portal:
    if not isinstance(entry, dict):
        raise ConfigError(f"{at}: must be a table")
    _unknown_keys(at, entry, _PORTAL_KEYS)
    for key in ("name", "listing", "department"):
        if key not in entry:
            raise ConfigError(f"{at}: missing `{key}`")
    name = entry["name"]
    if not isinstance(name, str) or not _PORTAL_NAME.match(name):
        raise ConfigError(f"{at}.name: {name!r} must be a lower-case ASCII name such as "
                          "'xj-czt' (it is what `--portal` takes)")
    listing = _strings(f"{at}.listing", entry["listing"])
    for j, url in enumerate(listing):
        _check_url(f"{at}.listing[{j}]", url, {"http", "https"})
    departments = entry["department"]
    if not isinstance(departments, list) or not departments:
        raise ConfigError(f"{at}.department: give at least one [[portal.department]] table")
    depts: list[PortalDepartment] = []
    for k, d in enumerate(departments):
        dat = f"{at}.department[{k}]"
        if not isinstance(d, dict):
            raise ConfigError(f"{dat}: must be a table")
        _unknown_keys(dat, d, {"id", "name", "aliases"})
        if "id" not in d or "name" not in d:
            raise ConfigError(f"{dat}: needs `id` and `name`")
        if not isinstance(d["id"], str) or not _DEPARTMENT_ID.match(d["id"]):
            raise ConfigError(f"{dat}.id: {d['id']!r} must be a lower-case ASCII id such as "
                              "'xj-hrss'")
        if not isinstance(d["name"], str) or not d["name"].strip():
            raise ConfigError(f"{dat}.name: must be the department's published name")
        depts.append(PortalDepartment(d["id"], d["name"].strip(),
                                      _strings(f"{dat}.aliases", d.get("aliases", []), True)))
    years = entry.get("years", [])
    if not isinstance(years, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) and 1990 <= y <= 2100 for y in years):
        raise ConfigError(f"{at}.years: {years!r} must be a list of years")
    try:
        kinds = tuple(Kind(k) for k in _strings(f"{at}.kinds", entry.get("kinds",
                                                                          ["budget", "final"])))
    except ValueError:
        raise ConfigError(f"{at}.kinds: each must be 'budget' or 'final'") from None
    pagination = entry.get("pagination")
    if pagination is not None and (not isinstance(pagination, str) or "{n}" not in pagination):
        raise ConfigError(f"{at}.pagination: {pagination!r} must be a link template with "
                          "{n}, such as 'index_{n}.html', 'column-index-{n}.shtml' or "
                          "'?page={n}'")
    encoding = entry.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise ConfigError(f"{at}.encoding: {encoding!r} is not an encoding Python knows "
                              "(use 'utf-8' or 'gbk', or leave it out to detect)") from None
    extra_hosts = entry.get("hosts", [])
    if not isinstance(extra_hosts, list):
        raise ConfigError(f"{at}.hosts: must be a list of host names")
    # The listing's own hosts are named by the listing; `hosts` adds file servers and CDNs.
    hosts = {urlparse(u).hostname for u in listing}
    hosts |= {_host(f"{at}.hosts[{j}]", h) for j, h in enumerate(extra_hosts)}
    backoff = entry.get("backoff_seconds", list(FetchSettings.backoff_seconds))
    if not isinstance(backoff, list) or not backoff:
        raise ConfigError(f"{at}.backoff_seconds: must be a non-empty list of seconds")
    fetch = FetchSettings(
        hosts=frozenset(h for h in hosts if h),
        user_agent=_strings(f"{at}.user_agent", [entry.get("user_agent", DEFAULT_USER_AGENT)])[0],
        connect_timeout=_number(f"{at}.connect_timeout", entry.get("connect_timeout", 10), 0.01,
                                600),
        read_timeout=_number(f"{at}.read_timeout", entry.get("read_timeout", 60), 0.01, 3600),
        delay_seconds=_number(f"{at}.delay_seconds", entry.get("delay_seconds", 1), 0, 600),
        retries=_integer(f"{at}.retries", entry.get("retries", 3), 0, 10),
        backoff_seconds=tuple(_number(f"{at}.backoff_seconds[{j}]", b, 0, 3600)
                              for j, b in enumerate(backoff)),
        max_bytes=int(_number(f"{at}.max_mb", entry.get("max_mb", 200), 0.001, 10_000) * 2**20),
        local_files=False,
    )
    return Portal(
        name=name, listing=listing, departments=tuple(depts),
        keywords=_strings(f"{at}.keywords", entry.get("keywords", list(DEFAULT_KEYWORDS))),
        years=tuple(years), kinds=kinds, pagination=pagination,
        first_page=_integer(f"{at}.first_page", entry.get("first_page", 1), 0, 1000),
        max_pages=_integer(f"{at}.max_pages", entry.get("max_pages", 10), 1, 1000),
        encoding=encoding, fetch=fetch)


def parse_portals(data: dict[str, Any], where: str) -> dict[str, Portal]:
    """Validate the `[[portal]]` tables of a sources document, by name."""
    raw = data.get("portal", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: `portal` must be an array of tables ([[portal]])")
    portals: dict[str, Portal] = {}
    for i, entry in enumerate(raw):
        portal = _parse_portal(entry, f"{where} portal[{i}]")
        if portal.name in portals:
            raise ConfigError(f"{where} portal[{i}].name: {portal.name!r} is used twice")
        portals[portal.name] = portal
    return portals


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
class CoreTables:
    """A table every disclosure with tables must have, met by any of `kinds`."""

    name: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Layouts:
    kinds: tuple[TableKind, ...]
    columns: tuple[ColumnKey, ...]
    sections: tuple[SectionScope, ...] = ()
    core: tuple[CoreTables, ...] = ()

    def kind(self, slug: str) -> TableKind:
        """The kind with this slug (a ConfigError names the known ones)."""
        for kind in self.kinds:
            if kind.slug == slug:
                return kind
        raise ConfigError(f"config/tables.toml has no kind {slug!r}; known: "
                          f"{', '.join(k.slug for k in self.kinds)}")

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
    _unknown_keys(str(file), data, {"kind", "column", "section", "core"})
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
    slugs = {k.slug for k in kinds}
    core = []
    for i, group in enumerate(data.get("core", [])):
        at = f"{file} core[{i}]"
        _unknown_keys(at, group, {"name", "kinds"})
        if "name" not in group or not isinstance(group.get("kinds"), list):
            raise ConfigError(f"{at}: needs `name` and a list `kinds`")
        unknown = sorted(set(group["kinds"]) - slugs)
        if unknown:
            raise ConfigError(f"{at}.kinds: unknown kind(s) {', '.join(unknown)}")
        core.append(CoreTables(group["name"], tuple(group["kinds"])))
    return Layouts(tuple(kinds), tuple(columns), tuple(sections), tuple(core))


# ---- classification -------------------------------------------------------------------------

_CODE_LENGTHS = {"function": (3, 5, 7), "economic": (3, 5, 7)}


@dataclass(frozen=True)
class Classification:
    """Reference names of functional (功能分类) and economic (经济分类) codes: what a claim's
    subject resolves against when the document's own tables do not print the code (a 项
    that fell to zero this year)."""

    names: dict[tuple[str, str], str]  # (system, code) -> name

    def children(self, system: str, parent: str) -> dict[str, str]:
        """name -> code of the codes directly under `parent` ("" for the top level)."""
        want = len(parent) + (3 if not parent else 2)
        return {name: code for (sys_, code), name in self.names.items()
                if sys_ == system and len(code) == want and code.startswith(parent)}


@cache
def load_classification(path: Path | None = None) -> Classification:
    """`config/classification.csv`: system,code,name per line, validated."""
    import csv

    file = path or CONFIG_DIR / "classification.csv"
    try:
        with file.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file") from None
    names: dict[tuple[str, str], str] = {}
    for n, row in enumerate(rows, start=2):
        at = f"{file} line {n}"
        if set(row) != {"system", "code", "name"}:
            raise ConfigError(f"{at}: columns must be system,code,name")
        system, code, name = row["system"], row["code"], (row["name"] or "").strip()
        if system not in _CODE_LENGTHS:
            raise ConfigError(f"{at}: system {system!r} must be function or economic")
        if not code.isdigit() or len(code) not in _CODE_LENGTHS[system] or not name:
            raise ConfigError(f"{at}: {code!r} is not a {system} code with a name")
        if (system, code) in names:
            raise ConfigError(f"{at}: {system} {code} is listed twice")
        names[(system, code)] = name
    return Classification(names)


# ---- checks ---------------------------------------------------------------------------------

# A rule's own settings: numbers become Decimal, other strings stay text, lists become
# tuples and tables dicts (of the same), so rules can be configured with word lists and maps.
Param = Decimal | str | bool | tuple[Any, ...] | dict[str, Any]


@dataclass(frozen=True)
class RuleConfig:
    slug: str
    enabled: bool
    severity: Severity
    params: dict[str, Param]

    def param(self, name: str) -> Any:
        """A setting of this rule; missing ones are a configuration error naming the key."""
        try:
            return self.params[name]
        except KeyError:
            raise ConfigError(f"config/checks.toml [{self.slug}]: missing `{name}`") from None

    def severity_of(self, name: str) -> Severity:
        """A second severity of this rule (e.g. the one for rounding drift)."""
        value = self.param(name)
        try:
            return Severity(value)
        except ValueError:
            raise ConfigError(f"config/checks.toml [{self.slug}].{name}: {value!r} must be "
                              "error, warning or info") from None


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


def _param(where: str, value: Any) -> Param:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return _decimal(where, value)
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, list):
        return tuple(_param(f"{where}[{i}]", v) for i, v in enumerate(value))
    if isinstance(value, dict):
        return {str(k): _param(f"{where}.{k}", v) for k, v in value.items()}
    raise ConfigError(f"{where}: {value!r} is not a number, text, list or table")


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
        params = {k: _param(f"{at}.{k}", v) for k, v in section.items()
                  if k not in {"enabled", "severity"}}
        rules[slug] = RuleConfig(slug, enabled, severity, params)
    return ChecksConfig(_decimal(f"{where} [rounding].pct_slack_points",
                                 rounding.get("pct_slack_points", "0.01")), rules)


def load_checks(path: Path | None = None, known: dict[str, set[str]] | None = None
                ) -> ChecksConfig:
    """Read `config/checks.toml`, validated against the rules that exist."""
    file = path or CONFIG_DIR / "checks.toml"
    return parse_checks(_read_toml(file), str(file), known)
