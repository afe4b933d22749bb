"""The tables of a document as rules navigate them: rows rebuilt from line items, their
sides (收入 | 支出 of a two-sided summary), their total row and total column, which rows add
up to which (by code prefix, unit, numbering and `其中`), and which columns add up to which
(by the header path: a 合计/小计 column is the sum of its siblings).

Nothing here knows a province's layout: only codes, header paths and the printed words
总计 / 合计 / 小计 / 其中 and list numbering.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from tasks.checks import structure
from tasks.checks.base import ZERO, bare, half, same_name, sum_drift
from tasks.checks.structure import TOTAL_LEAF
from tasks.config import load_layouts
from tasks.contracts import LineItem, TableColumn
from tasks.extract import layout

if TYPE_CHECKING:
    from tasks.checks.base import DocData

_TOTAL_ROW = re.compile(r"^[^\d]{0,6}(总计|合计)$|^[^\d]{2,6}小计$")
_BARE_SUBTOTAL = {"小计", "合计"}
_CARRIED = re.compile(r"上年结转|结转结余")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
# Roles of this year's money (tasks/extract/layout.py); prior, change and percent are not.
_CURRENT_ROLES = {"amount", "part"}


@dataclass
class Cell:
    """A value read from a table: one cell, or the sum of several (n cells)."""

    amount: Decimal
    decimals: int
    page: int | None
    label: str
    n: int = 1
    table_no: int | None = None

    @property
    def radius(self) -> Decimal:
        return self.n * half(self.decimals)


@dataclass(eq=False)
class Row:
    table: Table
    side: str | None
    row_no: int
    code: str | None
    name: str
    budget_unit: str | None
    project: str | None
    cells: dict[str, LineItem] = field(default_factory=dict)
    level: int | None = None

    @property
    def kind(self) -> str:
        if self.project:
            return "project"
        if self.code:
            return "coded"
        if _TOTAL_ROW.match(bare(self.name)):
            return "total"
        if self.budget_unit and bare(self.budget_unit) == bare(self.name):
            return "unit"
        return "line"

    @property
    def page(self) -> int:
        return min(item.page for item in self.cells.values())

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.code, self.project or self.name) if x)

    def cell(self, column: str | None) -> Cell | None:
        item = self.cells.get(column) if column else None
        if item is None:
            return None
        return Cell(item.amount, item.decimals, item.page,
                    f"{self.table.label} {self.label} {column}", table_no=self.table.no)


class Table:
    """One table's rows, per side, in printed order."""

    def __init__(self, items: list[LineItem], columns: Iterable[TableColumn] = ()):
        first = items[0]
        # each column's role as extraction read it; the first of two equal header paths
        self.roles: dict[str, TableColumn] = {}
        for col in columns:
            self.roles.setdefault(col.header_path, col)
        self.no, self.kind, self.title, self.unit = (first.table_no, first.table_kind,
                                                     first.table_title, first.unit)
        self.label = self.title
        columns = list(dict.fromkeys(i.column_name for i in items))
        # the table's own year: the latest its headers print (a 2026 budget compares with
        # `2025年预算数`; 西安's 2022 tables print 2021 and 2022 whatever the file is labelled)
        self.year = max((int(y) for c in columns for y in _YEAR.findall(c)), default=None)
        # a column loaded without its layout gets the role its header words give
        # (tasks/extract/layout.py), so every role comes from one place
        missing = [c for c in columns if c not in self.roles]
        if missing:
            for col in layout.from_headers(self.no, missing, self.kind, load_layouts()):
                self.roles[col.header_path] = col
        heads = {c.split("/")[0] for c in columns if "/" in c}
        self.two_sided = any("收入" in h for h in heads) and any("支出" in h for h in heads)
        # A side is one list (segment) of the table, named by its columns' common header
        # group: `本年支出/预算数` holds `…/合计`, `…/基本支出/人员经费` and `…/项目支出`
        # (上海 财务收支预算总表), `支出/功能分类` and `支出/支出用途` are two lists (西安).
        by_segment: dict[tuple[int, str], list[str]] = defaultdict(list)
        for item in items:
            key = (item.segment, item.column_name.split("/")[0])
            if item.column_name not in by_segment[key]:
                by_segment[key].append(item.column_name)
        self._sides: dict[str, str] = {}
        for cols in by_segment.values():
            parents = [c.split("/")[:-1] for c in cols]
            # the common prefix ends at the first difference (or the shortest path)
            steps = list(zip(*parents, strict=False))
            n = next((i for i, p in enumerate(steps) if len(set(p)) > 1), len(steps))
            label = "/".join(parents[0][:n]) or cols[0].split("/")[0]
            for c in cols:
                self._sides.setdefault(c, label)
        # A list printed in panels side by side under the same header (普陀 决算 基本支出表:
        # 工资福利 … 人员经费合计 | 商品和服务 … 公用经费合计) is a side per panel: `#1`, …
        labels: dict[tuple[str | None, int], str | None] = {}
        for item in sorted(items, key=lambda i: i.segment):
            base = self.side_of(item.column_name)
            if (base, item.segment) not in labels:
                taken = base in labels.values()
                labels[(base, item.segment)] = f"{base or ''}#{item.segment}" if taken else base
        # halves of one list have no total of their own
        self.halves = any(label and label.startswith("#") for label in labels.values())
        rows: dict[tuple[str | None, int], Row] = {}
        self.columns: dict[str | None, list[str]] = defaultdict(list)
        for item in items:
            side = labels[(self.side_of(item.column_name), item.segment)]
            key = (side, item.row_no)
            if key not in rows:
                rows[key] = Row(self, side, item.row_no, item.code, item.name,
                                item.budget_unit, item.project, level=item.level)
            rows[key].cells[item.column_name] = item
            if item.column_name not in self.columns[side]:
                self.columns[side].append(item.column_name)
        self.rows: dict[str | None, list[Row]] = defaultdict(list)
        for key in sorted(rows, key=lambda k: (k[1], k[0] or "")):
            self.rows[key[0]].append(rows[key])
        for side in self.columns:
            self.columns[side].sort(key=columns.index)

    def current(self, column: str) -> bool:
        """Whether a column (or every column of a header group) holds the document's own
        year's money: not a comparison column printed beside it (重庆 `2025年预算数` before
        `2026年预算数/总计`, 西安 `2021年/…` and `增减变化情况/…`), by the role extraction
        gave it (tasks/extract/layout.py). A column without a recorded role is this year's."""
        col = self.roles.get(column)
        if col is not None:
            return col.role in _CURRENT_ROLES
        under = [c for path, c in self.roles.items() if path.startswith(column + "/")]
        return all(c.role in _CURRENT_ROLES for c in under)

    def part(self, column: str) -> bool:
        """Whether a column, or every column of a header group, restates part of a sibling
        (`其中：…`, `扣除…后`): its role is `part`, never added to the others."""
        col = self.roles.get(column)
        if col is not None:
            return col.role == "part"
        under = [c for path, c in self.roles.items() if path.startswith(column + "/")]
        return bool(under) and all(c.role == "part" for c in under)

    def side_of(self, column: str) -> str | None:
        """A two-sided table's list a column belongs to: its header group (`收入`,
        `支出/功能分类`, `支出/支出用途`); None for an ordinary table."""
        if not self.two_sided:
            return None
        return self._sides.get(column, column.rsplit("/", 1)[0])

    @property
    def sides(self) -> list[str | None]:
        return list(self.rows)

    def resolve(self, side: str | None) -> list[str | None]:
        """Concrete sides for `income` / `expense` (every 收入 / 支出 group), or the side."""
        if side in ("income", "expense") and self.two_sided:
            word = "收入" if side == "income" else "支出"
            return [s for s in self.sides if s and word in s.split("/")[0]]
        return [side] if side in self.rows else []

    def side_rows(self, side: str | None) -> list[Row]:
        return [r for s in self.resolve(side) for r in self.rows[s]]

    def side_columns(self, side: str | None) -> list[str]:
        return [c for s in self.resolve(side) for c in self.columns.get(s, [])]

    def total_row(self, side: str | None = None) -> Row | None:
        """The grand total of a side: a `…总计` row if there is one, else a `合计` row."""
        if self.halves:
            return None  # 人员经费合计 | 公用经费合计: each panel totals only its half
        rows = self.side_rows(side)
        totals = [r for r in rows if r.kind == "total"]
        if not totals and len(rows) == 1 and not rows[0].code:
            return rows[0]  # a one-row table (江苏 三公表) is its own total
        return next((r for r in totals if bare(r.name).endswith("总计")),
                    totals[-1] if totals else None)

    def total_column(self, side: str | None = None) -> str | None:
        """The column every other column of the side adds up to (the shallowest 合计)."""
        cols = [c for c in self.side_columns(side) if self.current(c)]
        # a 合计 whose header group holds every column (`合计`, `支出预算/合计`); a group's own
        # 小计 (`公务用车购置及运行费/小计`) is not the table's total
        totals = [c for c in cols if TOTAL_LEAF.search(c.split("/")[-1])
                  and all(x.startswith(c.rpartition("/")[0]) for x in cols)]
        if totals:
            return min(totals, key=lambda c: (c.count("/"), cols.index(c)))
        return cols[0] if len(cols) == 1 else None

    def group_total(self, word: str, side: str | None = None) -> str | None:
        """This year's 小计/合计 column of the group whose name holds `word` (`“三公”经费预算/
        小计` beside 会议费 and 培训费 under one 合计), if the table prints one."""
        found = [c for c in self.side_columns(side) if self.current(c) and "/" in c
                 and TOTAL_LEAF.search(c.split("/")[-1]) and word in c.split("/")[-2]]
        return min(found, key=lambda c: c.count("/")) if found else None

    def column_for(self, name: str, side: str | None = None) -> str | None:
        """The column a subject names: by its leaf, or by its group (then the group's 小计).

        A name printed in several places is this year's money where only one of them is
        (长春 三公表: 公务接待费 under both 当年预算 and 上年结转结余); else ambiguous, not
        guessed."""
        cols = self.side_columns(side)

        def one(found: list[str]) -> str | None:
            if len(found) > 1:
                found = [c for c in found if self.current(c) and not _CARRIED.search(c)]
            return found[0] if len(found) == 1 else None

        leaves = [c for c in cols if same_name(c.split("/")[-1], name)]
        if leaves:
            return one(leaves)
        groups: list[str] = []
        for c in cols:
            parts = c.split("/")
            for depth in range(len(parts) - 1):
                if same_name(parts[depth], name):
                    group = "/".join(parts[:depth + 1])
                    under = [x for x in cols if x.startswith(group + "/")
                             and x.count("/") == depth + 1]
                    sub = next((x for x in under if TOTAL_LEAF.search(x.split("/")[-1])), None)
                    if sub and sub not in groups:
                        groups.append(sub)
                    break
        return one(groups)

    def rows_with_code(self, code: str) -> list[Row]:
        return [r for side in self.sides for r in self.rows[side] if r.code == code
                and not r.project]

    def coded(self, length: int | None = None) -> bool:
        """Whether the table prints codes (of this many digits)."""
        return any(r.code and (length is None or len(r.code) == length) and not r.project
                   for side in self.sides for r in self.rows[side])

    def find_rows(self, name: str, side: str | None = None) -> list[Row]:
        rows = self.side_rows(side) if side is not None or not self.two_sided else \
            [r for s in self.sides for r in self.rows[s]]
        return [r for r in rows if r.kind == "line" and same_name(r.name, name)]

    # ---- structure: which rows and columns add up to which -----------------------------

    def hierarchy(self, side: str | None) -> list[tuple[Row, list[Row]]]:
        """(parent, children) pairs: by code prefix, under units and totals, by numbering."""
        return structure.hierarchy(self, side)

    def column_sums(self, side: str | None, not_parts: dict[str, tuple[str, ...]] | None = None,
                    memo_groups: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
        """(total column, its part columns): see structure.column_sums."""
        return structure.column_sums(self, side, not_parts, memo_groups)


@dataclass(frozen=True, eq=False)
class SumCheck:
    """A parent row's cell against the sum of its children's cells in the same column. A
    sum of n printed addends may drift by n × half a unit; beyond that it is not `ok`."""

    table: Table
    parent: Row
    children: tuple[Row, ...]
    column_name: str
    cell: LineItem | None  # the parent's cell; blank counts 0
    parts: tuple[LineItem, ...]  # the children's cells in the column, at least one
    # the printed rows the parts themselves add up (a part with no children of its own is
    # one): a total printed from its leaves may drift from one printed from subtotals by
    # half a unit per leaf (无锡 支出总计 152,585.76 over 本年支出合计 152,585.74, which adds up
    # six 类 rows)
    leaves: int = 0

    @property
    def stated(self) -> Decimal:
        return self.cell.amount if self.cell else ZERO

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.parts), ZERO)

    @property
    def gap(self) -> Decimal:
        return self.stated - self.total

    @property
    def ok(self) -> bool:
        diff, drift = sum_drift(self.stated, [p.amount for p in self.parts],
                                [p.decimals for p in self.parts])
        return diff <= drift * max(1, self.leaves) / len(self.parts)

    @property
    def decimals(self) -> int:
        return max(p.decimals for p in self.parts)

    @property
    def page(self) -> int:
        return self.parent.page if self.cell else self.parts[0].page


def _side_checks(table: Table, side: str | None, levels: bool) -> list[SumCheck]:
    out = []
    pairs = structure.hierarchy(table, side, levels)
    leaves = structure.leaf_counts(pairs, table.rows.get(side, []))
    for parent, children in pairs:
        columns = dict.fromkeys([c for c in parent.cells]
                                + [c for k in children for c in k.cells])
        for column in columns:
            parts = tuple(k.cells[column] for k in children if column in k.cells)
            if parts:
                out.append(SumCheck(table, parent, tuple(children), column,
                                    parent.cells.get(column), parts,
                                    sum(leaves[id(k)] for k in children if column in k.cells)))
    return out


def table_sum_checks(table: Table) -> Iterator[SumCheck]:
    """Every parent cell of a table against its children's, side by side, column by column.

    Where extraction read the nesting of uncoded rows from their indentation, that reading
    and the flat one (every such row a part of its total) are both candidates: the one whose
    sums hold more often is the table's (深圳 收入总表: a wrapped unit name is indented unlike
    its sisters, and nesting by it breaks every column's total)."""
    for side in table.sides:
        checks = _side_checks(table, side, levels=True)
        if structure.indented(table, side):
            flat = _side_checks(table, side, levels=False)
            if sum(not c.ok for c in flat) < sum(not c.ok for c in checks):
                checks = flat
        yield from checks


def tables_of(items: Iterable[LineItem], columns: Iterable[TableColumn] = ()) -> list[Table]:
    """The tables these line items (and column layouts) make up, in document order."""
    by_no: dict[int, list[LineItem]] = defaultdict(list)
    for item in items:
        by_no[item.table_no].append(item)
    cols: dict[int, list[TableColumn]] = defaultdict(list)
    for col in columns:
        cols[col.table_no].append(col)
    return [Table(its, cols[no]) for no, its in sorted(by_no.items())]


def sum_checks(items: Iterable[LineItem], columns: Iterable[TableColumn] = ()
               ) -> list[SumCheck]:
    """Every parent cell of every table of these line items against the sum of its
    children's: the parent-sum rule's relations, and what `yusuan eval` measures."""
    return [c for t in tables_of(items, columns) for c in table_sum_checks(t)]


class Grid:
    """Every table of a document, by kind."""

    def __init__(self, doc: DocData):
        self.tables = tables_of(doc.line_items, doc.columns)

    @cached_property
    def by_kind(self) -> dict[str, list[Table]]:
        out: dict[str, list[Table]] = defaultdict(list)
        for t in self.tables:
            out[t.kind].append(t)
        return out

    def first(self, *kinds: str) -> Table | None:
        return next((ts[0] for k in kinds if (ts := self.by_kind.get(k))), None)

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables)


def total_cell(table: Table, side: str | None = None, column: str | None = None
               ) -> Cell | None:
    """The total row's value in `column` (default: the total column of the row's side)."""
    for concrete in table.resolve(side):
        row = table.total_row(concrete)
        if row is None:
            continue
        if column is None or table.side_of(column) == concrete:
            return row.cell(column or table.total_column(concrete))
    return None


def code_cell(table: Table, code: str, absent_is_zero: bool = True) -> Cell | None:
    """The total-column value of the row(s) with `code`; 0 when the table has no such row."""
    rows = table.rows_with_code(code)
    cells = [c for r in rows if (c := r.cell(table.total_column(r.side)))]
    if not cells:
        # absent is 0 only where the table lists codes of that level at all (a summary
        # table listing 类 says nothing about a 项)
        if not absent_is_zero or not table.coded(len(code)):
            return None
        return Cell(ZERO, 2, None, f"{table.label} {code} (no row)", 0)
    if len(cells) == 1:
        return cells[0]
    return Cell(sum((c.amount for c in cells), ZERO), max(c.decimals for c in cells),
                cells[0].page, f"{table.label} {code} (Σ {len(cells)} rows)", len(cells),
                table.no)
