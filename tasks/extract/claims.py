"""The narrative's claims: an amount with a change, a percentage, a share or 持平; allocation
lists with their stated total; project statements (预算安排规模 / 项目承担单位).

The grammar works on normalised text (NFKC: full-width `，：；（）％` become ASCII), where a
clause comma and a thousands separator are both `,`: a number is only ever read together
with its unit (`万元`, `%`), so `42,040.53万元,占93.30%` stays unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tasks.contracts import Base, Claim, ClaimPart, LineItem
from tasks.extract.narrative import Section
from tasks.extract.pdf import normalize

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
AMOUNT = re.compile(rf"(?P<num>{NUM})万元?")
CHANGE = re.compile(
    rf"(?:比|较)?(?P<base>上年|上一?年度?|(?P<year>(?:19|20)\d\d)年度?)?"
    rf"(?P<kind>预算执行数|执行数|预算数|预算|决算数|决算)?"
    rf"(?P<word>增加|减少|增长|下降|降低|减)(?P<num>{NUM})万元")
PCT = re.compile(rf"(?P<word>增长|下降|增加|减少|降低|上升)(?P<num>{NUM})%")
SHARE = re.compile(rf"占[^,;。%]{{0,30}}?(?P<num>{NUM})%")
FLAT = re.compile(r"持平")
BASE_PHRASE = re.compile(
    r"(?:比|较|与)(?P<base>上年|上一?年度?|(?P<year>(?:19|20)\d\d)年度?)"
    r"(?P<kind>预算执行数|执行数|预算数|预算|决算数|决算)?")
REASON = re.compile(r"(?:主要原因(?:是|为|:)|原因(?:是|为|:)|主要是由于|主要由于)")
ALLOC_MARKER = re.compile(r"(具体分配为|具体分配如下|分配如下|其中|主要包括|包括|分别为|分别是)[:：]?")
ITEM_PREFIX = re.compile(r"^(?:[;,、:。]|\d{1,2}[.、]|[一二三四五六七八九十]+是|其中:?|和|及)+")
CODED_SUBJECT = re.compile(r"^(?P<lei>[^()]+?)\(类\)(?:(?P<kuan>[^()]+?)\(款\))?"
                           r"(?:(?P<xiang>[^()]+?)\(项\))?")
NEGATIVE = {"减少", "下降", "降低", "减"}
GENERIC_TOTALS = re.compile(r"^(项目总计|预算总金额|项目资金|项目总额|总金额|合计|共计|总计)")


@dataclass
class _Amount:
    value: Decimal
    decimals: int


def _num(text: str) -> _Amount:
    flat = text.replace(",", "")
    decimals = len(flat.split(".")[1]) if "." in flat else 0
    return _Amount(Decimal(flat), decimals)


def _subject(pre: str) -> str:
    """The subject of a clause from the text before its figures."""
    text = ITEM_PREFIX.sub("", pre)
    coded = re.search(r"[^,;:]*\(类\)(?:[^(),;:]*?\(款\))?(?:[^(),;:]*?\(项\))?", text)
    if coded:
        return coded.group(0)
    year = list(re.finditer(r"(?:19|20)\d\d年(?:度)?(?:的)?", text))
    if year:
        text = text[year[-1].end():] or text[:year[-1].start()]
    text = re.sub(r"^[,;:的]+", "", text)
    text = re.sub(r"(预算数为|预算为|数为|为|是|:)+$", "", text)
    return re.sub(r"[“”\"'‘’]", "", text).strip(",;: ")


def subject_key(subject: str) -> str:
    """A loose key to link a change statement to the statement of its amount."""
    key = re.sub(r"[“”\"'‘’]", "", normalize(subject))
    key = re.sub(r"(预算数|预算|数|合计|支出)$", "", key)
    key = re.sub(r"(预算数|预算|数)$", "", key)
    return key


class NameIndex:
    """Functional codes by name, from the document's own tables."""

    def __init__(self, items: Iterable[LineItem]) -> None:
        self.by_parent: dict[tuple[str, str], str] = {}
        for item in items:
            if item.code_system != "function" or not item.code:
                continue
            parent = item.code[:-2] if len(item.code) > 3 else ""
            self.by_parent.setdefault((parent, normalize(item.name)), item.code)

    def resolve(self, subject: str) -> str | None:
        match = CODED_SUBJECT.match(subject)
        if not match:
            return None
        code = self.by_parent.get(("", normalize(match.group("lei"))))
        for level in ("kuan", "xiang"):
            name = match.group(level)
            if not name:
                break
            if code is None:
                return None
            code = self.by_parent.get((code, normalize(name)))
        return code


def _base(flat: str, match: re.Match[str] | None) -> tuple[Base | None, int | None]:
    phrase = BASE_PHRASE.search(flat)
    if not phrase and not (match and match.group("base")):
        return None, None
    found = phrase or match
    assert found is not None
    kind = found.group("kind") or ""
    year = int(found.group("year")) if found.group("year") else None
    if "执行" in kind:
        return Base.PRIOR_EXECUTION, year
    if "决算" in kind:
        return Base.PRIOR_FINAL, year
    if "预算" in kind:
        return Base.PRIOR_BUDGET, year
    return Base.PRIOR_UNSPECIFIED, year


def _clauses(flat: str) -> list[tuple[str, bool]]:
    """(clause, is_total): split at `;` and after `…万元,其中:` (the text before is a total)."""
    out: list[tuple[str, bool]] = []
    for part in re.split(r";", flat):
        pieces = re.split(r"(?<=万元),?其中:", part)
        for i, piece in enumerate(pieces):
            if piece.strip(",:。"):
                out.append((piece, i < len(pieces) - 1))
    return out


def _allocation(flat: str, previous_amount: _Amount | None
                ) -> tuple[str, _Amount, list[tuple[str, _Amount]]] | None:
    """A stated total and its list of parts, if the sentence is an allocation list."""
    for marker in ALLOC_MARKER.finditer(flat):
        tail = flat[marker.end():]
        stop = ALLOC_MARKER.search(tail)
        body = tail[:stop.start()] if stop else tail
        if CHANGE.search(body) or PCT.search(body) or SHARE.search(body):
            continue
        parts_found = list(AMOUNT.finditer(body))
        if len(parts_found) < 2:
            continue
        clause_start = flat.rfind(";", 0, marker.start()) + 1
        before = flat[clause_start:marker.start()]
        totals = list(AMOUNT.finditer(before))
        if totals:
            total = _num(totals[-1].group("num"))
            subject = _subject(before[:totals[-1].start()])
        elif not before.strip(",:;、") and (clause_start or previous_amount):
            earlier = list(AMOUNT.finditer(flat[:max(clause_start - 1, 0)]))
            if earlier:
                total, subject = _num(earlier[-1].group("num")), _subject(
                    flat[:earlier[-1].start()])
            elif previous_amount is not None:
                total, subject = previous_amount, ""
            else:
                continue
        else:
            continue
        parts, pos = [], 0
        for found in parts_found:
            name = ITEM_PREFIX.sub("", body[pos:found.start()].strip(",;:、。 "))
            parts.append((name.strip(",;:、 "), _num(found.group("num"))))
            pos = found.end()
        return subject, total, parts
    return None


def parse_sections(sections: list[Section], index: NameIndex
                   ) -> tuple[list[Claim], list[ClaimPart]]:
    """Every claim of the narrative, in document order."""
    claims: list[Claim] = []
    parts: list[ClaimPart] = []
    counter: dict[int, int] = {}

    def new_id(page: int) -> str:
        counter[page] = counter.get(page, 0) + 1
        return f"p{page}-{counter[page]}"

    for section in sections:
        if not section.scope or section.scope in {"overview"}:
            continue
        project = _project_name(section.heading)
        known: dict[str, _Amount] = {}  # subject key -> stated amount, to link 三公 items
        previous_amount: _Amount | None = None
        section_base: Base | None = None
        if project:
            claims.extend(_project_claims(section, project, new_id))
        for sentence in section.sentences:
            flat = normalize(sentence.text)
            alloc = _allocation(flat, previous_amount)
            if alloc:
                subject, total, items = alloc
                if not subject or GENERIC_TOTALS.match(subject):
                    subject = project or subject or section.heading
                claim_id = new_id(sentence.page)
                claims.append(Claim(
                    claim_id=claim_id, section=section.path, scope=section.scope,
                    subject=subject, code=index.resolve(subject), amount=total.value,
                    change_amount=None, change_pct=None, share_pct=None, base=None,
                    reason=None, page=sentence.page, text=sentence.text,
                    amount_decimals=total.decimals, kind="allocation"))
                known[subject_key(subject)] = total
                for n, (name, amount) in enumerate(items, start=1):
                    parts.append(ClaimPart(claim_id, n, name, amount.value, amount.decimals))
                    known[subject_key(name)] = amount
                continue
            for clause, is_total in _clauses(flat):
                claim = _parse_clause(clause, is_total, section, sentence.page, sentence.text,
                                      known, section_base, index)
                if claim is None:
                    continue
                if claim.base is not None and section_base is None:
                    section_base = claim.base
                claims.append(Claim(**{**claim.__dict__, "claim_id": new_id(sentence.page)}))
                if claim.amount is not None:
                    known.setdefault(subject_key(claim.subject), _Amount(
                        claim.amount, claim.amount_decimals or 2))
            amounts = list(AMOUNT.finditer(flat))
            previous_amount = _num(amounts[-1].group("num")) if amounts else None
    return claims, parts


def _parse_clause(clause: str, is_total: bool, section: Section, page: int, text: str,
                  known: dict[str, _Amount], section_base: Base | None,
                  index: NameIndex) -> Claim | None:
    reason_at = REASON.search(clause)
    body = clause[:reason_at.start()] if reason_at else clause
    reason = clause[reason_at.end():].strip(",。; ") if reason_at else None
    change = CHANGE.search(body)
    pct = PCT.search(body, change.end() if change else 0)
    share = SHARE.search(body)
    flat_word = FLAT.search(body)
    amounts = [m for m in AMOUNT.finditer(body)
               if not (change and change.start() <= m.start() < change.end())]
    first_figure = min((m.start() for m in (change, pct, share, flat_word) if m),
                       default=len(body))
    amount = next((m for m in amounts if m.start() < first_figure), None)
    if amount is None and change is None:
        if not amounts or not (is_total or share or flat_word):
            return None
        amount = amounts[0]
    subject_end = amount.start() if amount else (change.start() if change else len(body))
    subject = _subject(body[:subject_end])
    if change is not None and change.group("base") and subject.endswith(("比", "较")):
        subject = subject[:-1]
    subject = re.sub(r"(比|较)(上年|上一?年度?|(19|20)\d\d年度?)(预算执行数|预算数|预算|决算)?$",
                     "", subject)
    if not subject:
        return None
    stated = _num(amount.group("num")) if amount else known.get(subject_key(subject))
    base, base_year = _base(body, change)
    if base is None and (change or pct):
        base = section_base or Base.PRIOR_UNSPECIFIED
    change_amount = None
    if change:
        change_amount = _num(change.group("num"))
        sign = -1 if change.group("word") in NEGATIVE else 1
        change_amount = _Amount(sign * change_amount.value, change_amount.decimals)
    pct_amount = None
    if pct:
        value = _num(pct.group("num"))
        pct_amount = _Amount((-1 if pct.group("word") in NEGATIVE else 1) * value.value,
                             value.decimals)
    if flat_word and change is None:
        change_amount = _Amount(Decimal(0), stated.decimals if stated else 2)
    kind = "change" if (change or pct or flat_word) else ("share" if share else (
        "total" if is_total else "amount"))
    share_amount = _num(share.group("num")) if share else None
    return Claim(
        claim_id="", section=section.path, scope=section.scope or "", subject=subject,
        code=index.resolve(subject), amount=stated.value if stated else None,
        change_amount=change_amount.value if change_amount else None,
        change_pct=pct_amount.value if pct_amount else None,
        share_pct=share_amount.value if share_amount else None,
        base=base if (change or pct or flat_word) else None, reason=reason or None, page=page,
        text=text, amount_decimals=stated.decimals if stated else None,
        change_decimals=change_amount.decimals if change_amount else None,
        pct_decimals=pct_amount.decimals if pct_amount else None,
        share_decimals=share_amount.decimals if share_amount else None,
        change_word=change.group("word") if change else ("持平" if flat_word else None),
        pct_word=pct.group("word") if pct else None, base_year=base_year, kind=kind)


_PROJECT_HEADING = re.compile(r"^\([一二三四五六七八九十]+\)项目名称:(?P<name>.+)$")


def _project_name(heading: str) -> str | None:
    match = _PROJECT_HEADING.match(normalize(heading))
    return match.group("name") if match else None


def _project_claims(section: Section, project: str, new_id) -> list[Claim]:
    """`预算安排规模：70.00万元` and `项目承担单位：…` under a `项目名称：` heading."""
    flat = normalize("".join(s.text for s in section.sentences))
    scale = re.search(rf"预算安排规模:(?P<num>{NUM})万元", flat)
    if not scale:
        return []
    unit = re.search(r"项目承担单位:(?P<unit>.+?)(?=资金分配情况|资金执行时间|$)", flat)
    page = next((s.page for s in section.sentences if "预算安排规模" in normalize(s.text)),
                section.sentences[0].page)
    amount = _num(scale.group("num"))
    return [Claim(
        claim_id=new_id(page), section=section.path, scope=section.scope or "gpb-project",
        subject=project, code=None, amount=amount.value, change_amount=None,
        change_pct=None, share_pct=None, base=None, reason=None, page=page,
        text=f"项目名称：{project}；预算安排规模：{scale.group('num')}万元",
        amount_decimals=amount.decimals, kind="project",
        budget_unit=unit.group("unit").strip(",;。") if unit else None)]
