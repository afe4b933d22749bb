"""A change claim against the previous year's disclosure: last year's figure for the same
subject and scope, and which stated figure it contradicts.

A claim states an amount A, a change C and often a percentage P; last year published B.
Three figures, one identity each way: A − C = B and |A − B| / B = P. When the stated
percentage agrees with both documents and the change does not (`6,818.55 万元，增加 392.92
万元，增长 5.95%`, last year 6,435.63: 382.92 / 6,435.63 = 5.95%), the change is the wrong
figure; when the change agrees with both documents and the percentage does not, the
percentage is. yoy-implied-prior and pct-recompute both read this, so that one mistake is
one finding, naming the figure that is wrong.
"""

from __future__ import annotations

from tasks.checks.base import (
    Context,
    DocData,
    Interval,
    bare,
    half,
    implied_prior,
    pct_between,
)
from tasks.checks.lookup import claim_cell, scope_tables, within
from tasks.checks.tables import Cell
from tasks.contracts import Base, Claim

YOY = "yoy-implied-prior"


def prior_claim(prior: DocData, claim: Claim) -> Cell | None:
    """Last year's statement of the same subject in the same scope."""
    for other in prior.claims:
        if other.scope == claim.scope and other.amount is not None and \
                bare(other.subject) == bare(claim.subject):
            return Cell(other.amount, other.amount_decimals or 2, other.page,
                        f"the {prior.year} narrative's {other.subject}")
    return None


def prior_cell(ctx: Context, claim: Claim) -> Cell | None:
    """Last year's figure for a change claim measured against last year's budget, found the
    way claim-vs-table finds this year's (same scope, code or name; a 项 absent last year is
    0); claims whose scope has no table are compared with last year's claim of the same
    subject. None when there is no prior document, the claim states no amount and change,
    its base is not last year's budget (`[yoy-implied-prior] bases`), or it names another
    year (wrong-year's finding)."""
    if ctx.prior is None or implied_prior(claim) is None or claim.kind == "project":
        return None
    if claim.base not in {Base(b) for b in ctx.rule(YOY).param("bases")}:
        return None
    if claim.base_year is not None and claim.base_year != ctx.current.year - 1:
        return None
    tables = {k: tuple(v) for k, v in ctx.rule("claim-vs-table").param("tables").items()}
    if scope_tables(ctx.prior, claim.scope, tables):
        return claim_cell(ctx.prior, claim, tables, ctx.current.is_section_total(claim),
                          dict(ctx.rule("claim-vs-table").param("section_totals")))
    return prior_claim(ctx.prior, claim)


def change_agrees(claim: Claim, cell: Cell) -> bool:
    """Does amount − change equal last year's figure, within the three roundings?"""
    radius = half(claim.amount_decimals) + half(claim.change_decimals) + cell.radius
    return within(implied_prior(claim), cell.amount, radius)


def pct_agrees(claim: Claim, cell: Cell) -> bool:
    """Does the stated percentage follow from this year's amount and last year's figure
    (any values inside the printed intervals), with the direction it states?"""
    if claim.change_pct is None or claim.amount is None:
        return False
    amount = Interval.printed(claim.amount, claim.amount_decimals)
    prior = Interval(cell.amount - cell.radius, cell.amount + cell.radius)
    reachable = pct_between(amount, prior)
    if reachable is None:
        return False
    if not Interval.printed(abs(claim.change_pct), claim.pct_decimals).overlaps(reachable):
        return False
    if claim.change_pct == 0 or amount.overlaps(prior):
        return True  # no direction to contradict
    return (claim.amount > cell.amount) == (claim.change_pct > 0)


def wrong_change(ctx: Context, claim: Claim) -> Cell | None:
    """Last year's figure when it shows the stated change to be the wrong figure: the
    stated percentage agrees with both documents, the stated change does not. Only while
    yoy-implied-prior is enabled, which reports it."""
    if not ctx.rule(YOY).enabled:
        return None
    cell = prior_cell(ctx, claim)
    if cell is None or change_agrees(claim, cell) or not pct_agrees(claim, cell):
        return None
    return cell
