"""Year over year against the previous year's disclosure, and the reasons given for changes,
rule by rule on constructed documents."""

from __future__ import annotations

import dataclasses

from rule_data import claim, doc, fact, numbered, run, sentence, table

from tasks.checks import (
    reason_boilerplate,
    reason_opposite,
    reason_transfer,
    reason_units_moved,
    reason_vague,
    yoy_implied_prior,
    yoy_staff_units,
    yoy_unexplained_change,
)
from tasks.checks.base import Context
from tasks.compare import checks_config, run_rules
from tasks.contracts import Base, Severity
from tasks.extract.claims import NameIndex, parse_sections
from tasks.extract.narrative import Section, Sentence

GPB = "一般公共预算支出/合计"


def gpb(year, *rows):
    return doc(year=year, line_items=table("gpb-expense", [(None, "总计", {GPB: rows[0][2]})] + [
        (c, n, {GPB: v}) for c, n, v in rows[1:]], no=5))


# ---- yoy-implied-prior -----------------------------------------------------------------------

def test_implied_prior_against_last_years_table():
    # 事业单位医疗 136.08 减少 45.12 implies 181.20; the 2024 表5 prints 191.20 (Y1)
    prior = gpb(2024, (None, "总计", "610.87"), ("2101102", "事业单位医疗", "191.20"),
                ("2101103", "公务员医疗补助", "418.67"))
    now = gpb(2025, (None, "总计", "527.03"), ("2101102", "事业单位医疗", "136.08"),
              ("2101103", "公务员医疗补助", "390.95"))
    now.claims = numbered(claim("事业单位医疗(项)", "136.08", "-45.12", "-24.90", code="2101102"),
                          claim("公务员医疗补助(项)", "390.95", "-27.72", "-6.62",
                                code="2101103"))
    (f,) = run(yoy_implied_prior, now, prior)
    assert (f.code, f.stated, f.expected, f.prior) == ("2101102", "181.20", "191.20", True)


def test_jiangsu_sangong_lines_meet_last_years_one_row_sangong_table_by_name():
    """江苏 2018 九 `会议费 884.16 万元，比上年预算减少 210.46 万元` implies 1,094.62: the 2017
    三公 table (one row, a column per line) prints 会议费 1,094.62; 因公出国(境)费 106 增加 30
    implies 76, as printed. A wrong implied prior is reported."""
    cols = {"“三公”经费合计": "676.10", "因公出国(境)费": "76", "公务接待费": "443.50",
            "会议费": "1,094.62", "培训费": "81.60"}
    prior = doc(year=2017, line_items=table("sangong", [(None, "", cols)], no=11))
    now = doc(year=2018, claims=numbered(
        claim("会议费", "884.16", "-210.46", section="九", scope="sangong"),
        claim("因公出国(境)费", "106", "30", section="九", scope="sangong"),
        claim("培训费", "97.60", "26", section="九", scope="sangong")))
    (f,) = run(yoy_implied_prior, now, prior)
    assert (f.subject, f.stated, f.expected) == ("培训费", "71.60", "81.60")


def test_new_item_implies_a_zero_prior_and_absent_last_year_is_zero():
    prior = gpb(2024, (None, "总计", "100.00"), ("2070101", "行政运行", "100.00"))
    now = gpb(2025, (None, "总计", "130.00"), ("2070111", "文化创作与保护", "30.00"))
    now.claims = [claim("文化创作与保护(项)", "30.00", "30.00", "100.0", code="2070111")]
    assert run(yoy_implied_prior, now, prior) == []
    now.claims = [claim("文化创作与保护(项)", "30.00", "20.00", "200.0", code="2070111")]
    (f,) = run(yoy_implied_prior, now, prior)
    assert (f.stated, f.expected) == ("10.00", "0.00")


def test_equal_to_last_years_budget_is_checked_against_last_years_table():
    """Issue 11: `与上年预算数相等` is a change of 0, so a prior table printing another figure
    is a yoy-implied-prior finding (it was read as an amount alone, and missed)."""
    index = NameIndex(gpb(2026, (None, "总计", "4,432.78"),
                          ("2010201", "行政运行", "4,432.78")).line_items)
    section = Section("三", "五(一)", "(一)一般公共服务支出(类)", "gpb",
                      [Sentence("1.政协事务（款）行政运行（项）4,432.78 万元，与上年预算数相等。", 9)])
    now = gpb(2026, (None, "总计", "4,432.78"), ("2010201", "行政运行", "4,432.78"))
    now.claims, _ = parse_sections([section], index, 2026, "budget")
    same = gpb(2025, (None, "总计", "4,432.78"), ("2010201", "行政运行", "4,432.78"))
    assert run(yoy_implied_prior, now, same) == []
    other = gpb(2025, (None, "总计", "4,332.78"), ("2010201", "行政运行", "4,332.78"))
    (f,) = run(yoy_implied_prior, now, other)
    assert (f.code, f.stated, f.expected, f.page) == ("2010201", "4,432.78", "4,332.78", 9)


def _all_rules(now, prior):
    """Every rule's errors on the narrative (a bare test document lacks its tables)."""
    return [f for f in run_rules(Context(now, prior, checks_config()))
            if f.severity == Severity.ERROR and f.rule != "completeness"]


def test_change_contradicting_its_percentage_names_the_change_as_the_wrong_figure_once():
    """Issue 11: `6,818.55 万元，比上年预算增加 392.92 万元，增长 5.95%`, last year 6,435.63.
    6,818.55 − 6,435.63 = 382.92, and 382.92 / 6,435.63 = 5.95%: the percentage agrees with
    both documents, the change does not. One error, naming the change (382.92), not a
    pct-recompute error beside a yoy-implied-prior one. A fall the same way."""
    prior = gpb(2025, (None, "总计", "6,435.63"), ("2080505", "机关事业单位基本养老保险缴费支出",
                                                  "6,435.63"))
    for amount, change, pct in (("6,818.55", "392.92", "5.95"),
                                ("6,052.71", "-392.92", "-5.95")):
        now = gpb(2026, (None, "总计", amount), ("2080505", "机关事业单位基本养老保险缴费支出",
                                                amount))
        now.claims = [claim("机关事业单位基本养老保险缴费支出(项)", amount, change, pct,
                            code="2080505")]
        assert [f.rule for f in _all_rules(now, None)] == ["pct-recompute"]  # alone: as before
        (f,) = _all_rules(now, prior)
        assert (f.rule, f.code, f.stated, f.expected, f.prior, f.claim_id) == (
            "yoy-implied-prior", "2080505", "392.92", "382.92", True, "p1-1")
        assert "the change is the wrong figure" in f.message
        assert "5.95%" in f.message and "6,435.63" in f.message and "2025" in f.message
    # with yoy-implied-prior switched off, pct-recompute still reports the claim
    config = checks_config()
    off = dataclasses.replace(config, rules={
        **config.rules, "yoy-implied-prior": dataclasses.replace(
            config.rules["yoy-implied-prior"], enabled=False)})
    (f,) = [f for f in run_rules(Context(now, prior, off)) if f.rule != "completeness"]
    assert f.rule == "pct-recompute"


def test_percentage_contradicting_a_change_both_documents_confirm_is_the_wrong_figure():
    """Issue 11, the converse: `增加 382.92 万元，增长 6.95%`; 6,818.55 − 382.92 = 6,435.63 is
    what 2025 printed, so the percentage is the wrong figure: pct-recompute says so, alone."""
    prior = gpb(2025, (None, "总计", "6,435.63"), ("2080505", "养老", "6,435.63"))
    now = gpb(2026, (None, "总计", "6,818.55"), ("2080505", "养老", "6,818.55"))
    now.claims = [claim("养老(项)", "6,818.55", "382.92", "6.95", code="2080505")]
    (f,) = _all_rules(now, prior)
    assert (f.rule, f.stated, f.expected, f.prior) == ("pct-recompute", "6.95%", "5.95%", True)
    assert f.message.endswith("the percentage is the wrong figure")
    (f,) = _all_rules(now, None)
    assert (f.rule, f.prior) == ("pct-recompute", False)
    assert "wrong figure" not in f.message


def test_change_and_percentage_agreeing_with_each_other_against_last_year_stay_as_they_were():
    """Both stated figures imply 310.00 (55.00 / 310.00 = 17.7%), last year printed 320.00:
    nothing says which figure is wrong, so the implied prior is reported as before (J2)."""
    prior = gpb(2024, (None, "总计", "320.00"), ("2070113", "旅游宣传", "320.00"))
    now = gpb(2025, (None, "总计", "365.00"), ("2070113", "旅游宣传", "365.00"))
    now.claims = [claim("旅游宣传(项)", "365.00", "55.00", "17.7", code="2070113")]
    (f,) = _all_rules(now, prior)
    assert (f.rule, f.stated, f.expected) == ("yoy-implied-prior", "310.00", "320.00")
    assert "wrong figure" not in f.message


def test_execution_base_and_wrong_year_are_not_compared_with_the_prior_budget():
    prior = doc(year=2024, claims=[claim("机关运行经费", "164.25", section="十一(一)",
                                         scope="running-cost", kind="total")])
    execution = claim("机关运行经费", "169.83", "-5.37", "-3.1", section="十一(一)",
                      scope="running-cost", base=Base.PRIOR_EXECUTION, base_year=2024)
    assert run(yoy_implied_prior, doc(claims=[execution]), prior) == []
    budget = claim("机关运行经费", "169.83", "-5.37", "-3.1", section="十一(一)",
                   scope="running-cost", base_year=2024)
    (f,) = run(yoy_implied_prior, doc(claims=[budget]), prior)
    assert (f.stated, f.expected) == ("175.20", "164.25")
    wrong_year = claim("机关运行经费", "169.83", "-5.37", "-3.1", section="十一(一)",
                       scope="running-cost", base_year=2025)
    assert run(yoy_implied_prior, doc(claims=[wrong_year]), prior) == []


# ---- yoy-staff-units / yoy-unexplained-change ------------------------------------------------

def test_staff_change_against_last_years_count():
    now = doc(facts=[fact("staff", "在职", "437", "-403"), fact("staff", "退休", "617", "-342")])
    prior = doc(year=2024, facts=[fact("staff", "在职人员", "850"), fact("staff", "退休", "959")])
    (f,) = run(yoy_staff_units, now, prior)
    assert (f.subject, f.stated, f.expected) == ("在职", "840", "850")


def test_material_change_explained_nowhere_is_info_and_a_named_one_is_not():
    prior = gpb(2024, (None, "总计", "3,000.00"), ("2080150", "事业运行", "2,862.54"),
                ("2080101", "行政运行", "137.46"))
    now = gpb(2025, (None, "总计", "2,300.00"), ("2080150", "事业运行", "2,142.70"),
              ("2080101", "行政运行", "157.30"))
    now.claims = [claim("…行政运行(项)", "157.30", "19.84", "14.43", code="2080101")]
    (f,) = run(yoy_unexplained_change, now, prior)
    assert (f.severity, f.code, f.stated, f.expected) == (Severity.INFO, "2080150", "2,142.70",
                                                         "2,862.54")
    now.claims.append(claim("…事业运行(项)", "2,142.70", "-719.84", "-25.15", n=2))
    assert run(yoy_unexplained_change, now, prior) == []


# ---- reasons ---------------------------------------------------------------------------------

def test_reason_arguing_the_opposite_direction():
    bad = claim("文化活动(项)", "740.00", "-65.00", "-8.1", code="2070108",
                reason="新增文化惠民演出场次，业务量增加")
    (f,) = run(reason_opposite, doc(claims=[bad]))
    assert (f.severity, f.expected) == (Severity.ERROR, "增加")
    zero = claim("因公出国(境)费", "0.00", "0.00", "0.00", change_word="增加", pct_word="增长",
                 reason="…转隶至教育厅部门预算管理，本部门因公出国（境）费预算减少")
    (w,) = run(reason_opposite, doc(claims=[zero]))
    assert w.severity == Severity.WARNING


def test_reason_of_a_percentage_only_change_is_checked_too():
    # 万里街道: `比2023年预算执行数减少2.98%。主要原因是：宣传事务一般行政管理事务经费增加`
    bad = claim("宣传事务(款)一般行政管理事务(项)", "110.60", pct="-2.98",
                base=Base.PRIOR_EXECUTION, pct_word="减少", base_amount="114.00",
                reason="宣传事务一般行政管理事务经费增加")
    (f,) = run(reason_opposite, doc(claims=[bad]))
    assert (f.severity, f.stated) == (Severity.ERROR, "减少 2.98%")


def test_money_moved_away_must_arrive():
    moved = claim("…社会保险经办机构(项)", "484.00", "-1,199.00", "-71.24", code="2080109",
                  reason="本年度社会保险中心根据工作业务情况调整本功能分类科目至信息化管理")
    fell = claim("…人力资源和社会保障管理事务(款)信息化建设(项)", "1,079.00", "-21.00", "-1.91",
                 code="2080108")
    (f,) = run(reason_transfer, doc(claims=numbered(moved, fell)))
    assert (f.severity, f.code, f.expected) == (Severity.WARNING, "2080109", "2080108 减少 21.00")
    rose = claim("…博士后日常经费(项)", "300.00", "295.50", "6566.67", code="2080115")
    back = claim("…引进人才费用(项)", "103.00", "-146.50", "-58.72", code="2080116",
                 reason="本年度予以更正调整至社会保障和就业支出(类)人力资源和社会保障管理事务(款)"
                        "博士后日常经费(项)")
    assert run(reason_transfer, doc(claims=numbered(rose, back))) == []


def test_units_said_to_move_out_must_leave_the_list():
    units = ["江州市文化广电旅游局本级", "江州市文化馆", "江州市文物保护中心"]
    prior = doc(year=2024, facts=[fact("unit", u) for u in units])
    said = sentence("原江州市文物保护中心已于2024年12月划转至江州市文物局。", scope="overview")
    gone = doc(facts=[fact("unit", u) for u in units[:2]], sentences=[said])
    assert run(reason_units_moved, gone, prior) == []
    stayed = doc(facts=[fact("unit", u) for u in units], sentences=[said])
    (f,) = run(reason_units_moved, stayed, prior)
    assert (f.subject, f.severity) == ("江州市文物保护中心", Severity.ERROR)


def test_stated_number_of_units_moved_out_must_be_the_number_that_left():
    prior = doc(year=2024, facts=[fact("unit", u) for u in "ABCDE"])
    now = doc(facts=[fact("unit", u) for u in "AB"], claims=[
        claim("基本支出", "1.00", "-1.00", "-50.00", reason="根据机构改革，减少两个预算单位")])
    (f,) = run(reason_units_moved, now, prior)
    assert (f.stated, f.expected) == ("2", "3")


def test_one_reason_for_opposite_changes_is_boilerplate_and_vague():
    up = claim("一般行政管理事务(项)", "70.00", "5.00", "7.7", code="2070102",
               reason="根据工作实际调整")
    down = claim("事业单位离退休(项)", "184.23", "-29.23", "-13.7", code="2080502",
                 reason="根据工作实际调整。")
    (b,) = run(reason_boilerplate, doc(claims=numbered(up, down)))
    assert (b.severity, b.subject) == (Severity.WARNING, "根据工作实际调整")
    vague = run(reason_vague, doc(claims=numbered(up, down)))
    assert [(f.severity, f.code) for f in vague] == [(Severity.INFO, "2070102"),
                                                     (Severity.INFO, "2080502")]
    same_way = claim("行政运行(项)", "1.00", "0.50", "100.00", reason="根据工作实际调整")
    assert run(reason_boilerplate, doc(claims=numbered(up, same_way))) == []


def test_a_reason_listing_several_items_is_not_read_as_one_direction():
    # 广州: `…金额变动较大的项目有：一是…减少…；二是…增加…` for a total that fell
    listed = claim("支出预算", "155,103.80", "-12,619.04", "-7.53", section="三", scope="expense",
                   reason="年度主要工作任务变化，金额变动较大的项目有：一是环卫作业经费减少；"
                          "二是信息化项目资金增加")
    assert run(reason_opposite, doc(claims=[listed])) == []


def test_reason_about_another_subjects_money_is_a_warning():
    """烟台: `基本支出 增加 214.64 万元`, reason `科技创新发展专项资金减少` — the total's reason
    read under its part: it speaks of other money, so it cannot show the sentence wrong."""
    other = claim("基本支出", "3,000.00", "214.64", reason="科技创新发展专项资金减少")
    (w,) = run(reason_opposite, doc(claims=[other]))
    assert (w.severity, w.expected) == (Severity.WARNING, "减少")


def test_negated_or_conditional_direction_words_argue_nothing():
    """`本年度全局无新增阶段性项目` under a decrease; `执行中如有新增任务确需增加的…` under a
    decrease: neither argues a rise."""
    negated = claim("项目支出", "500.00", "-80.00", reason="本年度全局无新增阶段性项目")
    conditional = claim("一般公共服务支出", "500.00", "-80.00",
                        reason="压减一般性支出;执行中如有新增任务确需增加的,按程序调整")
    assert run(reason_opposite, doc(claims=numbered(negated, conditional))) == []
    plain = claim("公务用车运行维护费", "20.00", "-21.15", reason="本年度新增车辆")
    (f,) = run(reason_opposite, doc(claims=[plain]))
    assert (f.severity, f.expected) == (Severity.ERROR, "新增")
