"""Tables by meaning: titles, captions inside grids, continuations, codes, segments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tasks.checks.tables import sum_checks
from tasks.extract.pdf import Cell, Grid, Line, Page
from tasks.extract.rows import line_items, recover_codes
from tasks.extract.tables import assemble, classify_title, column_key


@pytest.mark.parametrize(("title", "kind"), [
    ("部门收支总体情况表", "summary"),
    ("收支总表", "summary"),
    ("预算01表 收支总表", "summary"),
    ("财务收支预算总表", "summary"),
    ("2024年部门财务收支预算总表", "summary"),
    ("收支总表（预算表1）", "summary"),
    ("收入支出决算总表", "summary"),
    ("表1：2026年市级部门收支预算总表", "summary"),
    ("2022年部门综合预算收支总表", "summary"),
    ("公开02表 收入总表", "income"),
    ("部门支出总体情况表", "expense"),
    ("支出决算表", "expense"),
    ("财政拨款收支预算总体情况表", "appropriation-summary"),
    ("财政拨款收入支出决算总表", "appropriation-summary"),
    ("一般公共预算支出情况表", "gpb-expense"),
    ("一般公共预算财政拨款支出决算表", "gpb-expense"),
    ("一般公共预算基本支出情况表", "gpb-basic"),
    ("2022年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）",
     "gpb-basic"),
    ("一般公共预算支出表（按经济分类）", "gpb-economic"),
    ("一般公共预算项目支出情况表", "gpb-project"),
    ("财政拨款支出表（功能科目）", "appropriation-expense"),
    ("财政拨款基本支出表（经济科目）", "appropriation-basic"),
    ("财政拨款“三公”经费支出情况表", "sangong"),
    ("一般公共预算“三公”经费、会议费、培训费支出表", "sangong"),
    ("一般公共预算机关运行经费支出预算表", "running-cost"),
    ("上年结转结余情况明细表", "carryover"),
    ("政府性基金预算支出情况表", "gov-fund-expense"),
    ("国有资本经营预算支出情况表", "soe-expense"),
    ("项目支出绩效目标表", "performance"),
    ("部门整体绩效目标表", "performance-dept"),
    ("政府采购预算明细表", "procurement"),
])
def test_title_variants_map_to_one_kind(title, kind):
    found = classify_title(title)
    assert found is not None and found.slug == kind


@pytest.mark.parametrize("text", [
    "自治区人力资源和社会保障厅 2025 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。",
    "具体情况见下表：", "苏州市自然资源和规划局2026年度单位预算公开", "单位：万元"])
def test_sentences_and_page_furniture_are_not_titles(text):
    assert classify_title(text) is None


@pytest.mark.parametrize(("path", "key"), [
    ("支出预算/合计", "total"), ("支出预算/基本支出", "basic"), ("预算数/基本支出/小计", "basic"),
    ("当年预算/项目支出", "project"), ("一般公共预算基本支出/人员经费", "personnel"),
    ("财政拨款(补助)/一般公共预算", "gpb"), ("2026年预算数/公务用车购置及运行费/公务用车运行费",
                                       "vehicle-operation"),
])
def test_column_paths_have_canonical_keys(path, key):
    assert column_key(path) == key


def _grid(page: int, rows: list[list[str]], xs: list[float], top: float = 100.0,
          spans: dict[tuple[int, int], int] | None = None) -> Grid:
    """A ruled grid: rows of cell texts; `spans[(r, c)] = c1` merges columns c..c1-1."""
    cells, skip = [], set()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in skip:
                continue
            end = (spans or {}).get((r, c), c + 1)
            skip.update((r, k) for k in range(c + 1, end))
            cells.append(Cell(text, r, r + 1, c, end, indent=2.0))
    return Grid(page, top, top + 20 * len(rows), xs[0], xs[-1], len(rows), len(xs) - 1, cells,
                list(xs))


def _page(number: int, grids: list[Grid], lines: list[str] = ()) -> Page:
    out = [Line(t, 40.0 + 15 * i, 52.0 + 15 * i, 50, 300, 12) for i, t in enumerate(lines)]
    return Page(number, 0, 595, 842, out, grids)


XS = [50.0, 90.0, 120.0, 300.0, 380.0, 460.0]  # 类 | 款 | name | 合计 | 基本支出


def test_title_and_unit_printed_inside_the_grid_and_continuation_matched_by_columns():
    """Beijing/Jiangsu print the title in the first grid rows; a continuation page merges
    the code and name columns of its total row and starts with no header."""
    first = _grid(1, [
        ["预算03表 支出总表"] * 5,
        ["金额单位：元"] * 5,
        ["类", "款", "科目名称", "合计", "基本支出"],
        ["205", "", "教育支出", "1,000.00", "600.00"],
        ["205", "03", "职业教育", "1,000.00", "600.00"],
    ], XS, spans={(0, 0): 5, (1, 0): 5})
    cont = _grid(2, [
        ["205", "08", "进修及培训", "", ""],
        ["合计", "", "", "1,000.00", "600.00"],
    ], [50.0, 300.0, 380.0, 460.0], spans={})
    # The continuation's first column spans 类/款/名称: boundaries 50, 300, 380, 460.
    cont.cells = [Cell("205\n08\n进修及培训", 0, 1, 0, 1), Cell("", 0, 1, 1, 2),
                  Cell("", 0, 1, 2, 3), Cell("合计", 1, 2, 0, 1), Cell("1,000.00", 1, 2, 1, 2),
                  Cell("600.00", 1, 2, 2, 3)]
    tables = assemble([_page(1, [first]), _page(2, [cont], ["无锡市应急管理局2026年度部门预算公开"])])
    assert len(tables) == 1
    table = tables[0]
    assert (table.kind.slug, table.title, table.unit) == ("expense", "支出总表", "元")
    assert table.header == ["类", "款", "科目名称", "合计", "基本支出"]
    assert (table.first_page, table.last_page, len(table.rows)) == (1, 2, 4)
    items = {(i.code, i.name, i.column_name): (i.amount, i.decimals, i.page)
             for i, _ in line_items(table)}
    assert items[("20503", "职业教育", "合计")] == (Decimal("0.1000"), 6, 1)
    assert items[(None, "合计", "基本支出")] == (Decimal("0.0600"), 6, 2)


def test_repeated_title_on_each_page_continues_the_same_table():
    header = ["科目编码", "科目名称", "合计"]
    xs = [50.0, 120.0, 300.0, 380.0]
    page1 = _page(1, [_grid(1, [header, ["201", "一般公共服务支出", "10.00"]], xs)],
                  ["表1", "收支总表"])
    page2 = _page(2, [_grid(2, [header, ["20101", "人大事务", "10.00"]], xs)],
                  ["表1", "收支总表"])
    tables = assemble([page1, page2])
    assert len(tables) == 1 and len(tables[0].rows) == 2


@pytest.mark.parametrize(("cells", "code", "name"), [
    (["301", "01 基本工资", "2,323.99"], "30101", "基本工资"),  # xj 表6: `301 | 01 基本工资`
    (["301", "工资福利支出", "8,634.63"], "301", "工资福利支出"),
])
def test_economic_code_split_over_code_and_name_cells(cells, code, name):
    page = _page(1, [_grid(1, [["经济分类科目编码", "经济分类科目名称", "合计"], cells],
                           [50.0, 120.0, 300.0, 380.0])], ["一般公共预算基本支出情况表"])
    (item, _), = line_items(assemble([page])[0])
    assert (item.code, item.name, item.code_system) == (code, name, "economic")


@pytest.mark.parametrize(("cells", "code", "name"), [
    (["[208]社会保障和就业支出", "5,895.16"], "208", "社会保障和就业支出"),  # Guangzhou
    (["2050299-其他普通教育支出", "8,935.000000"], "2050299", "其他普通教育支出"),  # Beijing
    (["201 一般公共服务支出", "5.00"], "201", "一般公共服务支出"),  # xj 表1
])
def test_codes_printed_inside_the_name(cells, code, name):
    page = _page(1, [_grid(1, [["功能科目名称", "合计"], cells], [50.0, 300.0, 380.0])],
                 ["一般公共预算支出情况表"])
    (item, _), = line_items(assemble([page])[0])
    assert (item.code, item.name) == (code, name)


def test_xiang_rows_printed_with_lei_kuan_only_get_their_code_by_name_not_position():
    """xj 表3/表5: 项 rows show only 类 and 款; the full code comes from 表2 by name."""
    head = ["类", "款", "项", "科目名称", "合计"]
    xs = [50.0, 80.0, 110.0, 140.0, 300.0, 380.0]
    table2 = _grid(1, [head, ["205", "", "", "教育支出", "970.57"],
                       ["205", "03", "", "职业教育", "523.17"],
                       ["205", "03", "03", "技校教育", "523.17"]], xs)
    head3 = ["类", "款", "科目名称", "合计"]
    xs3 = [50.0, 80.0, 110.0, 300.0, 380.0]
    table3 = _grid(2, [head3, ["205", "", "教育支出", "970.57"],
                       ["205", "03", "职业教育", "523.17"],
                       ["205", "03", "技校教育", "523.17"],
                       ["205", "03", "无此项目", "1.00"]], xs3)
    tables = assemble([_page(1, [table2], ["部门收入总体情况表"]),
                       _page(2, [table3], ["部门支出总体情况表"])])
    pending = [x for t in tables for x in line_items(t)]
    items, warnings = recover_codes(pending)
    expense = [(i.code, i.name) for i in items if i.table_kind == "expense"]
    assert expense == [("205", "教育支出"), ("20503", "职业教育"), ("2050303", "技校教育"),
                       (None, "无此项目")]
    assert warnings == ["p.2 部门支出总体情况表: no full code for '无此项目' under 20503"]


def test_kuan_with_dropped_leading_zero_and_carried_down_lei():
    """Shanghai exports `301 | 2 | 津贴补贴`; Yantai prints 类 only on 类 rows."""
    head = ["类", "款", "项", "科目名称", "合计"]
    xs = [50.0, 80.0, 110.0, 140.0, 300.0, 380.0]
    grid = _grid(1, [head, ["208", "", "", "社会保障和就业支出", "3.00"],
                     ["", "5", "", "行政事业单位养老支出", "3.00"],
                     ["", "", "1", "行政单位离退休", "3.00"]], xs)
    items = [i for i, _ in line_items(assemble([_page(1, [grid], ["支出总表"])])[0])]
    assert [i.code for i in items] == ["208", "20805", "2080501"]
    assert [i.level for i in items] == [1, 2, 3]


def test_two_sided_summary_reads_each_side_as_its_own_list():
    xs = [50.0, 150.0, 230.0, 400.0, 480.0]
    grid = _grid(1, [["收入", "收入", "支出", "支出"], ["项目", "预算数", "功能分类", "预算数"],
                     ["一、本年收入", "10.00", "205 教育支出", "7.00"],
                     ["", "", "208 社会保障和就业支出", "3.00"],
                     ["收入总计", "10.00", "支出总计", "10.00"]], xs)
    items = [i for i, _ in line_items(assemble([_page(1, [grid], ["部门收支总体情况表"])])[0])]
    sides = {(i.segment, i.column_name) for i in items}
    assert sides == {(0, "收入/预算数"), (1, "支出/预算数")}
    checks = sum_checks(items)
    # each side's total over its own rows, never across the two sides
    assert sorted((c.parent.name, c.column_name, c.total, c.ok) for c in checks) == [
        ("支出总计", "支出/预算数", Decimal("10.00"), True),
        ("收入总计", "收入/预算数", Decimal("10.00"), True)]


def test_names_indented_without_codes_nest_by_indentation():
    """Hangzhou prints 类/款/项 as indented names, without codes."""
    xs = [50.0, 300.0, 380.0]
    grid = _grid(1, [["功能分类科目名称", "合计"], ["合计", "8.00"], ["公共安全支出", "8.00"],
                     ["公安", "8.00"], ["行政运行", "5.00"], ["执法办案", "3.00"]], xs)
    for cell, indent in zip([c for c in grid.cells if c.col0 == 0][1:], [2, 2, 12, 22, 22],
                            strict=True):
        object.__setattr__(cell, "indent", float(indent))
    items = [i for i, _ in line_items(assemble([_page(1, [grid], ["部门支出总体情况表"])])[0])]
    assert [i.level for i in items] == [None, 1, 2, 3, 3]
    checks = {(c.parent.name, c.ok) for c in sum_checks(items)}
    assert checks == {("公安", True), ("公共安全支出", True), ("合计", True)}


def test_parent_that_does_not_equal_its_children_is_reported():
    xs = [50.0, 120.0, 300.0, 380.0]
    grid = _grid(1, [["科目编码", "科目名称", "合计"], ["205", "教育支出", "10.00"],
                     ["20503", "职业教育", "4.00"], ["20508", "进修及培训", "5.00"]], xs)
    items = [i for i, _ in line_items(assemble([_page(1, [grid], ["支出总表"])])[0])]
    (check,) = sum_checks(items)
    assert (check.parent.code, check.stated, check.total, check.ok) == (
        "205", Decimal("10.00"), Decimal("9.00"), False)


def _raw(kind: str, rows: list[list[str]]):
    from tasks.config import load_layouts
    from tasks.extract.tables import RawTable, Row

    table = RawTable(1, load_layouts().kind(kind), "项目支出绩效目标表", "万元", 30,
                     [float(x) for x in range(len(rows[0]) + 1)])
    table.rows = [Row(30, r, [None] * len(r)) for r in rows]
    return table


def test_performance_blocks_give_project_unit_levels_target_and_weight():
    from tasks.extract.performance import performance_targets

    table = _raw("performance", [
        ["预算单位", "预算单位", "新疆维吾尔自治区公共就业服务中心", "", "", ""],
        ["项目名称", "项目名称", "公共就业服务专项", "", "项目负责人", "王春梅"],
        ["项目资金(万元)", "年度预算总额", "255.00", "其中:财政拨款", "5.00", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "指标分值权重"],
        ["产出指标", "数量指标", "开展人力资源交流合作活动场次", ">=6 场次", "历史标准", "10"],
        ["产出指标", "质量指标", "窗口及线上办理合格率", "1", "计划标准", "10"],
        ["预算单位", "预算单位", "新疆维吾尔自治区人事考试中心", "", "", ""],
        ["项目名称", "项目名称", "考试考务(成本性支出)", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "指标分值权重"],
        ["满意度指标", "满意度指标", "考生满意度", ">=95%", "历史标准", "10"],
    ])
    got = [(t.project, t.budget_unit, t.level1, t.level2, t.indicator, t.target, t.weight,
            t.amount) for t in performance_targets(table)]
    assert got == [
        ("公共就业服务专项", "新疆维吾尔自治区公共就业服务中心", "产出指标", "数量指标",
         "开展人力资源交流合作活动场次", ">=6场次", Decimal(10), Decimal("255.00")),
        ("公共就业服务专项", "新疆维吾尔自治区公共就业服务中心", "产出指标", "质量指标",
         "窗口及线上办理合格率", "1", Decimal(10), Decimal("255.00")),
        ("考试考务(成本性支出)", "新疆维吾尔自治区人事考试中心", "满意度指标", "满意度指标",
         "考生满意度", ">=95%", Decimal(10), None)]


def test_performance_wide_table_carries_project_and_unit_columns():
    """Changchun prints one wide table: unit, project, amount and indicator per row."""
    from tasks.extract.performance import performance_targets

    table = _raw("performance", [
        ["单位名称", "项目名称", "年度资金总额(万元)", "年度绩效目标", "一级指标", "二级指标", "三级指标",
         "指标解释", "指标值", "权重"],
        ["105001长春市信访局", "2026年信访专项经费", "30.00", "…", "产出指标", "数量指标", "专家评审",
         "…", ">=2次", "40"],
        ["105001长春市信访局", "2026年信访专项经费", "30.00", "…", "成本指标", "经济成本指标",
         "信访信息系统运维成本", "…", "<=17万元", "20"],
    ])
    got = [(t.project, t.budget_unit, t.indicator, t.target, t.weight, t.amount)
           for t in performance_targets(table)]
    assert got == [
        ("2026年信访专项经费", "105001长春市信访局", "专家评审", ">=2次", Decimal(40), Decimal("30.00")),
        ("2026年信访专项经费", "105001长春市信访局", "信访信息系统运维成本", "<=17万元", Decimal(20),
         Decimal("30.00"))]


def test_performance_levels_inside_the_indicator_and_target_in_three_cells():
    """Beijing's 部门整体支出绩效目标表: `产出指标数量指标…` | ≥ | 3396 | 人."""
    from tasks.extract.performance import performance_targets

    table = _raw("performance-dept", [
        ["部门名称", "部门名称", "北京市医疗保障局", "北京市医疗保障局", "北京市医疗保障局", ""],
        ["活动", "绩效指标", "指标性质", "指标值", "度量单位", ""],
        ["医疗保障管理", "产出指标数量指标参保人参保意愿调查样本", "≥", "3396", "人", ""],
    ])
    (t,) = performance_targets(table)
    assert (t.scope, t.project, t.budget_unit, t.level1, t.level2, t.indicator, t.target) == (
        "department", None, "北京市医疗保障局", "产出指标", "数量指标", "参保人参保意愿调查样本",
        "≥3396人")


def test_beijing_basic_table_rows_take_the_departments_economic_code():
    """北京 预算06表 prints `50101-工资奖金津补贴 | 30101-基本工资`: the government's and the
    department's economic classification. The row is 30101 (what 三公 is reconciled with)."""
    page = _page(1, [_grid(1, [["政府支出经济分类科目", "部门支出经济分类科目", "合计"],
                               ["50206-公务接待费", "30217-公务接待费", "1.920000"]],
                           [50.0, 160.0, 300.0, 380.0])], ["预算06表 一般公共预算基本支出表"])
    (item, _), = line_items(assemble([page])[0])
    assert (item.code, item.name, item.code_system) == ("30217", "公务接待费", "economic")


def test_changchun_caption_row_with_a_wrapped_unit_is_not_part_of_the_header():
    """长春 预算表5 draws `预算单位：长春市信访局 | … | 单位：万` / `元` as the grid's first row:
    the columns are `合计`, `当年预算/小计`, not `预算单位:长春市信访局/合计`."""
    xs = [50.0, 120.0, 300.0, 380.0, 460.0, 540.0]
    grid = _grid(1, [["预算单位：长春市信访局", "", "", "", "单位：万\n元"],
                     ["科目编码", "功能分类科目名称", "合计", "当年预算", "当年预算"],
                     ["", "", "", "小计", "基本支出"],
                     ["201", "一般公共服务支出", "1378.41", "1378.41", "903.85"]], xs,
                 spans={(0, 0): 4})
    (table,) = assemble([_page(1, [grid], ["本年一般公共预算支出表（预算表 5）"])])
    assert table.header[2:] == ["合计", "当年预算/小计", "当年预算/基本支出"]


def test_shenzhen_project_category_column_names_projects():
    """深圳 项目支出总表 names its projects under `支出项目类别`."""
    page = _page(1, [_grid(1, [["支出项目类别", "总计"], ["退役安置", "170.68"]],
                           [50.0, 300.0, 380.0])], ["项目支出总表"])
    (item, _), = line_items(assemble([page])[0])
    assert (item.project, item.amount) == ("退役安置", Decimal("170.68"))


def test_guangzhou_items_indented_under_each_unit_in_the_unit_column():
    """广州 部门预算基本支出预算表 `支出项目类别（资金使用单位）` lists each unit and, indented
    under it, its 工资福利支出 / 商品和服务支出 …: items of that unit, not units of their own;
    in the project table they are the unit's projects."""
    def page(title: str) -> Page:
        grid = _grid(1, [["支出项目类别（资金使用单位）", "总计"],
                         ["合计", "1,472.45"], ["广州市余泥渣土管理处", "1,472.45"],
                         ["工资福利支出", "1,166.96"], ["商品和服务支出", "305.49"]],
                     [50.0, 300.0, 380.0])
        for cell, indent in zip([c for c in grid.cells if c.col0 == 0],
                                [2.0, 40.0, 5.4, 15.4, 15.4], strict=True):
            object.__setattr__(cell, "indent", indent)
        return _page(1, [grid], [title])
    basic = [i for i, _ in line_items(assemble([page("部门预算基本支出预算表")])[0])]
    assert [(i.name, i.budget_unit, i.project) for i in basic] == [
        ("合计", None, None), ("广州市余泥渣土管理处", "广州市余泥渣土管理处", None),
        ("工资福利支出", "广州市余泥渣土管理处", None), ("商品和服务支出", "广州市余泥渣土管理处", None)]
    projects = [i for i, _ in line_items(assemble([page("部门预算项目支出及其他支出预算表")])[0])]
    assert [i.project for i in projects] == [None, None, "工资福利支出", "商品和服务支出"]
    assert [c for c in sum_checks(basic) if not c.ok] == []


def test_hangzhou_row_cut_by_the_page_break_is_joined_again():
    """杭州 表2: `杭州市机动 | 14,549.64 | 12,437.3` at the foot of p.21 and `车驾驶员考试服务中心 |
    | 6` at the head of p.22 are one row: 杭州市机动车驾驶员考试服务中心, 事业收入 12,437.36."""
    xs = [50.0, 200.0, 300.0, 380.0]
    first = _grid(1, [["单位名称", "总计", "事业收入"], ["杭州市公安局", "100.00", "40.00"],
                      ["杭州市机动", "14,549.64", "12,437.3"]], xs)
    cont = _grid(2, [["车驾驶员考试服务中心", "", "6"], ["杭州市公安局地铁分局", "7.20", "7.20"]], xs)
    (table,) = assemble([_page(1, [first], ["表2：2026年市级部门收入预算总表"]), _page(2, [cont])])
    items = {(i.name, i.column_name): i.amount for i, _ in line_items(table)}
    assert items[("杭州市机动车驾驶员考试服务中心", "事业收入")] == Decimal("12437.36")
    assert items[("杭州市公安局地铁分局", "总计")] == Decimal("7.20")
    assert len(table.rows) == 3


def test_hangzhou_units_indented_under_the_department_row_are_units():
    """杭州 表2 `单位名称`: `杭州市公安局` (the department), then, indented, ` 杭州市公安局` and
    ` 杭州市公安局监所管理支队（留置看护管理支队）`: units (level 2) under the department (1)."""
    grid = _grid(1, [["单位名称", "总计"], ["合计", "300.00"], ["杭州市公安局", "300.00"],
                     ["杭州市公安局", "100.00"], ["杭州市公安局监所管理支队（留置看护管理支队）", "200.00"]],
                 [50.0, 300.0, 380.0])
    for cell, indent in zip([c for c in grid.cells if c.col0 == 0], [2.0, 40.0, 2.0, 8.0, 8.0],
                            strict=True):
        object.__setattr__(cell, "indent", indent)
    items = [i for i, _ in line_items(assemble([_page(1, [grid], ["收入预算总表"])])[0])]
    assert [(i.name, i.budget_unit, i.level) for i in items] == [
        ("合计", None, None), ("杭州市公安局", "杭州市公安局", 1), ("杭州市公安局", "杭州市公安局", 2),
        ("杭州市公安局监所管理支队(留置看护管理支队)", "杭州市公安局监所管理支队(留置看护管理支队)", 2)]


def test_xian_amount_column_named_like_a_project_is_an_amount_column():
    """西安 收入总表 `其中：专项资金列入部门预算的项目` prints amounts: not a project name column."""
    page = _page(1, [_grid(1, [["单位名称", "合计", "其中：专项资金列入部门预算的项目", "事业收入"],
                               ["西安市国资委", "2,518.06", "0.00", "0.00"]],
                           [50.0, 200.0, 300.0, 380.0, 460.0])], ["2022年部门综合预算收入总表"])
    items = [i for i, _ in line_items(assemble([page])[0])]
    assert [(i.column_name, i.project) for i in items] == [
        ("合计", None), ("其中:专项资金列入部门预算的项目", None), ("事业收入", None)]


def test_jiangsu_group_label_column_is_neither_a_project_nor_the_rows_name():
    """江苏 收入预算总表 `项目名称 | (blank) | 金额`: the first column carries the group label
    (`一般公共预算资金`) beside each item; the rows are `小计`, `公共财政拨款(补助)资金`, and no
    project. A 基本支出 table's `支出项目类别` (深圳) names economic classes, not projects."""
    grid = _grid(1, [["项目名称", "", "金额"], ["一般公共预算资金", "小计", "10,070.48"],
                     ["一般公共预算资金", "公共财政拨款(补助)资金", "10,070.48"]],
                 [50.0, 150.0, 300.0, 380.0])
    items = [i for i, _ in line_items(assemble([_page(1, [grid], ["收入预算总表"])])[0])]
    assert [(i.name, i.project) for i in items] == [("小计", None), ("公共财政拨款(补助)资金", None)]
    page = _page(1, [_grid(1, [["支出项目类别", "总计"], ["邮电费", "6.50"]],
                           [50.0, 300.0, 380.0])], ["基本支出总表"])
    (item, _), = line_items(assemble([page])[0])
    assert (item.name, item.project) == ("邮电费", None)
