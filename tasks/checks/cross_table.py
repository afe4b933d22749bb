"""cross-table: the identities between the standard tables, at totals level.

- 收支总表: income total = expense total; its expense total = the income table's and the
  expense table's total; its income lines = the income table's total row by column; its 类
  = the 类 rows of the income and expense tables.
- 财政拨款收支总表: balanced; its income lines = the 收支总表's; its 类 and total = the
  general-budget table's.
- general-budget table: 基本支出 (人员 / 公用) = the basic-expense table's total; 项目支出 =
  the project table's total (its 一般公共预算 column where it has sources).
- the 三公 table's 公务接待费 / 公务用车运行费 = the basic-expense table's 30217 / 30231, line
  by line; its 会议费 / 培训费 at least the basic table's 30215 / 30216 (they may be project
  money as well).
- the carry-over table's total = the 收支总表's 上年结转结余.
`预算07表 公务接待费 38,000.00 元` against `预算06表 30217 36,000.00 元`: error. Tolerance: the
two roundings. A pair is compared only when both tables print it (a 类 row one table lacks
counts as 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.checks.base import Context, DocData, bare, same_name, wan
from tasks.checks.tables import Cell, Table, code_cell, total_cell
from tasks.contracts import Finding

SLUG = "cross-table"
_CARRY = re.compile(r"^(上年结转|上年结余|结转结余)")
PARAMS = {"sangong_economic", "project_funded"}

Pair = tuple[str, Cell | None, Cell | None, str | None]  # (what, a, b, code)


def _line(table: Table | None, name: str, side: str | None) -> Cell | None:
    if table is None:
        return None
    rows = table.find_rows(name, side)
    return rows[0].cell(table.total_column(side)) if len(rows) == 1 else None


def _total(table: Table | None, side: str | None = None, column: str | None = None
           ) -> Cell | None:
    """The total row's cell: in the total column, or in the column `column` names
    (`基本支出` is `支出预算/基本支出` or the 小计 of the `基本支出` group)."""
    if table is None:
        return None
    if column is None:
        return total_cell(table, side)
    found = table.column_for(column, side)
    return total_cell(table, side, found) if found else None


def _project_money(grid) -> dict[str, bool]:
    """Economic codes an economic table prints project money for (a non-zero amount in a
    column of project spending: `项目支出`, `专项业务经费支出`)."""
    out: dict[str, bool] = {}
    for table in grid.by_kind.get("gpb-economic", []):
        for side in table.sides:
            cols = [c for c in table.columns.get(side, [])
                    if re.search(r"项目|专项", c.split("/")[-1]) and table.current(c)]
            for row in table.rows[side]:
                if row.code and any(c in row.cells and row.cells[c].amount != 0 for c in cols):
                    out[row.code] = True
    return out


def _this_year(table: Table, side: str) -> Cell | None:
    """A side's `本年收入合计` / `本年支出合计`: this year's money without the carry-over."""
    for row in table.side_rows(side):
        if row.kind == "total" and bare(row.name).startswith("本年"):
            return row.cell(table.total_column(row.side))
    return None


def _nearest(target: Cell | None, *candidates: Cell | None) -> Cell | None:
    """Of the figures a table may be compared with, the one nearest the other table's."""
    found = [c for c in candidates if c is not None]
    if target is None or not found:
        return found[0] if found else None
    return min(found, key=lambda c: abs(c.amount - target.amount))


def _depths(table: Table, side: str) -> dict[int, int]:
    """How deep each line row sits under other line rows (`一、` 1, `1.` 2, `其中` 3)."""
    parent = {id(k): p for s in table.resolve(side) for p, kids in table.hierarchy(s)
              for k in kids}
    out: dict[int, int] = {}
    for row in table.side_rows(side):
        depth, up = 1, parent.get(id(row))
        while up is not None and up.kind == "line":
            depth, up = depth + 1, parent.get(id(up))
        out[id(row)] = depth
    return out


def _sangong_item(table: Table | None, item: str) -> Cell | None:
    """A 三公 line: a row of that name (表10), or the total row's column of that name (07表)."""
    if table is None:
        return None
    cell = _line(table, item, None)
    if cell is not None:
        return cell
    column = table.column_for(item)
    return total_cell(table, None, column) if column else None


def pairs(doc: DocData, sangong_economic: dict[str, str],
          project_funded: tuple[str, ...] = ()) -> Iterator[Pair]:
    g = doc.grid
    summary, income, expense = g.first("summary"), g.first("income"), g.first("expense")
    approp, gpb, basic = g.first("appropriation-summary"), g.first("gpb-expense"), \
        g.first("gpb-basic")
    if summary is not None and summary.two_sided:
        s_out = _total(summary, "expense")
        yield "收支总表 收入总计 = 支出总计", _total(summary, "income"), s_out, None
        # The income and expense tables cover this year's money, or also the carry-over
        # (普陀 决算: 收入决算表 合计 = 本年收入合计 2,946.25; 总计 2,995.39 adds 年初结转)
        i_total, e_total = _total(income), _total(expense)
        yield ("收支总表 支出总计 = 收入表 总计",
               _nearest(i_total, s_out, _this_year(summary, "income")), i_total, None)
        yield ("收支总表 支出总计 = 支出表 总计",
               _nearest(e_total, s_out, _this_year(summary, "expense")), e_total, None)
        if income is not None and (total_row := income.total_row()) is not None:
            depth = _depths(summary, "income")
            for row in summary.side_rows("income"):
                # only the lines of money sources, not their 其中 parts (a carried-over
                # 一般公共预算拨款 is not this year's)
                if row.kind != "line" or depth[id(row)] > 2:
                    continue
                # this year's column of that name, not the carried-over one (杭州 表2:
                # `本年收入/一般公共预算` and `上年结转结余/一般公共预算`)
                column = income.column_for(row.name)
                if column is not None and (column not in total_row.cells
                                           or not same_name(column.split("/")[-1], row.name)):
                    column = None
                if column:
                    yield (f"收支总表 {bare(row.name)} = 收入表 {column}",
                           row.cell(summary.total_column(row.side)), total_row.cell(column),
                           None)
        for row in summary.side_rows("expense"):
            if row.code and len(row.code) == 3:
                a = row.cell(summary.total_column(row.side))
                for other, label in ((income, "收入表"), (expense, "支出表")):
                    if other is not None:
                        yield (f"收支总表 {row.code} = {label} {row.code}", a,
                               code_cell(other, row.code), row.code)
    if approp is not None and approp.two_sided:
        a_in = _total(approp, "income")
        gpb_col = next((c for c in approp.side_columns("expense")
                        if same_name(c.split("/")[-1], "一般公共预算")), None)
        yield "财政拨款收支总表 收入总计 = 支出总计", a_in, _total(approp, "expense"), None
        # only its 一般公共预算 column is the general-budget table's (广州's single column
        # also holds 政府性基金 money)
        if gpb_col:
            yield ("财政拨款收支总表 支出总计 = 一般公共预算支出表 总计",
                   total_cell(approp, "expense", gpb_col), _total(gpb), None)
        depth = _depths(approp, "income")
        for row in approp.side_rows("income"):
            # only its own lines, not the parts of one (北京 预算04表 itemises 上年结转结余 as
            # `一、一般公共预算拨款 508.64`: not this year's 一般公共预算拨款收入)
            if row.kind == "line" and depth[id(row)] == 1 and summary is not None \
                    and summary.two_sided:
                a = row.cell(approp.total_column(row.side))
                b = _line(summary, row.name, "income")
                # the 收支总表's carry-over holds the non-appropriation money too (深圳
                # 上年结余、结转 2,616.24 = 财政拨款 2,347.87 + 单位资金 268.37): it may only
                # be larger
                if a is not None and b is not None and _CARRY.match(bare(row.name)) \
                        and a.amount <= b.amount + a.radius + b.radius:
                    continue
                yield f"财政拨款收支总表 {bare(row.name)} = 收支总表", a, b, None
        if gpb is not None and gpb_col:
            for row in approp.side_rows("expense"):
                if row.code and len(row.code) == 3:
                    yield (f"财政拨款收支总表 {row.code} = 一般公共预算支出表 {row.code}",
                           row.cell(gpb_col), code_cell(gpb, row.code), row.code)
    if gpb is not None:
        for name in ("基本支出", "人员经费", "公用经费"):
            if basic is not None:
                b = _total(basic) if name == "基本支出" else _total(basic, None, name)
                yield f"一般公共预算支出表 {name} = 基本支出表", _total(gpb, None, name), b, None
        project = _total(gpb, None, "项目支出")
        if (t7 := g.first("gpb-project")) is not None:
            yield "一般公共预算支出表 项目支出 = 项目支出表 总计", project, _total(t7), None
        elif (t9 := g.first("project-expense")) is not None:
            yield ("一般公共预算支出表 项目支出 = 项目支出表 一般公共预算", project,
                   _total(t9, None, "一般公共预算"), None)
            yield "支出表 项目支出 = 项目支出表 总计", _total(expense, None, "项目支出"), \
                _total(t9), None
    sangong = g.first("sangong")
    if sangong is not None and basic is not None and basic.coded(5):
        lines = [(item, code, a) for item, code in sangong_economic.items()
                 if (a := _sangong_item(sangong, item)) is not None]
        # The 三公 table covers all general-budget money, the basic table only basic
        # expenditure: the lines are equal when the 三公 come from basic expenditure. They
        # demonstrably do not when together they exceed the basic table's 302 商品和服务支出
        # (江苏: 会议费 884.16 of project money); then the basic line may only be smaller.
        goods = code_cell(basic, "302", absent_is_zero=False)
        from_basic = goods is None or sum(a.amount for *_x, a in lines) <= goods.amount
        projects = _project_money(g)
        for item, code, a in lines:
            # a line the basic table does not print at all is not compared: it may be paid
            # from project money alone
            b = code_cell(basic, code, absent_is_zero=False)
            # 会议费 / 培训费 are often project money too (无锡: 培训费 8.98 in the 三公 table,
            # 2.50 of it basic expenditure), and so is any line the economic table prints
            # project money for (西安 表6: 30217 公务接待费 1.00 under 专项业务经费支出): their
            # basic line may only be smaller
            at_most = item in project_funded or projects.get(code, False)
            if (from_basic and not at_most) or (
                    b is not None and b.amount > a.amount + a.radius + b.radius):
                yield f"三公表 {item} = 基本支出表 {code}", a, b, code
    carry = g.first("carryover")
    if carry is not None and summary is not None and summary.two_sided:
        line = next((r for r in summary.side_rows("income") if r.kind == "line"
                     and re.match(r"^上年结转", bare(r.name))), None)
        if line is not None:
            yield ("结转结余表 总计 = 收支总表 上年结转结余", _total(carry),
                   line.cell(summary.total_column(line.side)), None)


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    # economic codes are text (TOML strings that look like numbers are read as Decimal)
    economic = {item: str(code) for item, code in rule.param("sangong_economic").items()}
    project_funded = tuple(rule.param("project_funded"))
    for what, a, b, code in pairs(ctx.current, economic, project_funded):
        if a is None or b is None:
            continue
        if abs(a.amount - b.amount) <= a.radius + b.radius:
            continue
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=what, code=code,
            stated=wan(a.amount, a.decimals), expected=wan(b.amount, b.decimals), page=a.page,
            tables=tuple(dict.fromkeys(c.table_no for c in (a, b) if c.table_no is not None)),
            evidence=f"{a.label} {wan(a.amount, a.decimals)}; {b.label} "
                     f"{wan(b.amount, b.decimals)}",
            message=(f"{what}: {a.label} prints {wan(a.amount, a.decimals)} 万元, {b.label} "
                     f"prints {wan(b.amount, b.decimals)}"))
