"""yoy-implied-prior: last year's figure a change implies must be what last year published.

`事业单位医疗 136.08 万元，比上年预算减少 45.12 万元` implies 181.20 for the year before; the
previous year's own general-budget table prints 191.20: error. The prior cell is found the
way claim-vs-table finds this year's (same scope, code or name; a 项 absent last year is 0);
claims whose scope has no table (机关运行经费) are compared with last year's claim of the
same subject. Only claims measured against the prior budget are checked: a change against
the prior year's execution (预算执行数) or against a wrong year (wrong-year) is not.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, DocData, bare, fmt, half, implied_prior, wan
from tasks.checks.lookup import claim_cell, scope_tables, within
from tasks.checks.tables import Cell
from tasks.contracts import Base, Claim, Finding

SLUG = "yoy-implied-prior"
PARAMS = {"bases"}


def prior_claim(prior: DocData, claim: Claim) -> Cell | None:
    """Last year's statement of the same subject in the same scope."""
    for other in prior.claims:
        if other.scope == claim.scope and other.amount is not None and \
                bare(other.subject) == bare(claim.subject):
            return Cell(other.amount, other.amount_decimals or 2, other.page,
                        f"the {prior.year} narrative's {other.subject}")
    return None


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    if ctx.prior is None:
        return
    bases = {Base(b) for b in rule.param("bases")}
    tables = {k: tuple(v) for k, v in ctx.rule("claim-vs-table").param("tables").items()}
    doc, prior = ctx.current, ctx.prior
    for claim in doc.claims:
        implied = implied_prior(claim)
        if implied is None or claim.base not in bases or claim.kind == "project":
            continue
        if claim.base_year is not None and claim.base_year != doc.year - 1:
            continue  # wrong-year's finding; its arithmetic is against another year
        if scope_tables(prior, claim.scope, tables):
            cell = claim_cell(prior, claim, tables, doc.is_section_total(claim),
                              dict(ctx.rule("claim-vs-table").param("section_totals")))
        else:
            cell = prior_claim(prior, claim)
        if cell is None:
            continue
        radius = half(claim.amount_decimals) + half(claim.change_decimals) + cell.radius
        if within(implied, cell.amount, radius):
            continue
        decimals = max(claim.amount_decimals or 2, claim.change_decimals or 2)
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=fmt(implied, decimals), expected=wan(cell.amount, cell.decimals),
            page=claim.page, evidence=claim.text, prior=True,
            message=(f"{claim.subject}: {fmt(claim.amount, claim.amount_decimals)} with a change"
                     f" of {fmt(claim.change_amount, claim.change_decimals)} implies "
                     f"{fmt(implied, decimals)} 万元 for {prior.year}; {cell.label} of the "
                     f"{prior.year} disclosure prints {wan(cell.amount, cell.decimals)}"))
