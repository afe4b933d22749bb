"""Reading configuration files: TOML with errors that name the file and the key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tasks.errors import ConfigError


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


_DEPARTMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
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
