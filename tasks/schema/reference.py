"""The README's schema reference, generated from the tables, bookkeeping tables and views."""

from __future__ import annotations

from tasks.schema.migrations import BOOKKEEPING, BOOKKEEPING_DOCS
from tasks.schema.tables import TABLE_DOCS, TABLES, Column
from tasks.schema.views import MACROS, VIEWS

# ---- the README's schema reference ----------------------------------------------------------

def _column_lines(cols: tuple[Column, ...]) -> list[str]:
    return [f"- `{c.name}` {c.sql} — {c.doc}" + (" *(bookkeeping; not in checksums)*"
                                                  if c.volatile else "") for c in cols]


def reference() -> str:
    """The schema reference in Markdown: every table and view, one line per column."""
    out = ["Tables (money is `DECIMAL(24,6)` in 万元; `decimals` columns keep the printed "
           "precision):", ""]
    for table, cols in TABLES.items():
        out += [f"#### `{table}`: {TABLE_DOCS[table]}", "", *_column_lines(cols), ""]
    for table, cols in BOOKKEEPING.items():
        out += [f"#### `{table}`: {BOOKKEEPING_DOCS[table]}", "", *_column_lines(cols), ""]
    out += ["Macros:", ""]
    out += [f"- `{signature}`: {doc}" for signature, doc, _ in MACROS.values()]
    out += ["", "Views:", ""]
    for view in VIEWS:
        out += [f"#### `{view.name}`: {view.doc}", "", *_column_lines(view.columns), ""]
    return "\n".join(out).rstrip() + "\n"
