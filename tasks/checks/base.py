"""What every rule shares: the documents it reads, its configuration, and the arithmetic
of printed figures (each one an interval of ± half its last digit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from tasks.config import ChecksConfig, RuleConfig
from tasks.contracts import Claim, ClaimPart, Fact, LineItem, NarrativeSentence, TableInfo

HUNDRED = Decimal(100)


@dataclass
class DocData:
    """One loaded document, as the rules see it."""

    doc_id: str
    department: str
    year: int
    kind: str
    name: str
    line_items: list[LineItem] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    claim_parts: list[ClaimPart] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    tables: list[TableInfo] = field(default_factory=list)
    sentences: list[NarrativeSentence] = field(default_factory=list)

    @cached_property
    def parts_of(self) -> dict[str, list[ClaimPart]]:
        out: dict[str, list[ClaimPart]] = defaultdict(list)
        for part in self.claim_parts:
            out[part.claim_id].append(part)
        return out


@dataclass
class Context:
    """What a rule is given: this year's document, last year's if loaded, and settings."""

    current: DocData
    prior: DocData | None
    config: ChecksConfig

    def rule(self, slug: str) -> RuleConfig:
        return self.config.rule(slug)


def half(decimals: int | None) -> Decimal:
    """Rounding radius of a figure printed with `decimals` decimals."""
    return Decimal(5).scaleb(-((decimals if decimals is not None else 2) + 1))


@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @classmethod
    def printed(cls, value: Decimal, decimals: int | None) -> Interval:
        h = half(decimals)
        return cls(value - h, value + h)

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def distance(self, value: Decimal) -> Decimal:
        if value < self.lo:
            return self.lo - value
        if value > self.hi:
            return value - self.hi
        return Decimal(0)

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi


def pct_range(amount: Interval, change: Interval, sign: int) -> Interval | None:
    """All values of 100·c/(a − sign·c) for a in `amount` and magnitudes c in `change`.

    None when the prior a − sign·c can be zero or negative. Where the prior is positive the
    expression is monotonic in each argument, so its extremes lie at the box's corners.
    """
    corners = [(a, c) for a in (amount.lo, amount.hi) for c in (change.lo, change.hi)]
    if min(a - sign * c for a, c in corners) <= 0:
        return None
    values = [HUNDRED * c / (a - sign * c) for a, c in corners]
    return Interval(min(values), max(values))


def fmt(value: Decimal | None, decimals: int | None = 2, suffix: str = "") -> str:
    """A figure printed the way the document prints it."""
    if value is None:
        return "—"
    d = decimals if decimals is not None else 2
    return f"{value:,.{d}f}{suffix}"


def change_claims(doc: DocData) -> Iterator[Claim]:
    """Claims that state an amount together with a change."""
    for claim in doc.claims:
        if claim.amount is not None and claim.change_amount is not None:
            yield claim
