"""The claim grammar on sentences as real disclosures print them."""

from __future__ import annotations

from decimal import Decimal

from tasks.contracts import Base, LineItem
from tasks.extract.claims import NameIndex, parse_sections
from tasks.extract.narrative import Section, Sentence


def _item(code: str, name: str) -> LineItem:
    return LineItem("gpb-expense", "一般公共预算支出情况表", "万元", code, name, "合计",
                    Decimal(1), 2, 1, code_system="function")


INDEX = NameIndex([_item("205", "教育支出"), _item("20503", "职业教育"),
                   _item("2050303", "技校教育"), _item("201", "一般公共服务支出"),
                   _item("20129", "群众团体事务"), _item("2012902", "一般行政管理事务"),
                   _item("20102", "政协事务"), _item("2010201", "行政运行")])


def parse(sentences: list[str], scope: str = "gpb", path: str = "五(三)", heading: str = "",
          year: int = 2025, kind: str = "budget", department: str | None = None):
    section = Section("三", path, heading, scope, [Sentence(t, 7) for t in sentences])
    return parse_sections([section], INDEX, year, kind, department=department)


def test_seed_grammar_subject_amount_share_signed_change_percent_reason():
    claims, _ = parse(["一般公共预算 42,040.53 万元，占 93.30%，比上年预算减少 8,524.52 万元，"
                       "下降 16.86%，主要原因是本年度根据事业单位机构改革，减少三个预算单位。"],
                      scope="income", path="二")
    (c,) = claims
    assert (c.subject, c.amount, c.share_pct, c.change_amount, c.change_pct) == (
        "一般公共预算", Decimal("42040.53"), Decimal("93.30"), Decimal("-8524.52"),
        Decimal("-16.86"))
    assert (c.base, c.base_year, c.change_word, c.pct_word, c.kind) == (
        Base.PRIOR_BUDGET, None, "减少", "下降", "change")
    assert c.reason == "本年度根据事业单位机构改革,减少三个预算单位"
    assert (c.amount_decimals, c.change_decimals, c.pct_decimals, c.share_decimals) == (2, 2, 2, 2)


def test_coded_subject_resolves_to_its_xiang_code():
    claims, _ = parse(["2. 教育支出（类）职业教育（款）技校教育（项）：2025 年预算数为 523.17 万元，"
                       "比上年预算增加 209.60 万元，增长 66.84%，主要原因是学生人数增加。"])
    (c,) = claims
    assert (c.subject, c.code, c.amount, c.change_amount) == (
        "教育支出(类)职业教育(款)技校教育(项)", "2050303", Decimal("523.17"), Decimal("209.60"))


def test_shanghai_base_is_the_prior_years_execution_with_its_amount_stated():
    """`比2023年预算执行数减少57.14%` measures against execution, not the prior budget."""
    claims, _ = parse([
        "1. “一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）”25.77万元，主要用于专项普查活动。",
        "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%。",
        "主要原因是：项目调整。"], year=2024, path="部门预算编制说明", scope="summary")
    (c,) = claims
    assert c.subject == "一般公共服务支出(类)群众团体事务(款)一般行政管理事务(项)"
    assert c.code == "2012902"
    assert (c.amount, c.base_amount, c.change_pct, c.change_amount) == (
        Decimal("25.77"), Decimal("60.13"), Decimal("-57.14"), None)
    assert (c.base, c.base_year, c.reason) == (Base.PRIOR_EXECUTION, 2023, "项目调整")


def test_hangzhou_change_sentence_continues_the_amount_sentence_before_it():
    claims, _ = parse([
        "（5）一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）3,307.07万元，主要用于执法办案。",
        "比上年执行数减少3,385.10万元，下降50.6%，主要原因是调整功能科目。"])
    (c,) = claims
    assert (c.amount, c.change_amount, c.change_pct, c.base) == (
        Decimal("3307.07"), Decimal("-3385.10"), Decimal("-50.6"), Base.PRIOR_EXECUTION)
    assert c.reason == "调整功能科目"


def test_change_sentence_after_a_listed_total_takes_the_totals_amount_and_subject():
    """Issue 11: `…支出预算为1,234.56万元，其中：基本支出…。比上年预算增加100.00万元，增长8.81%` lost
    its change: the first sentence is an allocation list, so the second had no claim to
    continue (or, later in a section, continued an unrelated claim before the list)."""
    claims, _ = parse([
        "一般公共服务支出（类）增加5.00万元，增长1.00%。",
        "2026年一般公共预算财政拨款支出预算为1,234.56万元，其中：基本支出1,000.00万元，"
        "项目支出234.56万元。",
        "比上年预算增加100.00万元，增长8.81%，主要原因是人员增加。"], year=2026, path="五")
    assert [(c.subject, c.kind, c.amount, c.change_amount, c.change_pct, c.base, c.reason)
            for c in claims] == [
        ("一般公共服务支出(类)", "change", None, Decimal("5.00"), Decimal("1.00"),
         Base.PRIOR_UNSPECIFIED, None),
        ("一般公共预算财政拨款支出", "allocation", Decimal("1234.56"), None, None, None, None),
        ("一般公共预算财政拨款支出", "change", Decimal("1234.56"), Decimal("100.00"),
         Decimal("8.81"), Base.PRIOR_BUDGET, "人员增加")]
    assert "1,234.56" in claims[2].text and "8.81" in claims[2].text
    # a sentence naming a subject of its own is not the total's: it is that part's
    claims, _ = parse(["2026年一般公共预算财政拨款支出预算为1,234.56万元，其中：基本支出1,000.00"
                       "万元，项目支出234.56万元。", "项目支出比上年预算增加100.00万元。"],
                      year=2026, path="五")
    assert [(c.subject, c.amount) for c in claims if c.kind == "change"] == [
        ("项目支出", Decimal("234.56"))]


def test_flat_sentence_with_a_reason_after_its_amount_is_a_zero_change_not_a_reason():
    """Issue 11 (万里 2023 p.29): `（三）、公务接待费1.35万元。比2022年预算持平，主要原因是…` was
    taken for a sentence giving only a reason; 持平 is the change. And `与上年预算数相同。` alone
    after `…支出770万元，主要用于…。` (无锡) is that amount's change of 0."""
    claims, _ = parse(["（三）、公务接待费1.35万元。", "比2022年预算持平，主要原因是公务接待费保持不变。"],
                      year=2023, path="四", scope="sangong")
    (c,) = claims
    assert (c.subject, c.amount, c.change_amount, c.base, c.base_year, c.reason) == (
        "公务接待费", Decimal("1.35"), Decimal(0), Base.PRIOR_BUDGET, 2022, "公务接待费保持不变")
    claims, _ = parse(["（5）其他支出（类）支出770万元，主要用于自然灾害保险。", "与上年预算数相同。"],
                      year=2026, path="五")
    (c,) = claims
    assert (c.amount, c.change_amount, c.change_word, c.base) == (
        Decimal("770"), Decimal(0), "持平", Base.PRIOR_BUDGET)


def test_final_accounts_completion_ratio_against_the_initial_budget():
    """Putuo: a coded subject in its own sentence, the figures in the next."""
    claims, _ = parse([
        "1、一般公共服务支出（类）政协事务（款）行政运行（项）。", "主要用于：局本部人员经费。",
        "年初预算为1560.05万元，支出决算为1511.89万元，完成年初预算的96.91%。"],
        year=2024, kind="final", path="五(三)")
    (c,) = claims
    assert (c.subject, c.code) == ("一般公共服务支出(类)政协事务(款)行政运行(项)", "2010201")
    assert (c.amount, c.base_amount, c.ratio_pct, c.base, c.kind) == (
        Decimal("1511.89"), Decimal("1560.05"), Decimal("96.91"), Base.CURRENT_BUDGET,
        "execution")


def test_several_subjects_with_their_changes_in_one_sentence():
    claims, _ = parse(["按功能分类，一般公共服务支出减少108.56万元，社会保障和就业支出增加140.96万元，"
                       "住房保障支出增加1,466.32万元。"], scope="summary", path="四")
    assert [(c.subject, c.change_amount) for c in claims] == [
        ("一般公共服务支出", Decimal("-108.56")), ("社会保障和就业支出", Decimal("140.96")),
        ("住房保障支出", Decimal("1466.32"))]


def test_thousands_separator_is_not_a_clause_comma():
    claims, _ = parse(["面向中小企业预留政府采购项目预算金额 6,045.09 万元，小微企业预留政府采购项目预算金额 "
                       "5,144.20 万元。"], scope="procurement", path="十二(二)")
    assert [(c.subject, c.amount) for c in claims] == [
        ("面向中小企业预留政府采购项目预算金额", Decimal("6045.09")),
        ("小微企业预留政府采购项目预算金额", Decimal("5144.20"))]


def test_flat_and_same_as_last_year_are_zero_changes():
    claims, _ = parse(["2. 政协事务（款）一般行政管理事务（项）支出 1,577.82万元，与上年数一致。"],
                      heading="(一)一般公共服务支出(类)", path="五(一)")
    heading_only, _ = parse(["2026年预算安排0.00万元，与上年持平。"], heading="(一)因公出国(境)费",
                            path="四(一)", scope="sangong")
    assert [(c.subject, c.amount, c.change_amount, c.change_word)
            for c in claims + heading_only] == [
        ("政协事务(款)一般行政管理事务(项)支出", Decimal("1577.82"), Decimal(0), "持平"),
        ("因公出国(境)费", Decimal("0.00"), Decimal(0), "持平")]


def test_equal_to_last_years_budget_is_a_zero_change_against_that_base():
    """Issue 11: `与上年预算数相等` was read as an amount alone, so yoy-implied-prior never saw
    the claim. 相等 / 相同 / 一致 / 持平 after a named year, and 无增减, state a change of 0."""
    said = {"与上年预算数相等": Base.PRIOR_BUDGET, "与上年相等": Base.PRIOR_UNSPECIFIED,
            "与2025年预算数相等": Base.PRIOR_BUDGET, "与上年度预算相同": Base.PRIOR_BUDGET,
            "与上年持平": Base.PRIOR_UNSPECIFIED, "与上年一致": Base.PRIOR_UNSPECIFIED,
            "无增减": Base.PRIOR_UNSPECIFIED}
    for words, base in said.items():
        (c,) = parse([f"1.政协事务（款）行政运行（项）4,432.78 万元，{words}。"],
                     heading="(一)一般公共服务支出(类)", path="五(一)", year=2026)[0]
        assert (c.code, c.amount, c.change_amount, c.change_word, c.base, c.kind) == (
            "2010201", Decimal("4432.78"), Decimal(0), "持平", base, "change"), words
    (c,) = parse(["1.政协事务（款）行政运行（项）4,432.78 万元，与2025年预算数相等。"],
                 heading="(一)一般公共服务支出(类)", path="五(一)", year=2026)[0]
    assert c.base_year == 2025
    # an equality that compares no year is no change (`收入与支出相等`)
    (c,) = parse(["本年收入合计 4,432.78 万元，与本年支出合计相等。"], scope="summary", path="一")[0]
    assert c.change_amount is None


def test_jiangsu_class_named_in_the_subsection_heading_codes_its_kuan_xiang_items():
    """江苏 2018 五(一) `（一）一般公共服务支出（类）` over `1.政协事务（款）行政运行（项）…`: the
    类 is in the heading; 政协事务 → 20102 → 2010202 comes from the reference classification
    where the tables do not print it."""
    claims, _ = parse(["1.政协事务（款）行政运行（项）4,432.78 万元，与上年相比增加1,199.75万元，"
                       "增长37.11%。", "2. 政协事务（款）一般行政管理事务（项）支出 1,577.82万元，"
                       "与上年数一致。"], heading="(一)一般公共服务支出(类)", path="五(一)")
    assert [(c.subject, c.code) for c in claims] == [
        ("政协事务(款)行政运行(项)", "2010201"),
        ("政协事务(款)一般行政管理事务(项)支出", "2010202")]


def test_wanli_clause_restating_an_item_with_another_amount_keeps_the_items_subject():
    """万里街道 2024 p.9: `31. “住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元…。
    2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加0.53%。`
    The second sentence cannot merge into the first (350.35 ≠ 352.67), but it still speaks of
    住房公积金: its subject and code are the item's, not the section heading's."""
    index = NameIndex([_item("221", "住房保障支出"), _item("22102", "住房改革支出"),
                       _item("2210201", "住房公积金")])
    section = Section("", "部门预算编制说明", "2024年部门预算编制说明", "summary", [
        Sentence("31. “住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元，主要用于住房"
                 "公积金。", 9),
        Sentence("2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数"
                 "增加0.53%。", 9),
        Sentence("主要原因是：住房公积金经费增加。", 9)])
    claims, _ = parse_sections([section], index, 2024, "budget")
    assert [(c.subject, c.code, c.amount, c.base_amount, c.change_pct, c.base) for c in claims] == [
        ("住房保障支出(类)住房改革支出(款)住房公积金(项)", "2210201", Decimal("350.35"), None,
         None, None),
        ("住房保障支出(类)住房改革支出(款)住房公积金(项)", "2210201", Decimal("352.67"),
         Decimal("348.52"), Decimal("0.53"), Base.PRIOR_EXECUTION)]
    assert claims[1].reason == "住房公积金经费增加"


def test_beijing_numbered_label_run_into_its_paragraph_names_the_figures_after_it():
    """北京 2026 四: `（一）因公出国（境）费用。2026 年预算数 50.33 万元，…` and `（三）公务用车购置
    和运行维护费。2026 年预算数 25.42 万元，包括公务用车购置费预算 18.69 万元、…`: the label is the
    subject, not the section's (“三公”经费 77.67)."""
    claims, parts = parse([
        "2026年财政拨款“三公”经费预算77.67万元，比2025年财政拨款“三公”经费年初预算增加6.77万元，"
        "增长9.55%。", "（一）因公出国（境）费用。", "2026年预算数50.33万元，主要用于考察。",
        "（三）公务用车购置和运行维护费。",
        "2026年预算数25.42万元，包括公务用车购置费预算18.69万元、公务用车运行维护费预算6.73万元。"],
        scope="sangong", path="四", year=2026)
    assert [(c.kind, c.subject, c.amount) for c in claims] == [
        ("change", "财政拨款“三公”经费", Decimal("77.67")),
        ("total", "因公出国(境)费用", Decimal("50.33")),
        ("allocation", "公务用车购置和运行维护费", Decimal("25.42"))]
    assert [(p.name, p.amount) for p in parts] == [
        ("公务用车购置费", Decimal("18.69")), ("公务用车运行维护费", Decimal("6.73"))]


def test_template_leftover_is_kept_with_its_words():
    claims, _ = parse(["政府性基金预算支出增加（减少）0万元，增长（减少）0%。"], scope="gov-fund",
                      path="八")
    (c,) = claims
    assert (c.change_amount, c.change_pct, c.change_word, c.pct_word) == (
        Decimal(0), Decimal(0), "增加", "增长")
    assert "增加（减少）" in c.text


def test_sangong_items_take_the_amounts_stated_before_and_the_sentences_base():
    claims, parts = parse([
        "自治区人力资源和社会保障厅2025年财政拨款“三公”经费数为147.41万元，其中：因公出国（境）费0.00万元，"
        "公务用车购置费0.00万元，公务用车运行费146.51万元，公务接待费0.90万元。",
        "2025年财政拨款“三公”经费预算比上年预算减少34.90万元，下降19.14%，其中：因公出国（境）费增加"
        "0.00万元，增长0.00%，主要原因是无计划；公务用车运行费减少34.00万元，下降18.84%，主要原因是"
        "单位减少。"], scope="sangong", path="十", department="自治区人力资源和社会保障厅")
    allocation = claims[0]
    assert (allocation.kind, allocation.subject, allocation.amount) == (
        "allocation", "财政拨款“三公”经费", Decimal("147.41"))
    assert [(p.name, p.amount) for p in parts] == [
        ("因公出国(境)费", Decimal("0.00")), ("公务用车购置费", Decimal("0.00")),
        ("公务用车运行费", Decimal("146.51")), ("公务接待费", Decimal("0.90"))]
    changes = [(c.subject, c.amount, c.change_amount, c.base, c.reason) for c in claims[1:]]
    assert changes == [
        ("财政拨款“三公”经费", Decimal("147.41"), Decimal("-34.90"), Base.PRIOR_BUDGET, None),
        ("因公出国(境)费", Decimal("0.00"), Decimal("0.00"), Base.PRIOR_BUDGET, "无计划"),
        ("公务用车运行费", Decimal("146.51"), Decimal("-34.00"), Base.PRIOR_BUDGET, "单位减少")]


def test_allocation_total_outside_the_brackets_and_parts_named_as_printed():
    claims, parts = parse([
        "资金分配情况：项目总额1,100万元（一般预算安排100.00万元，单位资金1,000.00万元），其中：1.数据中心"
        "硬件维保项目594.24万元，2.等级保护测评项目22.98万元，和谐劳动关系 20.00 万，"
        "和田地区 57.48 万元。"], scope="gpb-project", path="七(九)",
        heading="(九)项目名称:自治区社会保障信息化建设和管理维护项目")
    (c,) = claims
    assert (c.kind, c.subject, c.amount, c.amount_decimals) == (
        "allocation", "自治区社会保障信息化建设和管理维护项目", Decimal("1100"), 0)
    assert [(p.name, p.amount) for p in parts] == [
        ("数据中心硬件维保项目", Decimal("594.24")), ("等级保护测评项目", Decimal("22.98")),
        ("和谐劳动关系", Decimal("20.00")), ("和田地区", Decimal("57.48"))]


def test_amounts_in_yuan_are_converted_with_their_precision():
    claims, _ = parse(["2024年收入预算 87,225,600.00 元，比2023年预算增加 3,446,700.00 元，增长 4.1%。"],
                      scope="income", path="三", year=2024)
    (c,) = claims
    assert (c.amount, c.amount_decimals, c.change_amount, c.change_decimals, c.base_year) == (
        Decimal("8722.56"), 6, Decimal("344.67"), 6, 2023)


def test_a_code_printed_before_the_subject_is_its_code():
    claims, _ = parse(["（一）2080501-行政单位离退休178.51万元。", "12333热线服务 5.00 万元。"],
                      path="二", scope="gpb")
    assert [(c.subject, c.code) for c in claims] == [("行政单位离退休", "2080501"),
                                                      ("12333热线服务", None)]


def test_completion_list_is_not_an_allocation():
    """Putuo: `…完成预算的0%，其中：因公出国（境）费决算为0.00万元，完成预算的0%；…`"""
    claims, parts = parse([
        "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）"
        "费决算为0.00万元，完成预算的0%；公务接待费支出决算为0.00万元，完成预算的0%。"],
        path="七(一)", scope="sangong", year=2024, kind="final")
    assert parts == []
    assert [(c.kind, c.amount, c.ratio_pct) for c in claims][0] == (
        "execution", Decimal("0.00"), Decimal("0"))


def test_jiangsu_sangong_subjects_lose_their_sentence_prefix_and_meet_last_years():
    """江苏 2018 九: `…一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出106万元…` and
    `…一般公共预算拨款安排的会议费预算支出884.16万元，比上年预算减少210.46万元`: the subjects are
    因公出国(境)费 and 会议费, the names 2017's sentences (and the 三公 table) use."""
    sentences = [
        "江苏省政协办公厅2018年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出"
        "106万元，占“三公”经费的15.70%；公务用车购置及运行维护费支出156.60万元，占“三公”经费的"
        "23.20%；公务接待费支出412.50万元，占“三公”经费的61.10%。",
        "1.因公出国（境）费预算支出 106 万元，比上年预算增加30万元，主要原因是临时性出访任务增加。",
        "江苏省政协办公厅2018年度一般公共预算拨款安排的会议费预算支出884.16万元，比上年预算减少"
        "210.46万元，主要原因是压缩会议规模和人数，节俭办会。"]
    claims, _ = parse(sentences, scope="sangong", path="九", year=2018,
                      department="江苏省政协办公厅")
    assert [(c.subject, c.amount, c.change_amount) for c in claims] == [
        ("因公出国(境)费", Decimal("106"), None),
        ("公务用车购置及运行维护费", Decimal("156.60"), None),
        ("公务接待费", Decimal("412.50"), None),
        ("因公出国(境)费", Decimal("106"), Decimal("30")),
        ("会议费", Decimal("884.16"), Decimal("-210.46"))]


def test_chongqing_a_budgets_own_initial_budget_is_its_amount_not_a_base():
    """In a budget, `2026 年年初预算数 19,230.18 万元` is the budget itself (重庆 二(一)); and
    `比 2025 年年初预算数 115041.34 万元减少` names last year's budget (北京 二)."""
    claims, _ = parse(["2026年年初预算数19,230.18万元，其中：一般公共预算拨款18,417.70万元。"],
                      scope="summary", path="二(一)", heading="(一)收入预算。", year=2026,
                      kind="budget")
    assert [(c.subject, c.amount, c.base_amount) for c in claims] == [
        ("收入预算", Decimal("19230.18"), None), ("一般公共预算拨款", Decimal("18417.70"), None)]
    (b,) = parse(["2026年度收入预算110896.62万元，比2025年年初预算数115041.34万元减少4144.72万元，"
                  "下降3.60%。"], scope="income", path="二", year=2026, kind="budget")[0]
    assert (b.amount, b.base_amount, b.change_amount, b.base, b.base_year) == (
        Decimal("110896.62"), Decimal("115041.34"), Decimal("-4144.72"), Base.PRIOR_BUDGET, 2025)


def test_fuzhou_list_after_a_change_sentence_divides_the_amount_not_the_change():
    """福州: `相应安排支出预算 351904.90 万元，比上年增加 125454.38 万元，…。其中：基本支出
    7841.26 万元、项目支出 344063.64 万元。`: the parts divide 351,904.90."""
    claims, parts = parse(["相应安排支出预算351904.90万元，比上年增加125454.38万元，增长55.40%，主要原因是"
                           "县区补助编入市本级预算。", "其中：基本支出7841.26万元、项目支出344063.64万元。"],
                          scope="summary", path="一", year=2026)
    allocation = next(c for c in claims if c.kind == "allocation")
    assert allocation.amount == Decimal("351904.90")
    assert [(p.name, p.amount) for p in parts] == [("基本支出", Decimal("7841.26")),
                                                   ("项目支出", Decimal("344063.64"))]


def test_fuzhou_generic_allocation_subject_is_the_sub_headings():
    """福州 六(三) `（三）公务用车购置及运行费` / `2026 年预算安排 0.00 万元，其中：公务用车运行费
    0.00 万元…`: the list's subject is the heading's."""
    claims, _ = parse(["2026年预算安排0.00万元，其中：公务用车运行费0.00万元，与上年持平；公务用车购置费"
                       "0.00万元，与上年持平。"], heading="(三)公务用车购置及运行费", path="六(三)",
                      scope="sangong", year=2026)
    assert (claims[0].kind, claims[0].subject) == ("allocation", "公务用车购置及运行费")


def test_shenzhen_a_descriptive_bao_kuo_inside_a_part_does_not_end_the_list():
    """深圳 (五) `1.综合管理 359.88 万元,主要包括综合管理事务工作269.00万元，用于…支出，包括人事
    管理、…；财务管理工作62.50万元，…；…培训16.38万元，…；党群工作12.00万元，…`."""
    claims, parts = parse([
        "1.综合管理 359.88 万元,主要包括综合管理事务工作269.00万元，用于退役军人事务综合保障工作支出，包括"
        "人事管理、保密档案等支出；财务管理工作62.50万元，用于开展财务管理等工作支出；退役军人事务工作"
        "培训16.38万元，用于培训费支出；党群工作12.00万元，用于党建工作。"],
        scope="expense", path="(五)", year=2026)
    (a,) = [c for c in claims if c.kind == "allocation"]
    assert (a.subject, a.amount) == ("综合管理", Decimal("359.88"))
    assert sum(p.amount for p in parts) == Decimal("359.88")


def test_shenzhen_name_of_a_project_is_not_resolved_to_the_function_of_that_name():
    """深圳 项目支出总表 lists the project 退役安置 (170.68) beside 20809 退役安置 (48,554.96):
    `2.退役安置170.68万元` names the project, so no code is guessed."""
    project = LineItem("project-expense", "项目支出总表", "万元", None, "退役安置", "总计",
                       Decimal("170.68"), 2, 27, project="退役安置")
    index = NameIndex([_item("208", "社会保障和就业支出"), _item("20809", "退役安置"), project])
    assert index.resolve("退役安置") is None
    assert index.resolve("社会保障和就业支出") == "208"


def test_hangzhou_label_line_does_not_capture_a_later_clauses_subject():
    """杭州 二(五): `2.一般公共预算当年拨款具体使用情况` (a label), `（1）…其他一般公共服务支出（项）
    5,140.00万元，主要用于…。`, `比上年执行数增加1,344.05万元，增长35.4%…`: the change is the
    item's, not the label's."""
    claims, _ = parse(["2.一般公共预算当年拨款具体使用情况",
                       "（1）一般公共服务支出（类）其他一般公共服务支出（款）其他一般公共服务支出（项）"
                       "5,140.00万元，主要用于公安基建方面的支出。",
                       "比上年执行数增加1,344.05万元，增长35.4%，主要原因是基建项目根据项目进度安排预算。"],
                      year=2026, path="二(五)")
    assert [(c.subject, c.amount, c.change_amount, c.change_pct) for c in claims] == [
        ("一般公共服务支出(类)其他一般公共服务支出(款)其他一般公共服务支出(项)", Decimal("5140.00"),
         Decimal("1344.05"), Decimal("35.4"))]
