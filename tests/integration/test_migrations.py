"""An older warehouse file is upgraded in place when opened for writing: a real file created
with the walking skeleton's schema (version 1), holding data, becomes a current one with its
rows intact and backfilled, and checksums equal to a fresh warehouse holding the same rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tasks import schema
from tasks.errors import SchemaError
from tasks.warehouse import checksums, connect, migrate

V1_SQL = Path(__file__).resolve().parents[1] / "data" / "warehouse-v1.sql"
DOC_A, DOC_B = "a" * 64, "b" * 64

# Rows as the walking skeleton wrote them (its column lists): two years of one department,
# a repeated line (two 合计 rows in one column) and a finding.
V1_ROWS = [
    "INSERT INTO documents VALUES "
    f"('{DOC_A}', 'd1', 2024, 'budget', 'loaded', NULL, 9, TIMESTAMP '2026-11-20 08:00:00', "
    "'测试部门', 'd1/2024/budget', 1, true, 1, NULL, 'run-1'), "
    f"('{DOC_B}', 'd1', 2025, 'budget', 'loaded', NULL, 9, TIMESTAMP '2026-11-20 08:00:01', "
    "'测试部门', 'd1/2025/budget', 1, true, 1, NULL, 'run-1')",
    "INSERT INTO line_items VALUES "
    f"('{DOC_A}', 'summary', '收支总表', '万元', NULL, '合计', '收入/预算数', 10.00, 2, 3, "
    "'total', NULL, NULL, NULL, 9, 1), "
    f"('{DOC_A}', 'summary', '收支总表', '万元', NULL, '合计', '支出/预算数', 10.00, 2, 3, "
    "'total', NULL, NULL, NULL, 9, 1), "
    f"('{DOC_A}', 'gpb-expense', '一般公共预算支出表', '万元', '2080101', '行政运行', '合计', "
    "7.50, 2, 5, 'total', 'function', NULL, NULL, 1, 5), "
    f"('{DOC_B}', 'summary', '收支总表', '万元', NULL, '合计', '收入/预算数', 12.00, 2, 3, "
    "'total', NULL, NULL, NULL, 9, 1), "
    f"('{DOC_B}', 'summary', '收支总表', '万元', NULL, '合计', '支出/预算数', 12.00, 2, 3, "
    "'total', NULL, NULL, NULL, 9, 1), "
    f"('{DOC_B}', 'gpb-expense', '一般公共预算支出表', '万元', '2080101', '行政运行', '合计', "
    "9.00, 2, 5, 'total', 'function', NULL, NULL, 1, 5)",
    "INSERT INTO findings VALUES ('f1', 'd1', 2025, "
    f"'{DOC_B}', '{DOC_A}', 'pct-recompute', 'error', '行政运行', '2080101', '21.00%', "
    "'20.00%', 'm', 4, 'e', NULL, 'run-2', TIMESTAMP '2026-11-20 09:00:00')",
]


def _v1_warehouse(path: Path) -> None:
    body = "\n".join(line for line in V1_SQL.read_text().splitlines()
                     if not line.startswith("--"))
    con = duckdb.connect(str(path))
    try:
        for sql in body.split(";"):
            if sql.strip():
                con.execute(sql)
        for sql in V1_ROWS:
            con.execute(sql)
    finally:
        con.close()


def _v1_columns(table: str) -> list[str]:
    return [c.name for c in schema.TABLES[table] if c.since == 1]


def _columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                       "WHERE schema_name = 'main' AND NOT internal "
                       "ORDER BY table_name, column_index").fetchall()


def test_version_1_warehouse_is_upgraded_in_place_keeping_its_rows(tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    _v1_warehouse(old)
    con = connect(old)
    try:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1"
                                              ).fetchall()]
        occurrences = con.execute(
            "SELECT doc_id, column_name, occurrence FROM line_items WHERE table_kind = "
            "'summary' ORDER BY doc_id, column_name").fetchall()
        claim_id = con.execute("SELECT claim_id FROM findings").fetchall()
        yoy = con.execute("SELECT code, column_name, amount, prior_amount, match FROM "
                          "yoy_line_items ORDER BY table_kind, column_name").fetchall()
        upgraded_cols, upgraded_sums = _columns(con), checksums(con)
    finally:
        con.close()

    fresh = tmp_path / "fresh.duckdb"
    con = connect(fresh)
    try:
        # The same rows written through the current schema (the new columns as the upgrade
        # backfills them).
        for sql in V1_ROWS:
            for table in ("findings", "line_items", "documents"):
                sql = sql.replace(f"INSERT INTO {table} VALUES", f"INSERT INTO {table} "
                                  f"({', '.join(_v1_columns(table))}) VALUES")
            con.execute(sql)
        con.execute("UPDATE line_items SET occurrence = CASE WHEN column_name = '收入/预算数' "
                    "THEN 2 ELSE 1 END")
        fresh_cols, fresh_sums = _columns(con), checksums(con)
    finally:
        con.close()

    assert versions == sorted(m.number for m in schema.MIGRATIONS)
    # The two 合计 lines of one column key are numbered in a total order (same row: by
    # column name, and 支 sorts before 收), so the two years pair one-to-one.
    assert occurrences == [(DOC_A, "支出/预算数", 1), (DOC_A, "收入/预算数", 2),
                           (DOC_B, "支出/预算数", 1), (DOC_B, "收入/预算数", 2)]
    assert claim_id == [(None,)]
    assert [(c, n, str(a), str(p), m) for c, n, a, p, m in yoy] == [
        ("2080101", "合计", "9.000000", "7.500000", "code"),
        (None, "支出/预算数", "12.000000", "10.000000", "name"),
        (None, "收入/预算数", "12.000000", "10.000000", "name"),
    ]
    assert upgraded_cols == fresh_cols
    assert upgraded_sums == fresh_sums


def test_each_intermediate_version_upgrades_to_the_same_schema(tmp_path: Path) -> None:
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    try:
        migrate(fresh)
        want = _columns(fresh)
    finally:
        fresh.close()
    for upto in sorted(m.number for m in schema.MIGRATIONS):
        path = tmp_path / f"v{upto}.duckdb"
        con = duckdb.connect(str(path))
        try:
            assert migrate(con, upto=upto) == [m.number for m in sorted(schema.MIGRATIONS)
                                               if m.number <= upto]
        finally:
            con.close()
        con = connect(path)
        try:
            assert _columns(con) == want, f"from version {upto}"
        finally:
            con.close()


def test_a_failing_upgrade_leaves_the_file_at_its_old_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "old.duckdb"
    _v1_warehouse(old)
    broken = schema.Migration(9, "broken on purpose", ["ALTER TABLE no_such_table ADD COLUMN x INT"])
    monkeypatch.setattr("tasks.warehouse.MIGRATIONS", [*schema.MIGRATIONS, broken])
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        connect(old)
    con = duckdb.connect(str(old), read_only=True)
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        cols = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE "
                                          "table_name = 'findings'").fetchall()]
        assert "claim_id" not in cols
        assert con.execute("SELECT count(*) FROM line_items").fetchone()[0] == 6
    finally:
        con.close()


def test_a_warehouse_from_a_newer_yusuan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    connect(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (99, 'from the future', now()::TIMESTAMP)")
    con.close()
    for read_only in (False, True):
        with pytest.raises(SchemaError, match=r"migration\(s\) \[99\].*newer version"):
            connect(path, read_only=read_only)


def test_read_only_open_of_an_old_warehouse_says_how_to_upgrade(tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    _v1_warehouse(old)
    later = [m.number for m in sorted(schema.MIGRATIONS) if m.number > 1]
    with pytest.raises(SchemaError, match=re.escape(f"lacks schema migration(s) {later}") +
                       ".*open it once for writing"):
        connect(old, read_only=True)

