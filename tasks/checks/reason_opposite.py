"""reason-opposite: a reason must not argue the opposite of its own sentence.

`宣传事务 一般行政管理事务 比2023年预算执行数减少2.98%，主要原因是宣传事务一般行政管理事务经费增加`
(万里 2024): the reason names the sentence's own subject and says it rose while the figure
fell: error. So is a reason whose driver is no money at all (`新增文化惠民演出场次，业务量增加`
under 文化活动 减少 65.00; `本年度新增车辆` under 公务用车运行维护费 减少). The reason's last
direction word decides; a negated one (`无新增`, `未安排新增`) or one in a condition (`如有新增
任务确需增加的`) argues nothing. A clause that speaks of the money of another subject may be a
total's reason read under its part (烟台 `科技创新发展专项资金减少` under 基本支出 +214.64; the
reasons of several parts netting out): a warning. When the stated change is 0 (`增加 0.00`,
reason `…预算减少`) it is a warning too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, bare, fmt, norm
from tasks.checks.reasons import is_zero, with_reasons, word_sign, words
from tasks.contracts import Finding

_ENUMERATED = re.compile(r"[一二三四五六七八九十]是|(?:^|[:;,。])\(?[一二三四五六七八九十\d]{1,2}[)、.](?!\d)")

SLUG = "reason-opposite"
PARAMS = {"zero_change_severity", "other_money_severity", "up", "down", "negations",
          "conditions", "money_words"}
_MARKS = re.compile(r"\((?:类|款|项)\)")
_SUFFIX = re.compile(r"(?:支出|预算|经费|费用|资金|拨款)+$")


_CLAUSE = re.compile(r"[,;。:]")


def names_subject(claim, text: str) -> bool:
    """Whether `text` names the claim's own subject (its innermost 类/款/项 name, or the
    whole subject), suffixes such as 支出/预算/经费 aside."""
    parts = [p for p in _MARKS.split(bare(claim.subject)) if p]
    for name in {bare(claim.subject), *(parts[-1:])}:
        core = _SUFFIX.sub("", name)
        if len(core) >= 3 and core in text:  # `项目` (项目支出) is too common to name it
            return True
    return False


def deciding_clause(reason: str, up: set[str], down: set[str], negations: str,
                    conditions: str) -> tuple[str, str] | None:
    """(the direction word that decides, its clause): the last one not negated (`无新增`) and
    not inside a condition (`如有新增任务`)."""
    pattern = "|".join(sorted(up | down, key=len, reverse=True))
    found = None
    for clause in _CLAUSE.split(norm(reason)):
        if re.search(conditions, clause):
            continue
        for m in re.finditer(pattern, clause):
            if not re.search(f"(?:{negations})$", clause[max(0, m.start() - 3):m.start()]):
                found = (m.group(0), clause)
    return found


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    up, down = words(ctx)
    for claim in with_reasons(ctx):
        if _ENUMERATED.search(norm(claim.reason)):
            continue  # 一是…增加，二是…减少: the last word belongs to one item, not the total
        sign = word_sign(claim)
        decided = deciding_clause(claim.reason, up, down, rule.param("negations"),
                                  rule.param("conditions"))
        if sign == 0 or decided is None or (decided[0] in up) == (sign > 0):
            continue
        last, clause = decided
        change = stated_change(claim)
        other_money = re.search(rule.param("money_words"), clause) and not names_subject(
            claim, clause)
        severity = rule.severity_of("zero_change_severity") if is_zero(claim) else (
            rule.severity_of("other_money_severity") if other_money else rule.severity)
        yield Finding(
            rule=SLUG, severity=severity, subject=claim.subject, code=claim.code,
            stated=f"{claim.change_word or claim.pct_word or ''} {change}".strip(),
            expected=last, page=claim.page, evidence=claim.text,
            message=(f"{claim.subject}: {claim.change_word or claim.pct_word or 'changed'} "
                     f"{change}, but its reason argues the opposite ({last}): {claim.reason}"))


def stated_change(claim) -> str:
    if claim.change_amount is not None:
        return f"{fmt(abs(claim.change_amount), claim.change_decimals)} 万元"
    return fmt(abs(claim.change_pct), claim.pct_decimals, "%")
