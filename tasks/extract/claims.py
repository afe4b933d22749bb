"""The narrative's claims: an amount with a change, a percentage, a share, a ratio or 持平;
allocation lists with their stated total; project statements (预算安排规模 / 项目承担单位).

A sentence is cut into clauses (at `;`, at `，其中：`, and where a new subject with its own
amount starts after a change: `一般公共服务支出减少108.56万元，社会保障和就业支出增加…`).
A clause without a subject of its own continues the claim before it (`…5,140.00万元，主要用
于…。比上年执行数增加1,344.05万元，增长35.4%…` in Hangzhou, Shanghai's `2023年当年预算执行
数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%`), and a sentence that
is only a reason (`主要原因是…`) gives its reason to the claims before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from tasks.config import Layouts, load_layouts
from tasks.contracts import Base, Claim, ClaimPart
from tasks.extract import grammar as g
from tasks.extract.allocations import Allocation, find_allocation, project_claims, project_name
from tasks.extract.clauses import Draft, clause_groups, conflict, draft, inside, merge, pieces
from tasks.extract.narrative import Section
from tasks.extract.pdf import normalize
from tasks.extract.subjects import (
    LIST_MARK,
    PRINTED_CODE,
    NameIndex,
    clean_subject,
    heading_lei,
    heading_subject,
    is_generic,
    subject_key,
)

# A sentence that only names a coded subject; its figures follow in the next sentence.
_SUBJECT_LINE = re.compile(r"\((?:类|款|项)\)[^,;]{0,4}$|\((?:类|款|项)\)\.?[。]?主要用于")
# A numbered label run into its paragraph (北京 `（一）因公出国（境）费用。2026 年预算数 50.33 万元`):
# it names the subject of the figures that follow.
_LABEL_LINE = re.compile(r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]+[、.]|\d{1,2}[.、])"
                         r"[^,;:。]{2,20}[。.]?$")
# A project named with its amount in brackets in a performance section.
_PROJECT_AMOUNT = re.compile(rf"(?:^|[:;])(?P<name>[^:;,。()]{{2,40}})\((?P<num>{g.NUM})(?P<unit>万元|元)\)[:]")
_SKIP_SCOPES = {"overview", "glossary"}


@dataclass
class Context:
    """What parsing a document's sentences needs to know."""

    index: NameIndex
    layouts: Layouts
    doc_year: int | None = None
    doc_kind: str | None = None
    department: str | None = None
    claims: list[Claim] = field(default_factory=list)
    parts: list[ClaimPart] = field(default_factory=list)
    counter: dict[int, int] = field(default_factory=dict)

    def new_id(self, page: int) -> str:
        self.counter[page] = self.counter.get(page, 0) + 1
        return f"p{page}-{self.counter[page]}"


def parse_sections(sections: list[Section], index: NameIndex, doc_year: int | None = None,
                   doc_kind: str | None = None, layouts: Layouts | None = None,
                   department: str | None = None) -> tuple[list[Claim], list[ClaimPart]]:
    """Every claim of the narrative, in document order."""
    ctx = Context(index, layouts or load_layouts(), doc_year, doc_kind, department)
    for section in sections:
        if section.scope in _SKIP_SCOPES:
            continue
        project = project_name(section.heading)
        if project:
            ctx.claims.extend(project_claims(section, project, ctx.new_id))
        events = _section_events(section, project, ctx)
        known: dict[str, g.Figure] = {}
        for event in events:
            if isinstance(event, Allocation):
                known.setdefault(subject_key(event.subject), event.total)
                for name, fig in event.parts:
                    known.setdefault(subject_key(name), fig)
            elif event.amount is not None:
                known.setdefault(subject_key(event.subject), event.amount)
        lei = heading_lei(section)
        for event in events:
            if isinstance(event, Allocation):
                _emit_allocation(event, ctx)
                continue
            if event.amount is None and event.states_change:
                # 三公: `其中：因公出国（境）费增加0.00万元…` names the amount stated earlier.
                event.amount = known.get(subject_key(event.subject))
            ctx.claims.append(_freeze(event, ctx, lei))
    return ctx.claims, ctx.parts


def _section_events(section: Section, project: str | None, ctx: Context
                    ) -> list[Draft | Allocation]:
    """The drafts and allocations of one section, in order."""
    events: list[Draft | Allocation] = []
    drafts: list[Draft] = []
    previous: list[Draft] = []  # the claims of the previous sentence
    last_amount: g.Figure | None = None
    pending = ""  # a subject named in a sentence without figures (Putuo's `1、…（项）。`)
    section_base: tuple[Base, int | None] | None = None
    listed: Allocation | None = None  # the previous sentence, when it was an allocation
    for sentence in section.sentences:
        flat = normalize(sentence.text)
        lead, listed = listed, None
        if not g.figures_in(flat) and (_SUBJECT_LINE.search(flat) or _LABEL_LINE.match(flat)):
            pending = clean_subject(re.sub(r"[。.]$", "", flat.split("。")[0]), ctx.department)
            previous = []
            continue
        reason = g.REASON.search(flat)
        # `比2022年预算持平，主要原因是…` states a change (of 0) before its reason
        if reason and not g.figures_in(flat[:reason.start()]) and previous \
                and not g.FLAT.search(flat[:reason.start()]):
            for d in previous:  # a sentence that only gives the reason
                d.reason = d.reason or flat[reason.end():].strip(",。;: ") or None
                d.text += sentence.text
            continue
        last = previous[-1] if previous else None
        alloc = find_allocation(flat, last_amount, sentence.page, sentence.text, section,
                                ctx.department, last.subject if last is not None
                                and last.amount is not None and last_amount is not None
                                and last.amount.value == last_amount.value else None)
        # the amount a following `其中：…` list divides: not a change (福州 `…351904.90 万元，比
        # 上年增加 125454.38 万元，…。其中：基本支出 7841.26 万元、项目支出 344063.64 万元。`)
        amounts = [m for m in g.AMOUNT.finditer(flat) if not inside(m, g.CHANGE, flat)]
        if amounts:
            last_amount = g.number(amounts[-1].group("num"), amounts[-1].group("unit"))
        if alloc:
            if pending and is_generic(alloc.subject):
                alloc.subject, pending = pending, ""  # `（三）公务用车购置和运行维护费。` …
            events.append(alloc)
            previous, listed = [], alloc
            continue
        if project:
            continue  # a project block states its scale and allocation; the rest is prose
        named = list(_PROJECT_AMOUNT.finditer(flat))
        if named:
            # `文化惠民工程（685.00 万元）：全年开展…；全域旅游宣传推广（320.00 万元）：…`
            for m in named:
                d = Draft(section, sentence.page_at(m.start("name")), sentence.text,
                          kind="project", scope="project",
                          subject=clean_subject(m.group("name"), ctx.department),
                          amount=g.number(m.group("num"), m.group("unit")))
                events.append(d)
                drafts.append(d)
            previous = []
            continue
        new: list[Draft] = []
        for body, why in pieces(flat):
            groups = clause_groups(body, ctx.doc_year, ctx.doc_kind)
            for n, (clause, is_total) in enumerate(groups):
                # A reason closes its piece: it explains the last clause before it.
                reason = why if n == len(groups) - 1 else None
                at = flat.find(clause[:8])
                page = sentence.page_at(at) if at >= 0 else sentence.page
                d = draft(clause, is_total, reason, section, page, sentence.text, ctx)
                if d is None:
                    continue
                if is_generic(d.subject):
                    if pending:
                        d.subject, pending = pending, ""
                    elif lead is not None and not new and g.COMPARING.match(flat) and \
                            d.amount is None and d.base_amount is None:
                        # `…支出预算为1,234.56万元，其中：基本支出…。比上年预算增加100.00万元，
                        # 增长8.81%`: the change is the listed total's; the list states none
                        d.subject, d.amount = lead.subject, lead.total
                        d.text = lead.text + d.text
                    else:
                        # A subject-less clause continues the main claim before it: the
                        # first of the previous sentence's (its total, before 其中).
                        candidates = new[-1:] + previous + drafts[-1:]
                        target = next((t for t in candidates if not conflict(t, d)), None)
                        if target is not None:
                            merge(target, d)
                            continue
                        # It states other figures for that same subject (万里 2024 `住房公积金
                        # （项）”350.35万元…。…2024年预算安排352.67万元，…增加0.53%`): a claim of
                        # its own, about the subject it continues.
                        d.subject = candidates[0].subject if candidates else \
                            heading_subject(section, ctx.department)
                        if not d.subject:
                            continue
                if section.scope == "carryover" and LIST_MARK.match(flat) and not (
                        d.states_change or d.share):
                    d.kind = "project"  # `1. 自治区就业补助资金 1,155.11 万元，主要用于：…`
                new.append(d)
        for d in new:
            if d.states_change and d.base is None:
                # `…比上年预算减少34.90万元，…，其中：因公出国（境）费增加0.00万元…`: the items
                # are measured against what the sentence, or else the section, names.
                d.base, d.base_year = g.base_of(flat, ctx.doc_kind)
                if d.base is None and section_base is not None:
                    d.base, d.base_year = section_base
            if d.base is not None and section_base is None:
                section_base = (d.base, d.base_year)
        drafts.extend(new)
        events.extend(new)
        previous = new or previous
        if new:
            pending = ""  # a label names the figures right after it, not a later clause's
    return events


def _scope(d: Draft, layouts: Layouts) -> str:
    """The section's scope; where the section names none, what the subject names."""
    return d.scope or d.section.scope or layouts.scope_of(d.subject) or ""


def _freeze(d: Draft, ctx: Context, lei: str | None) -> Claim:
    kind = d.kind or ("change" if d.states_change else "execution" if d.ratio else
                      "share" if d.share else "total")
    printed = PRINTED_CODE.match(d.subject)
    if printed:  # Fuzhou: `（一）2080501-行政单位离退休178.51万元`
        d.subject = printed.group("name")
    change = d.change
    if d.flat and change is None:
        change = g.Figure(Decimal(0), d.amount.decimals if d.amount else 2, 0, 0)
    base = d.base
    if base is None and d.states_change:
        base = Base.PRIOR_UNSPECIFIED
    return Claim(
        claim_id=ctx.new_id(d.page), section=d.section.path, scope=_scope(d, ctx.layouts),
        subject=d.subject,
        code=None if kind == "project" else (
            (printed.group("a") or printed.group("b")) if printed
            else ctx.index.resolve(d.subject, lei)),
        amount=d.amount.value if d.amount else None,
        change_amount=change.value if change else None,
        change_pct=d.pct.value if d.pct else None, share_pct=d.share.value if d.share else None,
        base=base, reason=d.reason, page=d.page, text=d.text,
        amount_decimals=d.amount.decimals if d.amount else None,
        change_decimals=change.decimals if change else None,
        pct_decimals=d.pct.decimals if d.pct else None,
        share_decimals=d.share.decimals if d.share else None,
        change_word=d.change_word or ("持平" if d.flat else None), pct_word=d.pct_word,
        base_year=d.base_year, kind=kind, budget_unit=d.budget_unit,
        base_amount=d.base_amount.value if d.base_amount else None,
        base_amount_decimals=d.base_amount.decimals if d.base_amount else None,
        ratio_pct=d.ratio.value if d.ratio else None,
        ratio_decimals=d.ratio.decimals if d.ratio else None)


def _emit_allocation(a: Allocation, ctx: Context) -> None:
    claim_id = ctx.new_id(a.page)
    ctx.claims.append(Claim(
        claim_id=claim_id, section=a.section.path, scope=a.section.scope or "",
        subject=a.subject, code=ctx.index.resolve(a.subject), amount=a.total.value,
        change_amount=None, change_pct=None, share_pct=None, base=None, reason=None,
        page=a.page, text=a.text, amount_decimals=a.total.decimals, kind="allocation"))
    for n, (name, fig) in enumerate(a.parts, start=1):
        ctx.parts.append(ClaimPart(claim_id, n, name, fig.value, fig.decimals))


