"""reason-vague: a reason that names nothing checkable (reported softly, info).

`根据工作实际调整`, `根据业务工作安排情况，调整增加该功能分类支出`: no unit, staff, project or
subject that another table or year could confirm. The phrases are configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, norm
from tasks.checks.reasons import is_zero, with_reasons
from tasks.contracts import Finding

SLUG = "reason-vague"
PARAMS = {"phrases"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    phrases = [norm(p) for p in rule.param("phrases")]
    for claim in with_reasons(ctx):
        if is_zero(claim):
            continue
        hit = next((p for p in phrases if p in norm(claim.reason)), None)
        if hit is None:
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=claim.reason, page=claim.page, evidence=claim.text,
            message=f"{claim.subject}: the reason `{claim.reason}` names nothing checkable")
