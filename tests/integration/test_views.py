"""The analysts' views over a real DuckDB file loaded through the real staging path:
yoy_line_items (matching by code, by name, renames, repeats), claims_checked and
findings_summary."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tasks.contracts import Finding, Severity
from tasks.load import load_all, write_findings
from tasks.warehouse import connect
from warehouse_docs import claim, document, item, source, stage_all

D = Decimal


@pytest.fixture
def con(tmp_path: Path):
    con = connect(tmp_path / "w.duckdb")
    yield con
    con.close()


def _load(con: duckdb.DuckDBPyConnection, tmp_path: Path, *docs) -> None:
    load_all(con, stage_all(tmp_path / "staging", docs))


def _yoy(con: duckdb.DuckDBPyConnection, where: str = "true") -> list[tuple]:
    return con.execute(
        "SELECT column_key, code, prior_code, name, amount, prior_amount, delta, pct, match "
        f"FROM yoy_line_items WHERE {where} ORDER BY match, code NULLS FIRST, name, column_key"
    ).fetchall()


def test_yoy_matches_by_code_by_name_and_reports_a_changed_code_as_renamed(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    prior = document([
        item(None, "合计", "100.00", row_no=0),
        item("2080101", "行政运行", "60.00", row_no=1),
        item("2080102", "一般行政管理事务", "40.00", row_no=2),  # recoded to 2080109 in 2025
        item("2080199", "其他人力资源事务", "5.00", row_no=3),  # ends
        item("2080101", "行政运行", "30.00", column_key="basic", column_name="基本支出", row_no=1),
    ], year=2024)
    this = document([
        item(None, "合计", "130.00", row_no=0),
        item("2080101", "行政运行", "66.00", row_no=1),
        item("2080109", "一般行政管理事务", "44.00", row_no=2),
        item("2080110", "新设事务", "20.00", row_no=3),  # starts
        item("2080101", "行政运行", "33.30", column_key="basic", column_name="基本支出", row_no=1),
    ], year=2025)
    _load(con, tmp_path, (prior, source(year=2024)), (this, source(year=2025)))
    assert _yoy(con) == [
        ("basic", "2080101", "2080101", "行政运行", D("33.30"), D("30.00"), D("3.30"),
         D("11.0000"), "code"),
        ("total", "2080101", "2080101", "行政运行", D("66.00"), D("60.00"), D("6.00"),
         D("10.0000"), "code"),
        ("total", "2080199", "2080199", "其他人力资源事务", None, D("5.00"), D("-5.00"),
         D("-100.0000"), "ended"),
        ("total", None, None, "合计", D("130.00"), D("100.00"), D("30.00"), D("30.0000"),
         "name"),
        ("total", "2080110", None, "新设事务", D("20.00"), None, D("20.00"), None, "new"),
        ("total", "2080109", "2080102", "一般行政管理事务", D("44.00"), D("40.00"), D("4.00"),
         D("10.0000"), "renamed"),
    ]
    docs = con.execute("SELECT DISTINCT doc_id, prior_doc_id, year, prior_year FROM "
                       "yoy_line_items").fetchall()
    assert docs == [(this.doc_id, prior.doc_id, 2025, 2024)]


def test_yoy_does_not_pair_an_ambiguous_name_or_a_code_that_still_exists(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    prior = document([
        item("2080101", "行政运行", "60.00", row_no=1),
        item("2050101", "行政运行", "9.00", row_no=2),  # ends; 行政运行 twice at 7 digits…
        item("2010301", "机关服务", "3.00", row_no=3),
    ], year=2024)
    this = document([
        item("2080101", "行政运行", "61.00", row_no=1),
        item("2060101", "行政运行", "8.00", row_no=2),  # …so this new line is not a rename
        item("20103", "机关服务", "4.00", row_no=3),  # same name at another level: not either
    ], year=2025)
    _load(con, tmp_path, (prior, source(year=2024)), (this, source(year=2025)))
    rows = {(code, match) for _, code, _, _, _, _, _, _, match in _yoy(con)}
    assert rows == {("2080101", "code"), ("2050101", "ended"), ("2060101", "new"),
                    ("2010301", "ended"), ("20103", "new")}


def test_yoy_pairs_repeated_lines_one_to_one(con: duckdb.DuckDBPyConnection,
                                             tmp_path: Path) -> None:
    # Two 合计 rows in one column (both sides of a 收支总表 printed with the same label):
    # a join on the key alone would give four rows.
    prior = document([item(None, "合计", "10.00", row_no=9, column_name="收入/预算数"),
                      item(None, "合计", "10.00", row_no=9, column_name="支出/预算数")],
                     year=2024)
    this = document([item(None, "合计", "12.00", row_no=9, column_name="收入/预算数"),
                     item(None, "合计", "12.50", row_no=9, column_name="支出/预算数")],
                    year=2025)
    _load(con, tmp_path, (prior, source(year=2024)), (this, source(year=2025)))
    rows = con.execute("SELECT column_name, amount, prior_amount, match FROM yoy_line_items "
                       "ORDER BY column_name").fetchall()
    assert rows == [("支出/预算数", D("12.50"), D("10.00"), "name"),
                    ("收入/预算数", D("12.00"), D("10.00"), "name")]


def test_yoy_uses_current_versions_of_consecutive_years_only(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    y23 = document([item("2080101", "行政运行", "50.00")], year=2023)
    y24 = document([item("2080101", "行政运行", "60.00")], year=2024)
    y24_fixed = document([item("2080101", "行政运行", "62.00")], year=2024, salt="re-published")
    y25 = document([item("2080101", "行政运行", "66.00")], year=2025)
    lone = document([item("2080101", "行政运行", "1.00")], department="d9", year=2025)
    _load(con, tmp_path, (y23, source(year=2023)), (y24, source(year=2024)),
          (y25, source(year=2025)), (lone, source("d9")))
    _load(con, tmp_path, (y24_fixed, source(year=2024)))
    rows = con.execute("SELECT department, year, amount, prior_amount, doc_id FROM "
                       "yoy_line_items ORDER BY year").fetchall()
    assert rows == [("d1", 2024, D("62.00"), D("50.00"), y24_fixed.doc_id),
                    ("d1", 2025, D("66.00"), D("62.00"), y25.doc_id)]


def test_claims_checked_recomputes_the_prior_and_the_percentage_and_carries_findings(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # The seed's sentence: 42,040.53 万元, 减少 8,524.52 万元, 下降 16.86%.
    gpb = claim("p3-1", "一般公共预算", "42040.53", "-8524.52", "-16.86", page=3)
    wrong = claim("p3-2", "行政运行", "66.00", "6.00", "12.00", "2080101", page=3)
    zero = claim("p4-1", "就业管理事务", "50.00", "50.00", "100.00", "2080106", page=4)
    doc = document([item("2080101", "行政运行", "66.00")], [gpb, wrong, zero])
    _load(con, tmp_path, (doc, source()))
    write_findings(con, "d1", 2025, doc.doc_id, None, [
        # exact: the rule named its claim
        Finding("pct-recompute", Severity.ERROR, "行政运行", "6.00 on 60.00 is 10.00%",
                code="2080101", stated="12.00%", expected="10.00%", page=3,
                evidence=wrong.text, claim_id="p3-2"),
        # no claim_id (an older rule): joined by page, subject and sentence
        Finding("pct-zero-base", Severity.WARNING, "就业管理事务", "prior is 0", code="2080106",
                stated="100.00%", expected="undefined", page=4, evidence=zero.text),
        # about the document, not a claim
        Finding("missing-table", Severity.ERROR, "表8", "no 表8", page=1),
    ])
    rows = con.execute(
        "SELECT claim_id, implied_prior, recomputed_pct, pct_gap, finding_count, "
        "worst_severity, rules, [f.stated FOR f IN findings] FROM claims_checked ORDER BY "
        "claim_id").fetchall()
    assert rows == [
        ("p3-1", D("50565.05"), D("-16.8585"), D("0.0015"), 0, None, [], []),
        ("p3-2", D("60.00"), D("10.0000"), D("2.0000"), 1, "error", ["pct-recompute"],
         ["12.00%"]),
        ("p4-1", D("0.00"), None, None, 1, "warning", ["pct-zero-base"], ["100.00%"]),
    ]


def test_findings_summary_counts_findings_of_current_documents(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    old = document([item("2080101", "行政运行", "1.00")])
    _load(con, tmp_path, (old, source()))
    write_findings(con, "d1", 2025, old.doc_id, None, [
        Finding("pct-recompute", Severity.ERROR, "a", "m", page=1),
        Finding("pct-recompute", Severity.ERROR, "b", "m", page=1),
        Finding("pct-recompute", Severity.INFO, "c", "m", page=2),
        Finding("direction-words", Severity.ERROR, "d", "m", page=5),
    ])
    assert con.execute("SELECT department_name, year, rule, severity, findings, pages FROM "
                       "findings_summary ORDER BY rule, severity").fetchall() == [
        ("测试部门", 2025, "direction-words", "error", 1, 1),
        ("测试部门", 2025, "pct-recompute", "error", 2, 1),
        ("测试部门", 2025, "pct-recompute", "info", 1, 1),
    ]
    # A re-published version not yet checked: its predecessor's findings no longer count.
    _load(con, tmp_path, (document([item("2080101", "行政运行", "2.00")]), source()))
    assert con.execute("SELECT count(*) FROM findings_summary").fetchone()[0] == 0


def test_yoy_of_one_department_is_the_view_filtered_to_it(con: duckdb.DuckDBPyConnection,
                                                          tmp_path: Path) -> None:
    docs = []
    for dept in ("d1", "d2"):
        docs += [(document([item(None, "合计", "10.00"), item("2080102", "事务", "4.00", row_no=1),
                            item("2080199", "其他", "6.00", row_no=2)],
                           department=dept, year=2024), source(dept, 2024)),
                 (document([item(None, "合计", "12.00"), item("2080109", "事务", "5.00", row_no=1),
                            item("2080110", "新", "7.00", row_no=2)],
                           department=dept, year=2025), source(dept, 2025))]
    _load(con, tmp_path, *docs)
    view = con.execute("SELECT * FROM yoy_line_items WHERE department = 'd2' ORDER BY ALL"
                       ).fetchall()
    macro = con.execute("SELECT * FROM yoy_line_items_of('d2') ORDER BY ALL").fetchall()
    assert macro == view
    assert sorted(r[-7] for r in view) == ["ended", "name", "new", "renamed"]  # match
