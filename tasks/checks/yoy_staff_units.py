"""yoy-staff-units: a stated staff or unit count change must match last year's count.

`在职 437 人，减少 403 人` implies 840 last year; the previous year's disclosure states 850:
error. Every count stated with its change (在职 / 退休 / 离休 / 编制 / 预算单位 …) is compared
with last year's count of the same kind and subject.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, bare, plain
from tasks.contracts import Fact, Finding

SLUG = "yoy-staff-units"
PARAMS: set[str] = set()


def _key(fact: Fact) -> tuple[str, str]:
    subject = bare(fact.subject)
    return fact.kind, subject.removesuffix("人员").removesuffix("人数") or subject


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    if ctx.prior is None:
        return
    last = {}
    for fact in ctx.prior.facts:
        if fact.value is not None and fact.kind != "unit":
            last.setdefault(_key(fact), fact)
    for fact in ctx.current.facts:
        if fact.value is None or fact.change is None:
            continue
        before = last.get(_key(fact))
        if before is None:
            continue
        implied = fact.value - fact.change
        if implied == before.value:
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=fact.subject, stated=plain(implied),
            expected=plain(before.value), page=fact.page, evidence=fact.text, prior=True,
            message=(f"{fact.subject}: {plain(fact.value)} with a change of "
                     f"{'+' if fact.change > 0 else ''}{plain(fact.change)} implies "
                     f"{plain(implied)} last year; the {ctx.prior.year} disclosure states "
                     f"{plain(before.value)}"))
