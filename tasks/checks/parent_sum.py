"""parent-sum: a parent row equals the sum of its children, column by column.

Children are found by code prefix (208 ⊃ 20805 ⊃ 2080505), under unit rows and the total,
and by list numbering (`一、` ⊃ `1.` ⊃ `其中`). A sum of n printed addends may drift by
n × half a unit: `20805 行政事业单位养老支出 2,525.58` over three 项 summing to 2,525.57 is
rounding (info); 表3 `20805 2,269.11` over 项 summing to 2,260.11 is an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, wan
from tasks.checks.tables import table_sum_checks
from tasks.contracts import Finding, Severity

SLUG = "parent-sum"
PARAMS = {"drift_severity", "tables", "zero_parts_severity"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    kinds = set(rule.param("tables"))
    for table in ctx.current.grid:
        if table.kind not in kinds:
            continue
        for check in table_sum_checks(table):
            if check.gap == 0:
                continue
            severity = rule.severity_of("drift_severity") if check.ok else rule.severity
            if severity == rule.severity and check.stated != 0 \
                    and all(p.amount == 0 for p in check.parts):
                # every part printed as nought under a non-zero parent: filler rows of a
                # side-by-side layout (西安 政府性基金收支表) as likely as a missing breakdown
                severity = rule.severity_of("zero_parts_severity")
            parent, column, d = check.parent, check.column_name, check.decimals
            yield Finding(
                rule=SLUG, severity=severity, subject=parent.name, code=parent.code,
                stated=wan(check.stated, d), expected=wan(check.total, d), page=check.page,
                table_kind=table.kind, column_name=column, tables=(table.no,),
                message=(f"{table.label} {parent.label}, {column}: printed "
                         f"{wan(check.stated, d)} 万元, its {len(check.parts)} parts add up "
                         f"to {wan(check.total, d)} (difference {wan(abs(check.gap), d)}"
                         f"{', within rounding' if severity == Severity.INFO else ''})"),
                evidence=f"{table.label} [{column}] {parent.label} {wan(check.stated, d)} = "
                         + " + ".join(f"{k.label} {wan(k.cells[column].amount, d)}"
                                      for k in check.children if column in k.cells))
