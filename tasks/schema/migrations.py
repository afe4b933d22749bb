"""Numbered migrations, derived from the `since` of each column in `TABLES`, and the
bookkeeping tables that record them."""

from __future__ import annotations

from typing import NamedTuple

from tasks.schema.tables import (
    _KEYS,
    OCCURRENCE_KEY,
    OCCURRENCE_ORDER,
    TABLES,
    Column,
    _c,
)

# ---- migrations -----------------------------------------------------------------------------
# A warehouse file records the migrations it has seen in `schema_version`; `tasks.warehouse.migrate`
# applies the missing ones in numeric order, each in its own transaction. A migration's table
# and column changes are derived from the `since` of the columns above, so a new column is
# one line in TABLES (appended at the end of its table, with since=N) plus Migration(N, why).
# Numbers are never reused or renumbered: a file that has seen N will not run N again.

class Migration(NamedTuple):
    number: int
    description: str
    statements: list[str]


def _create(table: str, number: int) -> str:
    cols = [c for c in TABLES[table] if c.since == number]
    body = ",\n  ".join(f"{c.name} {c.sql}" for c in cols)
    key = _KEYS.get(table)
    pk = f",\n  PRIMARY KEY ({', '.join(key)})" if key else ""
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {body}{pk}\n)"


def schema_changes(number: int) -> list[str]:
    """The CREATE TABLE / ADD COLUMN statements of migration `number`, from TABLES."""
    out = []
    for table, cols in TABLES.items():
        if min(c.since for c in cols) == number:
            out.append(_create(table, number))
        else:
            out.extend(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {c.name} {c.sql}"
                       for c in cols if c.since == number)
    return out


def _migration(number: int, description: str, *extra: str) -> Migration:
    return Migration(number, description, [*schema_changes(number), *extra])


MIGRATIONS: list[Migration] = [
    _migration(
        1, "initial contract",
        "CREATE INDEX IF NOT EXISTS line_items_doc ON line_items (doc_id)",
        "CREATE INDEX IF NOT EXISTS claims_doc ON claims (doc_id)",
        "CREATE INDEX IF NOT EXISTS findings_dept_year ON findings (department, year)"),
    _migration(2, "findings.claim_id: join a finding to its claim exactly"),
    _migration(
        3, "line_items.occurrence: pair repeated lines year over year without a window "
           "over the whole table at query time",
        "UPDATE line_items SET occurrence = o.n FROM (SELECT rowid AS rid, row_number() OVER "
        f"(PARTITION BY doc_id, {OCCURRENCE_KEY} ORDER BY {OCCURRENCE_ORDER}) AS n "
        "FROM line_items) o WHERE line_items.rowid = o.rid"),
    # Measured on 3M line items: a doc_id lookup scans in 3–5 ms with or without the index,
    # and the index costs every load; DuckDB's zonemaps serve the loader's deletes.
    _migration(4, "drop the doc_id indexes of line_items and claims: no faster to read, "
                  "slower to load",
               "DROP INDEX IF EXISTS line_items_doc", "DROP INDEX IF EXISTS claims_doc"),
    # findings.column_name first arrived inside migration 1's DDL; as its own migration an
    # older file gains it too (IF NOT EXISTS: files made by that build have it already).
    _migration(5, "findings.column_name: the cell a table finding concerns"),
    _migration(6, "documents.extractor, stated_year, stated_kind: re-read unchanged files "
                  "when the extractor changes; keep the year the document states"),
    # 10–19: fetching from portals (issue 7).
    _migration(10, "discovered: what portal discovery found, unsupported attachments included"),
    # 30–39: extraction (issue 3).
    _migration(30, "line-item level and segment, claim base amounts and ratios, performance "
                   "targets",
               "CREATE INDEX IF NOT EXISTS performance_targets_doc ON performance_targets "
               "(doc_id)"),
    # 40–49: layout as data (issue 11).
    _migration(40, "table_columns: each column's role, additivity, confidence and evidence; "
                   "tables.confidence and unit_found"),
]
# Helpers append their migrations in their own number ranges; `migrate` applies this list in
# order, so keep it sorted by number (and the numbers unique).
MIGRATIONS.sort(key=lambda m: m[0])
if len({m[0] for m in MIGRATIONS}) != len(MIGRATIONS):
    raise ValueError("tasks/schema/migrations.py: two MIGRATIONS share a number; renumber the newer one")

# What the loader and migrate keep about the file itself (not part of the data).
BOOKKEEPING: dict[str, tuple[Column, ...]] = {
    "schema_version": (
        _c("version", "INTEGER", "number of an applied migration"),
        _c("description", "VARCHAR", "what it changed"),
        _c("applied_at", "TIMESTAMP", "when it was applied to this file (UTC)"),
    ),
    "schema_views": (
        _c("name", "VARCHAR", "a view or macro this module defines"),
        _c("sha256", "VARCHAR", "hash of its definition, to re-create it when it changes"),
        _c("applied_at", "TIMESTAMP", "when it was (re-)created in this file (UTC)"),
    ),
}
BOOKKEEPING_DOCS = {
    "schema_version": "the numbered migrations applied to this file",
    "schema_views": "the views and macros as last created in this file",
}


def bookkeeping_ddl(table: str) -> str:
    cols = ", ".join(f"{c.name} {c.sql}" for c in BOOKKEEPING[table])
    key = BOOKKEEPING[table][0].name
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({key}))"
