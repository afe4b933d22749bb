"""reason-boilerplate: one reason text used for changes in opposite directions.

`根据工作实际调整` given both for 一般行政管理事务 (增加 5.00) and for 事业单位离退休 (减少
29.23) explains neither. One finding per reason text (normalised); zero changes ignored.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, norm
from tasks.checks.reasons import is_zero, with_reasons, word_sign
from tasks.contracts import Claim, Finding

SLUG = "reason-boilerplate"
PARAMS: set[str] = set()


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    groups: dict[str, list[Claim]] = {}
    for claim in with_reasons(ctx):
        if not is_zero(claim):
            groups.setdefault(norm(claim.reason).rstrip("。;,"), []).append(claim)
    for reason, claims in groups.items():
        if len({word_sign(c) for c in claims} - {0}) < 2:
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=reason, stated=reason,
            expected=" / ".join(c.subject for c in claims), page=claims[0].page,
            evidence=" | ".join(c.text for c in claims),
            message=(f"the same reason `{reason}` explains a rise and a fall: "
                     + "; ".join(f"{c.subject} {c.change_word or ''}" for c in claims)))
