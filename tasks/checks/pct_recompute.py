"""pct-recompute: a stated percentage must be reachable from the stated amount and change.

The prior is amount − change. `下降 16.86%` on `42,040.53 … 减少 8,524.52` recomputes to
8,524.52 / 50,565.05 = 16.8585…%, inside [16.855, 16.865): consistent. Signs are left to
direction-words; this rule compares magnitudes.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, Interval, change_claims, fmt, half, pct_range
from tasks.contracts import Finding, Severity

SLUG = "pct-recompute"
PARAMS: set[str] = set()


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    for claim in change_claims(ctx.current):
        if claim.change_pct is None:
            continue
        amount = Interval.printed(claim.amount, claim.amount_decimals)
        change = Interval.printed(abs(claim.change_amount), claim.change_decimals)
        sign = 1 if claim.change_amount >= 0 else -1
        reachable = pct_range(amount, change, sign)
        if reachable is None:
            continue  # a zero or negative base: pct-zero-base
        stated = Interval.printed(abs(claim.change_pct), claim.pct_decimals)
        if stated.overlaps(reachable):
            continue
        prior = claim.amount - claim.change_amount
        computed = abs(claim.change_amount) / prior * 100
        gap = reachable.distance(abs(claim.change_pct)) - half(claim.pct_decimals)
        severity = Severity.INFO if gap <= ctx.config.pct_slack_points else rule.severity
        yield Finding(
            rule=SLUG, severity=severity, subject=claim.subject, code=claim.code,
            stated=fmt(abs(claim.change_pct), claim.pct_decimals, "%"),
            expected=fmt(computed, claim.pct_decimals, "%"),
            message=(f"{claim.subject}: {fmt(abs(claim.change_amount), claim.change_decimals)}"
                     f" 万元 on a prior of {fmt(prior, claim.amount_decimals)} 万元 is "
                     f"{fmt(computed, 4)}%, not the stated "
                     f"{fmt(abs(claim.change_pct), claim.pct_decimals)}%"),
            page=claim.page, evidence=claim.text, claim_id=claim.claim_id)
