"""Where a narrative figure lives in the tables: the cell of a claim's own scope.

A claim is looked up only in the tables its scope names (config: `[claim-vs-table] tables`):
section 二 (income) in the income table, 三 (expense) in the expense table, 五 (gpb) in the
general-budget table, and so on. Inside that table:
- a coded claim (`2080106`, `205`) is the row with that code (absent: 0, the table has no
  such money);
- a named one is the row of that name (`公务接待费`), or the total row's column of that name
  (`基本支出`, `单位资金`, `公务用车购置及运行费` → its 小计);
- the figure a section is about (its first claim: `一般公共预算拨款合计`, `支出预算`) is the
  total row's total column.
Anything else is not looked up: no finding ever comes from a guess.
"""

from __future__ import annotations

from decimal import Decimal

from tasks.checks.base import ZERO, DocData, bare, same_name
from tasks.checks.tables import Cell, Table, code_cell, total_cell
from tasks.contracts import Claim


def scope_tables(doc: DocData, scope: str, tables: dict[str, tuple[str, ...]]) -> list[Table]:
    kinds = tables.get(scope, ())
    return [t for k in kinds for t in doc.grid.by_kind.get(k, [])]


def claim_cell(doc: DocData, claim: Claim, tables: dict[str, tuple[str, ...]],
               section_total: bool | None = None,
               totals_by: dict[str, str] | None = None) -> Cell | None:
    """The table figure a claim states, in `doc` (this year's or last year's document).

    `section_total` says whether the claim is its section's total; by default it is asked
    of `doc` itself (pass it when looking a current claim up in the prior document).
    """
    totals_by = totals_by or {}
    found = scope_tables(doc, claim.scope, tables)
    if not found:
        return None
    table = found[0]
    if claim.code:
        return code_cell(table, claim.code)
    side = "income" if table.two_sided else None
    rows = table.find_rows(claim.subject)
    if not rows:
        # a total named in the narrative (普陀 决算 三: `本年支出合计2940.05万元`) is that row,
        # not the table's grand total
        rows = [r for s in table.sides for r in table.rows[s]
                if r.kind == "total" and bare(r.name) == bare(claim.subject)]
    if len(rows) == 1:
        return rows[0].cell(table.total_column(rows[0].side))
    if rows:
        return None  # two rows of that name: ambiguous
    column = table.column_for(claim.subject, side)
    if column is not None:
        return total_cell(table, side, column)
    if section_total if section_total is not None else doc.is_section_total(claim):
        # a section's total is its own group's where the table prints more beside it
        # (西安: `“三公”经费预算/小计 6.00` beside 会议费 2.00 under one 合计 8.00)
        word = totals_by.get(claim.scope)
        return total_cell(table, side, table.group_total(word, side) if word else None)
    return None


def project_cells(doc: DocData, claim: Claim, tables: dict[str, tuple[str, ...]]
                  ) -> tuple[Table | None, list[Cell]]:
    """A project claim's table (by scope) and the amounts that would make it right: the
    project's total over all its rows, and per budget unit (a project run by two units)."""
    found = scope_tables(doc, claim.scope, tables)
    if not found:
        return None, []
    table = found[0]
    name = bare(claim.subject)
    rows = [r for s in table.sides for r in table.rows[s]
            if r.project and bare(r.project) == name
            and (not claim.budget_unit or same_name(r.budget_unit, claim.budget_unit))]
    if not rows:
        return table, []
    column = table.total_column(rows[0].side)
    groups: dict[str | None, list[Cell]] = {None: []}
    for r in rows:
        cell = r.cell(column)
        if cell:
            groups[None].append(cell)
            groups.setdefault(r.budget_unit or "", []).append(cell)
    out = []
    for cells in groups.values():
        if cells:
            out.append(Cell(sum((c.amount for c in cells), ZERO), max(c.decimals for c in cells),
                            cells[0].page, f"{table.label} {claim.subject}", len(cells)))
    return table, out


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate sharing the longest prefix with `name` (for `expected`)."""
    def common(a: str, b: str) -> int:
        return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                    min(len(a), len(b)))
    target = bare(name)
    return max(candidates, key=lambda c: (common(bare(c), target), c), default=None)


def within(a: Decimal, b: Decimal, radius: Decimal) -> bool:
    return abs(a - b) <= radius
