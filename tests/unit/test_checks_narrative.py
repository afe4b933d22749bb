"""The arithmetic of the narrative, rule by rule, on constructed documents: percentages
(also against a stated base), shares, direction words, allocation lists, counts, years and
template leftovers."""

from __future__ import annotations

from rule_data import claim, doc, fact, numbered, parts, run, sentence, table

from tasks.checks import (
    allocation_sum,
    count_words,
    direction_words,
    pct_recompute,
    pct_zero_base,
    share_recompute,
    template_leftover,
    wrong_year,
)
from tasks.contracts import Base, Severity

# ---- pct-recompute / pct-zero-base with a stated base (Shanghai) ----------------------------

def shanghai(amount, pct, base):
    return claim("专项普查活动(项)", amount, pct=pct, base=Base.PRIOR_EXECUTION, base_year=2023,
                 base_amount=base, pct_word="减少" if pct.startswith("-") else "增加")


def test_percentage_against_a_stated_execution_base_is_accepted():
    # 2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%
    assert run(pct_recompute, doc(claims=[shanghai("25.77", "-57.14", "60.13")])) == []


def test_wrong_percentage_against_a_stated_base_is_an_error():
    # 万里街道 2023: 11.67 -> 45.41 printed 增加314.82%; it is 289.12%
    (f,) = run(pct_recompute, doc(claims=[shanghai("45.41", "314.82", "11.67")]))
    assert (f.severity, f.stated, f.expected) == (Severity.ERROR, "314.82%", "289.12%")


def test_percentage_on_a_stated_zero_base_is_undefined():
    # 2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%
    zero = shanghai("25.00", "100.00", "0.00")
    assert run(pct_recompute, doc(claims=[zero])) == []
    (f,) = run(pct_zero_base, doc(claims=[zero]))
    assert (f.severity, f.expected) == (Severity.WARNING, "undefined")


# ---- share-recompute -------------------------------------------------------------------------

def test_wrong_share_of_the_section_total_is_an_error():
    claims = numbered(claim("部门收入预算", "58,654.04", section="二", scope="income", kind="total"),
                      claim("一般公共预算", "50,565.05", "2,345.00", "4.64", "88.21", section="二",
                            scope="income"))
    (f,) = run(share_recompute, doc(claims=claims))
    assert (f.rule, f.severity, f.stated, f.expected) == (
        "share-recompute", Severity.ERROR, "88.21%", "86.21%")


def test_shares_of_a_subsection_are_of_the_parent_sections_total():
    # 五(二)'s 类 shares are of 五(一)'s 一般公共预算拨款合计
    claims = numbered(
        claim("一般公共预算拨款合计", "42,404.21", section="五(一)", kind="total"),
        claim("教育支出(类)", "970.57", share="2.29", section="五(二)", code="205", kind="share"),
        claim("转移性支出(类)", "15,389.59", share="36.29", section="五(二)", code="230",
              kind="share"))
    assert run(share_recompute, doc(claims=claims)) == []


def test_section_opening_on_shares_has_no_total_to_recompute_against():
    # 江苏: `三公经费预算支出中，因公出国（境）费支出106万元，占15.70%` names no total figure
    claims = numbered(claim("因公出国(境)费支出", "106", share="15.70", section="九",
                            scope="sangong", kind="share"),
                      claim("公务接待费支出", "412.50", share="61.10", section="九",
                            scope="sangong", kind="share"))
    assert run(share_recompute, doc(claims=claims)) == []


# ---- direction-words -------------------------------------------------------------------------

def test_decrease_with_growth_is_an_error():
    bad = claim("公务接待费", "2.80", "-0.20", "6.67", section="十", scope="sangong",
                pct_word="增长")
    (f,) = run(direction_words, doc(claims=[bad]))
    assert (f.severity, f.stated, f.expected) == (Severity.ERROR, "减少…增长", "减少…下降")
    assert run(direction_words, doc(claims=[claim("x", "2.80", "-0.20", "-6.67")])) == []


# ---- allocation-sum --------------------------------------------------------------------------

def _allocation(total, *named, text=None):
    c = claim("政府采购预算", total, section="十二(二)", scope="procurement", kind="allocation",
              text=text)
    return doc(claims=[c], claim_parts=parts(c.claim_id, *named))


def test_allocation_drift_within_rounding_is_info():
    (f,) = run(allocation_sum, _allocation("9,699.80", ("货物", "250.32"), ("工程", "10.10"),
                                           ("服务", "9,439.39")))
    assert (f.severity, f.stated, f.expected) == (Severity.INFO, "9,699.80", "9,699.81")


def test_allocation_beyond_rounding_is_an_error():
    (f,) = run(allocation_sum, _allocation("10,250.00", ("货物", "300.00"), ("工程", "50.00"),
                                           ("服务", "9,800.00")))
    assert (f.severity, f.expected) == (Severity.ERROR, "10,150.00")
    assert run(allocation_sum, _allocation("530.00", ("货物", "180.00"), ("工程", "200.00"),
                                           ("服务", "150.00"))) == []


def test_a_list_of_the_main_parts_may_fall_short_of_its_total_never_exceed_it():
    """深圳 `公安执法办案 8,560.83 万元，主要包括…` names three items of 3,740.93."""
    text = "公安执法办案8,560.83万元,主要包括:执法装备1,200.00万元、办案经费2,000.00万元、技术服务540.93万元。"
    short = _allocation("8,560.83", ("执法装备", "1,200.00"), ("办案经费", "2,000.00"),
                        ("技术服务", "540.93"), text=text)
    assert run(allocation_sum, short) == []
    over = _allocation("3,000.00", ("执法装备", "1,200.00"), ("办案经费", "2,000.00"),
                       ("技术服务", "540.93"), text=text.replace("8,560.83", "3,000.00"))
    (f,) = run(allocation_sum, over)
    assert (f.severity, f.expected) == (Severity.ERROR, "3,740.93")


# ---- count-words -----------------------------------------------------------------------------

UNITS = ["江州市文化广电旅游局本级", "江州市文化馆", "江州市图书馆", "江州市博物馆"]


def test_count_of_units_that_misses_the_list_is_an_error():
    facts = [fact("unit_count", "下属预算单位", "4")] + [fact("unit", u) for u in UNITS]
    (f,) = run(count_words, doc(facts=facts))
    assert (f.subject, f.stated, f.expected) == ("下属预算单位", "4", "3")


def test_count_of_administrative_and_institutional_units_counts_the_whole_list():
    facts = [fact("unit_count", "下属预算单位", "3"), fact("admin_units", "行政单位", "1"),
             fact("inst_units", "事业单位", "3")] + [fact("unit", u) for u in UNITS]
    assert run(count_words, doc(facts=facts)) == []


def test_xj_office_count_is_checked_against_the_offices_listed():
    """xj-hrss 2025: `本级下设 31 个处室，分别是：办公室、…`: one `office` fact per listed office."""
    offices = [f"第{i}处" for i in range(1, 31)]
    facts = [fact("office_count", "处室", "31")] + [fact("office", o) for o in offices]
    (f,) = run(count_words, doc(facts=facts))
    assert (f.subject, f.stated, f.expected) == ("处室", "31", "30")
    facts.append(fact("office", "第31处"))
    assert run(count_words, doc(facts=facts)) == []


def test_xj_project_count_is_checked_against_the_distinct_projects_of_the_project_table():
    """xj-hrss 2025 十二(四) `当年预算安排项目共 20 个`: the distinct projects of 表7 (a project
    run by two units is one project)."""
    rows = [(None, "甲单位", {"合计": "30.00"}, "甲单位"),
            (None, "项目A", {"合计": "10.00"}, "甲单位", "项目A"),
            (None, "项目B", {"合计": "20.00"}, "甲单位", "项目B"),
            (None, "乙单位", {"合计": "5.00"}, "乙单位"),
            (None, "项目A", {"合计": "5.00"}, "乙单位", "项目A")]
    items = table("gpb-project", rows)
    assert run(count_words, doc(facts=[fact("project_count", "项目", "2")], line_items=items)) == []
    (f,) = run(count_words, doc(facts=[fact("project_count", "项目", "3")], line_items=items))
    assert (f.subject, f.stated, f.expected) == ("项目", "3", "2")


# ---- wrong-year ------------------------------------------------------------------------------

def test_change_against_the_documents_own_year_is_a_wrong_year():
    bad = claim("行政单位医疗(项)", "101.59", "2.96", "3.0", code="2101101", base_year=2025)
    (f,) = run(wrong_year, doc(claims=[bad]))
    assert (f.code, f.stated, f.expected) == ("2101101", "比2025年", "比2024年")
    assert run(wrong_year, doc(claims=[claim("x", "1.00", "0.10", "11.1", base_year=2024)])) == []


# ---- template-leftover -----------------------------------------------------------------------

def test_placeholder_words_are_reported_once_per_sentence():
    text = "政府性基金预算支出增加（减少）0万元，增长（减少）0%。"
    (f,) = run(template_leftover, doc(sentences=[sentence(text, page=4)]))
    assert (f.severity, f.page) == (Severity.ERROR, 4) and "增加(减少)" in f.subject


def test_zero_amount_that_increased_is_a_template_leftover():
    # 万里街道 2023: `政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元`
    bad = claim("政府性基金拨款支出预算", "0", "1,421.25", section="", scope="summary",
                base_year=2022)
    (f,) = run(template_leftover, doc(year=2023, claims=[bad]))
    assert f.stated == "0 增加 1,421.25"
    assert run(template_leftover, doc(claims=[claim("中等职业教育(项)", "0.00", "-253.28",
                                                    "-100.00")])) == []


def test_fuzhou_self_named_in_brackets_is_not_a_subordinate_unit():
    """福州: `3 个下属单位`, the table lists 福州市医疗保障局(本级) and three centres."""
    units = ["福州市医疗保障局(本级)", "福州市医疗保障基金中心", "福州市医疗保障服务行为监测中心",
             "福州市医疗保障数据技术中心"]
    facts = [fact("unit_count", "下属预算单位", "3")] + [fact("unit", u) for u in units]
    assert run(count_words, doc(facts=facts)) == []


def test_chongqing_plain_count_of_budget_units_counts_the_whole_list():
    """重庆: `下设二级预算单位4个，分别是：重庆市人民政府办公厅（本级）、…中心、…中心、…中心`."""
    units = ["重庆市人民政府办公厅(本级)", "重庆市人民政府电子政务中心", "重庆市人民政府办公厅文印中心",
             "重庆市政府机关服务中心"]
    facts = [fact("unit_count", "预算单位", "4")] + [fact("unit", u) for u in units]
    assert run(count_words, doc(facts=facts)) == []
    facts[0] = fact("unit_count", "预算单位", "5")
    (f,) = run(count_words, doc(facts=facts))
    assert (f.stated, f.expected) == ("5", "4")


def test_a_share_of_the_total_its_list_is_headed_by_is_no_finding():
    """无锡 p.34: the section opens on another figure; `支出预算合计 984,760.87万元，其中：基本
    支出3,305.86万元，占0.34%；项目支出981,455.01万元，占99.66%` are shares of that total."""
    head = claim("全年完成综合交通基础设施建设投资", "1,690,000", kind="total", section="二")
    total = claim("支出预算合计", "984,760.87", kind="total", section="二")
    basic = claim("基本支出", "3,305.86", share="0.34", kind="share", section="二")
    project = claim("项目支出", "981,455.01", share="99.66", kind="share", section="二")
    assert run(share_recompute, doc(claims=numbered(head, total, basic, project))) == []
    wrong = claim("项目支出", "981,455.01", share="89.66", kind="share", section="二")
    (f,) = run(share_recompute, doc(claims=numbered(head, total, basic, wrong)))
    assert f.severity == Severity.ERROR and f.stated == "89.66%"
