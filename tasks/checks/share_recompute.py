"""share-recompute: a stated share (占 x%) must be reachable from the amount and the total it
is a share of.

The total is the figure the claim's section is about: its first claim (`部门收入预算
45,057.32`, `一般公共预算拨款合计 42,404.21`). `一般公共预算 42,040.53 万元，占 93.30%`:
42,040.53 / 45,057.32 = 93.305%, inside [93.295, 93.305]: consistent. Within
`pct_slack_points` beyond the reachable interval is info (truncation), beyond that error.
A share may also be of the total its own sentence states before it (无锡 `支出预算合计
984,760.87万元，其中：基本支出3,305.86万元，占0.34%`, in a section that opens on another
figure), or of the parts it is listed with: a share any of these totals explains is no
finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import HUNDRED, Context, DocData, Interval, fmt, half
from tasks.contracts import Claim, Finding, Severity

SLUG = "share-recompute"
PARAMS: set[str] = set()


def total_of(doc: DocData, claim: Claim) -> Claim | None:
    """The claim stating the total a share is taken of: the head of the claim's section, or
    of its parent section (五(二)'s shares are of 五(一)'s total)."""
    top = claim.section.split("(")[0]
    for section in (claim.section, top):
        head = doc.section_heads.get(section)
        if head is None and section == top:
            head = next((c for c in doc.claims if c.section.split("(")[0] == top
                         and c.amount is not None and c.share_pct is None and not c.code
                         and c.kind != "project"), None)
        if head is not None and head is not claim and head.share_pct is None:
            return head
    return None


def _reachable(claim: Claim, total: Claim) -> Interval | None:
    if total.amount is None or total.amount <= half(total.amount_decimals):
        return None
    a = Interval.printed(claim.amount, claim.amount_decimals)
    t = Interval.printed(total.amount, total.amount_decimals)
    return Interval(HUNDRED * max(a.lo, 0) / t.hi, HUNDRED * a.hi / t.lo)


def _sentence_total(doc: DocData, claim: Claim) -> Claim | None:
    """The total the claim's list is headed by: walking back over the shares listed before
    it, the first claim of the same section without a share of its own (`支出预算合计
    984,760.87万元，其中：`), if it states at least the claim's amount."""
    at = next(i for i, c in enumerate(doc.claims) if c is claim)
    for c in reversed(doc.claims[:at]):
        if c.section != claim.section:
            return None
        if c.share_pct is None:
            ok = c.amount is not None and claim.amount is not None and c.amount >= claim.amount
            return c if ok else None
    return None


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    doc = ctx.current
    for claim in doc.claims:
        if claim.share_pct is None or claim.amount is None:
            continue
        total = total_of(doc, claim)
        reachable = _reachable(claim, total) if total is not None else None
        if reachable is None:
            continue
        stated = Interval.printed(claim.share_pct, claim.share_decimals)
        other = _sentence_total(doc, claim)
        if stated.overlaps(reachable) or (
                other is not None and (r := _reachable(claim, other)) is not None
                and stated.overlaps(r)):
            continue
        computed = HUNDRED * claim.amount / total.amount
        gap = reachable.distance(claim.share_pct) - half(claim.share_decimals)
        severity = Severity.INFO if gap <= ctx.config.pct_slack_points else rule.severity
        yield Finding(
            rule=SLUG, severity=severity, subject=claim.subject, code=claim.code,
            stated=fmt(claim.share_pct, claim.share_decimals, "%"),
            expected=fmt(computed, claim.share_decimals, "%"), page=claim.page,
            message=(f"{claim.subject}: {fmt(claim.amount, claim.amount_decimals)} of "
                     f"{total.subject} {fmt(total.amount, total.amount_decimals)} 万元 is "
                     f"{fmt(computed, 4)}%, not the stated "
                     f"{fmt(claim.share_pct, claim.share_decimals)}%"),
            evidence=claim.text)
