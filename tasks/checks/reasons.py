"""What the reason rules share: the direction words and the claims that give a reason."""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, states_change
from tasks.contracts import Claim


def words(ctx: Context) -> tuple[set[str], set[str]]:
    """The words that argue a rise and a fall (config: [reason-opposite])."""
    rule = ctx.rule("reason-opposite")
    return set(rule.param("up")), set(rule.param("down"))


def word_sign(claim: Claim) -> int:
    """+1 for 增加 (even of 0.00), −1 for 减少, else the percentage's word or the sign of the
    change; 0 for 持平."""
    for word in (claim.change_word, claim.pct_word):
        if word in ("增加", "增长"):
            return 1
        if word in ("减少", "下降"):
            return -1
    value = claim.change_amount if claim.change_amount is not None else claim.change_pct
    if value is None:
        return 0
    return (value > 0) - (value < 0)


def is_zero(claim: Claim) -> bool:
    """A stated change of nothing (`增加 0.00`, `持平`)."""
    value = claim.change_amount if claim.change_amount is not None else claim.change_pct
    return value is not None and value == 0


def with_reasons(ctx: Context) -> Iterator[Claim]:
    """Claims stating a change (an amount or a percentage) with a reason."""
    for claim in ctx.current.claims:
        if claim.reason and states_change(claim):
            yield claim
