"""completeness: the parts every disclosure must publish are there.

The standard tables (any of the kinds of each requirement), where an absent or empty table
is fine only when the narrative says the department has no such money (`无国有资本经营预算
拨款安排的支出`); and the narrative sections on 三公经费, 机关运行经费, 政府采购, 国有资产占用
and 绩效目标, recognised by their section's scope or heading (the glossary does not count), or
by tables of their own where config names them (绩效目标表). A table is required only from
the year config says it became one (`since`).
A 2025 narrative without a 国有资产占用 section: error. So is the reverse: a note saying a
table is empty (`本部门2024年无“三公”经费和机关运行经费预算，故本表为空表`) under a table that
prints amounts (万里街道 2024: 47.91 and 443.18).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, DocData, norm
from tasks.contracts import Finding

SLUG = "completeness"
PARAMS = {"tables", "no_money", "sections", "says_empty", "since", "part_severity",
          "narrative_sections", "narrative_amounts", "zero_elsewhere"}
_AMOUNT = re.compile(r"\d(?:\.\d+)?万?元")
# Tables that are no part of the standard set: a file of 绩效目标表 alone has no standard table.
_NOT_STANDARD = {"performance", "performance-dept"}

_NONE = r"(无|没有|未安排|未编制|不涉及|未使用|为空表|空表|本表无数据)"
_GLOSSARY = re.compile(r"名词解释|[:：]指")
_LABEL = re.compile(r"^(?:\d{1,2}[.、]|\(\d{1,2}\)|\([一二三四五六七八九十]+\))[^\d,;:。%]+[。]?$")
# a numbered label run into its paragraph (长沙 `（一）机关运行经费：2026年…`)
_RUN_IN = re.compile(r"^(?:\d{1,2}[.、]|\(\d{1,2}\)|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)"
                     r"([^\d,;:。%]{2,24})[:]")


def explained(doc: DocData, money: str | None) -> bool:
    """Whether a sentence says the department has no money of this kind: in words, or as an
    amount of 0 (北京 二: `2.政府性基金预算拨款收入 0 万元。`)."""
    if not money:
        return False
    pattern = re.compile(f"{_NONE}.{{0,30}}{money}|{money}.{{0,30}}{_NONE}|"
                         f"{money}[^。;,，]{{0,20}}?(?<![\\d.,])0(?:\\.0+)?(?:万?元|(?![\\d.]))")
    return any(pattern.search(norm(s.text)) for s in doc.sentences)


def present(doc: DocData, scopes: tuple[str, ...], words: str) -> bool:
    heading = re.compile(words)
    for s in doc.sentences:
        if _GLOSSARY.search(s.heading or "") or _GLOSSARY.search(s.text[:40]) \
                or s.scope == "glossary":
            continue
        if s.scope in scopes or heading.search(norm(s.heading)):
            return True
        # a numbered label of its own line (杭州 `1.机关运行经费`, `3.国有资产占有使用情况`)
        label = norm(s.text)
        if _LABEL.match(label) and len(label) <= 24 and heading.search(label):
            return True
        run_in = _RUN_IN.match(label)
        if run_in and heading.search(run_in.group(1)):
            return True
    return False


def parts(doc: DocData, narrative_sections: int, narrative_amounts: int
          ) -> tuple[bool, bool]:
    """(has standard tables, has a narrative): a disclosure may be published as two files,
    the tables (北京 附件2 报表) and the narrative (附件1 情况说明); each file alone is judged
    only for its own half. A narrative has numbered sections (a table file's notes do not);
    without tables beside them they must also state amounts (a notice, a regulation or a
    report filed as a budget has sections but speaks of no money)."""
    tables = any(t.table_kind not in _NOT_STANDARD
                 for t in [*doc.tables, *doc.line_items[:1]])
    sections = {s.section for s in doc.sentences if s.section and s.section != "目录"}
    amounts = sum(1 for s in doc.sentences if _AMOUNT.search(norm(s.text)))
    return tables, len(sections) >= narrative_sections and (
        tables or amounts >= narrative_amounts)


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    doc = ctx.current
    has_tables, has_narrative = parts(doc, int(rule.param("narrative_sections")),
                                      int(rule.param("narrative_amounts")))
    if has_tables != has_narrative:
        half, other = ("tables", "narrative") if has_tables else ("narrative", "tables")
        yield Finding(rule=SLUG, severity=rule.severity_of("part_severity"),
                      subject=f"{other} not in this document",
                      message=(f"the document holds only the {half}; whether the {other} are "
                               "complete was not checked. If they are published as another "
                               "file, list both files in one source (narrative first) so "
                               "they are read as one document"))
    if has_tables:
        yield from _tables(ctx, rule, doc, has_narrative)
    if has_narrative:
        yield from _sections(rule, doc, has_tables)


def zero_elsewhere(doc: DocData, key: str | None) -> bool:
    """Whether the document's other tables show that money as nothing: no total row of a
    table holds a non-zero cell in a column of that key (上海 域外农场: an empty 基本支出表
    beside a 收支总表 whose 基本支出 is blank, everything being 项目支出)."""
    if not key or not any(c.column_key == key for c in doc.columns):
        return False  # no table prints that money's column: nothing shows it is nothing
    return all(i.amount == 0 for i in doc.line_items if i.column_key == key)


def _tables(ctx: Context, rule, doc: DocData, has_narrative: bool) -> Iterator[Finding]:
    no_money = dict(rule.param("no_money"))
    zero_keys = dict(rule.param("zero_elsewhere"))
    found = {t.table_kind: t for t in doc.tables}
    since = dict(rule.param("since"))
    for label, kinds in rule.param("tables").items():
        if doc.year < int(since.get(label, 0)):
            continue  # not yet a required table in the document's year
        tables = [found[k] for k in kinds if k in found]
        money = next((no_money[k] for k in kinds if k in no_money), None)
        if not tables and not explained(doc, money) and (has_narrative or not money):
            # (a file of tables alone: the narrative that may say there is no such money is
            # the other file)
            yield Finding(rule=SLUG, severity=rule.severity, subject=label,
                          expected=" / ".join(kinds),
                          message=f"the disclosure has no {label}"
                          + (f" and does not say it has no {money} money" if money else ""))
        elif tables and all(t.empty for t in tables) and has_narrative \
                and not explained(doc, money) \
                and not any(zero_elsewhere(doc, zero_keys.get(k)) for k in kinds):
            # (a file of tables alone: the narrative that explains an empty one is elsewhere)
            t = tables[0]
            yield Finding(rule=SLUG, severity=rule.severity, subject=label,
                          stated=t.table_title, page=t.first_page, table_kind=t.table_kind,
                          message=f"{t.table_title} is empty and nothing says why")
    notes = [t for t in (norm(s.text) for s in doc.sentences) if "空表" in t]
    for kind, money in rule.param("says_empty").items():
        table = doc.grid.first(kind)
        printed = [i for r in (table.side_rows(None) if table else []) for i in r.cells.values()
                   if i.amount != 0]
        says = re.compile(f"无.{{0,4}}{money}")
        note = next((t for t in notes if says.search(t)), None) if printed else None
        if printed and note:
            yield Finding(rule=SLUG, severity=rule.severity, subject=f"{table.label}: 空表",
                          stated=note, expected=f"{len(printed)} amounts printed",
                          page=printed[0].page, table_kind=kind, evidence=note,
                          message=(f"the disclosure says {table.label} is empty, but it prints "
                                   f"{printed[0].amount:f} 万元 ({printed[0].column_name}) and "
                                   f"{len(printed) - 1} more amounts"))


def _sections(rule, doc: DocData, has_tables: bool) -> Iterator[Finding]:
    for scope, spec in rule.param("sections").items():
        label, scopes, words = spec["label"], tuple(spec["scopes"]), spec["words"]
        if spec.get("tables") and not has_tables:
            continue  # a narrative file alone: its own tables (绩效目标表) may be the other file
        if any(not t.empty for t in doc.tables if t.table_kind in spec.get("tables", ())):
            continue  # published as tables of their own (北京 预算12表 项目支出绩效目标表)
        if not present(doc, (scope, *scopes), words):
            yield Finding(rule=SLUG, severity=rule.severity, subject=label,
                          message=f"the narrative has no section on {label}")
