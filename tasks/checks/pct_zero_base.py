"""pct-zero-base: a percentage change on a prior of zero is undefined.

`50.00 万元，比上年预算增加 50.00 万元，增长 100.00%`: the prior is 0, so no percentage
follows; stating one is reported (warning). 0.00% on an unchanged zero is not.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, change_claims, fmt, half
from tasks.contracts import Finding

SLUG = "pct-zero-base"
PARAMS: set[str] = set()


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    for claim in change_claims(ctx.current):
        if claim.change_pct is None:
            continue
        prior = claim.amount - claim.change_amount
        if abs(prior) > half(claim.amount_decimals) + half(claim.change_decimals):
            continue
        if claim.change_pct == 0 and claim.change_amount == 0:
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=fmt(claim.change_pct, claim.pct_decimals, "%"), expected="undefined",
            message=(f"{claim.subject}: the prior is {fmt(claim.amount, claim.amount_decimals)}"
                     f" − {fmt(claim.change_amount, claim.change_decimals)} = "
                     f"{fmt(prior, claim.amount_decimals)} 万元, so a percentage change is "
                     "undefined"),
            page=claim.page, evidence=claim.text, claim_id=claim.claim_id)
