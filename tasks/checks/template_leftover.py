"""template-leftover: text the drafter forgot to fill in.

Placeholders left from the template (`增加（减少）0万元，增长（减少）0%`, `XX局`, `××`), and an
amount of 0 said to have increased by a positive sum (a figure copied from the template).
One finding per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, fmt, norm
from tasks.contracts import Finding

SLUG = "template-leftover"
PARAMS = {"patterns"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    pattern = re.compile("|".join(f"(?:{p})" for p in rule.param("patterns")))
    reported: set[str] = set()
    for sentence in ctx.current.sentences:
        text = norm(sentence.text)
        match = pattern.search(text)
        if not match or text in reported:
            continue
        reported.add(text)
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=text, stated=match.group(),
            page=sentence.page, evidence=sentence.text,
            message=f"template text left in the disclosure: {match.group()}")
    for claim in ctx.current.claims:
        if claim.amount != 0 or not claim.change_amount or claim.change_amount <= 0:
            continue
        if norm(claim.text) in reported or pattern.search(norm(claim.text)):
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=f"0 增加 {fmt(claim.change_amount, claim.change_decimals)}",
            expected="an amount of at least the increase", page=claim.page,
            evidence=claim.text,
            message=(f"{claim.subject}: an amount of 0 cannot have increased by "
                     f"{fmt(claim.change_amount, claim.change_decimals)} 万元"))
