"""Unit and staff facts of 机构设置及人员情况: the budget units listed, the counts of units
and offices, the 编制数, and the staff counts with their stated changes.

Kinds (the same as the fixtures' truth files): `unit_count` (下属 N 家预算单位),
`office_count` (下设 N 个处室) with an `office` per office it lists, `project_count` (项目共
N 个, anywhere in the narrative), `admin_units` / `inst_units` / `civil_units` (行政单位 /
事业单位 / 参公单位 N 家), `unit` (one per listed unit, 本级 included), `quota` (编制数),
`staff` (实有人数; 在职 / 退休 / 离休 with the change signed: 减少 is negative).
"""

from __future__ import annotations

import re
from decimal import Decimal

from tasks.contracts import Fact
from tasks.extract.narrative import Section
from tasks.extract.pdf import normalize

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9, "十": 10}
_COUNT = r"(?P<value>\d+|[一二三四五六七八九十两]+)"
STAFF = re.compile(
    r"(?P<subject>实有人数|在职人员|在职|退休人员|退休|离休人员|离休|遗属)"
    r"(?:人数)?(?:为|共|有)?(?P<value>\d+)(?:人|名)?"
    r"(?:[,(](?:比上年|较上年)?(?P<word>增加|减少)(?P<change>\d+)(?:人|名)\)?)?")
QUOTA = re.compile(r"编制(?:数|人数)?(?:为|共|核定)?(?P<value>\d+)(?:人|名)?")
UNIT_COUNT = re.compile(rf"下属(?:{_COUNT}(?:家|个)(?:预算单位|单位)|(?:预算单位|单位)"
                        rf"{_COUNT.replace('value', 'value2')}(?:家|个))|"
                        rf"{_COUNT.replace('value', 'value3')}(?:家|个)下属(?:预算)?单位|"
                        rf"预算单位{_COUNT.replace('value', 'value4')}(?:家|个)")
OFFICE_COUNT = re.compile(
    rf"(?:下设|共|内设){_COUNT}个(?P<what>处室|内设机构|科室|职能处室|机构)|"
    rf"内设(?P<what2>处室|机构|科室){_COUNT.replace('value', 'value2')}个")
# The offices an office count lists: `下设 31 个处室，分别是：办公室、政策法规处、…。`
OFFICE_LIST = re.compile(r"^,?(?:分别是|分别为|包括|即)[:：]?(?P<rest>[^。;]+)")
_NOT_COUNTED = re.compile(r"\([^)]*(?:不纳入|不计入|不含|不列入)[^)]*\)")
# `当年预算安排项目共 20 个` (十二(四)): the projects of the project table (表7).
PROJECT_COUNT = re.compile(rf"项目共{_COUNT}个")
KIND_COUNT = re.compile(
    rf"(?P<subject>行政单位|事业单位|参照公务员法管理(?:的)?事业单位|参公单位){_COUNT}(?:家|个)")
_KIND_OF = {"行政单位": "admin_units", "事业单位": "inst_units"}
UNIT_ITEM = re.compile(r"^(?:\d{1,2}[.、]|[(（]\d{1,2}[)）])\s*(?P<name>.+?)[;；。]?$")
UNIT_LIST = re.compile(r"(?:预算单位|单位)(?:组成,|\d+(?:个|家),)?(?:包括|有|分别是|分别为)[:：]?"
                       r"(?P<rest>.*)$")


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
    """Staff and unit facts from the overview sections, in document order."""
    facts: list[Fact] = []
    for section in sections:
        for sentence in section.sentences:
            for match in PROJECT_COUNT.finditer(normalize(sentence.text)):
                facts.append(Fact("project_count", "项目", Decimal(cn_number(match.group("value"))),
                                  None, sentence.page, sentence.text))
        if section.scope != "overview":
            continue
        listing = False
        for sentence in section.sentences:
            flat = normalize(sentence.text)
            page, text = sentence.page, sentence.text
            for match in UNIT_COUNT.finditer(flat):
                value = next(v for k in ("value", "value2", "value3", "value4")
                             if (v := match.group(k)))
                # `下属 N 个预算单位` counts the units besides 本级; `下设二级预算单位 4 个，分别是：
                # …（本级）、…` (重庆) counts the units it lists
                subject = "预算单位" if match.group("value4") else "下属预算单位"
                facts.append(Fact("unit_count", subject, Decimal(cn_number(value)), None, page,
                                  text))
            for match in OFFICE_COUNT.finditer(flat):
                what = match.group("what") or match.group("what2")
                value = match.group("value") or match.group("value2")
                facts.append(Fact("office_count", what, Decimal(cn_number(value)), None, page,
                                  text))
                listed = OFFICE_LIST.match(flat[match.end():])
                for name in re.split(r"[、,]", listed.group("rest")) if listed else []:
                    name = re.sub(r"等$", "", name.strip())
                    if _NOT_COUNTED.search(name):
                        continue  # 广州 `机关党委（不纳入内设机构数）`
                    if name:
                        facts.append(Fact("office", name, None, None, page, text))
            for match in KIND_COUNT.finditer(flat):
                subject = match.group("subject")
                kind = _KIND_OF.get(subject, "civil_units")
                facts.append(Fact(kind, subject, Decimal(cn_number(match.group("value"))), None,
                                  page, text))
            inline = UNIT_LIST.search(flat)
            if inline and inline.group("rest").strip("。 "):
                # `…包括：江州市文化广电旅游局本级、江州市文化馆、…。`
                for name in re.split(r"[、,;]", inline.group("rest").rstrip("。")):
                    name = re.sub(r"(?:等|共\d+家)$", "", name.strip())
                    if name:
                        facts.append(Fact("unit", name, None, None, page, text))
            elif inline:
                listing = True
            for match in QUOTA.finditer(flat):
                facts.append(Fact("quota", "编制数", Decimal(match.group("value")), None, page,
                                  text))
            for match in STAFF.finditer(flat):
                change = None
                if match.group("change"):
                    sign = -1 if match.group("word") == "减少" else 1
                    change = Decimal(sign * int(match.group("change")))
                subject = match.group("subject").removesuffix("人员")
                facts.append(Fact("staff", subject, Decimal(match.group("value")), change, page,
                                  text))
        if listing:
            facts.extend(_unit_list(section))
    return facts


def _unit_list(section: Section) -> list[Fact]:
    """The numbered unit list that follows `…预算单位包括：`, one sentence per item."""
    out: list[Fact] = []
    listing = False
    for sentence in section.sentences:
        flat = normalize(sentence.text)
        if UNIT_LIST.search(flat) and not UNIT_LIST.search(flat).group("rest").strip("。 "):
            listing = True
            continue
        if listing:
            item = UNIT_ITEM.match(flat)
            if not item:
                if out:
                    break
                continue
            out.append(Fact("unit", item.group("name"), None, None, sentence.page,
                            sentence.text))
    return out


def unit_list_tables(pages: list) -> list[Fact]:
    """Units listed in a small untitled table (`序号 | 单位名称 | 备注`: Putuo, Fuzhou, Xi'an)."""
    out: list[Fact] = []
    for page in pages:
        for grid in page.grids:
            rows = [[normalize(c.text) if c else "" for c in row] for row in grid.matrix()]
            if not rows or grid.n_cols > 4 or rows[0][0] != "序号" or "单位名称" not in rows[0]:
                continue
            col = rows[0].index("单位名称")
            for row in rows[1:]:
                name = row[col] if col < len(row) else ""
                if name and name != "单位名称" and not re.search(r"\d[\d,]*\.\d", "".join(row)):
                    out.append(Fact("unit", name, None, None, page.number, name))
    return out
