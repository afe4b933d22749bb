"""direction-words: the word of the change and the word of its percentage must agree.

`公务接待费减少 0.20 万元，增长 6.67%` says both that it fell and that it grew; 增加 / 增长 go
with a rise, 减少 / 下降 with a fall. The magnitudes are pct-recompute's business.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context
from tasks.contracts import Finding

SLUG = "direction-words"
PARAMS = {"up", "down"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    up, down = set(rule.param("up")), set(rule.param("down"))
    for claim in ctx.current.claims:
        words = (claim.change_word, claim.pct_word)
        if not all(w in up | down for w in words):
            continue
        if (words[0] in up) == (words[1] in up):
            continue
        fitting = sorted(up if words[0] in up else down, key=len)
        expected = next((w for w in fitting if w in ("增长", "下降")), fitting[0])
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=f"{words[0]}…{words[1]}", expected=f"{words[0]}…{expected}",
            page=claim.page, evidence=claim.text,
            message=(f"{claim.subject}: the change says {words[0]} but its percentage says "
                     f"{words[1]}"))
