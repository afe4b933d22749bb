"""reason-transfer: money said to move to another subject must arrive there.

社会保险经办机构 减少 1,199.00, `调整本功能分类科目至信息化管理`; but 2080108 信息化建设 also
fell (减少 21.00) instead of rising by at least 1,199.00: warning (the target is named
loosely). The target is the 项 claim of the same scope whose name the text after 至 names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, bare, fmt, half, norm
from tasks.checks.reasons import with_reasons, word_sign
from tasks.contracts import Claim, Finding

SLUG = "reason-transfer"
PARAMS = {"verbs"}

_ITEM = re.compile(r"([^()]+)\(项\)")


def target(claims: list[Claim], claim: Claim, text: str) -> Claim | None:
    """The one 项 claim the words after 至 name: by its 项 name, else by a 项 whose name
    starts like them (`信息化管理` → `信息化建设(项)`)."""
    names = _ITEM.findall(text)
    key = bare(names[-1] if names else text)
    candidates = [o for o in claims if o is not claim and o.code and len(o.code) == 7
                  and o.change_amount is not None and o.scope == claim.scope]
    hits = [o for o in candidates if key and key in norm(o.subject)]
    if not hits and len(key) >= 3:
        hits = [o for o in candidates
                if re.search(re.escape(key[:3]) + r"[^()]*\(项\)$", norm(o.subject))]
    return hits[0] if len(hits) == 1 else None


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    move = re.compile(rf"(?:{'|'.join(rule.param('verbs'))})[^,;。]*?至([^,;。]+)")
    claims = ctx.current.claims
    for claim in with_reasons(ctx):
        m = move.search(norm(claim.reason))
        if not m or not claim.code or not claim.change_amount:
            continue
        other = target(claims, claim, m.group(1))
        if other is None:
            continue
        moved = abs(claim.change_amount)
        arrived = word_sign(other) == -word_sign(claim) and \
            abs(other.change_amount) + half(other.change_decimals) + half(
                claim.change_decimals) >= moved
        if arrived:
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, code=claim.code,
            stated=f"{claim.change_word or ''} {fmt(moved, claim.change_decimals)} 调整至"
                   f"{m.group(1)}",
            expected=f"{other.code} {other.change_word or ''} "
                     f"{fmt(abs(other.change_amount), other.change_decimals)}",
            page=claim.page, evidence=claim.reason,
            message=(f"{claim.subject}: {fmt(moved, claim.change_decimals)} 万元 said to move "
                     f"to {m.group(1)}, but {other.subject} changed by "
                     f"{fmt(other.change_amount, other.change_decimals)}"))
