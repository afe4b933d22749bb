"""From a logical table's rows to line items: column roles, codes, names, amounts.

Columns are read as segments: a segment is its code and name columns followed by its
amount columns. A 收支总表 has two segments side by side (income, expenditure), Xi'an's has
four, and some final-accounts tables print one list in two panels. A row's code comes from
its segment's first code group (类/款/项 columns with carry-down, one combined column, or a
code opening the name: `208 社会保障…`, `[208]社会保障…`, `2050299-其他…`, `301 | 01 基本工资`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from tasks.config import Layouts, load_layouts
from tasks.contracts import LineItem, TableColumn
from tasks.extract import layout
from tasks.extract.amounts import parse_amount
from tasks.extract.pdf import normalize
from tasks.extract.tables import RawTable, column_key

_CODE = re.compile(r"^\d{2,7}$")
_LEADING_CODE = re.compile(r"^\[?(\d{3,7})\]?(?:\s*[-—_－]\s*|\s+|(?=[^\d\s.,%]))(.+)$", re.S)
_ECON_SUB = re.compile(r"^(\d{2})\s*(\D.*)$", re.S)
_TOTAL = re.compile(r"^(合计|总计|小计|收入总计|支出总计|本年收入合计|本年支出合计|收入合计|"
                    r"支出合计|合计数)[:：]?$")
# A row that names a budget unit rather than a subject: the organisation suffixes of names.
_UNIT_NAME = re.compile(r"(本级|[(（]本级[)）]|厅|局|委员会|办公室|中心|学校|学院|研究院|医院|"
                        r"设计院|研究所|管理所|管理站|管理处|支队|大队|分局|服务社|事务所|仲裁院|考试院|"
                        r"会|馆|站|队|公司|办事处)$")
# Tables whose rows nest by indentation when they print names without codes.
_INDENTED_KINDS = {"income", "expense", "gpb-expense", "gpb-basic", "gpb-basic-function",
                   "gpb-economic", "gpb-project", "appropriation-expense", "appropriation-basic",
                   "basic-expense", "gov-fund-expense", "soe-expense", "running-cost"}
_DEPT_ECONOMIC = re.compile(r"部门(?:支出)?经济分类")
# How much deeper (in points) an item is indented under its unit in a unit column.
NESTED_INDENT = 4.0
ECONOMIC_KINDS = {"gpb-basic", "appropriation-basic", "basic-expense", "gpb-economic", "running-cost"}
PROJECT_KINDS = layout.PROJECT_KINDS
# Columns that are neither names nor money: not read into line items.
_SKIPPED = {"percent", "row-number", "sequence", "unit-code", "blank"}


@dataclass
class Segment:
    """One list of a table: its code, name, project and amount columns."""

    code: list[tuple[int, str]] = field(default_factory=list)  # (column, 类|款|项|combined)
    names: list[int] = field(default_factory=list)
    project: int | None = None
    unit: int | None = None
    unit_code: int | None = None  # a column of the units' own codes (西安 单位编码)
    amounts: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # name columns that hold group labels


def _leaf(path: str) -> str:
    return path.split("/")[-1] if path else ""


def columns_of(table: RawTable, layouts: Layouts) -> list[TableColumn]:
    """The table's column layout (roles, evidence, confidence): tasks/extract/layout.py."""
    cells = []
    for c in range(table.n_cols):
        # A label spanning several columns (`当年支出小计` over a name and an amount column)
        # repeats in each: only the first copy says anything about the column's role.
        cells.append([r.cells[c] for r in table.rows
                      if normalize(r.cells[c]) and not (c and r.cells[c] == r.cells[c - 1])])
    keys = [column_key(path, layouts) for path in table.header]
    return layout.classify(table.table_no, table.header, cells, layouts, table.kind.slug, keys)


def _roles(table: RawTable, columns: list[TableColumn]) -> list[Segment]:
    """The table's segments, from the columns' roles."""
    segments: list[Segment] = [Segment()]
    for col in columns:
        c, role = col.column_no, col.role
        if role == "unit-code" and segments[-1].unit_code is None:
            segments[-1].unit_code = c
        if role in _SKIPPED:
            continue
        seg = segments[-1]
        money = role in layout.MONEY_ROLES
        if not money and seg.amounts:
            seg = Segment()
            segments.append(seg)
        if role.startswith("code:"):
            # a second code group after the names is a secondary system; the first one may
            # follow the names (`科目名称 | 科目编码`)
            if not seg.names or not seg.code or (
                    seg.code[0][0] > max(seg.names) and seg.code[-1][0] == c - 1):
                seg.code.append((c, role[5:]))
        elif role == "unit":
            seg.unit = c
        elif role == "project":
            if seg.project is None:
                seg.project = c
            else:
                seg.names.append(c)
        elif money:
            seg.amounts.append(c)
        else:
            seg.names.append(c)
            if role == "group":
                seg.groups.append(c)
    for seg in segments:
        if len(seg.names) > len(seg.groups) and seg.groups:
            # a group label carried beside the items' own names is no name of the row
            seg.names = [c for c in seg.names if c not in seg.groups]
    return [s for s in segments if s.amounts]


def _with_segments(columns: list[TableColumn], segments: list[Segment]) -> list[TableColumn]:
    where = {c: n for n, seg in enumerate(segments)
             for c in [*(x for x, _ in seg.code), *seg.names, *seg.amounts,
                       *(x for x in (seg.project, seg.unit) if x is not None)]}
    return [replace(col, segment=where.get(col.column_no)) for col in columns]


_CODE_LINE = re.compile(r"^\[?\d{3,7}\]?(?:\s*[-—_－]|\s)")


def _rejoin_spilled_names(table: RawTable, name_cols: list[int]) -> None:
    """A wrapped name that runs over its row's lower ruling lands in the next row's cell
    (北京 支出总表: `2120399-其他城乡社区公共设施` | `支出\n2120803-城市建设支出`): lines
    above a line that opens with a code belong to the row above, whose code they follow."""
    for c in name_cols:
        for above, row in zip(table.rows, table.rows[1:], strict=False):
            lines = row.cells[c].split("\n")
            at = next((i for i, ln in enumerate(lines) if _CODE_LINE.match(ln.strip())), 0)
            if at and _CODE_LINE.match(above.cells[c].strip()) \
                    and not any(_CODE_LINE.match(ln.strip()) for ln in lines[:at]):
                above.cells[c] = above.cells[c] + "\n" + "\n".join(lines[:at])
                row.cells[c] = "\n".join(lines[at:])


def _dedupe_columns(table: RawTable) -> None:
    """A column split by a stray vertical rule repeats its neighbour: keep one copy."""
    keep = []
    for c in range(table.n_cols):
        if c and table.header[c] == table.header[c - 1] and all(
                r.cells[c] == r.cells[c - 1] for r in table.rows):
            continue
        keep.append(c)
    if len(keep) == table.n_cols:
        return
    table.header = [table.header[c] for c in keep]
    table.rows = [replace(r, cells=[r.cells[c] for c in keep],
                          indents=[r.indents[c] for c in keep]) for r in table.rows]
    table.xs = [table.xs[c] for c in keep] + [table.xs[-1]]


def is_total(name: str) -> bool:
    """合计 / 总计 / 收入总计 …: a row that sums the table rather than naming a subject."""
    return bool(_TOTAL.match(normalize(name)))


def _economic(table: RawTable, seg: Segment) -> bool:
    if table.kind.slug in ECONOMIC_KINDS:
        return True
    cols = [c for c, _ in seg.code] + seg.names[:1]
    return any("经济" in table.header[c] for c in cols)


@dataclass
class _CodeState:
    """Carry-down of printed 类/款 codes, and the names each code was first printed with."""

    context: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def _row_code(seg: Segment, cells: list[str], name: str, state: _CodeState
              ) -> tuple[str | None, str | None]:
    """The row's code from its code columns, carrying 类/款 down where only a tail is printed.

    Returns (code, pending_parent). pending_parent is set when the printed code is a 款 that
    was already seen under another name: the row is one of its 项 and the PDF omits the 项.
    """
    if not seg.code:
        return None, None
    parts = {level: normalize(cells[c]) for c, level in seg.code}
    if "combined" in parts:
        # 类/款/项 codes have 3, 5 or 7 digits; a 6-digit code in the same column is a unit's
        # (西安 `125001 西安市安全生产监督管理局` over its own 类 rows)
        code = parts["combined"]
        return (code, None) if _CODE.match(code) and len(code) in (3, 5, 7) else (None, None)
    lei, kuan, xiang = parts.get("类", ""), parts.get("款", ""), parts.get("项", "")
    if not (lei or kuan or xiang):
        return None, None
    if any(x and not x.isdigit() for x in (lei, kuan, xiang)):
        return None, None
    # A spreadsheet export may drop the leading zero of a 款/项 (`301 | 2 | 津贴补贴`).
    kuan, xiang = (x.zfill(2) if len(x) == 1 else x for x in (kuan, xiang))
    context = state.context
    if lei:
        if context.get("类") != lei:
            context.pop("款", None)
        context["类"] = lei
    base_lei = lei or context.get("类", "")
    if kuan:
        kuan_code = base_lei + kuan if len(kuan) == 2 else kuan
        if not xiang:
            if kuan_code in state.names and state.names[kuan_code] != name and lei:
                return None, kuan_code  # a 项 row printed with 类/款 only
            context["款"] = kuan_code
            return kuan_code, None
        context["款"] = kuan_code
        return kuan_code + xiang if len(xiang) == 2 else xiang, None
    if xiang:
        base = context.get("款", "")
        return (base + xiang if len(xiang) == 2 and base else xiang), None
    return lei, None


def _indent_levels(table: RawTable, col: int) -> dict[int, int]:
    """Row index -> indentation level (1 = outermost) of a name column, when the column is
    visibly indented in steps (Hangzhou prints 类/款/项 by indentation, without codes)."""
    values = {i: r.indents[col] for i, r in enumerate(table.rows)
              if r.indents[col] is not None and not is_total(r.cells[col])}
    steps = sorted({round(v) for v in values.values()})
    if not 2 <= len(steps) <= 4:
        return {}
    gaps = [b - a for a, b in zip(steps, steps[1:], strict=False)]
    if min(gaps) < 4 or max(gaps) > 2.5 * min(gaps):
        return {}
    clusters = Counter(round(v) for v in values.values())
    if min(clusters.values()) < 1 or len(values) < 3:
        return {}
    return {i: steps.index(round(v)) + 1 for i, v in values.items()}


def _is_unit_name(name: str) -> bool:
    """An organisation's name: `…支队`, `…局（水上治安分局）` (the bracket is an alias)."""
    return bool(_UNIT_NAME.search(re.sub(r"\([^()]*\)$", "", name)))


def _nested_rows(table: RawTable, col: int) -> set[int]:
    """Rows whose cell in the unit column is indented deeper than the units' own: the items
    listed under each unit in the same column."""
    values = {i: r.indents[col] for i, r in enumerate(table.rows)
              if r.indents[col] is not None and normalize(r.cells[col])
              and not is_total(r.cells[col])}
    if not values:
        return set()
    top = min(values.values())
    deeper = {i for i, v in values.items() if v > top + NESTED_INDENT}
    return deeper if deeper and len(deeper) < len(values) else set()


def line_items(table: RawTable, layouts: Layouts | None = None
               ) -> list[tuple[LineItem, str | None]]:
    """Line items of a table, each with the 款 a 项 row must be recovered under.

    The second value is set when the PDF prints only 类/款 on a 项 row: the row's code is
    then unknown until `recover_codes` finds its name elsewhere in the document.
    """
    layouts = layouts or load_layouts()
    _dedupe_columns(table)
    out: list[tuple[LineItem, str | None]] = []
    columns = columns_of(table, layouts)
    _rejoin_spilled_names(table, [c.column_no for c in columns if c.role == "name"])
    segments = _roles(table, columns)
    table.columns = _with_segments(columns, segments)
    keys = {col.header_path: col.column_key for col in columns}
    for n, seg in enumerate(segments):
        out.extend(_best_reading(table, seg, keys, n))
    return out


def _best_reading(table: RawTable, seg: Segment, keys: dict[str, str | None], segment: int
                  ) -> list[tuple[LineItem, str | None]]:
    """A row indented under a unit in the unit column is a unit of its own (杭州 收入总表:
    the units indented under the department) or an item of the unit above (广州 项目支出表:
    `合作共建广东省灵山论坛科学中心`, a project). By default its name decides (`…中心` is a
    unit); reading every such row as an item, and every one as a unit (西安 三公表: `…仲裁院`
    and a name cut to `…信息中` among units), are the other candidates. The reading whose sums
    hold more often is the table's; a tie keeps the default."""
    by_name = _segment_items(table, seg, keys, segment)
    if seg.unit is None or not _nested_rows(table, seg.unit):
        return by_name
    best, fewest = by_name, _failing(by_name)
    for nested_are in ("items", "units"):
        other = _segment_items(table, seg, keys, segment, nested_are)
        failing = _failing(other)
        if failing < fewest:
            best, fewest = other, failing
    return best


def _failing(items: list[tuple[LineItem, str | None]]) -> int:
    from tasks.checks.tables import sum_checks  # the rows' arithmetic lives with the rules

    return sum(not c.ok for c in sum_checks([i for i, _ in items]))


def _segment_items(table: RawTable, seg: Segment, keys: dict[str, str | None], segment: int,
                   nested_are: str = "by-name") -> list[tuple[LineItem, str | None]]:
    economic = _economic(table, seg)
    system = "economic" if economic else "function"
    state = _CodeState()
    name_col = seg.names[0] if seg.names else None
    levels = _indent_levels(table, name_col) if (
        name_col is not None and not seg.code and table.kind.slug in _INDENTED_KINDS) else {}
    unit_rows = seg.unit is None and (table.kind.slug in PROJECT_KINDS | {"basic-expense"}
                                      or bool(seg.code))
    budget_unit: str | None = None
    out: list[tuple[LineItem, str | None]] = []
    unit_lengths = sorted({len(x) for r in table.rows if seg.unit_code is not None
                           and (x := normalize(r.cells[seg.unit_code])).isdigit()})
    nested = _nested_rows(table, seg.unit) if seg.unit is not None else set()
    # A table listed by unit (三公 by 单位名称) names its rows by the unit column.
    name_cols = seg.names or [c for c in (seg.project, seg.unit) if c is not None]
    if economic:
        # 北京 prints `50101-工资奖金津补贴 | 30101-基本工资`: of the government's and the
        # department's economic classification, the rows are the department's (301…, what
        # 三公 and 基本支出 are reconciled against).
        name_cols = sorted(name_cols, key=lambda c: not _DEPT_ECONOMIC.search(table.header[c]))
    for row_no, row in enumerate(table.rows):
        cells = row.cells
        name = next((normalize(cells[c]) for c in name_cols if normalize(cells[c])), "")
        raw_name = next((cells[c].strip() for c in name_cols if normalize(cells[c])), "")
        code, pending = _row_code(seg, cells, name, state)
        if code is None and pending is None and seg.code and not name:
            # A label spanning the code columns (合计) stands in the first code column.
            name = normalize(cells[seg.code[0][0]])
        if code is None and pending is None:
            lead = _LEADING_CODE.match(name)
            # without a code column, only a 功能 (2xx) or 经济 (3xx, 5xx) code opens a name:
            # `95128助老服务热线` is a hotline's number (西安)
            if lead and (seg.code or (len(lead.group(1)) in (3, 5, 7)
                                      and lead.group(1)[0] in "235")):
                code, name = lead.group(1), lead.group(2)
                raw_name = name
        if economic and code and len(code) == 3 and name:
            sub = _ECON_SUB.match(raw_name)
            if sub:  # `301 | 01 基本工资`: the 款 digits open the name cell
                code, name = code + sub.group(1), normalize(sub.group(2))
        if code and not pending:
            state.names.setdefault(code, name)
        project = normalize(cells[seg.project]) if seg.project is not None else None
        if project and is_total(project):
            project = None
        if seg.unit is not None and row_no in nested and nested_are != "units" and not (
                nested_are == "by-name" and _is_unit_name(name)):
            # an indented row of the unit column is an item of the unit above it (广州
            # `支出项目类别（资金使用单位）`: `工资福利支出`, `其他运行经费` under each unit)
            if table.kind.slug in PROJECT_KINDS:
                project = name
        elif seg.unit is not None:
            budget_unit = normalize(cells[seg.unit]) or budget_unit
            if is_total(budget_unit or ""):
                budget_unit = None
        elif unit_rows and not code and not pending and not project and name and \
                not is_total(name) and (_is_unit_name(name) or (
                    seg.unit_code is not None and normalize(cells[seg.unit_code]).isdigit())):
            # a row with a unit code is a unit whatever its name (西安 `251014 西安市小王涧国有
            # 生态林场`)
            budget_unit = name
        elif table.kind.slug == "carryover" and not code and name and not is_total(name) \
                and seg.project is None:
            project = name
        if is_total(name):
            budget_unit = None if seg.unit is None else budget_unit
        level = _level(code, system) if code else levels.get(row_no)
        if seg.unit is not None and nested and not code and name and not is_total(name):
            # 杭州 收入总表: `杭州市公安局` over its units indented beneath it
            level = 2 if row_no in nested else 1
        unit_code = normalize(cells[seg.unit_code]) if seg.unit_code is not None else ""
        if unit_code.isdigit() and not code and unit_lengths:
            # unit codes nest like 类/款/项: 西安 `222 西安市交通运输局` over `222001 …`
            level = unit_lengths.index(len(unit_code)) + 1
        for c in seg.amounts:
            parsed = parse_amount(cells[c], table.unit)
            if parsed is None:
                continue
            value, decimals = parsed
            out.append((LineItem(
                table_kind=table.kind.slug, table_title=table.title, unit=table.unit,
                code=code, name=name, column_name=table.header[c], amount=value,
                decimals=decimals, page=row.page, column_key=keys.get(table.header[c]),
                code_system=system if code else None,
                budget_unit=budget_unit if (seg.unit is not None or unit_rows
                                            or table.kind.slug in PROJECT_KINDS) else None,
                project=project or None, row_no=row_no, table_no=table.table_no,
                level=level, segment=segment,
            ), pending))
    return out


def _level(code: str, system: str) -> int | None:
    if system == "economic":
        return {3: 1, 5: 2, 7: 3}.get(len(code))
    return {3: 1, 5: 2, 7: 3}.get(len(code))


_NUMERAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、])")
# Two-sided tables print the expenditure 类 by name (`七、文化旅游体育与传媒支出`).
_CLASS_BY_NAME_KINDS = {"summary", "appropriation-summary"}


def recover_codes(items: list[tuple[LineItem, str | None]]) -> tuple[list[LineItem], list[str]]:
    """Give rows the codes the PDF leaves out, by name, from the same document.

    项 rows printed with 类/款 only get the full code of the row with their name under their
    款; the expenditure side of a 收支总表 that names its 类 without code gets that 类's code.
    Never by position: a row whose name matches nothing keeps no code.
    """
    by_name: dict[tuple[str, str], str] = {}
    classes: dict[str, str] = {}
    for item, _ in items:
        if item.code and item.code_system == "function":
            if len(item.code) == 7:
                by_name.setdefault((item.code[:5], item.name), item.code)
            elif len(item.code) == 3:
                classes.setdefault(item.name, item.code)
    out, warnings = [], []
    for item, parent in items:
        if parent and item.code is None:
            code = by_name.get((parent, item.name))
            if code:
                item = replace(item, code=code, code_system="function", level=3)
            else:
                warnings.append(f"p.{item.page} {item.table_title}: no full code for "
                                f"{item.name!r} under {parent}")
        elif item.code is None and item.table_kind in _CLASS_BY_NAME_KINDS:
            code = classes.get(_NUMERAL.sub("", item.name))
            if code:
                item = replace(item, code=code, code_system="function", level=1)
        out.append(item)
    return out, sorted(set(warnings))
