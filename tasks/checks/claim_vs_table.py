"""claim-vs-table: a narrative amount must equal the table cell of its own scope.

Section 五(三) `行政运行 4,764.82 万元` against the general-budget table's row 2080101
(4,746.82): error. Which tables a scope speaks of is configured; inside them the claim's
code, its section's total, or its name selects the cell (tasks/checks/lookup.py). A 项 the
table does not list counts as 0. A project's amount is checked against the project's rows.
Tolerance: the two roundings (元 tables are converted exactly).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from tasks.checks.base import Context, fmt, half, wan
from tasks.checks.lookup import claim_cell, project_cells, within
from tasks.config import load_layouts
from tasks.contracts import Finding

SLUG = "claim-vs-table"
PARAMS = {"tables", "project_tables", "section_totals"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    tables = {k: tuple(v) for k, v in rule.param("tables").items()}
    project_tables = {k: tuple(v) for k, v in rule.param("project_tables").items()}
    section_totals = dict(rule.param("section_totals"))
    doc = ctx.current
    seen: set[tuple] = set()
    for claim in doc.claims:
        if claim.amount is None:
            continue
        # `…总计0.3万元。与2023年度相比，…总计持平。`: the second restates the first's amount
        stated = (claim.section, claim.scope, claim.subject, claim.amount)
        if stated in seen:
            continue
        seen.add(stated)
        if claim.kind == "project":
            table, cells = project_cells(doc, claim, project_tables)
        else:
            cell = claim_cell(doc, claim, tables, totals_by=section_totals)
            table, cells = None, [cell] if cell else []
        if not cells:
            continue
        radius = half(claim.amount_decimals)
        if any(within(claim.amount, c.amount, radius + c.radius) for c in cells):
            continue
        # a subject naming another scope than its section's (西安 `财政拨款收入预算总计` in the
        # section on 收支预算总体情况) may speak of that scope's table: a match there is none
        own = load_layouts().scope_of(claim.subject)
        if own and own != claim.scope and claim.kind != "project":
            # (the subject names that scope's money as a whole: its table's total)
            other = claim_cell(doc, replace(claim, scope=own), tables, section_total=True,
                               totals_by=section_totals)
            if other is not None and within(claim.amount, other.amount,
                                            radius + other.radius):
                continue
        cell = cells[0]
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=fmt(claim.amount, claim.amount_decimals),
            expected=wan(cell.amount, cell.decimals), page=claim.page,
            table_kind=table.kind if table else None, evidence=claim.text,
            tables=tuple({c.table_no for c in cells if c.table_no is not None}),
            message=(f"{claim.subject}: the narrative states "
                     f"{fmt(claim.amount, claim.amount_decimals)} 万元, {cell.label} prints "
                     f"{wan(cell.amount, cell.decimals)}"))
