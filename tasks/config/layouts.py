"""Table layouts (`config/tables.toml`: kinds, columns, core tables, section scopes) and the
reference names of the classification codes (`config/classification.csv`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tasks.config.environment import CONFIG_DIR
from tasks.config.files import _read_toml, _unknown_keys
from tasks.errors import ConfigError

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
class RoleWords:
    """Header words that vote for a column role (tasks/extract/layout.py)."""

    role: str
    header: tuple[re.Pattern[str], ...]  # searched in the column's own header text
    path: tuple[re.Pattern[str], ...] = ()  # searched in its whole header path


# The roles header words may propose; content proposes code, percent, row-number and amount.
ROLE_NAMES = ("row-number", "sequence", "percent", "change", "prior", "part")


@dataclass(frozen=True)
class Layouts:
    kinds: tuple[TableKind, ...]
    columns: tuple[ColumnKey, ...]
    sections: tuple[SectionScope, ...] = ()
    core: tuple[CoreTables, ...] = ()
    roles: tuple[RoleWords, ...] = ()

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
    _unknown_keys(str(file), data, {"kind", "column", "section", "core", "role"})
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
    roles = []
    for i, entry in enumerate(data.get("role", [])):
        at = f"{file} role[{i}]"
        _unknown_keys(at, entry, {"role", "header", "path"})
        if entry.get("role") not in ROLE_NAMES or "header" not in entry:
            raise ConfigError(f"{at}: needs `header` and a `role` among {', '.join(ROLE_NAMES)}")
        roles.append(RoleWords(entry["role"], _patterns(f"{at}.header", entry["header"]),
                               _patterns(f"{at}.path", entry.get("path", []))))
    return Layouts(tuple(kinds), tuple(columns), tuple(sections), tuple(core), tuple(roles))


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
