"""Allocation lists (a stated total and its parts: 具体分配为 / 其中 / 主要包括) and the
project statements of 项目 blocks (预算安排规模 / 项目承担单位)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tasks.contracts import Claim
from tasks.extract import grammar as g
from tasks.extract.narrative import Section
from tasks.extract.pdf import normalize
from tasks.extract.subjects import clean_subject, heading_subject, is_generic, part_name

ALLOC_MARKER = re.compile(r"(具体分配为|具体分配如下|分配如下|分配为|其中|主要包括|包括|分别为|分别是)[:：]?")


@dataclass
class Allocation:
    """A stated total with its list of parts, in document order among the drafts."""

    section: Section
    page: int
    text: str
    subject: str
    total: g.Figure
    parts: list[tuple[str, g.Figure]]


def outside_parens(text: str) -> list[re.Match[str]]:
    """The amounts of a text that are not inside parentheses (`1,100万元（一般预算安排…）`)."""
    out, depth, pos = [], 0, 0
    marks = [(i, ch) for i, ch in enumerate(text) if ch in "()"]
    for m in g.AMOUNT.finditer(text):
        while pos < len(marks) and marks[pos][0] < m.start():
            depth = max(depth + (1 if marks[pos][1] == "(" else -1), 0)
            pos += 1
        if depth == 0:
            out.append(m)
    return out


def find_allocation(flat: str, previous: g.Figure | None, page: int, text: str,
                    section: Section, department: str | None,
                    previous_subject: str | None = None) -> Allocation | None:
    """A stated total and its list of parts (具体分配为 / 其中 / 主要包括), if the sentence
    states one. A sentence opening on `其中：` divides the previous sentence's last amount,
    and so its subject (`（二）公务用车购置及运行费0.00万元。其中：公务用车购置费…`), not
    the section's."""
    for marker in ALLOC_MARKER.finditer(flat):
        tail = flat[marker.end():]
        stop = ALLOC_MARKER.search(tail)
        body = tail[:stop.start()] if stop else tail
        if stop and not stop.group(0).endswith((":", "：")) and len(outside_parens(body)) < 2:
            # `主要包括综合管理事务工作269.00万元，用于…支出，包括人事管理…；财务管理工作62.50万元
            # …` (深圳): a 包括 inside a part's description (no colon) does not end the list
            body = tail
        if g.CHANGE.search(body) or g.PCT.search(body) or g.SHARE.search(body) or \
                g.RATIO.search(body):
            continue
        found = outside_parens(body)
        if len(found) < 2:
            continue
        clause_start = flat.rfind(";", 0, marker.start()) + 1
        before = flat[clause_start:marker.start()]
        totals = outside_parens(before)
        if not totals and not before.strip(",:;、"):
            # `…14,545.59万元，…。其中：…` or `…1,942.60万元；其中：…`: the total comes before.
            totals = outside_parens(flat[:clause_start])
            before = flat[:clause_start]
        if totals:
            last = totals[-1]
            total = g.number(last.group("num"), last.group("unit"))
            start = before.rfind(";", 0, last.start()) + 1
            subject = clean_subject(before[start:last.start()], department)
        elif not before.strip(",:;、") and previous is not None:
            total, subject = previous, previous_subject or ""
        else:
            continue
        project = project_name(section.heading)
        if project:
            subject = project  # a project block's allocation is the project's
        elif not subject or is_generic(subject):
            # `（三）公务用车购置及运行费` / `2026 年预算安排 0.00 万元，其中：…` (福州)
            subject = heading_subject(section, department) or subject
        parts, pos = [], 0
        for m in found:
            parts.append((part_name(body[pos:m.start()]),
                          g.number(m.group("num"), m.group("unit"))))
            pos = m.end()
        return Allocation(section, page, text, subject, total, parts)
    return None


_PROJECT_HEADING = re.compile(r"^\(([一二三四五六七八九十]+|\d+)\)项目名称:(?P<name>.+)$")


def project_name(heading: str) -> str | None:
    match = _PROJECT_HEADING.match(normalize(heading))
    return match.group("name") if match else None


def project_claims(section: Section, project: str, new_id: Callable[[int], str]
                    ) -> list[Claim]:
    """`预算安排规模：70.00万元` and `项目承担单位：…` under a `项目名称：` heading."""
    flat = normalize("".join(s.text for s in section.sentences))
    scale = re.search(rf"预算安排规模:(?P<num>{g.NUM})(?P<unit>万元|元)", flat)
    if not scale:
        return []
    unit = re.search(r"项目承担单位:(?P<unit>.+?)(?=资金分配情况|资金执行时间|设立的政策依据|$)", flat)
    page = next((s.page for s in section.sentences if "预算安排规模" in normalize(s.text)),
                section.sentences[0].page)
    amount = g.number(scale.group("num"), scale.group("unit"))
    return [Claim(
        claim_id=new_id(page), section=section.path, scope=section.scope or "gpb-project",
        subject=project, code=None, amount=amount.value, change_amount=None,
        change_pct=None, share_pct=None, base=None, reason=None, page=page,
        text=f"项目名称：{project}；预算安排规模：{scale.group('num')}{scale.group('unit')}",
        amount_decimals=amount.decimals, kind="project",
        budget_unit=unit.group("unit").strip(",;。") if unit else None)]

