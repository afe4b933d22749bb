"""Say when unsure: a table not read with confidence is one warning and raises no error
(table-unreadable); one underlying problem is one error (merge); a file holding half of a
disclosure is judged for its half (completeness)."""

from __future__ import annotations

from decimal import Decimal

from rule_data import doc, run, sentence, table

from tasks.checks import completeness, table_unreadable
from tasks.checks.base import Context
from tasks.compare import checks_config, run_rules
from tasks.contracts import Severity, TableInfo


def _info(no, kind, *, confidence=0.95, unit_found=True, page=4):
    return TableInfo(no, kind, kind, "万元", page, page, 5, False, confidence, unit_found)


def _misread_sangong():
    """深圳 三公表: per unit, rows 2025年 / 2026年 / 增减变化金额 read as parent and children:
    nearly every sum fails."""
    rows = []
    for i in range(4):
        rows += [(None, f"一、单位{i}", {"合计": f"{100 + i}.00"}),
                 (None, "2025年", {"合计": f"{179 + i}.23"}),
                 (None, "2026年", {"合计": f"{299 + i}.23"}),
                 (None, "增减变化金额", {"合计": "120.00"})]
    return table("sangong", rows, no=7, page=4)


def test_a_table_whose_sums_mostly_fail_is_one_warning_and_raises_no_error():
    items = _misread_sangong()
    current = doc(line_items=items, tables=[_info(7, "sangong")])
    ctx = Context(current, None, checks_config())
    findings = [f for f in run_rules(ctx) if f.rule != "completeness"]
    assert not [f for f in findings if f.severity == Severity.ERROR]
    (w,) = [f for f in findings if f.rule == "table-unreadable"]
    assert (w.severity, w.page, w.table_kind) == (Severity.WARNING, 4, "sangong")
    assert "7 of its 7 sums do not add up: it was misread, or printed" in w.message
    gated = [f for f in findings if f.rule == "parent-sum" and f.severity == Severity.WARNING]
    assert gated and all("not raised as an error" in f.message for f in gated)


def test_low_confidence_or_no_unit_is_unreadable_and_a_sound_table_is_not():
    items = table("expense", [("201", "一般公共服务支出", {"合计": "5.00"}),
                              ("20101", "人大事务", {"合计": "5.00"}),
                              ("2010101", "行政运行", {"合计": "2.00"}),
                              ("2010102", "一般行政管理事务", {"合计": "3.00"})], no=3)
    rule = checks_config().rule(table_unreadable.SLUG)
    assert table_unreadable.assess(doc(line_items=items, tables=[_info(3, "expense")]),
                                   rule) == {}
    no_unit = table_unreadable.assess(
        doc(line_items=items, tables=[_info(3, "expense", unit_found=False)]), rule)
    assert "no unit" in no_unit[3]
    unsure = table_unreadable.assess(
        doc(line_items=items, tables=[_info(3, "expense", confidence=0.5)]), rule)
    assert "confidence 0.50" in unsure[3]


def test_the_same_pair_of_figures_is_one_error_with_the_repeats_attached():
    """西安 2020: 支出总计 182,157.13 against Σ 182,066.56 in 表1 and again in 表2."""
    summary = table("expense", [(None, "合计", {"合计": "182,157.13"}),
                                ("201", "一般公共服务支出", {"合计": "182,066.56"})], no=1, page=29)
    income = table("income", [(None, "合计", {"合计": "182,157.13"}),
                              ("201", "一般公共服务支出", {"合计": "182,066.56"})], no=2, page=30)
    current = doc(line_items=summary + income,
                  tables=[_info(1, "expense", page=29), _info(2, "income", page=30)])
    errors = [f for f in run_rules(Context(current, None, checks_config()))
              if f.severity == Severity.ERROR and f.rule != "completeness"]
    (e,) = errors
    assert (e.rule, e.page, e.stated, e.expected) == ("parent-sum", 29, "182,157.13",
                                                      "182,066.56")
    assert "also at: p.30 parent-sum 合计" in e.message


def test_a_tables_only_file_is_judged_for_its_tables_a_narrative_only_for_its_sections():
    """北京 附件2 报表 / 附件1 情况说明, each a source of its own."""
    tables_only = doc(line_items=table("summary", [(None, "合计", {"合计": "1.00"})]),
                      tables=[_info(1, "summary")])
    found = run(completeness, tables_only)
    assert not [f for f in found if "narrative has no section" in f.message]
    (info,) = [f for f in found if f.subject == "narrative not in this document"]
    assert info.severity == Severity.INFO
    money = [sentence(f"支出预算{n}.00万元。", section="三", heading="三、支出预算情况")
             for n in range(3)]
    narrative_only = doc(sentences=[sentence("…", section="十", heading="“三公”经费",
                                             scope="sangong"), *money])
    found = run(completeness, narrative_only)
    assert not [f for f in found if "the disclosure has no" in f.message]
    # 绩效目标 may be met by its own tables, which a narrative file alone does not hold
    assert [f.subject for f in found if f.severity == Severity.ERROR] == [
        "机关运行经费", "政府采购", "国有资产占用"]
    # neither half (a notice, a catalogue): nothing to judge
    assert run(completeness, doc()) == []
    notice = [sentence("一、总体要求", section="一", heading="一、总体要求"),
              sentence("各单位要加强消防安全工作。", section="一", heading="一、总体要求")]
    assert run(completeness, doc(sentences=notice)) == []


def test_indentation_that_breaks_every_sum_loses_to_the_flat_reading():
    """深圳 收入总表: a wrapped unit name sits deeper than its sisters; nesting the next unit
    under it breaks the totals, the flat reading (every unit a part of 合计) holds."""
    import dataclasses

    from tasks.checks import parent_sum

    rows = [(None, "合计", {"合计": "600.00"}, None),
            (None, "深圳市甲中心", {"合计": "100.00"}, "深圳市甲中心"),
            (None, "深圳市乙劳动人事争议仲裁院", {"合计": "200.00"}, "深圳市乙劳动人事争议仲裁院"),
            (None, "深圳市丙考试院", {"合计": "300.00"}, "深圳市丙考试院")]
    levels = {1: 1, 2: 2, 3: 1}  # the wrapped name's first glyph sits deeper
    items = [dataclasses.replace(i, level=levels.get(i.row_no))
             for i in table("income", rows, no=2)]
    assert run(parent_sum, doc(line_items=items)) == []
    # where the indentation is right, it is kept: 甲 200 over 乙 200, 合计 = 甲 + 丙
    amounts = {0: "500.00", 1: "200.00", 2: "200.00", 3: "300.00"}
    right = [dataclasses.replace(i, amount=Decimal(amounts[i.row_no])) for i in items]
    assert run(parent_sum, doc(line_items=right)) == []
    flat = [dataclasses.replace(i, level=None) for i in right]
    (f,) = run(parent_sum, doc(line_items=flat))
    assert (f.subject, f.stated, f.expected) == ("合计", "500.00", "700.00")


def test_a_total_over_subtotals_may_drift_half_a_unit_per_leaf_beneath_them():
    """无锡: 支出总计 152,585.76 over 本年支出合计 152,585.74, itself the sum of six 类 rows:
    a total printed from the leaves and one printed from a subtotal drift by up to six half
    units, rounding (info), not an error; beyond that it is an error."""
    from tasks.checks import parent_sum

    def summary(total: str):
        classes = [(None, f"{n}、类{n}", {"支出/预算数": "25,430.96"}) for n in
                   ("一", "二", "三", "四", "五")] + [(None, "六、类六", {"支出/预算数": "25,430.94"})]
        return table("appropriation-summary", [
            *classes, (None, "本年支出合计", {"支出/预算数": "152,585.74"}),
            (None, "支出总计", {"支出/预算数": total})], no=4)

    (f,) = run(parent_sum, doc(line_items=summary("152,585.76")))
    assert (f.subject, f.severity) == ("支出总计", Severity.INFO)
    (e,) = run(parent_sum, doc(line_items=summary("152,585.84")))
    assert (e.subject, e.severity) == ("支出总计", Severity.ERROR)


def test_a_unit_count_one_short_of_a_list_without_a_benji_mark_is_a_warning():
    """福州: `0个下属单位`, the list names only 福州市公安局文职人员管理中心 — the unit itself."""
    from rule_data import fact

    from tasks.checks import count_words

    listed = [fact("unit", "福州市公安局文职人员管理中心")]
    (w,) = run(count_words, doc(facts=[fact("unit_count", "下属预算单位", "0"), *listed]))
    assert (w.severity, w.stated, w.expected) == (Severity.WARNING, "0", "1")
    two = listed + [fact("unit", "福州市某某支队")]
    (e,) = run(count_words, doc(facts=[fact("unit_count", "下属预算单位", "4"), *two]))
    assert e.severity == Severity.ERROR


def test_the_appropriation_carry_over_may_be_smaller_than_the_summarys():
    """深圳: 收支总表 上年结余、结转 2,616.24 holds 财政拨款 2,347.87 and 单位资金 268.37."""
    from tasks.checks import cross_table

    def approp(carry):
        return table("appropriation-summary", [
            (None, "一般公共预算拨款", {"收入/预算数": "100.00"}),
            (None, "上年结余、结转", {"收入/预算数": carry}),
            (None, "收入总计", {"收入/预算数": "2,447.87"}),
            ("201", "一般公共服务支出", {"支出/预算数": "2,447.87"}),
            (None, "支出总计", {"支出/预算数": "2,447.87"})], no=4)
    summary = table("summary", [(None, "一般公共预算拨款", {"收入/预算数": "100.00"}),
                                (None, "上年结余、结转", {"收入/预算数": "2,616.24"}),
                                (None, "收入总计", {"收入/预算数": "2,716.24"}),
                                ("201", "一般公共服务支出", {"支出/预算数": "2,716.24"}),
                                (None, "支出总计", {"支出/预算数": "2,716.24"})], no=1)
    found = [f for f in run(cross_table, doc(line_items=summary + approp("2,347.87")))
             if "上年结余" in f.subject]
    assert found == []
    (f,) = [f for f in run(cross_table, doc(line_items=summary + approp("2,700.00")))
            if "上年结余" in f.subject]
    assert (f.stated, f.expected) == ("2,700.00", "2,616.24")


def test_a_run_in_label_is_its_section_and_a_tables_file_needs_no_explanation_of_empty_ones():
    """长沙 `（一）机关运行经费：2026年…122.98万元`; 北京 附件2 报表: an empty 预算07表 is explained
    in 附件1, the narrative file."""
    from tasks.checks.completeness import present

    inline = sentence("(一)机关运行经费:2026年长沙市信访局机关运行经费122.98万元。", section="六")
    assert present(doc(sentences=[inline]), ("running-cost",), "运行经费")
    empty = TableInfo(2, "gov-fund-expense", "政府性基金预算支出表", "万元", 8, 8, 0, True)
    tables_only = doc(line_items=table("summary", [(None, "合计", {"合计": "1.00"})]),
                      tables=[_info(1, "summary"), empty])
    assert not [f for f in run(completeness, tables_only) if "is empty" in f.message]


def test_a_row_repeating_its_code_name_and_amounts_is_a_restatement():
    """无锡: `219 援助其他地区支出 502.00`, `21999 其他支出 502.00` twice (the 项 printed with
    its 款's code)."""
    from tasks.checks import parent_sum

    items = table("gpb-expense", [("219", "援助其他地区支出", {"合计": "502.00"}),
                                  ("21999", "其他支出", {"合计": "502.00"}),
                                  ("21999", "其他支出", {"合计": "502.00"})], no=5)
    assert run(parent_sum, doc(line_items=items)) == []


def test_a_narrative_that_lost_its_figures_raises_no_error():
    """长沙 2026: `“三公”经费预算数为 万元` — the text layer dropped the digits; a section that
    seems missing or a claim read from such sentences is not the document's error."""
    from tasks.checks import narrative_unreadable

    lost = [sentence(t, section="三", page=5) for t in (
        "2026年本单位收入预算共预算拨款事业单位经营服务收入 万元。", "经费预算数为 万元，公务",
        "2025年 万元，主要", "单位：万元")]
    current = doc(sentences=lost, line_items=table("summary", [(None, "合计", {"合计": "1.00"})]),
                  tables=[_info(1, "summary")])
    findings = run_rules(Context(current, None, checks_config()))
    (w,) = [f for f in findings if f.rule == narrative_unreadable.SLUG]
    assert (w.severity, w.page) == (Severity.WARNING, 5)
    assert "3 of its sentences lost their figures" in w.message
    sections = [f for f in findings if f.rule == "completeness" and not f.table_kind
                and "narrative has no section" in f.message]
    assert sections and all(f.severity == Severity.WARNING for f in sections)
    # two such sentences are not enough
    assert not [f for f in run_rules(Context(doc(sentences=lost[1:]), None, checks_config()))
                if f.rule == narrative_unreadable.SLUG]


def test_an_empty_basic_table_is_explained_by_blank_basic_columns_elsewhere():
    """上海 域外农场: 基本支出表 printed empty, the 收支总表's 基本支出 column blank: everything
    is 项目支出."""
    from tasks.contracts import TableColumn

    summary = table("expense", [(None, "合计", {"合计": "11,885.40", "项目支出": "11,885.40"})])
    basic_col = TableColumn(1, 1, "基本支出", "amount", "basic", True, 0.7, "no cell filled", 0)
    empty = TableInfo(2, "gpb-basic", "一般公共预算基本支出表", "万元", 14, 14, 0, True)
    says = [sentence("支出预算11,885.40万元。", section="三", heading="三、支出预算")]
    found = run(completeness, doc(line_items=summary, tables=[_info(1, "expense"), empty],
                                  columns=[basic_col], sentences=says))
    assert not [f for f in found if "一般公共预算基本支出表 is empty" in f.message]
    found = run(completeness, doc(line_items=summary, tables=[_info(1, "expense"), empty],
                                  sentences=says))
    assert [f for f in found if "is empty and nothing says why" in f.message]


def test_a_change_and_percentage_agreeing_on_another_amount_of_the_sentence_is_a_warning():
    """西安: `财政拨款收入337,741.21万元，其中一般公共预算拨款收入324,638.50万元，比上年减少
    130,014.30万元，下降27.80%` — right for 337,741.21, read under 324,638.50."""
    from rule_data import claim

    from tasks.checks import pct_recompute

    text = ("财政拨款收入337,741.21万元,其中一般公共预算拨款收入324,638.50万元,比上年减少"
            "130,014.30万元,下降27.80%。")
    misread = claim("一般公共预算拨款收入", "324,638.50", "-130,014.30", "-27.80", text=text)
    (w,) = run(pct_recompute, doc(claims=[misread]))
    assert w.severity == Severity.WARNING
    alone = claim("一般公共预算拨款收入", "324,638.50", "-130,014.30", "-27.80",
                  text="一般公共预算拨款收入324,638.50万元,比上年减少130,014.30万元,下降27.80%。")
    (e,) = run(pct_recompute, doc(claims=[alone]))
    assert e.severity == Severity.ERROR


def test_parts_adding_up_to_another_stated_amount_or_all_nought_are_unsure():
    """福州: `收入预算为61764.88万元…上年结转结余8000.00万元。其中：48764.88、5000.00、8000.00`."""
    from rule_data import claim, numbered, parts

    from tasks.checks import allocation_sum

    total = claim("收入预算", "61,764.88", kind="total", section="一")
    carry = claim("上年结转结余", "8,000.00", kind="allocation", section="一")
    claims = numbered(total, carry)
    listed = parts(claims[1].claim_id, ("一般公共预算", "48,764.88"), ("政府性基金", "5,000.00"),
                   ("上年结转结余", "8,000.00"))
    (w,) = run(allocation_sum, doc(claims=claims, claim_parts=listed))
    assert w.severity == Severity.WARNING
    nought = parts(claims[1].claim_id, ("政府性基金", "0"), ("国有资本经营", "0"))
    (z,) = run(allocation_sum, doc(claims=claims, claim_parts=nought))
    assert z.severity == Severity.WARNING


def test_a_total_row_may_drift_half_a_unit_per_row_and_nought_parts_are_unsure():
    """西安 表13: 合计 346.73 over twelve unit rows, each already 0.01 off; 政府性基金收支表: a
    parent over 18 filler rows printed 0.00."""
    from tasks.checks import parent_sum, row_sum

    units = [(None, f"单位{n}", {"合计": "28.89", "因公出国": "10.00", "公务接待费": "18.89"})
             for n in range(12)]
    rows = [*units, (None, "合计", {"合计": "346.73", "因公出国": "120.00", "公务接待费": "226.71"})]
    found = run(row_sum, doc(line_items=table("sangong", rows, no=13)))
    assert [f.severity for f in found if f.subject == "合计"] == [Severity.INFO]
    filler = table("gov-fund-expense", [(None, "一、政府性基金拨款", {"收入/预算数": "303,177.96"}),
                                        *[(None, f"{n}.", {"收入/预算数": "0.00"})
                                          for n in range(1, 4)]], no=9)
    assert all(f.severity != Severity.ERROR for f in run(parent_sum, doc(line_items=filler)))
