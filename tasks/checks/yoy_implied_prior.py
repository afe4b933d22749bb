"""yoy-implied-prior: last year's figure a change implies must be what last year published.

`事业单位医疗 136.08 万元，比上年预算减少 45.12 万元` implies 181.20 for the year before; the
previous year's own general-budget table prints 191.20: error. The prior cell is found the
way claim-vs-table finds this year's (same scope, code or name; a 项 absent last year is 0);
claims whose scope has no table (机关运行经费) are compared with last year's claim of the
same subject. Only claims measured against the prior budget are checked: a change against
the prior year's execution (预算执行数) or against a wrong year (wrong-year) is not.

When the stated percentage agrees with both documents and the change does not, the finding
names the change as the wrong figure, with the change both documents and the percentage
imply (`增加 392.92 万元，增长 5.95%`: 382.92); pct-recompute then leaves that claim to it
(tasks/checks/prior.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, fmt, implied_prior, wan
from tasks.checks.prior import change_agrees, pct_agrees, prior_cell
from tasks.checks.tables import Cell
from tasks.contracts import Claim, Finding

SLUG = "yoy-implied-prior"
PARAMS = {"bases"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    for claim in ctx.current.claims:
        cell = prior_cell(ctx, claim)
        if cell is None or change_agrees(claim, cell):
            continue
        if pct_agrees(claim, cell):
            yield _wrong_change(ctx, claim, cell)
            continue
        implied = implied_prior(claim)
        decimals = max(claim.amount_decimals or 2, claim.change_decimals or 2)
        year = ctx.prior.year
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=fmt(implied, decimals), expected=wan(cell.amount, cell.decimals),
            page=claim.page, evidence=claim.text, prior=True, claim_id=claim.claim_id,
            message=(f"{claim.subject}: {fmt(claim.amount, claim.amount_decimals)} with a change"
                     f" of {fmt(claim.change_amount, claim.change_decimals)} implies "
                     f"{fmt(implied, decimals)} 万元 for {year}; {cell.label} of the "
                     f"{year} disclosure prints {wan(cell.amount, cell.decimals)}"))


def _wrong_change(ctx: Context, claim: Claim, cell: Cell) -> Finding:
    """The change is the wrong figure: amount − last year's figure is what the percentage
    says, and not what the change says."""
    decimals = claim.change_decimals if claim.change_decimals is not None else 2
    right = abs(claim.amount - cell.amount)
    year, pct = ctx.prior.year, fmt(abs(claim.change_pct), claim.pct_decimals, "%")
    word = claim.change_word or ""
    return Finding(
        rule=SLUG, severity=ctx.rule(SLUG).severity, subject=claim.subject, code=claim.code,
        stated=fmt(abs(claim.change_amount), decimals), expected=fmt(right, decimals),
        page=claim.page, evidence=claim.text, prior=True, claim_id=claim.claim_id,
        message=(f"{claim.subject}: the change is the wrong figure: "
                 f"{fmt(claim.amount, claim.amount_decimals)} 万元 against {cell.label} of the "
                 f"{year} disclosure ({wan(cell.amount, cell.decimals)}) is a change of "
                 f"{fmt(right, decimals)} 万元, which the stated {pct} confirms; the stated "
                 f"{word}{fmt(abs(claim.change_amount), decimals)} 万元 implies "
                 f"{fmt(implied_prior(claim), decimals)} 万元 for {year}"))
