"""Which rows and which columns of a table add up to which: rows nest by code prefix, under
units and totals, by list numbering and `其中`; a 合计/小计 column is the sum of its siblings
(read from the header path). Nothing here knows a province's layout, only codes, header paths
and the printed words 总计 / 合计 / 小计 / 其中 and list numbering. `tables.Table` asks these
functions for its hierarchy and column sums."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tasks.checks.base import bare, same_name

if TYPE_CHECKING:
    from tasks.checks.tables import Row, Table

TOTAL_LEAF = re.compile(r"(^|[^/]*)(合计|总计|小计)$")
_SUBTOTAL = re.compile(r"小计\)?$")
# List numbering, outermost first: 一、 > (一) > 1. > (1) > 其中
_LEVELS = [re.compile(p) for p in (r"^[一二三四五六七八九十]+[、.]", r"^\([一二三四五六七八九十]+\)",
                                   r"^\d{1,2}[.、](?!\d)", r"^\(\d{1,2}\)", r"^其中")]
LEVEL_C = _LEVELS[-1]
_LEVEL_PAREN = _LEVELS[1]
_FIRST = re.compile(r"^(?:一[、.]|\(一\)|1[.、](?!\d)|\(1\))")


def numbering(name: str) -> int | None:
    """1 for `一、`, 2 for `(一)`, 3 for `1.`, 4 for `(1)`, 5 for `其中`; None unnumbered."""
    return next((i for i, p in enumerate(_LEVELS, 1) if p.match(name)), None)


def indented(table: Table, side: str | None) -> bool:
    """Whether the side has rows whose nesting was read from their indentation alone."""
    return any(r.level and not r.code for r in table.rows.get(side, []))


def hierarchy(table: Table, side: str | None, levels: bool = True
              ) -> list[tuple[Row, list[Row]]]:
    """(parent, children) pairs: by code prefix, under units and totals, by numbering, and,
    with `levels`, by the indentation extraction read (uncoded rows only)."""

    def depth_of(row: Row) -> int | None:
        return row.level if levels or row.code else None
    links: dict[int, list[Row]] = {}
    parents: dict[int, Row] = {}

    def link(parent: Row, child: Row) -> None:
        parents[id(parent)] = parent
        links.setdefault(id(parent), []).append(child)

    head: Row | None = None
    unit: Row | None = None
    pending: list[Row] = []
    last_tail: Row | None = None
    coded: dict[str, Row] = {}
    lines: list[tuple[int, Row]] = []  # open line rows with their depth

    def top(row: Row) -> None:
        if unit is not None:
            link(unit, row)
        elif head is not None:
            link(head, row)
        else:
            pending.append(row)

    rows = table.rows.get(side, [])
    # Rows named just `小计` inside a list hang under group labels printed in another
    # column (江苏 收入预算总表), and unnumbered names alone (a function-class list whose
    # codes were not printed, 杭州) do not show which row holds which: such lines are left
    # out rather than guessed. Lines nest only by list numbering, 其中 and 小计.
    labelled = any(bare(r.name) == "小计" for r in rows[1:] if not r.code)
    guess_lines = not labelled and any(
        numbering(r.name) or _SUBTOTAL.search(bare(r.name)) for r in rows if r.kind == "line")
    # …unless the extractor read their nesting from the indentation (杭州 prints 类/款/项 as
    # names indented in even steps, without codes): then a line's level is its depth
    indented = not labelled and any(depth_of(r) for r in rows if r.kind == "line")
    after_total = False  # lines between two totals (上年结转结余 … 收入总计) are plain parts
    shift = 0  # how much deeper than its numbering a restarted list sits
    nested: Row | None = None  # the line a restarted list of coded rows sits under
    # A unit row followed by the same name's 本级 is the department over its units (无锡
    # 收入总表: `无锡市应急管理局 9,096.11`, then `…局（本级）7,959.88`, `…执法监督局 1,136.23`)
    units = [r for r in rows if r.kind == "unit"]
    by_name = {id(a) for a, b in zip(units, units[1:], strict=False)
               if bare(b.name).replace("(", "").replace(")", "") == bare(a.name) + "本级"
               # 西安 收入总表: `271 西安市…委员会` then `271001 西安市…委员会`
               or (b.row_no == a.row_no + 1 and bare(b.name) == bare(a.name))}
    # …or one with its units indented beneath it (杭州 收入总表: `杭州市公安局` over
    # ` 杭州市公安局`, ` 杭州市公安局交通管理支队`, …)
    aggregates = by_name | {id(a) for a, b in zip(units, units[1:], strict=False)
                            if (depth_of(a) or 0) < (depth_of(b) or 0)}
    dept: Row | None = None
    for i, row in enumerate(rows):
        kind = row.kind
        if (kind == "line" and not guess_lines and not indented and not after_total) or (
                labelled and i and not row.code and kind in ("project", "total")):
            continue
        after_total = (kind == "total" and i > 0) or (kind == "line" and after_total)
        if kind == "total":
            if i == 0:
                head = row
            else:
                for child in ([last_tail] if last_tail else []) + pending:
                    link(row, child)
                pending, last_tail, unit, coded, lines = [], row, None, {}, []
                shift, dept = 0, None
        elif kind == "unit":
            unit = None
            if dept is not None and (depth_of(row) or 0) <= (depth_of(dept) or 0) \
                    and id(dept) not in by_name:
                dept = None  # the next department-level row
            if dept is not None:
                link(dept, row)
            else:
                top(row)
            if id(row) in aggregates:
                dept = row
            unit, coded, lines = row, {}, []
        elif row.code and len(row.code) < 7 and i and rows[i - 1].code == row.code \
                and _same_cells(rows[i - 1], row):
            # a 类 or 款 printed again right below with the same name and amounts: a 项 printed with its
            # 款's code (无锡 `21999 其他支出 502.00` twice), a restatement, not a sibling (a 项
            # may repeat: 北京 支出总表 splits one 项 by economic class in other columns)
            continue
        elif row.code:
            parent = next((coded[row.code[:n]] for n in (5, 3)
                           if n < len(row.code) and row.code[:n] in coded), None)
            level = numbering(row.name)
            if parent is None and level and kind == "coded":
                # a numbered 类 among numbered lines (西安 `一、部门预算` over `1、一般公共服务
                # 支出 0.00` … `8、社会保障和就业支出 149.43`) nests by its numbering
                above = [r for d, r in lines if d < level + shift]
                parent = above[-1] if above else None
            if parent is None and lines and lines[-1][0] == 1 and (
                    _LEVEL_PAREN.match(row.name) or nested is lines[-1][1]
                    or (_FIRST.match(row.name) and i and rows[i - 1] is lines[-1][1])):
                # `一、本年支出` over `(八)社会保障和就业支出` (无锡), or over a list that
                # starts again at `一、一般公共服务支出` (长春 预算表4)
                parent = nested = lines[-1][1]
            if parent is not None:
                link(parent, row)
            else:
                # no printed row holds it (北京 预算06表 `3021101-差旅费` with no 30211 row):
                # it is one of the list's own lines, which the total adds up
                top(row)
            if kind == "coded":
                coded[row.code] = row
        elif kind == "project":
            top(row)
        else:
            prev = rows[i - 1] if i else None
            level = numbering(row.name)
            if level and _FIRST.match(row.name) and prev is not None and prev.kind == "line" \
                    and not numbering(prev.name) and lines and lines[-1][1] is prev:
                # `上年结转结余 508.64` over `一、一般公共预算拨款 508.64` (北京 预算04表): a
                # list that starts again under an unnumbered line itemises that line
                shift = lines[-1][0] + 1 - level
            depth = row.level if indented and depth_of(row) else (
                _depth(row, prev, lines) + (shift if level else 0))
            while lines and lines[-1][0] >= depth:
                lines.pop()
            if lines:
                link(lines[-1][1], row)
            else:
                top(row)
            lines.append((depth, row))
    # a lone `其中：` line restates a part of its parent (西安 `(1)一般公共预算拨款` over
    # `其中:专项资金列入部门预算的项目`), it is no breakdown that must add up
    return [(parents[k], kids) for k, kids in links.items()
            if not (len(kids) == 1 and LEVEL_C.match(kids[0].name))]

def leaf_counts(pairs: list[tuple[Row, list[Row]]], rows: list[Row]) -> dict[int, int]:
    """Row id -> the printed rows beneath it in a hierarchy's (parent, children) pairs (1 for
    a row that adds up nothing): a figure printed from its leaves may drift half a unit per
    leaf from one printed from subtotals."""
    kids = {id(p): k for p, k in pairs}
    out: dict[int, int] = {}

    def count(row: Row, depth: int = 0) -> int:
        if id(row) not in out:
            below = kids.get(id(row))
            out[id(row)] = sum(count(k, depth + 1) for k in below) \
                if below and depth < 12 else 1
        return out[id(row)]

    for row in rows:
        count(row)
    return out


def _same_cells(a: Row, b: Row) -> bool:
    return bare(a.name) == bare(b.name) and {c: i.amount for c, i in a.cells.items()} == {
        c: i.amount for c, i in b.cells.items()}


def _depth(row: Row, prev: Row | None, lines: list[tuple[int, Row]]) -> int:
    """A numbered line sits at its numbering's level; an unnumbered one follows its
    neighbour: under a numbered line or a 小计 it is a part, beside an unnumbered line or
    a 其中 line a sibling, after a total a top-level line."""
    level = numbering(row.name)
    if level:
        return level
    if prev is None or prev.kind != "line" or not lines or lines[-1][1] is not prev:
        return 1
    d = lines[-1][0]
    if LEVEL_C.match(prev.name):
        return d
    if numbering(prev.name) or _SUBTOTAL.search(bare(prev.name)):
        return d + 1
    return d

def column_sums(table: Table, side: str | None,
                not_parts: dict[str, tuple[str, ...]] | None = None,
                memo_groups: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    """(total column, its part columns): a 合计/小计 column is the sum of its siblings
    (a sibling group by its own 小计, else by its leaves). `not_parts` maps a word of a
    total's name to sibling columns it does not include (`“三公”经费合计` leaves out
    会议费 and 培训费; a plain `合计` beside them includes them)."""
    cols = table.columns.get(side, [])

    def children(group: str) -> list[str]:
        prefix = group + "/" if group else ""
        depth = group.count("/") + 1 if group else 0
        names = list(dict.fromkeys(c.split("/")[depth] for c in cols
                                   if c.startswith(prefix) and c.count("/") >= depth))
        return [prefix + n for n in names]

    def memo(node: str) -> bool:
        """A column (or group) that restates a part (`其中:…`, `扣除…后`: role `part`, read by
        tasks/extract/layout.py, which also tells a 其中 that opens a breakdown over several
        columns, 广州 `小计 | 其中：基本支出 | 项目支出`, from a restatement), or a group that
        config names a subset of the spending (深圳 `2026年政府采购项目/小计 | …/其中:预留给
        中小企业…`), does not add to its siblings."""
        leaf = node.split("/")[-1]
        return table.part(node) or any(word in leaf for word in memo_groups)

    def expand(node: str) -> list[str]:
        if node in cols:
            return [node]
        kids = [k for k in children(node) if not memo(k)]
        sub = next((k for k in kids if k in cols and TOTAL_LEAF.search(k.split("/")[-1])),
                   None)
        return [sub] if sub else [c for k in kids for c in expand(k)]

    out = []
    for total in cols:
        leaf = total.split("/")[-1]
        if not TOTAL_LEAF.search(leaf):
            continue
        group = total.rsplit("/", 1)[0] if "/" in total else ""
        excluded = [x for word, names in (not_parts or {}).items() if word in leaf
                    for x in names]
        parts = [c for node in children(group) if node != total and not memo(node)
                 and table.current(node) >= table.current(total)
                 and not any(same_name(node.split("/")[-1], x) for x in excluded)
                 and not (node in cols and TOTAL_LEAF.search(node.split("/")[-1]))
                 for c in expand(node)]
        if parts:
            out.append((total, parts))
    return out
