"""Answer keys of the fixture documents (tests/fixtures/*/answer-key.toml) and how findings
are matched against them. See tests/fixtures/README.md for the format."""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tasks.contracts import Finding

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class KeyEntry:
    rule: str
    severity: str
    code: str | None
    subject: str | None
    table_kind: str | None
    column: str | None
    page: int | None
    origin: str
    note: str

    def matches(self, f: Finding) -> bool:
        return (f.rule == self.rule and f.severity.value == self.severity
                and (self.code is None or f.code == self.code)
                and (self.subject is None or _norm(self.subject) in _norm(f.subject))
                and (self.table_kind is None or f.table_kind == self.table_kind)
                and (self.column is None or f.column_name == self.column)
                and (self.page is None or f.page == self.page))


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class AnswerKey:
    folder: str
    department: str
    year: int
    prior: str | None
    entries: tuple[KeyEntry, ...]


def load_key(folder: str) -> AnswerKey:
    data = tomllib.loads((FIXTURES / folder / "answer-key.toml").read_text(encoding="utf-8"))
    entries = tuple(KeyEntry(e["rule"], e["severity"], e.get("code"), e.get("subject"),
                             e.get("table_kind"), e.get("column"), e.get("page"),
                             e.get("origin", "injected"), e.get("note", ""))
                    for e in data.get("finding", []))
    return AnswerKey(folder, data["department"], data["year"], data.get("prior"), entries)


def match(entries: tuple[KeyEntry, ...] | list[KeyEntry], findings: list[Finding]
          ) -> tuple[list[KeyEntry], list[Finding], list[tuple[KeyEntry, list[Finding]]]]:
    """(entries no finding matched, findings no entry matched, entries matched twice)."""
    missing, doubled = [], []
    used: set[int] = set()
    for entry in entries:
        hits = [i for i, f in enumerate(findings) if entry.matches(f)]
        if not hits:
            missing.append(entry)
        elif len(hits) > 1:
            doubled.append((entry, [findings[i] for i in hits]))
        used.update(hits)
    extra = [f for i, f in enumerate(findings) if i not in used]
    return missing, extra, doubled
