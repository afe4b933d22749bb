"""Column roles by evidence (tasks/extract/layout.py): header words and cell content vote,
the layout is data with a confidence, and only this year's money is additive."""

from __future__ import annotations

from tasks.config import load_layouts
from tasks.extract.layout import CONFIDENT, classify, from_headers, table_confidence


def _classify(columns: dict[str, list[str]], kind: str = "gpb-expense"):
    paths = list(columns)
    out = classify(1, paths, [columns[p] for p in paths], load_layouts(), kind,
                   [None] * len(paths))
    return {c.header_path: c for c in out}


def test_row_numbers_are_no_money_whatever_the_header_says():
    cols = _classify({"项目": ["一、一般公共预算财政拨款收入", "二、政府性基金预算财政拨款收入",
                               "三、国有资本经营预算财政拨款收入"],
                      "行次": ["1", "2", "3"],
                      "栏": ["1", "2", "3"],
                      "金额": ["1,234.56", "0.00", "12.00"]}, kind="summary")
    assert cols["行次"].role == "row-number" and cols["行次"].confidence >= 0.9
    # content alone: cells that count up by one
    assert cols["栏"].role == "row-number" and "count up by one" in cols["栏"].evidence
    assert [c.header_path for c in cols.values() if c.additive] == ["金额"]


def test_percentages_change_and_prior_year_are_not_this_years_money():
    """重庆/西安: `2025年预算数 | 2026年预算数 | 增减额 | 增减率`; a cell `-8.10%` is never a
    row name or an amount."""
    cols = _classify({"科目名称": ["一般公共服务支出", "人大事务", "行政运行"],
                      "2025年预算数": ["100.00", "40.00", "60.00"],
                      "2026年预算数": ["91.90", "40.00", "51.90"],
                      "增减额": ["-8.10", "0.00", "-8.10"],
                      "增减率": ["-8.10%", "0.00%", "-13.50%"]})
    roles = {p: c.role for p, c in cols.items()}
    assert roles == {"科目名称": "name", "2025年预算数": "prior", "2026年预算数": "amount",
                     "增减额": "change", "增减率": "percent"}
    assert "header year 2025 < table year 2026" in cols["2025年预算数"].evidence
    # percent cells under a header that says nothing are percentages by content
    cols = _classify({"名称": ["a", "b", "c"], "x": ["1.00", "2.00", "3.00"],
                      "y": ["5.1%", "-2.0%", "0.3%"]})
    assert cols["y"].role == "percent"


def test_a_column_of_nesting_codes_is_a_code_column_whatever_its_header():
    cols = _classify({"功能科目": ["201", "20101", "2010101"],
                      "科目编码": ["205", "20502", "2050201"],
                      "编号": ["208", "20805", "2080505"],
                      "名称": ["一般公共服务支出", "人大事务", "行政运行"],
                      "合计": ["3.00", "3.00", "3.00"]})
    assert {p: c.role for p, c in cols.items() if p != "名称" and p != "合计"} == {
        "功能科目": "code:combined", "科目编码": "code:combined", "编号": "code:combined"}


def test_qizhong_restates_a_part_unless_it_opens_a_breakdown():
    """`合计 | 其中：政府采购` restates a part; 广州 `小计 | 其中：基本支出 | 项目支出` is the first
    of the parts that add up to 小计."""
    memo = _classify({"名称": ["a", "b", "c"], "合计": ["3.00", "2.00", "1.00"],
                      "其中:政府采购": ["1.00", "1.00", "0.00"]})
    assert (memo["其中:政府采购"].role, memo["其中:政府采购"].additive) == ("part", False)
    opens = _classify({"名称": ["a", "b", "c"], "小计": ["3.00", "2.00", "1.00"],
                       "其中:基本支出": ["1.00", "1.00", "0.00"],
                       "项目支出": ["2.00", "1.00", "1.00"]})
    assert opens["其中:基本支出"].role == "amount" and opens["其中:基本支出"].additive
    assert "opens a breakdown" in opens["其中:基本支出"].evidence


def test_kuan_digits_opening_names_under_a_kuan_header_are_names():
    """The seed's 表6 prints `301 | 01 基本工资`: the 款 column holds names opening with the
    款 digits."""
    cols = _classify({"经济分类科目名称/类": ["301", "", ""],
                      "经济分类科目名称/款": ["工资福利支出", "01 基本工资", "02 津贴补贴"],
                      "合计": ["3.00", "1.00", "2.00"]}, kind="gpb-basic")
    col = cols["经济分类科目名称/款"]
    assert (col.role, col.confidence) == ("name", 0.85)


def test_confidence_is_the_least_sure_column_and_needs_a_unit():
    sure = list(_classify({"名称": ["a", "b", "c"], "合计": ["3.00", "2.00", "1.00"]}).values())
    assert table_confidence(sure, unit_found=True) >= CONFIDENT
    assert table_confidence(sure, unit_found=False) < CONFIDENT
    # a name header over a column of half numbers, half text: header and content disagree
    mixed = list(_classify({"名称": ["a", "1.00", "b", "2.00"],
                            "合计": ["3.00", "2.00", "1.00", "4.00"]}).values())
    assert table_confidence(mixed, unit_found=True) < CONFIDENT


def test_roles_of_columns_known_only_by_their_header():
    """Line items loaded without their layout get their money roles from the same votes."""
    cols = from_headers(3, ["2025年预算数", "2026年预算数/合计", "2026年预算数/其中:政府采购",
                            "增减变化情况/金额"], "expense", load_layouts())
    assert [c.role for c in cols] == ["prior", "amount", "part", "change"]


def test_a_group_headed_last_year_is_prior_but_last_years_carry_over_is_not():
    """西安 三公表: `上年 / 合计 …` beside `当年 / 合计 …`; `上年结转 / …` is this year's money."""
    cols = from_headers(13, ["上年/合计", "当年/合计", "上年结转/一般公共预算"], "sangong",
                        load_layouts())
    assert [c.role for c in cols] == ["prior", "amount", "amount"]
