"""reason-opposite: a reason must not argue the opposite of its own sentence.

`文化活动 减少 65.00 万元，主要原因是新增文化惠民演出场次，业务量增加`: the reason ends on a rise
while the figure fell: error. The reason's last direction word decides; when the stated
change is 0 (`增加 0.00`, reason `…预算减少`) it is a warning, the sentence being ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, fmt, norm
from tasks.checks.reasons import is_zero, last_direction, with_reasons, word_sign, words
from tasks.contracts import Finding

_ENUMERATED = re.compile(r"[一二三四五六七八九十]是|(?:^|[:;,。])\(?[一二三四五六七八九十\d]{1,2}[)、.](?!\d)")

SLUG = "reason-opposite"
PARAMS = {"zero_change_severity", "up", "down"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    up, down = words(ctx)
    for claim in with_reasons(ctx):
        if _ENUMERATED.search(norm(claim.reason)):
            continue  # 一是…增加，二是…减少: the last word belongs to one item, not the total
        sign = word_sign(claim)
        last = last_direction(claim.reason, up, down)
        if sign == 0 or last is None or (last in up) == (sign > 0):
            continue
        change = stated_change(claim)
        yield Finding(
            rule=SLUG, severity=rule.severity_of("zero_change_severity") if is_zero(claim)
            else rule.severity, subject=claim.subject, code=claim.code,
            stated=f"{claim.change_word or claim.pct_word or ''} {change}".strip(),
            expected=last, page=claim.page, evidence=claim.text,
            message=(f"{claim.subject}: {claim.change_word or claim.pct_word or 'changed'} "
                     f"{change}, but its reason argues the opposite ({last}): {claim.reason}"))


def stated_change(claim) -> str:
    if claim.change_amount is not None:
        return f"{fmt(abs(claim.change_amount), claim.change_decimals)} 万元"
    return fmt(abs(claim.change_pct), claim.pct_decimals, "%")
