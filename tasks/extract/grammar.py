"""The figures of a narrative clause: amounts, changes, percentages, shares, ratios, bases.

Works on normalised text (NFKC: full-width `，：；（）％` become ASCII), where a clause comma
and a thousands separator are both `,`: a number is only ever read together with its unit
(`万元`, `%`), so `42,040.53万元,占93.30%` stays unambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tasks.contracts import Base
from tasks.extract.amounts import UNIT_FACTORS, UNIT_SHIFT

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"(?P<unit>亿元|万元|千元|元|万(?=[,;。)]))"  # `273.00 万，`: 元 left out
# `5万元/人`, `50万元以上` are thresholds, not amounts.
AMOUNT = re.compile(rf"(?<![\d.,])(?P<num>{NUM}){_UNIT}(?![/以左上下])")
_TEMPLATE_ALT = r"(?:\((?:增加|减少|增长|下降|降低)\))?"  # `增加（减少）0万元`: a template leftover
CHANGE = re.compile(
    rf"(?P<word>增加|减少|增长|下降|降低|上升|减)了?{_TEMPLATE_ALT}(?P<num>{NUM}){_UNIT}(?![/以左上下])")
PCT = re.compile(
    rf"(?P<word>增长|下降|增加|减少|降低|上升|增幅|降幅|减幅|增长率|下降率)(?:为|了)?{_TEMPLATE_ALT}"
    rf"(?P<num>{NUM})%")
RATIO = re.compile(rf"(?:完成|为|占|达)(?P<of>(?:年初|调整后)?预算(?:数)?)的?(?P<num>{NUM})%")
SHARE = re.compile(rf"占(?P<of>[^,;:。%]{{0,30}}?)(?P<num>{NUM})%")
# No change: 持平, and `与上年（预算数）相等 / 相同 / 一致`, `与2025年预算数相等`, `无增减`. The
# comparison must name a year: `收入与支出相等` says nothing about a change.
FLAT = re.compile(
    r"持平|与(?:上年度?|上一年度?|去年|(?:19|20)\d\d年度?)(?:同期)?"
    r"(?:预算执行数|执行数|预算数|预算|决算数|决算|数)?(?:相比)?(?:相等|相同|一致)|"
    r"无增减(?:变化)?|无变化|保持不变|未发生变化|没有变化")
BASE_PHRASE = re.compile(
    r"(?:比|较|与|同)(?P<base>上年度?|上一年度?|去年|(?P<year>(?:19|20)\d\d)年度?)(?:同期)?"
    r"(?P<kind>当年预算执行数|预算执行数|执行数|年初预算数?|预算数|预算|决算数|决算)?")
SAME_PERIOD = re.compile(r"同比")
# Text opening with a comparison continues the figure before it (`…77.67万元，比2025年…增加
# 6.77万元`; a sentence `比上年预算增加100.00万元，增长8.81%。` after the one stating the amount).
COMPARING = re.compile(r"^(?:比|较|与|同比|相比|对比)")
REASON = re.compile(r"(?:(?:的)?主要原因(?:是|为|:|系)?|原因(?:是|为|:)|主要是由于|主要由于|主要系|系因)")
# What makes an amount the base rather than the current figure: a prior year, 上年, or
# the year's initial budget (final accounts compare 决算 with 年初预算).
_PRIOR = re.compile(r"上年|上一年|去年|前一年")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_INITIAL = re.compile(r"年初预算|调整预算|调整后预算")
NEGATIVE = {"减少", "下降", "降低", "减", "降幅", "减幅", "下降率"}


@dataclass(frozen=True)
class Figure:
    """A printed number with its precision, converted to 万元 when it is money."""

    value: Decimal
    decimals: int
    start: int
    end: int


def number(text: str, unit: str | None = None, start: int = 0, end: int = 0) -> Figure:
    """`42,040.53` (万元) -> 42040.53 with 2 decimals; `12,345.67` 元 -> 1.234567 with 6."""
    flat = text.replace(",", "")
    decimals = len(flat.split(".")[1]) if "." in flat else 0
    unit = "万元" if unit == "万" else unit
    value = Decimal(flat)
    if unit and unit != "万元":
        value, decimals = value * UNIT_FACTORS[unit], max(decimals + UNIT_SHIFT[unit], 0)
    return Figure(value, decimals, start, end)


def signed(word: str, figure: Figure) -> Figure:
    """A change figure with the sign its word gives it."""
    if word in NEGATIVE:
        return Figure(-figure.value, figure.decimals, figure.start, figure.end)
    return figure


def base_of(text: str, doc_kind: str | None) -> tuple[Base | None, int | None]:
    """What a change is measured against, from the phrase that names it."""
    phrase = BASE_PHRASE.search(text)
    if not phrase:
        if SAME_PERIOD.search(text):
            return Base.PRIOR_UNSPECIFIED, None
        return None, None
    kind = phrase.group("kind") or ""
    year = int(phrase.group("year")) if phrase.group("year") else None
    if "执行" in kind:
        return Base.PRIOR_EXECUTION, year
    if "决算" in kind:
        return Base.PRIOR_FINAL, year
    if "预算" in kind:
        return Base.PRIOR_BUDGET, year
    return Base.PRIOR_UNSPECIFIED, year


def amount_role(lead: str, doc_year: int | None, doc_kind: str | None = None) -> str:
    """'base' when the words before an amount name the prior year, 'initial' when they name
    the year's initial budget in final accounts (`2023年当年预算执行数为60.13万元`, `年初预算为
    1560.05万元`), else 'current'. In a budget the year's 年初预算数 is the budget itself
    (重庆 `2026 年年初预算数 19,230.18 万元`)."""
    if _INITIAL.search(lead) and doc_kind != "budget":
        return "initial"
    if _PRIOR.search(lead):
        return "base"
    years = [int(y) for y in _YEAR.findall(lead)]
    if years and doc_year and years[-1] < doc_year:
        return "base"
    return "current"


def figures_in(text: str) -> bool:
    """Does the text state money or a percentage?"""
    return bool(AMOUNT.search(text) or re.search(rf"(?:{NUM})%", text))
