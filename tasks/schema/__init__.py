"""The warehouse schema, in one place.

- `tables`: every table and its columns (`TABLES`), the staging (Parquet) types derived
  from them;
- `migrations`: numbered migrations derived from each column's `since`, applied in order
  when a warehouse is opened for writing; `schema_version` records what has been applied;
- `views`: the analysts' views and macros, and per-table checksums;
- `reference`: the README's schema reference, generated.
"""

from tasks.schema.migrations import (
    BOOKKEEPING,
    BOOKKEEPING_DOCS,
    MIGRATIONS,
    Migration,
    bookkeeping_ddl,
    schema_changes,
)
from tasks.schema.reference import reference
from tasks.schema.tables import (
    MONEY,
    STAGED,
    TABLE_DOCS,
    TABLES,
    Column,
    columns,
    derived_columns,
    polars_schema,
    polars_type,
)
from tasks.schema.views import MACROS, VIEWS, View, definition_hash, view_definitions

__all__ = [
    "BOOKKEEPING", "BOOKKEEPING_DOCS", "MACROS", "MIGRATIONS", "MONEY", "STAGED", "TABLES",
    "TABLE_DOCS", "VIEWS", "Column", "Migration", "View", "bookkeeping_ddl", "columns",
    "definition_hash", "derived_columns", "polars_schema", "polars_type", "reference",
    "schema_changes", "view_definitions",
]
