"""Row readings chosen by evidence: a name run over its row's ruling goes back to its row,
and of two nestings of a unit column the one whose sums hold is the table's."""

from __future__ import annotations

from decimal import Decimal

from tasks.config import load_layouts
from tasks.extract.rows import line_items
from tasks.extract.tables import RawTable, Row


def _table(kind: str, header: list[str], rows: list[tuple[list[str], list[float | None]]]):
    layouts = load_layouts()
    t = RawTable(1, layouts.kind(kind), kind, "万元", 1, [float(i) for i in
                                                        range(len(header) + 1)])
    t.header = header
    t.rows = [Row(1, cells, indents) for cells, indents in rows]
    return t


def test_a_wrapped_name_spilling_into_the_next_row_goes_back_to_its_row():
    """北京 支出总表: `2120399-其他城乡社区公共设施` | `支出\\n2120803-城市建设支出`."""
    none = [None, None]
    t = _table("expense", ["科目名称", "合计"], [
        (["合计", "5,116.37"], none),
        (["2120399-其他城乡社区公共设施", "432.64"], none),
        (["支出\n2120803-城市建设支出", "4,683.73"], none)])
    items = {(i.code, i.name): i.amount for i, _ in line_items(t)}
    assert items == {(None, "合计"): Decimal("5116.37"),
                     ("2120399", "其他城乡社区公共设施支出"): Decimal("432.64"),
                     ("2120803", "城市建设支出"): Decimal("4683.73")}


def test_a_project_named_like_a_unit_is_an_item_when_the_sums_say_so():
    """广州 项目支出表: `合作共建广东省灵山论坛科学中心`, indented as a project under the
    department, ends in 中心 like a unit; read as a unit it would hold the projects after it."""
    t = _table("project-expense", ["支出项目类别(资金使用单位)", "总计"], [
        (["广州市科学技术局", "1,800.00"], [2.0, None]),
        (["工作经费", "300.00"], [14.0, None]),
        (["合作共建广东省灵山论坛科学中心", "500.00"], [14.0, None]),
        (["购置经费", "1,000.00"], [14.0, None])])
    items = [i for i, _ in line_items(t)]
    assert [(i.name, i.budget_unit, i.project) for i in items] == [
        ("广州市科学技术局", "广州市科学技术局", None),
        ("工作经费", "广州市科学技术局", "工作经费"),
        ("合作共建广东省灵山论坛科学中心", "广州市科学技术局", "合作共建广东省灵山论坛科学中心"),
        ("购置经费", "广州市科学技术局", "购置经费")]


def test_a_unit_code_makes_a_unit_and_unit_codes_nest():
    """西安 专项业务经费支出表: `222 西安市交通运输局` over `222001 …`, `251014 西安市小王涧国有
    生态林场` (a name no suffix list knows) is a unit because it has a unit code."""
    from tasks.checks.tables import sum_checks

    none = [None, None, None]
    t = _table("project-expense", ["单位编码", "单位(项目)名称", "项目金额"], [
        (["", "合计", "300.00"], none),
        (["222", "西安市交通运输局", "300.00"], none),
        (["222001", "西安市小王涧国有生态林场", "100.00"], none),
        (["", "护林防火", "100.00"], none),
        (["222002", "西安市出租汽车管理处", "200.00"], none),
        (["", "95128助老服务热线", "200.00"], none)])
    items = [i for i, _ in line_items(t)]
    assert [(i.name, i.code, i.budget_unit, i.level) for i in items] == [
        ("合计", None, None, None),
        ("西安市交通运输局", None, "西安市交通运输局", 1),
        ("西安市小王涧国有生态林场", None, "西安市小王涧国有生态林场", 2),
        ("护林防火", None, "西安市小王涧国有生态林场", None),
        ("西安市出租汽车管理处", None, "西安市出租汽车管理处", 2),
        ("95128助老服务热线", None, "西安市出租汽车管理处", None)]
    assert all(c.ok for c in sum_checks(items))
