"""yoy-unexplained-change: a 项 of the general budget that changed materially since last
year but is explained nowhere in the narrative (reported softly, info).

Material: at least `min_pct` percent of last year's figure and at least `min_amount` 万元.
Explained: a claim of this year's narrative names the 项, by code or by its name.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import HUNDRED, ZERO, Context, bare, norm, wan
from tasks.checks.tables import code_cell
from tasks.contracts import Finding

SLUG = "yoy-unexplained-change"
PARAMS = {"tables", "min_pct", "min_amount"}


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    if ctx.prior is None:
        return
    kinds = tuple(rule.param("tables"))
    now, before = ctx.current.grid.first(*kinds), ctx.prior.grid.first(*kinds)
    if now is None or before is None:
        return
    codes = {r.code: r for t in (before, now) for s in t.sides for r in t.rows[s]
             if r.code and len(r.code) == 7 and not r.project}
    named = {c.code for c in ctx.current.claims if c.code}
    subjects = [norm(c.subject) for c in ctx.current.claims]
    for code, row in sorted(codes.items()):
        a, b = code_cell(now, code), code_cell(before, code)
        if a is None or b is None:
            continue
        change = a.amount - b.amount
        if abs(change) < rule.param("min_amount"):
            continue
        if b.amount != ZERO and abs(change) * HUNDRED / abs(b.amount) < rule.param("min_pct"):
            continue
        name = bare(row.name)
        if code in named or any(f"{name}(项)" in s or s.endswith(name) for s in subjects):
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=row.name, code=code,
            stated=wan(a.amount, a.decimals), expected=wan(b.amount, b.decimals),
            page=a.page or b.page, table_kind=now.kind, prior=True,
            evidence=f"{a.label} {wan(a.amount, a.decimals)}; {ctx.prior.year}: "
                     f"{wan(b.amount, b.decimals)}",
            message=(f"{code} {row.name} went from {wan(b.amount, b.decimals)} to "
                     f"{wan(a.amount, a.decimals)} 万元 and the narrative does not explain it"))
