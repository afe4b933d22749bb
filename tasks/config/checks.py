"""Thresholds and severities of the rules (`config/checks.toml`), validated against the rules
that exist."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tasks.config.environment import CONFIG_DIR
from tasks.config.files import _read_toml, _unknown_keys
from tasks.contracts import Severity
from tasks.errors import ConfigError

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
