"""One underlying problem, one error finding.

A table whose total is off is reported by every relation that touches it: the same parent
over two readings of its children, the same gap again in the next table that repeats the
total (西安 2020: 支出总计 182,157.13 against 182,066.56 three times in 表1, again in 表2
and 表3). Errors of the table rules that state the same figure against the same expected one
are one problem: the first (in page order) is kept, and the others are attached to it as
related evidence.
"""

from __future__ import annotations

from dataclasses import replace

from tasks.contracts import Finding, Severity

# Rules whose errors compare printed table figures: the same pair of figures is one problem.
TABLE_RULES = ("parent-sum", "row-sum", "cross-table")


def merge_repeats(findings: list[Finding]) -> list[Finding]:
    groups: dict[tuple, list[Finding]] = {}
    out: list[Finding | tuple] = []
    for f in sorted(findings, key=lambda f: (f.page or 0)):
        if f.severity != Severity.ERROR or f.rule not in TABLE_RULES or f.stated is None \
                or f.expected is None:
            out.append(f)
            continue
        key = (f.stated, f.expected)
        if key not in groups:
            groups[key] = []
            out.append(key)
        groups[key].append(f)
    merged = []
    for item in out:
        if isinstance(item, Finding):
            merged.append(item)
            continue
        first, *rest = groups[item]
        if rest:
            also = "; ".join(f"p.{f.page} {f.rule} {f.subject}"
                             + (f" [{f.column_name}]" if f.column_name else "") for f in rest)
            first = replace(first, message=f"{first.message} (the same figures also at: "
                                           f"{also})",
                            evidence=f"{first.evidence or ''} | also: {also}",
                            tables=tuple(dict.fromkeys(
                                n for f in (first, *rest) for n in f.tables)))
        merged.append(first)
    return merged
