"""The tables of one document and the narrative against them: parent-sum, row-sum,
cross-table, completeness, claim-vs-table and project-vs-table on constructed tables,
including the layouts of the real disclosures that once gave false findings."""

from __future__ import annotations

from rule_data import claim, doc, numbered, run, sentence, table

from tasks.checks import (
    claim_vs_table,
    completeness,
    cross_table,
    parent_sum,
    project_vs_table,
    row_sum,
)
from tasks.contracts import Severity

E = "支出预算/"


def expense(*rows, kind="expense", no=3):
    return table(kind, [(c, n, {E + k: v for k, v in cells.items()}) for c, n, cells in rows],
                 no=no)


# ---- parent-sum / row-sum --------------------------------------------------------------------

def test_a_wrong_item_breaks_its_row_and_its_parent():
    # 表3 2080505 prints 合计 967.72 while 基本支出 is 976.72 (xj-hrss-2024 I2)
    items = expense((None, "总计", {"合计": "2,269.11", "基本支出": "2,269.11"}),
                    ("208", "社会保障和就业支出", {"合计": "2,269.11", "基本支出": "2,269.11"}),
                    ("20805", "行政事业单位养老支出", {"合计": "2,269.11", "基本支出": "2,269.11"}),
                    ("2080501", "行政单位离退休", {"合计": "1,292.39", "基本支出": "1,292.39"}),
                    ("2080505", "机关事业单位基本养老保险缴费支出", {"合计": "967.72",
                                                                "基本支出": "976.72"}))
    (p,) = run(parent_sum, doc(line_items=items))
    assert (p.code, p.column_name, p.stated, p.expected, p.severity) == (
        "20805", E + "合计", "2,269.11", "2,260.11", Severity.ERROR)
    (r,) = run(row_sum, doc(line_items=items))
    assert (r.code, r.stated, r.expected) == ("2080505", "967.72", "976.72")


def test_rounding_drift_over_n_children_is_info():
    items = expense((None, "总计", {"合计": "2,525.58"}),
                    ("20805", "行政事业单位养老支出", {"合计": "2,525.58"}),
                    ("2080501", "a", {"合计": "999.66"}), ("2080502", "b", {"合计": "632.31"}),
                    ("2080505", "c", {"合计": "893.60"}))
    (f,) = run(parent_sum, doc(line_items=items))
    assert (f.code, f.severity, f.expected) == ("20805", Severity.INFO, "2,525.57")


def test_two_sided_summary_adds_lines_to_their_totals_below():
    # 预算01表: 一…九 lines, 本年收入合计, 上年结转结余, 收入总计 (and the 支出 side alike)
    rows = [(None, "一、一般公共预算拨款收入", {"收入/预算数": "7,934.98"}),
            ("207", "七、文化旅游体育与传媒支出", {"支出/预算数": "7,000.00"}),
            (None, "五、事业收入", {"收入/预算数": "75.00"}),
            ("208", "八、社会保障和就业支出", {"支出/预算数": "1,009.98"}),
            (None, "本年收入合计", {"收入/预算数": "8,009.98"}),
            (None, "本年支出合计", {"支出/预算数": "8,009.98"}),
            (None, "上年结转结余", {"收入/预算数": "30.00"}),
            (None, "年终结转结余", {"支出/预算数": "30.00"}),
            (None, "收入总计", {"收入/预算数": "8,039.98"}),
            (None, "支出总计", {"支出/预算数": "8,039.98"})]
    items = table("summary", rows)
    assert run(parent_sum, doc(line_items=items)) == []
    wrong = table("summary", rows[:-1] + [(None, "支出总计", {"支出/预算数": "8,039.99"})])
    (f,) = run(parent_sum, doc(line_items=wrong))
    assert (f.subject, f.severity) == ("支出总计", Severity.INFO)


def test_subtotal_rows_hanging_under_labels_of_another_column_are_not_guessed():
    # 江苏 收入预算总表: 收入总计, then `小计` rows whose group labels sit in another column
    items = table("income", [(None, "收入总计", {"金额": "10,150.48"}),
                             (None, "小计", {"金额": "10,070.48"}),
                             (None, "公共财政拨款(补助)资金", {"金额": "10,070.48"}),
                             (None, "小计", {"金额": "80.00"}),
                             (None, "其他收入", {"金额": "80.00"})])
    assert run(parent_sum, doc(line_items=items)) == []


def test_sangong_subtotal_holds_its_parts_even_without_a_qizhong_line():
    # 表10: 公务用车购置费 is blank, so 公务用车运行费 follows the 小计 row directly
    items = table("sangong", [(None, "合计", {"合计": "147.41"}),
                              (None, "公务接待费", {"合计": "0.90"}),
                              (None, "公务用车购置及运行费（小计）", {"合计": "146.51"}),
                              (None, "公务用车运行费", {"合计": "146.51"})])
    assert run(parent_sum, doc(line_items=items)) == []


def test_sangong_total_leaves_out_meeting_and_training_but_a_plain_total_does_not():
    jz = table("sangong", [(None, "合计", {"“三公”经费合计": "23.80", "公务接待费": "3.80",
                                         "公务用车购置及运行费/小计": "20.00",
                                         "公务用车购置及运行费/公务用车运行费": "20.00",
                                         "会议费": "8.00", "培训费": "19.00"})])
    assert run(row_sum, doc(line_items=jz)) == []
    # 江苏 `“三公”经费、会议费、培训费支出预算表`: 合计 1,656.86 = 三公 675.10 + 884.16 + 97.60
    js = table("sangong", [(None, "", {"合计": "1,656.86", "“三公”经费/小计": "675.10",
                                     "“三公”经费/因公出国(境)费": "106.00",
                                     "“三公”经费/公务接待费": "412.50",
                                     "“三公”经费/公务用车购置及运行维护费/小计": "156.60",
                                     "会议费": "884.16", "培训费": "97.60"})])
    assert run(row_sum, doc(line_items=js)) == []


# ---- cross-table -----------------------------------------------------------------------------

def _basic(reception: str) -> list:
    return table("gpb-basic", [(None, "合计", {"合计": "458.15"}),
                               ("302", "商品和服务支出", {"合计": "458.15"}),
                               ("30215", "会议费", {"合计": "8.00"}),
                               ("30217", "公务接待费", {"合计": reception}),
                               ("30299", "其他", {"合计": "446.55" if reception == "3.60"
                                                else "446.35"})], no=6)


def _sangong(reception: str, meeting: str = "8.00") -> list:
    return table("sangong", [(None, "合计", {"“三公”经费合计": reception,
                                           "公务接待费": reception, "会议费": meeting})], no=7)


def test_sangong_line_against_the_basic_expense_table():
    # J10: 预算07表 公务接待费 3.80 against 预算06表 30217 4.00: the basic line exceeds all of
    # the 三公 money, which covers basic and project spending
    (f,) = run(cross_table, doc(line_items=_basic("4.00") + _sangong("3.80")))
    assert (f.severity, f.code, f.stated, f.expected) == (Severity.ERROR, "30217", "3.80", "4.00")
    assert "公务接待费" in f.subject
    assert run(cross_table, doc(line_items=_basic("3.80") + _sangong("3.80"))) == []
    # 福州: 公务用车运行费 17.50 in the 三公 table, 5.50 on 30231: project money, no finding
    assert run(cross_table, doc(line_items=_basic("3.60") + _sangong("3.80"))) == []


def test_sangong_paid_from_project_money_is_not_held_to_the_basic_table():
    # 江苏: 公务接待费 412.50 and 会议费 884.16 exceed all of basic 302 (458.15 here): the 三公
    # include project money, so the basic line may only be smaller, not equal
    items = _basic("3.60") + _sangong("412.50", "884.16")
    assert run(cross_table, doc(line_items=items)) == []


def test_summary_total_against_the_expense_table():
    summary = table("summary", [(None, "收入总计", {"收入/预算数": "100.00"}),
                                (None, "支出总计", {"支出/预算数": "100.00"})], no=1)
    exp = expense((None, "总计", {"合计": "90.00"}), no=3)
    (f,) = run(cross_table, doc(line_items=summary + exp))
    assert (f.stated, f.expected) == ("100.00", "90.00") and "支出表" in f.subject


# ---- completeness ----------------------------------------------------------------------------

STANDARD = ["summary", "income", "expense", "appropriation-summary", "gpb-expense", "gpb-basic",
            "gov-fund-expense", "sangong"]
SECTIONS = [("十", "“三公”经费预算情况", "sangong"), ("十一(一)", "机关运行经费", "running-cost"),
            ("十一(二)", "政府采购情况", "procurement"), ("十一(三)", "绩效目标设置情况", "performance")]


def _complete_but_assets(extra_sentences=()):
    from tasks.contracts import TableInfo
    tables = [TableInfo(i, k, k, "元", i, i, 3, False) for i, k in enumerate(STANDARD, 1)]
    sentences = [sentence("…", section=s, heading=h, scope=sc) for s, h, sc in SECTIONS]
    sentences.append(sentence("本部门无国有资本经营预算拨款安排的支出，故未编制国有资本经营预算支出表。"))
    return doc(tables=tables, sentences=sentences + list(extra_sentences))


def test_missing_assets_section_is_reported_and_explained_absent_table_is_not():
    (f,) = run(completeness, _complete_but_assets())
    assert (f.rule, f.severity, f.subject) == ("completeness", Severity.ERROR, "国有资产占用")


def test_a_glossary_entry_is_not_a_section():
    glossary = sentence("(九)国有资产占用:指部门占有使用的国有资产。", section="十二",
                        heading="十二、名词解释")
    (f,) = run(completeness, _complete_but_assets([glossary]))
    assert f.subject == "国有资产占用"
    assets = sentence("截至上年底，本部门共有车辆 5 辆。", section="十一(四)",
                      heading="(四)国有资产占用情况", scope="assets")
    assert run(completeness, _complete_but_assets([assets])) == []


def test_beijing_empty_fund_table_is_explained_by_a_zero_in_the_narrative():
    """北京 二: `2.政府性基金预算拨款收入 0 万元。` says there is no such money: 预算07表 may be
    empty. A 10 万元 is no such statement."""
    from tasks.contracts import TableInfo
    tables = [TableInfo(i, k, k, "万元", i, i, 3, k == "gov-fund-expense")
              for i, k in enumerate(STANDARD, 1)]
    sentences = [sentence("…", section=s, heading=h, scope=sc) for s, h, sc in SECTIONS]
    sentences.append(sentence("本部门无国有资本经营预算拨款安排的支出。"))
    sentences.append(sentence("(四)国有资产占用情况 车辆 7 台。", scope="assets"))
    zero = sentence("2.政府性基金预算拨款收入 0 万元。", section="二(一)", scope="income")
    assert run(completeness, doc(tables=tables, sentences=sentences + [zero])) == []
    ten = sentence("2.政府性基金预算拨款收入 10 万元。", section="二(一)", scope="income")
    (f,) = run(completeness, doc(tables=tables, sentences=sentences + [ten]))
    assert f.subject == "政府性基金预算支出表"


def test_beijing_performance_target_tables_stand_for_the_performance_section():
    """北京 publishes 预算12表 项目支出绩效目标表 and 预算13表 部门整体支出绩效目标表, and no
    narrative section on 绩效目标: the targets are disclosed."""
    from tasks.contracts import TableInfo
    base = _complete_but_assets([sentence("车辆 7 台。", section="五(三)", scope="assets")])
    no_perf = [x for x in base.sentences if x.scope != "performance"]
    perf = TableInfo(20, "performance", "项目支出绩效目标表", "万元", 20, 21, 40, False)
    without = doc(tables=base.tables, sentences=no_perf)
    (f,) = run(completeness, without)
    assert f.subject == "绩效目标"
    assert run(completeness, doc(tables=base.tables + [perf], sentences=no_perf)) == []


def test_jiangsu_2017_is_not_held_to_the_later_state_capital_table():
    """江苏 2017 publishes its 12 tables without a 国有资本经营预算支出表 and says nothing of such
    money; the table is required from 2018 (config `since`). In 2018 the same gap is reported."""
    from tasks.contracts import TableInfo
    tables = [TableInfo(i, k, k, "万元", i, i, 3, False) for i, k in enumerate(STANDARD, 1)]
    sentences = [sentence("…", section=s, heading=h, scope=sc) for s, h, sc in SECTIONS]
    sentences.append(sentence("车辆 7 台。", section="十一(四)", scope="assets"))
    assert run(completeness, doc(year=2017, tables=tables, sentences=sentences)) == []
    (f,) = run(completeness, doc(year=2018, tables=tables, sentences=sentences))
    assert f.subject == "国有资本经营预算支出表"


# ---- claim-vs-table / project-vs-table -------------------------------------------------------

GPB = "一般公共预算支出/"


def gpb_table(*rows):
    return table("gpb-expense", [(c, n, {GPB + "合计": v}) for c, n, v in rows], no=5)


def test_item_amount_against_its_row_and_an_absent_item_as_zero():
    items = gpb_table((None, "总计", "4,746.82"), ("208", "社会保障和就业支出", "4,746.82"),
                      ("20801", "人力资源和社会保障管理事务", "4,746.82"),
                      ("2080101", "行政运行", "4,746.82"))
    claims = numbered(claim("…行政运行(项)", "4,764.82", "10.00", "0.21", code="2080101"),
                      claim("…中等职业教育(项)", "0.00", "-253.28", "-100.00", code="2050302"),
                      claim("…技校教育(项)", "12.00", "1.00", "9.09", code="2050303"))
    found = run(claim_vs_table, doc(line_items=items, claims=claims))
    assert [(f.code, f.stated, f.expected) for f in found] == [
        ("2080101", "4,764.82", "4,746.82"), ("2050303", "12.00", "0.00")]


def test_item_code_is_not_compared_with_a_table_that_lists_only_classes():
    # 万里街道: 项 claims in a section whose table (收支总表) prints 类 lines only
    summary = table("summary", [(None, "收入总计", {"收入/预算数": "15,621.11"}),
                                ("201", "一、一般公共服务支出", {"支出/预算数": "293.27"})])
    item = claim("“一般公共服务支出(类)宣传事务(款)一般行政管理事务(项)”", "110.60",
                 section="部门预算编制说明", scope="summary", code="2013302", kind="total")
    assert run(claim_vs_table, doc(line_items=summary, claims=[item])) == []


def test_section_total_is_the_tables_total_row():
    items = gpb_table((None, "总计", "42,404.21"), ("205", "教育支出", "970.57"))
    claims = numbered(claim("一般公共预算拨款合计", "42,404.21", section="五(一)", kind="total"),
                      claim("教育支出(类)", "970.57", share="2.29", section="五(二)",
                            code="205", kind="share"))
    assert run(claim_vs_table, doc(line_items=items, claims=claims)) == []
    wrong = numbered(claim("一般公共预算拨款合计", "42,044.21", section="五(一)", kind="total"))
    (f,) = run(claim_vs_table, doc(line_items=items, claims=wrong))
    assert f.expected == "42,404.21"


def test_yuan_table_is_compared_within_both_roundings():
    # narrative 6,666.16 万元 against 66,661,590.00 元
    items = table("gpb-expense", [(None, "合计", {"合计": "66,661,590.00"}),
                                  ("207", "文化旅游体育与传媒支出", {"合计": "66,661,590.00"})],
                  unit="元")
    ok = claim("文化旅游体育与传媒支出(类)", "6,666.16", share="84.0", section="六(二)",
               code="207", kind="share")
    assert run(claim_vs_table, doc(line_items=items, claims=[ok])) == []


P7 = "项目支出合计"


def project_table(*rows, kind="gpb-project"):
    return table(kind, [(None, "总计", {P7: "100.00"})] + [
        ("2050303", "技校教育", {P7: v}, unit, name) for unit, name, v in rows], no=7)


def test_project_named_in_the_narrative_must_be_in_its_table():
    items = project_table(("本级", "特定目标3510115C", "35.15"))
    bad = claim("特定目标35101150", "35.15", section="七(五)", scope="gpb-project",
                kind="project")
    (f,) = run(project_vs_table, doc(line_items=items, claims=[bad]))
    assert (f.stated, f.expected, f.table_kind) == ("特定目标35101150", "特定目标3510115C",
                                                   "gpb-project")
    ok = claim("特定目标 3510115C", "35.15", section="七(五)", scope="gpb-project",
               kind="project")
    assert run(project_vs_table, doc(line_items=items, claims=[ok])) == []
    assert run(claim_vs_table, doc(line_items=items, claims=[ok])) == []


def test_project_of_two_units_matches_either_units_amount():
    items = project_table(("本级", "自治区就业补助资金", "4,166.91"),
                          ("公共就业服务中心", "自治区就业补助资金", "995.60"))
    claims = numbered(*(claim("自治区就业补助资金", v, section=s, scope="gpb-project",
                              kind="project") for s, v in (("七(十)", "4,166.91"),
                                                           ("七(十七)", "995.60"))))
    assert run(claim_vs_table, doc(line_items=items, claims=claims)) == []


def test_carried_over_project_is_looked_for_in_the_carryover_table_only():
    items = project_table(("本级", "自治区就业补助资金", "4,166.91")) + table(
        "carryover", [(None, "总计", {"合计": "1,155.11"}),
                      (None, "特定目标LX100229", {"合计": "1,155.11"}, "本级",
                       "特定目标LX100229")], no=11)
    carried = claim("自治区就业补助资金", "1,155.11", section="十一", scope="carryover",
                    kind="project")
    (f,) = run(project_vs_table, doc(line_items=items, claims=[carried]))
    assert (f.table_kind, f.expected) == ("carryover", "特定目标LX100229")


# ---- layouts of real disclosures that once gave false findings --------------------------------

def test_function_classes_printed_without_codes_are_not_nested_by_guess():
    # 杭州 支出预算总表: 类/款/项 names without their codes; whose part is whose cannot be read
    items = table("expense", [(None, "合计", {"总计": "5,140.00"}),
                              (None, "一般公共服务支出", {"总计": "5,140.00"}),
                              (None, "其他一般公共服务支出", {"总计": "5,140.00"}),
                              (None, "其他一般公共服务支出", {"总计": "5,140.00"})])
    assert run(parent_sum, doc(line_items=items)) == []


def test_memo_columns_of_a_subset_are_not_parts_of_the_total():
    # 深圳 支出总表: `2026年政府采购项目/小计` and its `其中:` columns restate spending
    items = table("expense", [("208", "社会保障和就业支出", {
        "支出总计": "54,024.69", "基本支出": "2,000.00", "项目支出": "52,024.69",
        "2026年政府采购项目/小计": "1,905.82",
        "2026年政府采购项目/其中:预留给中小企业的项目资金规模": "1,616.36"})])
    assert run(row_sum, doc(line_items=items)) == []


def test_a_groups_subtotal_is_not_the_tables_total():
    # 北京 三公表 without a 合计 column: `公务用车购置及运行维护费/小计` is one line's subtotal
    items = table("sangong", [(None, "合计", {"因公出国(境)费": "50.33",
                                            "公务用车购置及运行维护费/小计": "25.42",
                                            "公务接待费": "1.92"})])
    first = claim("财政拨款“三公”经费", "77.67", section="十", scope="sangong", kind="total")
    assert run(claim_vs_table, doc(line_items=items, claims=[first])) == []


def test_appropriation_table_without_a_general_budget_column_is_not_the_general_budget():
    # 广州 财政拨款收支总表: one 支出 column holding 一般公共预算 and 政府性基金 money
    approp = table("appropriation-summary", [(None, "一般公共预算拨款", {"收入/预算数": "47,944.02"}),
                                              (None, "政府性基金拨款", {"收入/预算数": "143,878.90"}),
                                              ("212", "城乡社区支出", {"支出/预算数": "174,572.07"}),
                                              (None, "收入总计", {"收入/预算数": "191,822.92"}),
                                              (None, "支出总计", {"支出/预算数": "191,822.92"})],
                   no=4)
    gpb = table("gpb-expense", [(None, "合计", {"合计": "47,944.02"}),
                                ("212", "城乡社区支出", {"合计": "30,693.17"})], no=5)
    assert run(cross_table, doc(line_items=approp + gpb)) == []


def test_a_column_name_printed_in_two_groups_is_not_guessed():
    # 长春 三公表: 公务接待费 under 上年结转结余 and under 当年预算
    sangong = table("sangong", [(None, "合计", {"上年结转结余/公务接待费": "0.00",
                                              "当年预算/公务接待费": "0.86"})], no=7)
    item = claim("公务接待费", "0.86", section="十", scope="sangong", kind="total", n=2)
    head = claim("“三公”经费", "0.86", section="十", scope="sangong", kind="total")
    assert run(claim_vs_table, doc(line_items=sangong, claims=numbered(head, item))) == []


def test_classes_numbered_under_a_this_year_line_are_its_parts():
    # 无锡 财政拨款收支总表: `一、本年支出` over `(八)社会保障和就业支出`, then 支出总计
    items = table("appropriation-summary", [
        (None, "一、本年收入", {"收入/预算数": "9,096.11"}),
        (None, "一、本年支出", {"支出/预算数": "9,096.11"}),
        (None, "(一)一般公共预算拨款", {"收入/预算数": "8,326.11"}),
        ("208", "(八)社会保障和就业支出", {"支出/预算数": "2,050.34"}),
        (None, "(二)政府性基金预算拨款", {"收入/预算数": "770.00"}),
        ("224", "(二十三)灾害防治及应急管理支出", {"支出/预算数": "7,045.77"}),
        (None, "收入总计", {"收入/预算数": "9,096.11"}),
        (None, "支出总计", {"支出/预算数": "9,096.11"})], no=4)
    assert run(parent_sum, doc(line_items=items)) == []


def test_note_calling_a_printed_table_empty_is_reported():
    # 万里街道 2024: `注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。` under a
    # 三公 table printing 47.91
    items = table("sangong", [(None, "", {"2024年“三公”经费预算数/合计": "47.91"})], no=9,
                  title="部门“三公”经费和机关运行经费预算表", page=12)
    note = sentence("注:本部门2024年无“三公”经费和机关运行经费预算,故本表为空表。", page=12)
    (f,) = [x for x in run(completeness, doc(line_items=items, sentences=[note]))
            if x.subject.endswith("空表")]
    assert (f.severity, f.table_kind, f.page) == (Severity.ERROR, "sangong", 12)
    empty_fund = sentence("本部门无政府性基金预算拨款安排的支出,预算08表为空表。")
    assert not [x for x in run(completeness, doc(line_items=items, sentences=[empty_fund]))
                if x.subject.endswith("空表")]


# ---- layouts of real disclosures that gave false findings (precision sweep) -----------------

def test_beijing_column_net_of_something_is_not_a_part_of_its_groups_total():
    """北京 预算05表: `项目支出/项目支出总数` beside `项目支出/扣除基建项目后预算数` (the same money
    net of 基建): 合计 = 基本支出 + 项目支出总数, not + both."""
    b = "预算数/"
    items = table("gpb-expense", [
        ("2101501", "行政运行", {b + "合计": "4,247.250789", b + "基本支出/小计": "4,247.250789"}),
        ("2101504", "信息化建设", {b + "合计": "650.833291",
                                   b + "项目支出/项目支出总数": "650.833291",
                                   b + "项目支出/扣除基建项目后预算数": "650.833291"})], no=5)
    assert run(row_sum, doc(line_items=items)) == []


def test_beijing_carryover_itemised_under_an_unnumbered_line_is_its_part():
    """北京 预算04表 lists `上年结转结余 508.64` and under it `一、一般公共预算拨款 508.64`: the
    second is a part of the first (收入总计 = 本年收入合计 + 上年结转结余), and not this year's
    一般公共预算拨款 of the 收支总表."""
    approp = table("appropriation-summary", [
        (None, "一、一般公共预算资金", {"收入/预算数": "110,387.976749"}),
        (None, "本年收入合计", {"收入/预算数": "110,387.976749"}),
        (None, "上年结转结余", {"收入/预算数": "508.642853"}),
        (None, "一、一般公共预算拨款", {"收入/预算数": "508.642853"}),
        (None, "收入总计", {"收入/预算数": "110,896.619602"})], no=4)
    summary = table("summary", [
        (None, "一、一般公共预算拨款收入", {"收入/预算数": "110,387.976749"}),
        (None, "本年收入合计", {"收入/预算数": "110,387.976749"}),
        (None, "上年结转结余", {"收入/预算数": "508.642853"}),
        (None, "收入总计", {"收入/预算数": "110,896.619602"}),
        ("210", "九、卫生健康支出", {"支出/预算数": "110,896.619602"}),
        (None, "支出总计", {"支出/预算数": "110,896.619602"})], no=1)
    assert run(parent_sum, doc(line_items=approp)) == []
    assert run(cross_table, doc(line_items=summary + approp)) == []


def test_beijing_economic_row_whose_parent_is_not_printed_still_adds_to_the_total():
    """北京 预算06表 prints `3021101-差旅费` with no 30211 (nor 302) row: a line of the list."""
    items = table("gpb-basic", [("30201", "办公费", {"合计": "62.700000"}),
                                ("3021101", "差旅费", {"合计": "50.643750"}),
                                (None, "合计", {"合计": "113.343750"})], no=6)
    assert run(parent_sum, doc(line_items=items)) == []


def test_chongqing_prior_year_column_printed_first_is_not_the_total_column():
    """重庆 一般公共预算支出情况表 prints `2025年预算数` before `2026年预算数/总计`: the 2026
    document's 201 is 15,146.48, what its 财政拨款收支总表 prints."""
    now = "2026年预算数/"
    gpb = table("gpb-expense", [
        (None, "合计", {"2025年预算数": "15,635.80", now + "总计": "18,417.70"}),
        ("201", "一般公共服务支出", {"2025年预算数": "12,679.50", now + "总计": "15,146.48"})],
        no=5)
    approp = table("appropriation-summary", [
        (None, "一、本年收入", {"收入/预算数": "15,146.48"}),
        ("201", "(一)一般公共服务支出", {"支出/总计": "15,146.48", "支出/一般公共预算": "15,146.48"}),
        (None, "收入合计", {"收入/预算数": "15,146.48"}),
        (None, "支出合计", {"支出/总计": "15,146.48", "支出/一般公共预算": "15,146.48"})], no=4)
    assert not [f for f in run(cross_table, doc(year=2026, line_items=gpb + approp))
                if f.code == "201"]
    wrong = [i if i.column_name != now + "总计" or i.code != "201" else
             __import__("dataclasses").replace(i, amount=i.amount - 100) for i in gpb]
    (f,) = [f for f in run(cross_table, doc(year=2026, line_items=wrong + approp))
            if f.code == "201"]
    assert (f.stated, f.expected) == ("15,146.48", "15,046.48")


def test_beijing_first_item_of_a_subsection_is_not_the_tables_total():
    """北京 二(一) heading `（一）本年财政拨款收入 110387.98 万元`, then `1.一般公共预算拨款收入
    110387.98 万元`: the list item is not the income table's total (110,896.62)."""
    income = table("income", [(None, "合计", {"合计": "110,896.619602",
                                              "本年收入/小计": "110,387.976749"})], no=2)
    items = numbered(
        claim("一般公共预算拨款收入", "110387.98", section="二(一)", scope="income",
              kind="total", text="1.一般公共预算拨款收入110387.98万元。"),
        claim("财政专户管理资金收入", "0", section="二(二)", scope="income", kind="total",
              text="4.财政专户管理资金收入0万元。"))
    assert run(claim_vs_table, doc(line_items=income, claims=items)) == []


def test_chongqing_claim_scoped_by_its_subject_alone_is_not_a_section_total():
    """重庆 五(五) `（五）委托业务费情况。2026 年委托业务费涉及财政拨款资金 6,265.73 万元`: the
    section has no scope; the claim's (财政拨款) comes from its words. It is not the total of
    the 财政拨款收支总表 (18,417.70)."""
    approp = table("appropriation-summary", [
        (None, "收入合计", {"收入/预算数": "18,417.70"}),
        (None, "支出合计", {"支出/总计": "18,417.70"})], no=4)
    c = claim("委托业务费涉及财政拨款资金", "6,265.73", section="五(五)", scope="appropriation",
              kind="total", text="2026年委托业务费涉及财政拨款资金6,265.73万元。")
    s = sentence("2026年委托业务费涉及财政拨款资金6,265.73万元。", section="五(五)",
                 heading="(五)委托业务费情况。", scope=None)
    assert run(claim_vs_table, doc(line_items=approp, claims=[c], sentences=[s])) == []


def test_changchun_restarted_class_list_under_this_years_line_is_its_part():
    """长春 预算表4 支出: `一、本年支出 1682.76` then `一、一般公共服务支出 1378.41` … `四、住房保障
    支出 93.27`, then 支出总计: the 类 rows itemise 本年支出, they do not add to it."""
    c = "支出/本年预算"
    items = table("appropriation-summary", [
        (None, "一、本年支出", {c: "1682.76"}), ("201", "一、一般公共服务支出", {c: "1378.41"}),
        ("208", "二、社会保障和就业支出", {c: "178.42"}), ("210", "三、卫生健康支出", {c: "32.65"}),
        ("221", "四、住房保障支出", {c: "93.27"}), (None, "支出总计", {c: "1682.76"})], no=4)
    (f,) = run(parent_sum, doc(line_items=items))  # the four 类 print 1682.75: rounding
    assert (f.subject, f.severity, f.expected) == ("一、本年支出", Severity.INFO, "1,682.75")


def test_changchun_sangong_line_is_this_years_column_not_the_carried_over_one():
    """长春 预算表7 prints 公务用车购置及运行费 under 当年预算 and under 上年结转结余: the
    narrative's 6.75 is this year's (当年预算), not the carried-over 0.00."""
    cols = {"当年预算/“三公”经费合计": "7.61", "当年预算/公务用车购置及运行费/小计": "6.75",
            "当年预算/公务接待费": "0.86", "上年结转结余/“三公”经费合计": "0.00",
            "上年结转结余/公务用车购置及运行费/小计": "0.00", "上年结转结余/公务接待费": "0.00"}
    items = table("sangong", [(None, "合计", cols)], no=7)
    claims = numbered(claim("“三公”经费", "7.61", section="七", scope="sangong", kind="total"),
                      claim("公务用车购置及运行费", "6.75", section="七", scope="sangong",
                            kind="total"),
                      claim("公务接待费", "0.96", section="七", scope="sangong", kind="total"))
    (f,) = run(claim_vs_table, doc(line_items=items, claims=claims))
    assert (f.subject, f.stated, f.expected) == ("公务接待费", "0.96", "0.86")


def test_wuxi_department_row_over_its_own_and_its_units_rows_is_their_total():
    """无锡 收入总表: `无锡市应急管理局 9,096.11`, then `无锡市应急管理局（本级）7,959.88` and
    `无锡市应急管理综合行政执法监督局 1,136.23`: the first is the department, not a third unit."""
    rows = [(None, "合计", {"合计": "9,096.11"}),
            (None, "无锡市应急管理局", {"合计": "9,096.11"}, "无锡市应急管理局"),
            (None, "无锡市应急管理局(本级)", {"合计": "7,959.88"}, "无锡市应急管理局(本级)"),
            (None, "无锡市应急管理综合行政执法监督局", {"合计": "1,136.23"},
             "无锡市应急管理综合行政执法监督局")]
    items = table("income", rows, no=2)
    assert run(parent_sum, doc(line_items=items)) == []
    rows[3] = rows[3][:2] + ({"合计": "1,036.23"},) + rows[3][3:]
    (f,) = run(parent_sum, doc(line_items=table("income", rows, no=2)))
    assert (f.subject, f.stated, f.expected) == ("无锡市应急管理局", "9,096.11", "8,996.11")


def test_wuxi_training_fee_paid_partly_by_projects_is_no_cross_table_error():
    """无锡: the 三公 table (all general-budget money) prints 培训费 8.98, the basic table 30216
    2.50: projects pay the rest. A basic line larger than the 三公 line is an error."""
    sangong = table("sangong", [(None, "", {"“三公”经费合计": "14.93", "公务接待费": "5.90",
                                            "培训费": "8.98"})], no=9)
    basic = table("gpb-basic", [("302", "商品和服务支出", {"合计": "196.94"}),
                                ("30216", "培训费", {"合计": "2.50"}),
                                ("30217", "公务接待费", {"合计": "5.90"})], no=6)
    assert run(cross_table, doc(line_items=sangong + basic)) == []
    more = table("gpb-basic", [("302", "商品和服务支出", {"合计": "196.94"}),
                               ("30216", "培训费", {"合计": "9.50"}),
                               ("30217", "公务接待费", {"合计": "5.90"})], no=6)
    (f,) = run(cross_table, doc(line_items=sangong + more))
    assert (f.code, f.stated, f.expected) == ("30216", "8.98", "9.50")


def test_shenzhen_basic_column_of_the_economic_table_is_the_basic_expense_table():
    """深圳 prints 一般公共预算支出表（按经济分类） with 支出总计 / 基本支出 / 项目支出 and no
    一般公共预算基本支出表 of its own."""
    from tasks.contracts import TableInfo
    kinds = [k if k != "gpb-basic" else "gpb-economic" for k in STANDARD]
    tables = [TableInfo(i, k, k, "万元", i, i, 3, False) for i, k in enumerate(kinds, 1)]
    base = _complete_but_assets([sentence("车辆 7 台。", section="五(三)", scope="assets")])
    assert run(completeness, doc(tables=tables, sentences=base.sentences)) == []


def test_fuzhou_item_named_jingfei_meets_the_tables_feiyong_row():
    """福州 六(一) `（一）因公出国（境）经费` / `2026 年预算安排 0.00 万元`: the 三公 table's row
    `1、因公出国（境）费用 0.00`, not its 合计 5.00."""
    items = table("sangong", [(None, "合计", {"预算数": "5.00"}),
                              (None, "1、因公出国(境)费用", {"预算数": "0.00"}),
                              (None, "2、公务接待费", {"预算数": "5.00"})], no=10)
    c = claim("因公出国(境)经费", "0.00", "0", section="六(一)", scope="sangong",
              text="2026年预算安排0.00万元，与上年持平。")
    assert run(claim_vs_table, doc(line_items=items, claims=[c])) == []


def test_guangzhou_qizhong_opening_a_breakdown_over_columns_is_a_part():
    """广州 表5 `一般公共预算支出/小计 | 其中：基本支出 | 项目支出`: 小计 = 基本支出 + 项目支出 (a
    lone `其中:` column beside a 小计, 深圳's 政府采购, stays a memo)."""
    g = "一般公共预算支出/"

    def items(project: str):
        return table("gpb-expense", [
            (None, "合计", {g + "小计": "47,944.02", g + "其中:基本支出": "36,719.11",
                            g + "项目支出": project})], no=5)
    assert run(row_sum, doc(line_items=items("11,224.91"))) == []
    (f,) = run(row_sum, doc(line_items=items("11,000.00")))
    assert (f.severity, f.stated, f.expected) == (Severity.ERROR, "47,944.02", "47,719.11")


def test_hangzhou_department_row_over_indented_units_adds_them_up():
    """杭州 表2: the department row is the sum of the units indented under it; the 合计 is the
    department's. The printed units there fall 1,471.66 short (a true finding)."""
    def rows(unit_amount: str):
        items = table("income", [
            (None, "合计", {"总计": "300.00"}),
            (None, "杭州市公安局", {"总计": "300.00"}, "杭州市公安局"),
            (None, "杭州市公安局", {"总计": "100.00"}, "杭州市公安局"),
            (None, "杭州市公安局地铁分局", {"总计": unit_amount}, "杭州市公安局地铁分局")], no=2)
        levels = {1: 1, 2: 2, 3: 2}
        return [__import__("dataclasses").replace(i, level=levels.get(i.row_no)) for i in items]
    assert run(parent_sum, doc(line_items=rows("200.00"))) == []
    (f,) = run(parent_sum, doc(line_items=rows("190.00")))
    assert (f.subject, f.stated, f.expected) == ("杭州市公安局", "300.00", "290.00")


def test_hangzhou_summary_line_meets_this_years_income_column_not_the_carried_over():
    """杭州: 收支总表 `一般公共预算 366,195.79` against 收入总表 `本年收入/一般公共预算`, not
    `上年结转结余/一般公共预算 4,023.45`."""
    summary = table("summary", [
        (None, "一般公共预算", {"收入/预算数": "366,195.79"}),
        (None, "本年收入合计", {"收入/预算数": "366,195.79"}),
        ("231", "公共安全支出", {"支出/预算数": "366,195.79"}),
        (None, "收入总计", {"收入/预算数": "366,195.79"}),
        (None, "支出总计", {"支出/预算数": "366,195.79"})], no=1)
    income = table("income", [(None, "合计", {"总计": "370,219.24", "本年收入/小计": "366,195.79",
                                              "本年收入/一般公共预算": "366,195.79",
                                              "上年结转结余/小计": "4,023.45",
                                              "上年结转结余/一般公共预算": "4,023.45"})], no=2)
    assert not [f for f in run(cross_table, doc(line_items=summary + income))
                if "一般公共预算" in f.subject]


def test_hangzhou_numbered_label_lines_are_the_required_sections():
    """杭州 二(十) lists `1.机关运行经费`, `2.政府采购情况`, `3.国有资产占有使用情况`, `4.预算绩效
    情况说明` as lines of their own under `（十）其他重要事项的情况说明`."""
    from tasks.contracts import TableInfo
    tables = [TableInfo(i, k, k, "万元", i, i, 3, False) for i, k in enumerate(STANDARD, 1)]
    labels = ["1.机关运行经费", "2.政府采购情况", "3.国有资产占有使用情况", "4.预算绩效情况说明"]
    sentences = [sentence("…", section="二(七)", heading="(七)“三公”经费", scope="sangong"),
                 sentence("本部门没有使用国有资本经营预算拨款安排的支出。")]
    sentences += [sentence(t, section="二(十)", heading="(十)其他重要事项的情况说明")
                  for t in labels]
    assert run(completeness, doc(tables=tables, sentences=sentences)) == []
    (f,) = run(completeness, doc(tables=tables, sentences=sentences[:-1]))
    assert f.subject == "绩效目标"


def _panels(*rows):
    """Line items of one list printed in two panels (segment 0 | segment 1)."""
    out = []
    for segment, panel in enumerate(rows):
        for item in table("gpb-basic", panel, no=6):
            out.append(__import__("dataclasses").replace(item, segment=segment))
    return out


def test_putuo_basic_table_in_two_panels_adds_up_per_panel_and_has_no_grand_total():
    """普陀 决算 基本支出表 prints 工资福利 … `人员经费合计 2,152.26` in the left panel and 商品和
    服务 … `公用经费合计 184.65` in the right, rows side by side: each panel adds up on its own;
    neither panel total is the table's (2,336.91, the 一般公共预算支出表's 基本支出)."""
    items = _panels([("301", "工资福利支出", {"决算数": "2,082.85"}),
                     ("30101", "基本工资", {"决算数": "2,082.85"}),
                     ("303", "对个人和家庭的补助", {"决算数": "69.41"}),
                     ("30302", "退休费", {"决算数": "69.41"}),
                     (None, "人员经费合计", {"决算数": "2,152.26"})],
                    [("302", "商品和服务支出", {"决算数": "171.07"}),
                     ("30201", "办公费", {"决算数": "171.07"}),
                     ("310", "资本性支出", {"决算数": "13.58"}),
                     ("31002", "办公设备购置", {"决算数": "13.58"}),
                     (None, "公用经费合计", {"决算数": "184.65"})])
    gpb = table("gpb-expense", [(None, "合计", {"合计": "2,940.05", "基本支出": "2,336.91"})],
                no=5)
    d = doc(line_items=items + gpb)
    assert run(parent_sum, d) == [] and run(cross_table, d) == []


def test_putuo_final_accounts_income_table_is_this_years_income():
    """普陀 决算 收入支出决算总表: 本年收入合计 2,946.25 + 年初结转和结余 49.14 = 总计 2,995.39;
    the 收入决算表 (本年收入合计 2,946.25) and 支出决算表 (2,940.05) are this year's money."""
    summary = table("summary", [
        (None, "一、一般公共预算财政拨款收入", {"收入/决算数": "2,940.05"}),
        ("201", "一、一般公共服务支出", {"支出/决算数": "2,940.05"}),
        (None, "八、其他收入", {"收入/决算数": "6.20"}),
        (None, "本年收入合计", {"收入/决算数": "2,946.25"}),
        (None, "本年支出合计", {"支出/决算数": "2,940.05"}),
        (None, "年初结转和结余", {"收入/决算数": "49.14"}),
        (None, "年末结转和结余", {"支出/决算数": "55.34"}),
        (None, "总计", {"收入/决算数": "2,995.39", "支出/决算数": "2,995.39"})], no=1)
    income = table("income", [(None, "合计", {"本年收入合计": "2,946.25"})], no=2)
    expense = table("expense", [(None, "合计", {"本年支出合计": "2,940.05"})], no=3)
    assert run(cross_table, doc(line_items=summary + income + expense)) == []
    claims = numbered(claim("本年支出合计", "2940.05", section="三", scope="summary", kind="total",
                            text="本年支出合计2940.05万元，其中：…"))
    assert run(claim_vs_table, doc(line_items=summary, claims=claims)) == []


def test_putuo_restated_amount_is_reported_once():
    """普陀 决算 四: `财政拨款收入支出总计0.3万元。与2023年度相比，财政拨款收入支出总计持平。`: one
    wrong figure (the table prints 2,961.68), one finding."""
    approp = table("appropriation-summary", [
        (None, "总计", {"收入/决算数": "2,961.68", "支出/合计": "2,961.68"})], no=4)
    claims = numbered(
        claim("财政拨款收入支出总计", "0.3", section="四", scope="appropriation", kind="total"),
        claim("财政拨款收入支出总计", "0.3", "0", section="四", scope="appropriation"))
    (f,) = run(claim_vs_table, doc(line_items=approp, claims=claims))
    assert (f.stated, f.expected) == ("0.3", "2,961.68")


def test_xian_lone_qizhong_line_is_no_breakdown():
    """西安 收支总表: `(1)一般公共预算拨款 2,518.06` over `其中:专项资金列入部门预算的项目 0.00`."""
    items = table("summary", [
        (None, "1、财政拨款", {"收入/预算数": "2,518.06"}),
        (None, "(1)一般公共预算拨款", {"收入/预算数": "2,518.06"}),
        (None, "其中:专项资金列入部门预算的项目", {"收入/预算数": "0.00"}),
        (None, "(2)政府性基金拨款", {"收入/预算数": "0.00"}),
        (None, "本年收入合计", {"收入/预算数": "2,518.06"}),
        ("208", "8、社会保障和就业支出", {"支出/预算数": "2,518.06"}),
        (None, "本年支出合计", {"支出/预算数": "2,518.06"})], no=1)
    assert run(parent_sum, doc(line_items=items)) == []


def test_xian_numbered_class_rows_nest_under_the_numbered_line_above():
    """西安 收支总表 支出: `一、部门预算 2,518.06` over `1、一般公共服务支出 0.00` … `8、社会保障和
    就业支出 149.43` … `20、住房保障支出` (coded by name), then 本年支出合计."""
    c = "支出/预算数"
    items = table("summary", [
        (None, "一、部门预算", {c: "2,518.06"}), (None, "1、一般公共服务支出", {c: "0.00"}),
        ("208", "8、社会保障和就业支出", {c: "149.43"}), (None, "9、社会保险基金支出", {c: "0.00"}),
        ("221", "20、住房保障支出", {c: "2,368.63"}), (None, "本年支出合计", {c: "2,518.06"}),
        (None, "一、部门预算收入", {"收入/预算数": "2,518.06"}),
        (None, "本年收入合计", {"收入/预算数": "2,518.06"})], no=1)
    assert run(parent_sum, doc(line_items=items)) == []
    wrong = [__import__("dataclasses").replace(i, amount=i.amount - 1) if i.code == "221" else i
             for i in items]
    (f,) = run(parent_sum, doc(line_items=wrong))
    assert (f.subject, f.expected) == ("一、部门预算", "2,517.06")


def test_xian_department_row_then_its_own_row_of_the_same_name():
    """西安 收入总表: `271 西安市人民政府国有资产监督管理委员会` (the department) then `271001 西安
    市人民政府国有资产监督管理委员会` (its only unit), both 2,518.06."""
    name = "西安市人民政府国有资产监督管理委员会"
    items = table("income", [(None, "合计", {"部门预算/合计": "2,518.06"}),
                             (None, name, {"部门预算/合计": "2,518.06"}, name),
                             (None, name, {"部门预算/合计": "2,518.06"}, name)], no=2)
    assert run(parent_sum, doc(line_items=items)) == []


def test_xian_group_with_a_qizhong_column_beside_its_subtotal_is_a_part():
    """西安 收入总表 `部门预算/合计 = 一般公共预算拨款/小计 + 政府性基金拨款 + …`, the group also
    printing `其中：专项资金列入部门预算的项目`; 深圳's 政府采购 group stays a memo (config)."""
    g = "部门预算/"
    items = table("income", [(None, "合计", {
        g + "合计": "2,518.06", g + "一般公共预算拨款/小计": "2,518.06",
        g + "一般公共预算拨款/其中:专项资金列入部门预算的项目": "0.00",
        g + "政府性基金拨款": "0.00", g + "事业收入": "0.00"})], no=2)
    assert run(row_sum, doc(line_items=items)) == []


def test_wanli_sangong_total_is_the_sangong_groups_not_a_subgroups():
    """万里 2024 `“三公”经费预算数为47.91万元`: the table prints `2024年“三公”经费预算数/合计 47.91`,
    its `公务用车购置及运行费/小计 46.56` and, beside, `2024年机关运行经费预算数 443.18`. 西安
    prints `“三公”经费预算/小计 6.00` and 会议费 2.00 under one 合计 8.00."""
    wanli = table("sangong", [(None, "", {
        "2024年“三公”经费预算数/合计": "47.91", "2024年“三公”经费预算数/因公出国(境)费": "0",
        "2024年“三公”经费预算数/公务接待费": "1.35",
        "2024年“三公”经费预算数/公务用车购置及运行费/小计": "46.56",
        "2024年机关运行经费预算数": "443.18"})], no=9)
    c = claim("“三公”经费", "47.91", section="一", scope="sangong", kind="total")
    assert run(claim_vs_table, doc(year=2024, line_items=wanli, claims=[c])) == []
    xian = table("sangong", [(None, "合计", {
        "2022年/合计": "8.00", "2022年/一般公共预算拨款安排的“三公”经费预算/小计": "6.00",
        "2022年/一般公共预算拨款安排的“三公”经费预算/公务接待费": "1.00",
        "2022年/会议费": "2.00", "2021年/合计": "3.80"})], no=13)
    c = claim("当年一般公共预算“三公”经费", "6.00", section="六", scope="sangong", kind="total")
    # the year comes from the table's own headers, not from the (crawler's) label
    assert run(claim_vs_table, doc(year=2026, line_items=xian, claims=[c])) == []


def test_xian_sangong_line_the_economic_table_shows_as_project_money_may_exceed_basic():
    """西安: 三公表 公务接待费 1.00, basic table 30217 0.00, and 表6 prints 30217 under
    `专项业务经费支出` 1.00: project money, not an inconsistency."""
    sangong = table("sangong", [(None, "合计", {"公务接待费": "1.00", "“三公”经费合计": "1.00"})],
                    no=13)
    basic = table("gpb-basic", [("302", "商品和服务支出", {"合计": "50.00"}),
                                ("30217", "公务接待费", {"合计": "0.00"})], no=14)
    economic = table("gpb-economic", [("30217", "公务接待费", {
        "合计": "1.00", "公用经费支出": "0.00", "专项业务经费支出": "1.00"})], no=6)
    assert run(cross_table, doc(line_items=sangong + basic + economic)) == []
    # without the economic table too: the 三公 table may always hold project money
    assert run(cross_table, doc(line_items=sangong + basic)) == []
