"""Extracted records reach a real DuckDB warehouse: performance targets in their own table,
line-item structure and claim bases in theirs; migration 30 upgrades an older warehouse."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from conftest import fixture_paths, truth
from tasks.contracts import FetchedFile, Kind, Source
from tasks.load import load_staged
from tasks.schema.migrations import MIGRATIONS
from tasks.stage import stage
from tasks.warehouse import connect, migrate


def _load(doc, tmp_path: Path):
    source = Source("xj-hrss", "自治区人力资源和社会保障厅", 2025, Kind.BUDGET,
                    tuple(str(p) for p in fixture_paths("xj-hrss-2025")))
    files = [FetchedFile(str(p), p, doc.doc_id, p.stat().st_size)
             for p in fixture_paths("xj-hrss-2025")]
    staged = stage(doc, source, files, tmp_path / "staging")
    con = connect(tmp_path / "warehouse.duckdb")
    load_staged(con, staged)
    return con


def test_performance_targets_and_structure_are_loaded(extracted, tmp_path: Path):
    con = _load(extracted("xj-hrss-2025"), tmp_path)
    try:
        rows = con.execute(
            "SELECT scope, project, budget_unit, level1, level2, indicator, target, weight, page "
            "FROM performance_targets WHERE project = '考试考务(成本性支出)' ORDER BY row_no"
        ).fetchall()
        assert len(rows) == 8
        assert rows[0] == ("project", "考试考务(成本性支出)", "新疆维吾尔自治区人事考试中心", "产出指标",
                           "数量指标", "组织考试项目数", "=3种", Decimal("10.000000"), 37)
        assert con.execute("SELECT count(*) FROM performance_targets").fetchone() == (147,)
        levels = dict(con.execute(
            "SELECT level, count(*) FROM line_items WHERE table_kind = 'gpb-expense' "
            "GROUP BY level").fetchall())
        # 类/款/项 by the length of the full code in the truth file (项 rows print only 类/款).
        want: dict[int | None, int] = {}
        for t in truth("xj-hrss-2025", "line_items"):
            if t["table_kind"] == "gpb-expense":
                level = {3: 1, 5: 2, 7: 3}.get(len(t["code"]))
                want[level] = want.get(level, 0) + 1
        assert levels == want
        sides = con.execute("SELECT DISTINCT segment, column_name FROM line_items WHERE "
                            "table_kind = 'summary' ORDER BY segment").fetchall()
        assert sides == [(0, "收入/预算数"), (1, "支出/预算数")]
    finally:
        con.close()


def test_migration_30_adds_extraction_columns_to_an_older_warehouse(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, upto=10)  # a warehouse from before extraction's migration
    con.close()
    con = connect(path)
    try:
        versions = {r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()}
        assert {30, 40} <= versions and max(versions) == MIGRATIONS[-1].number
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'claims'"
        ).fetchall()}
        assert {"base_amount", "ratio_pct", "ratio_decimals"} <= cols
        assert con.execute("SELECT count(*) FROM performance_targets").fetchone() == (0,)
        # 40: the layout as data
        assert con.execute("SELECT count(*) FROM table_columns").fetchone() == (0,)
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'tables'"
        ).fetchall()}
        assert {"confidence", "unit_found"} <= cols
    finally:
        con.close()
