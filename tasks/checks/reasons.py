"""What the reason rules share: the direction words and the claims that give a reason."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, norm
from tasks.contracts import Claim


def words(ctx: Context) -> tuple[set[str], set[str]]:
    """The words that argue a rise and a fall (config: [reason-opposite])."""
    rule = ctx.rule("reason-opposite")
    return set(rule.param("up")), set(rule.param("down"))


def word_sign(claim: Claim) -> int:
    """+1 for 增加 (even of 0.00), −1 for 减少, else the sign of the change; 0 for 持平."""
    if claim.change_word in ("增加", "增长"):
        return 1
    if claim.change_word in ("减少", "下降"):
        return -1
    if claim.change_amount is None:
        return 0
    return (claim.change_amount > 0) - (claim.change_amount < 0)


def last_direction(reason: str, up: set[str], down: set[str]) -> str | None:
    found = re.findall("|".join(sorted(up | down, key=len, reverse=True)), norm(reason))
    return found[-1] if found else None


def with_reasons(ctx: Context) -> Iterator[Claim]:
    for claim in ctx.current.claims:
        if claim.reason and claim.change_amount is not None:
            yield claim
