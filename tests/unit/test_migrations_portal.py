"""Migrations 10–19 (portals): applied in numeric order, to new and old warehouses alike."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tasks.schema import MIGRATIONS, columns
from tasks.warehouse import connect, migrate


def test_migrations_are_applied_in_numeric_order(tmp_path: Path):
    numbers = [m[0] for m in MIGRATIONS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert migrate(con) == numbers
    assert migrate(con) == []  # nothing twice
    con.close()


def test_an_old_warehouse_gains_the_discovered_table_on_open(tmp_path: Path):
    """A warehouse written before portals existed has migration 1 only."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description "
                "VARCHAR, applied_at TIMESTAMP)")
    for number, description, statements in MIGRATIONS:
        if number == 1:
            for sql in statements:
                con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (1, ?, now())", [description])
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
              .fetchall()}
    assert "discovered" not in tables  # migration 1 does not know it
    con.close()
    con = connect(path)
    got = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                     "WHERE table_name = 'discovered' ORDER BY ordinal_position")
           .fetchall()]
    versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1")
                .fetchall()]
    con.close()
    assert got == columns("discovered")
    assert 10 in versions
