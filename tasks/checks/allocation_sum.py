"""allocation-sum: a stated total must equal the sum of the list that allocates it.

`政府采购预算 10,250.00 万元，其中：货物 300.00、工程 50.00、服务 9,800.00` adds up to
10,150.00: error. A difference within n × half a unit of the n printed parts is rounding:
`9,699.80` against 250.32 + 10.10 + 9,439.39 = 9,699.81 is info. A list that says it names
only the main parts (`公安执法办案 8,560.83 万元，主要包括…`, `…等`) may fall short of its total,
never exceed it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import ZERO, Context, fmt, norm, sum_severity
from tasks.contracts import Finding, Severity

SLUG = "allocation-sum"
PARAMS = {"drift_severity", "partial_markers", "unsure_severity"}


def _elsewhere(doc, claim, total) -> bool:
    """Whether the parts add up to another amount the claim's section states (福州 `收入预算为
    61764.88万元…。上年结转结余8000.00万元。其中：…` read as dividing the 8,000.00), or are all
    nought (西安 siblings listed after a note): the list's total is then unclear."""
    if total == 0:
        return True
    return any(c.section == claim.section and c.amount == total and c is not claim
               for c in doc.claims)


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    doc = ctx.current
    for claim in doc.claims:
        parts = doc.parts_of.get(claim.claim_id)
        if claim.kind != "allocation" or not parts or claim.amount is None:
            continue
        severity = sum_severity(rule, claim.amount, parts)
        if severity is None:
            continue
        decimals = max([p.decimals for p in parts] + [claim.amount_decimals or 0])
        total = sum((p.amount for p in parts), ZERO)
        if total < claim.amount and re.search(rule.param("partial_markers"), norm(claim.text)):
            continue  # the main parts only
        if severity == Severity.ERROR and _elsewhere(doc, claim, total):
            severity = rule.severity_of("unsure_severity")
        yield Finding(
            rule=SLUG, severity=severity, subject=claim.subject, code=claim.code,
            stated=fmt(claim.amount, claim.amount_decimals), expected=fmt(total, decimals),
            page=claim.page, evidence=claim.text,
            message=(f"{claim.subject}: stated {fmt(claim.amount, claim.amount_decimals)} 万元"
                     f", its {len(parts)} parts add up to {fmt(total, decimals)}"
                     f"{' (within rounding)' if severity == Severity.INFO else ''}: "
                     + "、".join(f"{p.name} {fmt(p.amount, p.decimals)}" for p in parts)))
