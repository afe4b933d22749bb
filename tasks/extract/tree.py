"""The structure of a table's rows: which rows are the parents of which, and whether each
parent equals the sum of its children within the printed rounding.

Parents come from the codes (a 7-digit 项 under the longest printed prefix of it: its 款, or
its 类 when the 款 is not printed), from the indentation where a table prints names without
codes (Hangzhou), from the budget-unit rows of project tables (表7), and from the 合计/总计
row over the top level. Real disclosures are nearly always consistent, so a low share of
consistent parents points at the extractor; `yusuan eval` reports it, and the
parent-equals-children check of compare-years can build on the same relations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tasks.contracts import LineItem
from tasks.extract.rows import is_total


@dataclass(frozen=True)
class TableRow:
    """One printed row of one list of a table, with its amounts by column."""

    table_no: int
    segment: int
    row_no: int
    code: str | None
    name: str
    level: int | None
    budget_unit: str | None
    page: int
    table_kind: str
    amounts: dict[str, LineItem]

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.table_no, self.segment, self.row_no)


@dataclass(frozen=True)
class SumCheck:
    """A parent cell against the sum of its children's cells in the same column."""

    parent: TableRow
    children: tuple[TableRow, ...]
    column_name: str
    stated: Decimal  # the parent's amount; 0 when its cell is blank
    total: Decimal  # the sum of the children's amounts (blank cells count 0)
    tolerance: Decimal  # half a unit of every figure involved

    @property
    def ok(self) -> bool:
        return abs(self.stated - self.total) <= self.tolerance

    @property
    def gap(self) -> Decimal:
        return self.stated - self.total


def _half(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-(decimals + 1))


def table_rows(items: Iterable[LineItem]) -> list[TableRow]:
    """Group line items back into their printed rows, in document order."""
    grouped: dict[tuple[int, int, int], list[LineItem]] = defaultdict(list)
    for item in items:
        grouped[(item.table_no, item.segment, item.row_no)].append(item)
    rows = []
    for key in sorted(grouped):
        first = grouped[key][0]
        rows.append(TableRow(first.table_no, first.segment, first.row_no, first.code,
                             first.name, first.level, first.budget_unit, first.page,
                             first.table_kind, {i.column_name: i for i in grouped[key]}))
    return rows


def _is_unit_row(row: TableRow) -> bool:
    return row.code is None and row.budget_unit is not None and row.name == row.budget_unit


def relations(rows: list[TableRow]) -> list[tuple[TableRow, list[TableRow]]]:
    """(parent, children) for every row that has children, in one table list's rows."""
    out: list[tuple[TableRow, list[TableRow]]] = []
    blocks: dict[str | None, list[TableRow]] = defaultdict(list)
    for row in rows:
        if not is_total(row.name):
            blocks[row.budget_unit].append(row)
    units = [r for r in rows if _is_unit_row(r)]
    tops: list[TableRow] = []
    for unit, block in blocks.items():
        members = [r for r in block if not _is_unit_row(r)]
        children: dict[tuple[int, int, int], list[TableRow]] = defaultdict(list)
        top: list[TableRow] = []
        by_code: dict[str, list[TableRow]] = defaultdict(list)
        for r in members:
            if r.code:
                by_code[r.code].append(r)
        stack: list[TableRow] = []  # for indentation levels
        for r in members:
            parent = None
            if r.code:
                for cut in (5, 3):
                    if len(r.code) > cut and r.code[:cut] in by_code:
                        candidates = [p for p in by_code[r.code[:cut]] if p.row_no < r.row_no]
                        parent = candidates[-1] if candidates else by_code[r.code[:cut]][0]
                        break
            elif r.level is not None:
                while stack and (stack[-1].level or 0) >= r.level:
                    stack.pop()
                parent = stack[-1] if stack else None
                stack.append(r)
            else:
                continue
            if parent is None:
                top.append(r)
            else:
                children[parent.key].append(r)
        index = {r.key: r for r in members}
        out.extend((index[k], kids) for k, kids in children.items())
        unit_row = next((u for u in units if u.name == unit), None)
        if unit_row is not None and top:
            out.append((unit_row, top))
            tops.append(unit_row)
        else:
            tops.extend(top)
    totals = [r for r in rows if is_total(r.name) and r.code is None]
    if len(totals) == 1 and tops:
        out.append((totals[0], tops))
    return out


def sum_checks(items: Iterable[LineItem]) -> list[SumCheck]:
    """Every parent cell of every table against the sum of its children's cells."""
    by_list: dict[tuple[int, int], list[TableRow]] = defaultdict(list)
    for row in table_rows(items):
        by_list[(row.table_no, row.segment)].append(row)
    checks = []
    for rows in by_list.values():
        for parent, kids in relations(rows):
            columns = set(parent.amounts)
            for kid in kids:
                columns |= set(kid.amounts)
            for column in sorted(columns):
                cell = parent.amounts.get(column)
                parts = [k.amounts[column] for k in kids if column in k.amounts]
                if cell is None and not parts:
                    continue
                decimals = [p.decimals for p in parts] + ([cell.decimals] if cell else [])
                tolerance = sum((_half(d) for d in decimals), Decimal(0))
                checks.append(SumCheck(
                    parent=parent, children=tuple(kids), column_name=column,
                    stated=cell.amount if cell else Decimal(0),
                    total=sum((p.amount for p in parts), Decimal(0)), tolerance=tolerance))
    return checks
