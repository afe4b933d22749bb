"""pct-recompute: a stated percentage must be reachable from the stated figures.

The prior is amount − change (`42,040.53 … 减少 8,524.52` → 50,565.05), or the base the
sentence states (`2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数
减少57.14%`). `下降 16.86%` recomputes to 8,524.52 / 50,565.05 = 16.8585…%, inside
[16.855, 16.865): consistent. Every figure is an interval of ± half its last digit; a stated
percentage within `pct_slack_points` beyond the reachable interval is info (truncation),
beyond that error. Signs are left to direction-words: this rule compares magnitudes.

With last year's disclosure loaded (tasks/checks/prior.py): a percentage that agrees with
both documents while the change does not is not this rule's finding, but yoy-implied-prior's,
which names the change as the wrong figure; a change that agrees with both documents makes
the percentage the wrong figure, and the finding says so.

A change and percentage that agree with each other on another amount their sentence states
(西安 `财政拨款收入 337,741.21 万元 … 一般公共预算拨款收入 324,638.50 万元 … 减少 130,014.30 万元，
下降 27.80%`: right for the first, read under the second) may belong to that amount: then
which figure they speak of is unclear, and the finding is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from tasks.checks.base import (
    HUNDRED,
    Context,
    Interval,
    fmt,
    half,
    norm,
    pct_between,
    pct_range,
    stated_base,
    wan,
)
from tasks.checks.prior import change_agrees, prior_cell, wrong_change
from tasks.contracts import Claim, Finding, Severity

SLUG = "pct-recompute"
PARAMS = {"elsewhere_severity"}
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)万元")


def fits_other_amount(claim: Claim, stated: Interval) -> bool:
    """Whether the stated change and percentage agree on another amount of the sentence."""
    if claim.change_amount is None:
        return False
    change = Interval.printed(abs(claim.change_amount), claim.change_decimals)
    sign = 1 if claim.change_amount >= 0 else -1
    for m in _AMOUNT.finditer(norm(claim.text)):
        text = m.group(1).replace(",", "")
        value = Decimal(text)
        if value in (claim.amount, abs(claim.change_amount)):
            continue
        places = len(text.split(".")[1]) if "." in text else 0
        found = pct_range(Interval.printed(value, places), change, sign)
        if found and stated.overlaps(found):
            return True
    return False


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
    found = pct_between(amount, prior)
    if found is None:
        return None  # a zero base: pct-zero-base
    change = Interval(abs(claim.amount - base[0]), abs(claim.amount - base[0]))
    return found, prior, change


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
        if stated.overlaps(pcts) or wrong_change(ctx, claim) is not None:
            continue
        middle = (prior.lo + prior.hi) / 2
        magnitude = (change.lo + change.hi) / 2
        computed = magnitude / middle * HUNDRED
        gap = pcts.distance(abs(claim.change_pct)) - half(claim.pct_decimals)
        severity = Severity.INFO if gap <= ctx.config.pct_slack_points else (
            rule.severity_of("elsewhere_severity") if fits_other_amount(claim, stated)
            else rule.severity)
        decimals = claim.amount_decimals
        message = (f"{claim.subject}: {fmt(magnitude, decimals)} 万元 on a prior of "
                   f"{fmt(middle, decimals)} 万元 is {fmt(computed, 4)}%, not the stated "
                   f"{fmt(abs(claim.change_pct), claim.pct_decimals)}%")
        cell = prior_cell(ctx, claim)
        confirmed = cell is not None and change_agrees(claim, cell)
        if confirmed:
            message += (f"; {cell.label} of the {ctx.prior.year} disclosure prints "
                        f"{wan(cell.amount, cell.decimals)}, as the change implies: the "
                        "percentage is the wrong figure")
        yield Finding(
            rule=SLUG, severity=severity, subject=claim.subject, code=claim.code,
            stated=fmt(abs(claim.change_pct), claim.pct_decimals, "%"),
            expected=fmt(computed, claim.pct_decimals, "%"), message=message,
            page=claim.page, evidence=claim.text, claim_id=claim.claim_id, prior=confirmed)
