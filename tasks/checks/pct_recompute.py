"""pct-recompute: a stated percentage must be reachable from the stated figures.

The prior is amount − change (`42,040.53 … 减少 8,524.52` → 50,565.05), or the base the
sentence states (`2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数
减少57.14%`). `下降 16.86%` recomputes to 8,524.52 / 50,565.05 = 16.8585…%, inside
[16.855, 16.865): consistent. Every figure is an interval of ± half its last digit; a stated
percentage within `pct_slack_points` beyond the reachable interval is info (truncation),
beyond that error. Signs are left to direction-words: this rule compares magnitudes.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import (
    HUNDRED,
    Context,
    Interval,
    fmt,
    half,
    pct_range,
    stated_base,
)
from tasks.contracts import Claim, Finding, Severity

SLUG = "pct-recompute"
PARAMS: set[str] = set()


def reachable(claim: Claim) -> tuple[Interval, Interval, Interval] | None:
    """(percentages reachable, the prior's interval, the change's magnitude interval)."""
    amount = Interval.printed(claim.amount, claim.amount_decimals)
    if claim.change_amount is not None:
        change = Interval.printed(abs(claim.change_amount), claim.change_decimals)
        sign = 1 if claim.change_amount >= 0 else -1
        prior = Interval(amount.lo - sign * change.hi, amount.hi - sign * change.lo) \
            if sign > 0 else Interval(amount.lo + change.lo, amount.hi + change.hi)
        found = pct_range(amount, change, sign)
        return (found, prior, change) if found else None
    base = stated_base(claim)
    if base is None:
        return None
    prior = Interval.printed(*base)
    if prior.lo <= 0:
        return None  # a zero base: pct-zero-base
    corners = [HUNDRED * abs(a - b) / b for a in (amount.lo, amount.hi)
               for b in (prior.lo, prior.hi)]
    lo = 0 if prior.overlaps(amount) else min(corners)
    change = Interval(abs(claim.amount - base[0]), abs(claim.amount - base[0]))
    return Interval(lo, max(corners)), prior, change


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    for claim in ctx.current.claims:
        if claim.change_pct is None or claim.amount is None:
            continue
        found = reachable(claim)
        if found is None:
            continue
        pcts, prior, change = found
        stated = Interval.printed(abs(claim.change_pct), claim.pct_decimals)
        if stated.overlaps(pcts):
            continue
        middle = (prior.lo + prior.hi) / 2
        magnitude = (change.lo + change.hi) / 2
        computed = magnitude / middle * HUNDRED
        gap = pcts.distance(abs(claim.change_pct)) - half(claim.pct_decimals)
        severity = Severity.INFO if gap <= ctx.config.pct_slack_points else rule.severity
        decimals = claim.amount_decimals
        yield Finding(
            rule=SLUG, severity=severity, subject=claim.subject, code=claim.code,
            stated=fmt(abs(claim.change_pct), claim.pct_decimals, "%"),
            expected=fmt(computed, claim.pct_decimals, "%"),
            message=(f"{claim.subject}: {fmt(magnitude, decimals)} 万元 on a prior of "
                     f"{fmt(middle, decimals)} 万元 is {fmt(computed, 4)}%, not the stated "
                     f"{fmt(abs(claim.change_pct), claim.pct_decimals)}%"),
            page=claim.page, evidence=claim.text, claim_id=claim.claim_id)
