"""count-words: a count stated in words must match the list it counts.

`局本级和下属 4 个预算单位` followed by a list naming 局本级 and three units: error. The
下属 count excludes 本级 (`…局本级`, `…局（本级）`); a plain `预算单位 N 个` counts the whole list; 行政单位 N 家 + 事业单位 M 家 counts the whole list; 下设 N 个处室
counts the offices listed; `当年预算安排项目共 20 个` counts the distinct projects of the project
table (表7), the first of `project_tables` the document has. A 下属 count one short of the
list whose first unit carries no 本级 mark may not count the department itself, listed
first under its plain name (福州 `0个下属单位` over `福州市公安局文职人员管理中心`): a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, bare, norm, plain
from tasks.contracts import Fact, Finding

SLUG = "count-words"
PARAMS = {"self_words", "project_tables", "self_first_severity"}


def _finding(rule, fact: Fact, stated, listed: list[str], what: str,
             severity=None) -> Finding:
    return Finding(
        rule=SLUG, severity=severity or rule.severity, subject=fact.subject,
        stated=plain(stated),
        expected=str(len(listed)), page=fact.page, evidence=fact.text,
        message=(f"{fact.subject}: the text says {plain(stated)} but lists {len(listed)} {what}: "
                 + "、".join(listed)))


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    self_words = tuple(rule.param("self_words"))
    facts = ctx.current.facts
    units = [f.subject for f in facts if f.kind == "unit"]
    offices = [f.subject for f in facts if f.kind == "office"]
    by_kind: dict[str, list[Fact]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, []).append(f)
    if units:
        # `福州市医疗保障局(本级)` names the department itself as well as `…局本级`
        others = [u for u in units if not norm(u).strip("()").endswith(self_words)]
        for fact in by_kind.get("unit_count", []):
            # only the count of 下属 units (行政 / 事业 counts have their own kinds)
            if norm(fact.subject).startswith(("行政", "事业")):
                continue
            if not norm(fact.subject).startswith("下属"):
                # `下设二级预算单位 4 个，分别是：…（本级）、…` (重庆) counts the whole list
                if fact.value is not None and fact.value != len(units):
                    yield _finding(rule, fact, fact.value, units, "units")
            elif fact.value is not None and fact.value != len(others):
                self_first = len(others) == len(units) and fact.value == len(others) - 1
                yield _finding(rule, fact, fact.value, others, "units besides 本级",
                               rule.severity_of("self_first_severity") if self_first else None)
        admin, inst = by_kind.get("admin_units"), by_kind.get("inst_units")
        if admin and inst and admin[0].value is not None and inst[0].value is not None:
            stated = admin[0].value + inst[0].value
            if stated != len(units):
                yield _finding(rule, admin[0], stated, units, "units (行政 + 事业)")
    if offices:
        for fact in by_kind.get("office_count", []):
            if fact.value is not None and fact.value != len(offices):
                yield _finding(rule, fact, fact.value, offices, "offices")
    table = ctx.current.grid.first(*rule.param("project_tables"))
    projects = list(dict.fromkeys(
        bare(r.project) for side in (table.sides if table else []) for r in table.rows[side]
        if r.project))
    if projects:
        for fact in by_kind.get("project_count", []):
            if fact.value is not None and fact.value != len(projects):
                yield _finding(rule, fact, fact.value, projects, f"projects in {table.label}")
