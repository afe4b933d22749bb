"""Unit and staff facts of 机构设置及人员情况: staff counts with their stated changes, unit
counts, and the list of budget units."""

from __future__ import annotations

import re
from decimal import Decimal

from tasks.contracts import Fact
from tasks.extract.narrative import Section
from tasks.extract.pdf import normalize

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9, "十": 10}
STAFF = re.compile(
    r"(?P<subject>编制数|实有人数|在职人员|在职|退休人员|退休|离休人员|离休|遗属)"
    r"(?:人数)?(?:为|共)?(?P<value>\d+)(?:人|名)?"
    r"(?:[,(](?:比上年|较上年)?(?P<word>增加|减少)(?P<change>\d+)(?:人|名)[)]?)?")
UNIT_COUNT = re.compile(
    r"(?P<subject>行政单位|事业单位|参照公务员法管理事业单位|参公单位|下属)"
    r"(?P<value>\d+|[一二三四五六七八九十两]+)(?:家|个)(?P<rest>预算单位)?")
UNIT_ITEM = re.compile(r"^(?:\d{1,2}[.、]|[(（]\d{1,2}[)）])\s*(?P<name>.+?)[;；。]?$")
UNIT_LIST_INTRO = re.compile(r"(预算单位|单位)(?:包括|有)[:：]?$")


def cn_number(text: str) -> int:
    """`4` -> 4, `三` -> 3, `十二` -> 12."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_facts(sections: list[Section]) -> list[Fact]:
    """Staff and unit facts from the overview sections."""
    facts: list[Fact] = []
    for section in sections:
        if section.scope != "overview":
            continue
        listing = False
        for sentence in section.sentences:
            flat = normalize(sentence.text)
            for match in STAFF.finditer(flat):
                change = None
                if match.group("change"):
                    sign = -1 if match.group("word") == "减少" else 1
                    change = Decimal(sign * int(match.group("change")))
                subject = match.group("subject").removesuffix("人员")
                facts.append(Fact("staff", subject, Decimal(match.group("value")), change,
                                  sentence.page, sentence.text))
            for match in UNIT_COUNT.finditer(flat):
                subject = match.group("subject")
                if subject == "下属":
                    subject = "下属预算单位"
                facts.append(Fact("unit_count", subject,
                                  Decimal(cn_number(match.group("value"))), None,
                                  sentence.page, sentence.text))
            listing = listing or bool(re.search(r"(预算单位|单位)包括[:：]?", flat))
        if listing:
            facts.extend(_unit_list(section))
    return facts


def _unit_list(section: Section) -> list[Fact]:
    """The numbered unit list that follows `…预算单位包括：`, one sentence per item."""
    out: list[Fact] = []
    listing = False
    for sentence in section.sentences:
        flat = normalize(sentence.text)
        if re.search(r"(?:预算单位|单位)包括[:：]?$", flat):
            listing = True
            continue
        if listing:
            item = UNIT_ITEM.match(flat)
            if not item:
                if out:
                    break
                continue
            out.append(Fact("unit", item.group("name"), None, None, sentence.page, sentence.text))
    return out
