"""wrong-year: a change must be measured against the year before.

A 2025 budget that says `比2025年预算增加` compares with itself. The base year must be the
previous year (the same year for a 决算 measured against its own 年初预算).
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context
from tasks.contracts import Base, Finding

SLUG = "wrong-year"
PARAMS: set[str] = set()


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    doc = ctx.current
    for claim in doc.claims:
        if claim.base_year is None:
            continue
        expected = doc.year if claim.base == Base.CURRENT_BUDGET else doc.year - 1
        if claim.base_year == expected:
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=f"比{claim.base_year}年", expected=f"比{expected}年", page=claim.page,
            evidence=claim.text,
            message=(f"{claim.subject}: the {doc.year} {doc.kind} compares with "
                     f"{claim.base_year}, not {expected}"))
