"""pct-zero-base: a percentage change on a prior of zero is undefined.

`50.00 万元，比上年预算增加 50.00 万元，增长 100.00%`: the prior is 0, so no percentage
follows; stating one is reported (warning). So is `2023年当年预算执行数为0.00万元，2024年预算
安排25.00万元，比2023年预算执行数增加100.00%`. 0.00% on an unchanged zero (0 → 0) is not.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, fmt, half, stated_base
from tasks.contracts import Finding

SLUG = "pct-zero-base"
PARAMS: set[str] = set()


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    for claim in ctx.current.claims:
        if claim.change_pct is None or claim.amount is None:
            continue
        if claim.change_amount is not None:
            prior = claim.amount - claim.change_amount
            radius = half(claim.amount_decimals) + half(claim.change_decimals)
            moved = claim.change_amount != 0
        elif (base := stated_base(claim)) is not None:
            prior, radius = base[0], half(base[1])
            moved = claim.amount != prior
        else:
            continue
        if abs(prior) > radius or not (moved or claim.change_pct != 0):
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=fmt(claim.change_pct, claim.pct_decimals, "%"), expected="undefined",
            message=(f"{claim.subject}: the prior is {fmt(prior, claim.amount_decimals)} 万元, "
                     "so a percentage change is undefined"),
            page=claim.page, evidence=claim.text, claim_id=claim.claim_id)
