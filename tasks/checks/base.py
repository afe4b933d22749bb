"""What every rule shares: the documents it reads, its configuration, the arithmetic of
printed figures (each one an interval of ± half its last digit) and the normalisation of
names that lets a narrative subject meet a table row."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from tasks.config import ChecksConfig, RuleConfig
from tasks.contracts import (
    Claim,
    ClaimPart,
    Fact,
    LineItem,
    NarrativeSentence,
    Severity,
    TableColumn,
    TableInfo,
)

HUNDRED = Decimal(100)
ZERO = Decimal(0)
_CODED = re.compile(r"\((类|款|项)\)")
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.、](?!\d)|\(\d{1,2}\)|\([一二三四五六七八九十]+\)|"
                        r"[一二三四五六七八九十]+是)")


@dataclass
class DocData:
    """One loaded document, as the rules see it. Claims are in reading order."""

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
    columns: list[TableColumn] = field(default_factory=list)  # each table's column roles

    @cached_property
    def parts_of(self) -> dict[str, list[ClaimPart]]:
        out: dict[str, list[ClaimPart]] = defaultdict(list)
        for part in self.claim_parts:
            out[part.claim_id].append(part)
        return out

    @cached_property
    def grid(self):  # -> tables.Grid; imported late, tables.py builds on this module
        from tasks.checks.tables import Grid
        return Grid(self)

    @cached_property
    def section_heads(self) -> dict[str, Claim]:
        """The first claim of each section: the figure the section is about (its total).

        A section whose first figure is an item of a numbered list (北京 二(一): the heading
        `（一）本年财政拨款收入 110387.98 万元` over `1.一般公共预算拨款收入 110387.98 万元`) states
        no total of its own in its sentences."""
        out: dict[str, Claim | None] = {}
        for claim in self.claims:
            if claim.kind != "project" and claim.amount is not None \
                    and claim.section not in out:
                out[claim.section] = None if _LIST_ITEM.match(norm(claim.text)) else claim
        return {k: v for k, v in out.items() if v is not None}

    @cached_property
    def section_scopes(self) -> dict[str, set[str | None]]:
        """The scopes the narrative's sections have, by section path."""
        out: dict[str, set[str | None]] = defaultdict(set)
        for s in self.sentences:
            out[s.section].add(s.scope)
        return out

    def is_section_total(self, claim: Claim) -> bool:
        """Whether a claim states its section's total (`一般公共预算拨款合计`, `“三公”经费`).

        Only in a section of the claim's own scope: a claim whose scope comes from its
        subject alone (重庆 五(五) `委托业务费涉及财政拨款资金 6,265.73 万元` in a section on
        委托业务费) is not the total of the 财政拨款 table."""
        scopes = self.section_scopes.get(claim.section)
        if scopes and claim.scope not in scopes:
            return False
        head = self.section_heads.get(claim.section)
        # a section opening on a share (占 x%) states no total of its own; a 类/款/项 subject
        # is an item even when its code was not resolved
        return head is not None and head.share_pct is None and not claim.code \
            and not _CODED.search(norm(claim.subject)) \
            and (head is claim or (bare(head.subject) == bare(claim.subject)
                                   and head.amount == claim.amount))

    @cached_property
    def units(self) -> list[str]:
        """The budget units the overview lists (本级 included)."""
        return [f.subject for f in self.facts if f.kind == "unit"]


@dataclass
class Context:
    """What a rule is given: this year's document, last year's if loaded, and settings."""

    current: DocData
    prior: DocData | None
    config: ChecksConfig

    def rule(self, slug: str) -> RuleConfig:
        return self.config.rule(slug)


# ---- rounding -------------------------------------------------------------------------------

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


def pct_between(amount: Interval, prior: Interval) -> Interval | None:
    """All values of 100·|a − b|/b for a in `amount` and b in `prior`: the percentage change
    from a printed prior to a printed amount. None when the prior can be zero or negative.
    Monotonic in each argument where b > 0, so the extremes lie at the corners; 0 is reached
    when the two intervals overlap."""
    if prior.lo <= 0:
        return None
    corners = [HUNDRED * abs(a - b) / b for a in (amount.lo, amount.hi)
               for b in (prior.lo, prior.hi)]
    return Interval(0 if prior.overlaps(amount) else min(corners), max(corners))


def sum_drift(stated: Decimal, parts: list[Decimal], decimals: list[int]) -> tuple[
        Decimal, Decimal]:
    """(|stated − Σ parts|, the drift n rounded addends can explain: n × half a unit)."""
    diff = abs(stated - sum(parts, ZERO))
    return diff, len(parts) * max((half(d) for d in decimals), default=ZERO)


def sum_severity(rule: RuleConfig, stated: Decimal, parts: Sequence[Any]) -> Severity | None:
    """How a stated total that is not the sum of its parts (anything with `amount` and
    `decimals`) is reported: not at all when exact, the rule's drift severity when n rounded
    addends can explain the gap, its own severity beyond that."""
    diff, drift = sum_drift(stated, [p.amount for p in parts], [p.decimals for p in parts])
    if diff == 0:
        return None
    return rule.severity_of("drift_severity") if diff <= drift else rule.severity


# ---- printing -------------------------------------------------------------------------------

def fmt(value: Decimal | None, decimals: int | None = 2, suffix: str = "") -> str:
    """A figure printed the way the document prints it."""
    if value is None:
        return "—"
    d = decimals if decimals is not None else 2
    return f"{value:,.{d}f}{suffix}"


def plain(value: Decimal) -> str:
    """A count as printed: `4`, not the warehouse's `4.000000`."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan(value: Decimal | None, decimals: int | None) -> str:
    """A 万元 amount; 元 tables convert with 6 decimals, shown without trailing zeros past 2."""
    if value is None:
        return "—"
    text = fmt(value, decimals)
    if "." in text and (decimals or 0) > 2:
        text = text.rstrip("0")
        if len(text.split(".")[1]) < 2:
            text = fmt(value, 2)
    return text


# ---- names ----------------------------------------------------------------------------------

def norm(text: str | None) -> str:
    """NFKC, no white space: the form every name is compared in."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


_NUMBERING = re.compile(r"^(?:[(]?[一二三四五六七八九十]+[)、.]|[(]?\d{1,2}[).、](?!\d)|其中[:,]?)+")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_FEE = re.compile(r"经费|费用")


def bare(text: str | None) -> str:
    """A row or subject name without numbering (`一、`, `1.`, `(二)`), `其中:` or quotes."""
    return _NUMBERING.sub("", _QUOTES.sub("", norm(text)))


def same_name(a: str | None, b: str | None) -> bool:
    """Two printed names of one thing: `上级一般公共预算安排的转移支付资金` and
    `上级一般公共预算安排的转移支付`; `五、事业收入` and `事业收入`."""
    x, y = bare(a), bare(b)
    if not x or not y:
        return False
    if x == y:
        return True
    # `因公出国(境)经费` (福州 六(一)) is the table's `因公出国(境)费用`
    x, y = _FEE.sub("费", x), _FEE.sub("费", y)
    strip = re.compile(r"(预算支出|预算数|预算|资金|收入|\(小计\)|小计)$")
    return strip.sub("", x) == strip.sub("", y) != ""


# ---- claims ---------------------------------------------------------------------------------

def change_claims(doc: DocData) -> Iterator[Claim]:
    """Claims that state an amount together with a change."""
    for claim in doc.claims:
        if claim.amount is not None and claim.change_amount is not None:
            yield claim


def direction(claim: Claim) -> int:
    """+1 for an increase, −1 for a decrease, 0 for no change (持平 / 0.00)."""
    if claim.change_amount is None:
        return 0
    return (claim.change_amount > 0) - (claim.change_amount < 0)


def implied_prior(claim: Claim) -> Decimal | None:
    """Last year's figure the claim implies: amount − signed change."""
    if claim.amount is None or claim.change_amount is None:
        return None
    return claim.amount - claim.change_amount


def stated_base(claim: Claim) -> tuple[Decimal, int | None] | None:
    """The base a sentence states outright, with its decimals (`2023年当年预算执行数为60.13万元`)."""
    if claim.base_amount is None:
        return None
    return claim.base_amount, claim.base_amount_decimals


def states_change(claim: Claim) -> bool:
    """Whether a claim states a change at all (an amount, a percentage or 持平)."""
    return claim.change_amount is not None or claim.change_pct is not None
