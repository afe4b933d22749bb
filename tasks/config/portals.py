"""Portals: listing pages to discover disclosures from, what to look for, how politely
to fetch (`[[portal]]` in the sources file)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from tasks.config.files import _DEPARTMENT_ID, _HOST, _check_url, _unknown_keys
from tasks.contracts import Kind
from tasks.errors import ConfigError

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
    read_timeout: float = 60.0  # silence allowed between two pieces of an answer
    download_timeout: float = 600.0  # a whole body, however it trickles in
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
                "read_timeout", "download_timeout", "delay_seconds", "retries", "backoff_seconds",
                "max_mb"}
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
        download_timeout=_number(f"{at}.download_timeout", entry.get("download_timeout", 600),
                                 0.01, 24 * 3600),
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
