"""reason-units-moved: units said to have moved out must have left the list, and a stated
number of units moved must be the number that left.

`减少三个预算单位，即将…劳动就业培训中心和…干部疗养院并入新疆铁道职业技术学院，转隶至…教育厅`:
the three must be in last year's unit list and not in this year's; `减少三个` must equal the
count that left. A unit named as the receiving side (`并入X`) may stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, norm
from tasks.contracts import Finding

SLUG = "reason-units-moved"
PARAMS = {"verbs", "strip_prefixes"}

_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if len(text) == 1:
        return _NUMERALS.get(text)
    if text.startswith("十"):
        return 10 + _NUMERALS.get(text[1], 0)
    return None


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    if ctx.prior is None or not ctx.prior.units or not ctx.current.units:
        return
    verbs = "|".join(rule.param("verbs"))
    prefixes = tuple(rule.param("strip_prefixes"))
    current = {norm(u) for u in ctx.current.units}
    prior = {norm(u) for u in ctx.prior.units}
    left = prior - current
    texts = [(c.reason, c.page, c.subject) for c in ctx.current.claims if c.reason]
    texts += [(s.text, s.page, s.heading) for s in ctx.current.sentences
              if s.scope == "overview"]
    reported: set[str] = set()
    for text, page, subject in texts:
        flat = norm(text)
        for unit in sorted(current | prior) if re.search(verbs, flat) else ():
            short = next((unit[len(p):] for p in prefixes if unit.startswith(p)), unit)
            at = flat.find(unit) if unit in flat else flat.find(short) if len(short) > 4 else -1
            if at < 0 or unit in reported:
                continue
            receiving = re.search(rf"(?:{verbs}|并入|至)$", flat[max(0, at - 3):at])
            if unit in left or (unit in current and receiving):
                continue
            reported.add(unit)
            yield Finding(
                rule=SLUG, severity=rule.severity, subject=unit, stated=text[:60],
                expected="in last year's unit list only", page=page, evidence=text,
                prior=True,
                message=(f"{unit} is said to have moved out but is "
                         + ("still listed this year" if unit in current
                            else "not in last year's list")))
        m = re.search(r"(?:减少|划出|转出)([一二两三四五六七八九十\d]+)(?:个|家)(?:预算)?单位|"
                      r"(?:预算)?单位减少([一二两三四五六七八九十\d]+)(?:个|家)", flat)
        count = _number(m.group(1) or m.group(2)) if m else None
        if count is not None and count != len(left) and "count" not in reported:
            reported.add("count")
            yield Finding(
                rule=SLUG, severity=rule.severity, subject=f"{subject}: 单位减少",
                stated=str(count), expected=str(len(left)), page=page, evidence=text,
                prior=True,
                message=(f"the text says {count} units moved out; the lists of the two years "
                         f"differ by {len(left)}: " + "、".join(sorted(left))))
