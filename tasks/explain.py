"""`yusuan explain-table DOC PAGE`: how yusuan read the tables on one page, the first tool
when a finding looks wrong.

It prints each table that covers the page: its title, kind, pages and unit (and whether the
unit was printed), the header rows as printed, every column's role with the evidence that
decided it and its confidence, and the identities checked (parent = Σ children, total column
= Σ parts) with the ones that fail. DOC is a PDF (several files of one disclosure: comma-
separated, narrative first) or a document id (a prefix will do) in the warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tasks.checks import table_unreadable
from tasks.checks.base import DocData
from tasks.checks.tables import tables_of
from tasks.compare import checks_config
from tasks.config import load_layouts
from tasks.errors import YusuanError
from tasks.extract import rows as rows_mod
from tasks.extract import tables as tables_mod
from tasks.extract.layout import CONFIDENT, table_confidence
from tasks.extract.pdf import read_pages

# How many failing identities to list per table.
SHOWN = 12


def resolve(doc: str, warehouse: Path | None) -> list[Path]:
    """The PDF files of DOC: paths as given, else the raw files of a loaded document."""
    paths = [Path(p) for p in doc.split(",")]
    if all(p.is_file() for p in paths):
        return paths
    if warehouse is None or not warehouse.exists():
        raise YusuanError(f"{doc}: no such file, and no warehouse to look a document id up "
                          "in; pass a PDF path or --warehouse")
    from tasks.warehouse import connect

    con = connect(warehouse, read_only=True)
    try:
        rows = con.execute(
            "SELECT doc_id, file_no, path FROM files WHERE doc_id LIKE ? || '%' "
            "ORDER BY doc_id, file_no", [doc]).fetchall()
    finally:
        con.close()
    ids = sorted({r[0] for r in rows})
    if not ids:
        raise YusuanError(f"{doc}: no such file, and no document with that id in {warehouse}")
    if len(ids) > 1:
        raise YusuanError(f"{doc}: the id prefix names {len(ids)} documents "
                          f"({', '.join(i[:12] for i in ids[:5])}…); give more of it")
    files = [Path(r[2]) for r in rows]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise YusuanError(f"{doc}: the raw file(s) {', '.join(missing)} are not on this "
                          "machine; fetch the document again or pass its PDF path")
    return files


def explain(paths: Sequence[Path], page: int) -> str:
    """The report on every table covering `page`."""
    layouts = load_layouts()
    pages = list(read_pages(paths))
    if not 1 <= page <= len(pages):
        raise YusuanError(f"page {page}: the document has pages 1–{len(pages)}")
    raw = [t for t in tables_mod.assemble(pages, layouts)
           if t.first_page <= page <= (t.last_page or t.first_page)]
    if not raw:
        grids = sum(len(p.grids) for p in pages if p.number == page)
        return (f"p.{page}: no standard table covers this page ({grids} ruled grid(s) found "
                "on it, none under a title config/tables.toml knows, nor continuing one)")
    rule = checks_config().rule(table_unreadable.SLUG)
    out = []
    for table in raw:
        header_rows = sorted(table.header_texts - {""})
        items = [i for i, _ in rows_mod.line_items(table, layouts)]
        info = tables_mod.table_info(table, len(items))
        out.append(f"table {table.table_no}: {table.title} [{table.kind.slug}] "
                   f"p.{table.first_page}–{table.last_page}, unit {table.unit}"
                   f"{'' if table.unit_found else ' (not printed: assumed)'}, "
                   f"{len(table.rows)} rows, {len(items)} line items")
        out.append(f"  header texts: {' | '.join(header_rows) or '(none)'}")
        out.append("  columns (no, header path, role, key, additive, confidence: evidence):")
        for col in table.columns:
            out.append(f"    {col.column_no:>2} {col.header_path or '(blank)'!s:<34} "
                       f"{col.role:<13} {col.column_key or '-':<14} "
                       f"{'additive' if col.additive else '-':<8} {col.confidence:.2f}: "
                       f"{col.evidence}")
        score = table_confidence(table.columns, table.unit_found)
        out.append(f"  confidence {score:.2f} ({'read with confidence' if score >= CONFIDENT else 'NOT read with confidence'})")
        out.extend(_identities(table.table_no, items, table.columns, rule, info))
    return "\n".join(out)


def _identities(no, items, columns, rule, info) -> list[str]:
    if not items:
        return ["  identities: none (no line items)"]
    (table,) = tables_of(items, columns)
    doc = DocData("-", "-", 0, "budget", "-", line_items=items, tables=[info],
                  columns=list(columns))
    ok, checked = table_unreadable.identities(table, tuple(rule.param("memo_groups")))
    out = [f"  identities: {ok}/{checked} hold (parent = Σ children, total column = Σ parts)"]
    from tasks.checks.tables import table_sum_checks
    failing = [c for c in table_sum_checks(table) if not c.ok]
    for c in failing[:SHOWN]:
        out.append(f"    ✗ p.{c.page} {c.parent.label} [{c.column_name}]: {c.stated} ≠ "
                   f"Σ{len(c.parts)} {c.total}")
    if len(failing) > SHOWN:
        out.append(f"    … {len(failing) - SHOWN} more")
    why = table_unreadable.assess(doc, rule).get(no)
    out.append(f"  table-unreadable: {why}" if why else
               "  table-unreadable: no (errors from this table are raised)")
    return out
