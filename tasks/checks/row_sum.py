"""row-sum: a 合计 / 小计 cell equals the sum of the columns it totals, row by row.

Which columns a total adds up is read from the header path: `支出预算/合计` is the sum of
`支出预算/基本支出` and `支出预算/项目支出`; the root `总计` of an income table is the sum of
`财政拨款(补助)/…小计` and the other money sources. Columns printed beside a total that are not
part of it (会议费, 培训费 beside the 三公 total) are listed in config. Drift within n × half
a unit is info: 表2 208 `27,217.12` against parts summing to 27,217.13.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks import structure
from tasks.checks.base import ZERO, Context, sum_drift, sum_severity, wan
from tasks.contracts import Finding, Severity

SLUG = "row-sum"
PARAMS = {"drift_severity", "not_parts", "tables", "memo_groups"}


def _rows_drift(n: int, stated, parts) -> bool:
    """Whether a row's gap is within half a unit per part and per row it adds up."""
    diff, drift = sum_drift(stated, [p.amount for p in parts], [p.decimals for p in parts])
    return diff <= drift * n


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    not_parts = {word: tuple(names) for word, names in rule.param("not_parts").items()}
    kinds = set(rule.param("tables"))
    for table in ctx.current.grid:
        if table.kind not in kinds:
            continue
        for side in table.sides:
            sums = table.column_sums(side, not_parts, tuple(rule.param("memo_groups")))
            leaves = structure.leaf_counts(structure.hierarchy(table, side),
                                           table.rows[side]) if sums else {}
            for row in table.rows[side]:
                for total, columns in sums:
                    parts = [row.cells[c] for c in columns if c in row.cells]
                    stated = row.cells.get(total)
                    if not parts and stated is None:
                        continue
                    value = stated.amount if stated else ZERO
                    severity = sum_severity(rule, value, parts)
                    if severity is None:
                        continue
                    n = leaves.get(id(row), 1) if row.kind != "total" else max(
                        leaves.get(id(row), 1),
                        sum(1 for r in table.rows[side] if r.kind != "total"))
                    if severity == rule.severity and _rows_drift(n, value, parts):
                        # a total or unit row's cells add up the rows beneath it: each may
                        # drift half a unit per row (西安 表13 西安市交通运输局 346.73 over
                        # twelve units, some already 0.01 off)
                        severity = rule.severity_of("drift_severity")
                    decimals = max([p.decimals for p in parts]
                                   + ([stated.decimals] if stated else []))
                    expected = sum((p.amount for p in parts), ZERO)
                    yield Finding(
                        rule=SLUG, severity=severity, subject=row.name, code=row.code,
                        stated=wan(value, decimals), expected=wan(expected, decimals),
                        page=row.page, table_kind=table.kind, column_name=total,
                        tables=(table.no,),
                        message=(f"{table.label} {row.label}: {total} is {wan(value, decimals)}"
                                 f" 万元 but {' + '.join(columns)} add up to "
                                 f"{wan(expected, decimals)}"
                                 f"{' (within rounding)' if severity == Severity.INFO else ''}"),
                        evidence=f"{total} {wan(value, decimals)} = " + " + ".join(
                            f"{c} {wan(row.cells[c].amount, decimals) if c in row.cells else '—'}"
                            for c in columns))
