"""Subjects of claims: the words before the figures, cleaned of list marks, years, lead words
and the department's own name; and the codes they name, from the document's tables or the
reference classification (config/classification.csv)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tasks.config import Classification, load_classification
from tasks.contracts import LineItem
from tasks.extract.narrative import Section
from tasks.extract.pdf import normalize

ITEM_PREFIX = re.compile(r"^(?:[;,、:。]|[一二三四五六七八九十]+是|\d{1,2}[.、](?!\d)|"
                         r"[(（]\d{1,2}[)）]|其中:?)+")
LIST_MARK = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]+[、.]|"
                        r"\d{1,2}[.、](?!\d)|[-·•])+")
_LEAD_WORDS = re.compile(r"^(?:其中|此外|另外|同时|另|具体|具体如下|按[^,]{1,8}分类|从[^,]{1,8}看|截至[^,]{0,16},|"
                         r"\d{1,2}月\d{1,2}日(?:前|止)?,|"
                         r"[^,:]{0,12}情况为|[^,:]{0,12}情况:|主要用于以下方面|[^,:]{0,12}包括|"
                         # 江苏 九: `一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费…`
                         r"[^,:;]{2,30}(?:支出|经费|预算)中,|"
                         r"(?:一般公共预算|政府性基金预算?|国有资本经营预算|财政)(?:拨款)?安排的)[:,]?")
_TRAIL_WORDS = re.compile(r"(?:预算数为|预算为|预算安排为|安排为|总额为|合计为|共计|数为|为|是|达到|各|均|价值|共|:)+$")
# `房屋47,818.41平方米,价值` / `车辆73辆,价值`: the count is not part of the subject.
_COUNT = re.compile(r"\d[\d,.]*(?:平方米|辆|台|套|个|人|家|项|件)(?:,|$)")
_OWNER = re.compile(r"^(?:本部门|本单位|我局|我厅|我委|我办|及下属各预算单位|下属各预算单位)+")
_BASE_WORDS = re.compile(r"(?:比|较|与|同)(?:上年度?|上一年度?|去年|(?:19|20)\d\d年度?)(?:同期)?"
                         r"(?:当年预算执行数|预算执行数|执行数|预算数|预算|决算数|决算)?(?:相比)?|同比")
_GENERIC = re.compile(r"^(?:(?:(?:19|20)\d\d年(?:度)?)|当年|本年|年初|预算|执行数|执行|决算|安排|"
                      r"数|为|的|相比|与上年|比上年|较上年|同比|上年|金额|总额|资金|[,:;])*$")
# `2080501-行政单位离退休`, `[208]社会保障…`: a code printed before the subject.
PRINTED_CODE = re.compile(r"^(?:\[(?P<a>\d{3}(?:\d{2}){0,2})\]|(?P<b>\d{3}(?:\d{2}){0,2})[-—])"
                           r"(?P<name>\D.*)$")
# `会议费预算`, `机关运行经费财政拨款预算`, `因公出国（境）费预算支出`: the fee is the subject.
# (`机关事业单位基本养老保险缴费支出` is a 项's own name)
_FEE_BUDGET = re.compile(r"(?<=费)(?:财政拨款)?预算(?:数|支出)?$|(?<=[^缴]费)支出$")
CODED = re.compile(r"(?:(?P<lei>[^()]+?)\(类\))?(?:(?P<kuan>[^()]+?)\(款\))?(?:(?P<xiang>[^()]+?)\(项\))?")


class NameIndex:
    """Codes by name: from the document's own tables first, then from the reference
    classification (config/classification.csv) for subjects the tables do not print."""

    def __init__(self, items: Iterable[LineItem],
                 reference: Classification | None = None) -> None:
        self.by_parent: dict[tuple[str, str], str] = {}
        names: dict[str, set[str]] = {}
        items = list(items)
        # a name that is also a project's (深圳 项目 `退役安置` beside 20809 退役安置) does not
        # say which of the two a sentence means
        self.projects = {normalize(i.project) for i in items if i.project}
        for item in items:
            if not item.code or item.code_system not in {"function", "economic"} or item.project:
                continue  # a project's name is not a classification name
            name = normalize(item.name)
            if item.code_system == "function":
                parent = item.code[:-2] if len(item.code) > 3 else ""
                self.by_parent.setdefault((parent, name), item.code)
            names.setdefault(name, set()).add(item.code)
        self.unique = {n: next(iter(c)) for n, c in names.items() if len(c) == 1}
        self.function_codes = {i.code for i in items if i.code and i.code_system == "function"}
        self.reference = reference or load_classification()
        ref_names: dict[str, set[str]] = {}
        for (system, code), name in self.reference.names.items():
            if system == "function":
                parent = code[:-2] if len(code) > 3 else ""
                self.by_parent.setdefault((parent, name), code)
                self.function_codes.add(code)
            ref_names.setdefault(name, set()).add(code)
        for name, codes in ref_names.items():
            if len(codes) == 1 and name not in names:
                self.unique[name] = next(iter(codes))

    def resolve(self, subject: str, lei: str | None = None) -> str | None:
        """The code a subject names: `教育支出(类)职业教育(款)技校教育(项)` -> 2050303; a
        `(款)…(项)` subject under a `…(类)` heading; or a table row's name, if unique."""
        flat = re.sub(r"[“”\"'‘’]", "", normalize(subject))
        match = CODED.search(flat) if "(" in flat else None
        if match and (match.group("lei") or match.group("kuan")):
            levels = [match.group("lei") or lei, match.group("kuan"), match.group("xiang")]
            code = self._walk(levels) if levels[0] else None
            if code:
                return code
            last = next(x for x in reversed(levels) if x)
            return self._unique(strip_list(last), economic=True)
        return self._unique(flat, economic=False)

    def _walk(self, levels: list[str | None]) -> str | None:
        code = None
        for i, name in enumerate(levels):
            if not name:
                break
            name = strip_list(name)
            parent = code or ""
            if i and code is None:
                return None
            # Jiangsu writes `一般公共服务（类）支出`: the table names it 一般公共服务支出.
            code = self.by_parent.get((parent, name)) or self.by_parent.get((parent, name + "支出"))
        return code

    def _unique(self, name: str, economic: bool) -> str | None:
        """A name that only one code carries. A plain subject (`教育支出`) resolves only to a
        functional code: `公务接待费` in a 三公 sentence is not the economic row 30217."""
        bare = re.sub(r"(预算数|支出预算|预算|支出)$", "", name)
        if name in self.projects:
            return None
        for key in (name, bare, bare + "支出"):
            code = self.unique.get(key)
            if code and (economic or code in self.function_codes):
                return code
        return None


def strip_list(text: str) -> str:
    return LIST_MARK.sub("", text)


def clean_subject(text: str, department: str | None = None) -> str:
    """The subject of a clause from the words before its figures."""
    text = text.strip()
    if len(text) > 2 and text[0] in "“\"" and text.endswith(("”", "\"")):
        text = text[1:-1]  # Shanghai quotes the whole coded subject
    text = re.sub(r"^[“\"]([^”\"]*(?:\(类\)|\(款\)|\(项\))[^”\"]*)[”\"]", r"\1", text)
    text = _BASE_WORDS.sub("", text)
    coded = re.search(r"\((?:类|款|项)\)", text)
    if coded:
        # `教育支出（类）…（项）：2025 年预算数为`: the subject ends at its last level.
        last = list(re.finditer(r"\((?:类|款|项)\)", text))[-1]
        tail = text[last.end():]
        if tail.startswith(":") or re.match(r"^(?:(?:19|20)\d\d年)", tail):
            text = text[:last.end()]
    else:
        years = list(re.finditer(r"(?:19|20)\d\d年(?:度)?(?:的)?", text))
        if years and text[years[-1].end():].strip(",;: "):
            text = text[years[-1].end():]
    for _ in range(3):
        text = LIST_MARK.sub("", ITEM_PREFIX.sub("", text)).strip(",;: ")
        text = _LEAD_WORDS.sub("", text).strip(",;: ")
        if department and text.startswith(department):
            text = text[len(department):]
        text = _OWNER.sub("", text).strip(",;: ")
    text = re.sub(r"^[,;:的]+", "", text)
    if text[:1] in ("“", '"') and text.endswith(("”", '"')) and text.count("“") <= 1:
        text = text[1:-1]  # Shanghai quotes the whole coded subject
    text = _COUNT.sub("", text)
    text = _TRAIL_WORDS.sub("", text)
    text = _FEE_BUDGET.sub("", text)
    return text.strip(",;: ")


def is_generic(subject: str) -> bool:
    return bool(_GENERIC.match(subject))


def subject_key(subject: str) -> str:
    """A loose key to link a change statement to the amount stated for it elsewhere
    (`财政拨款“三公”经费预算比上年…` ↔ `“三公”经费数为147.41万元`)."""
    key = re.sub(r"[“”\"'‘’]", "", normalize(subject))
    return re.sub(r"(预算数|预算|数|合计|总额)$", "", key)


def heading_subject(section: Section, department: str | None = None) -> str:
    """A short sub-heading names the subject of the sentences under it (Fuzhou's
    `（一）因公出国（境）费` then `2026年预算安排0.00万元，与上年持平`)."""
    heading = clean_subject(re.sub(r"(情况说明|情况|说明)$", "",
                                   normalize(section.heading).rstrip("。.")), department)
    return heading if 0 < len(heading) <= 30 else ""


def heading_lei(section: Section) -> str | None:
    match = re.search(r"([^()]+?)\(类\)", strip_list(normalize(section.heading)))
    return match.group(1) if match else None


def part_name(raw: str) -> str:
    """A list item's name: separators, list markers, counts and `价值` dropped; a `和`/`及`
    joined straight to the amount before it is a connector (`…万元和C 5.00万元`), after a
    separator it is the name's own (`、和田地区`, `，和谐劳动关系`)."""
    if raw[:1] in ("和", "及"):
        raw = raw[1:]
    name = ITEM_PREFIX.sub("", raw.strip(",;:、。 "))
    name = re.sub(r",价值$", "", name)  # `一般公务用车73辆，价值…`; `房屋价值…` keeps its word
    name = _COUNT.sub("", name)
    name = re.sub(r"(?:为|是|:)+$", "", name)
    return _FEE_BUDGET.sub("", name.strip(",;:、。 "))


