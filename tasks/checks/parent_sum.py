"""parent-sum: a parent row equals the sum of its children, column by column.

Children are found by code prefix (208 ⊃ 20805 ⊃ 2080505), under unit rows and the total,
and by list numbering (`一、` ⊃ `1.` ⊃ `其中`). A sum of n printed addends may drift by
n × half a unit: `20805 行政事业单位养老支出 2,525.58` over three 项 summing to 2,525.57 is
rounding (info); 表3 `20805 2,269.11` over 项 summing to 2,260.11 is an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import ZERO, Context, sum_severity, wan
from tasks.contracts import Finding, Severity

SLUG = "parent-sum"
PARAMS = {"drift_severity", "tables"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    kinds = set(rule.param("tables"))
    for table in ctx.current.grid:
        if table.kind not in kinds:
            continue
        for side in table.sides:
            for parent, children in table.hierarchy(side):
                columns = list(dict.fromkeys(
                    [c for c in parent.cells] + [c for k in children for c in k.cells]))
                for column in columns:
                    parts = [k.cells[column] for k in children if column in k.cells]
                    if not parts:
                        continue
                    stated = parent.cells.get(column)
                    value = stated.amount if stated else ZERO
                    severity = sum_severity(rule, value, parts)
                    if severity is None:
                        continue
                    total = sum((p.amount for p in parts), ZERO)
                    decimals = max(p.decimals for p in parts)
                    yield Finding(
                        rule=SLUG, severity=severity, subject=parent.name, code=parent.code,
                        stated=wan(value, decimals), expected=wan(total, decimals),
                        page=parent.page if stated else parts[0].page,
                        table_kind=table.kind, column_name=column,
                        message=(f"{table.label} {parent.label}, {column}: printed "
                                 f"{wan(value, decimals)} 万元, its {len(parts)} parts add up "
                                 f"to {wan(total, decimals)} (difference {wan(abs(value - total), decimals)}"
                                 f"{', within rounding' if severity == Severity.INFO else ''})"),
                        evidence=f"{table.label} [{column}] {parent.label} "
                                 f"{wan(value, decimals)} = " + " + ".join(
                                     f"{k.label} {wan(k.cells[column].amount, decimals)}"
                                     for k in children if column in k.cells))
