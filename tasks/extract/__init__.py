"""Turn a disclosure's PDF files into typed records with provenance.

`extract_document` is the one entry point. Pages are read once (pdf.py); grids become
logical tables (tables.py), their rows line items with codes and levels (rows.py; which rows
add up to which is known in one place, tasks/checks/structure.py) or performance targets
(performance.py). The text outside tables becomes paragraphs, sections and sentences
(narrative.py), then claims (claims.py; clauses.py cuts sentences into clauses, grammar.py
reads the figures, subjects.py the subjects and codes, allocations.py lists and project
blocks) and facts (facts.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks.cache import mark_extracted
from tasks.config import load_layouts
from tasks.contracts import (
    ExtractedDocument,
    FetchedFile,
    NarrativeSentence,
    Source,
    document_id,
)
from tasks.errors import ExtractionError
from tasks.extract import rows as rows_mod
from tasks.extract import tables as tables_mod
from tasks.extract.claims import NameIndex, parse_sections
from tasks.extract.facts import parse_facts, unit_list_tables
from tasks.extract.narrative import department_name, document_identity
from tasks.extract.narrative import sections as narrative_sections
from tasks.extract.pdf import read_pages
from tasks.extract.performance import performance_targets
from tasks.stage import Staged, stage


def extract_document(doc_id: str, paths: Sequence[Path],
                     labels: Sequence[str] | None = None) -> ExtractedDocument:
    """Read every table, claim and fact of one disclosure (one or several PDF files).

    `labels` name the files in error messages (their URLs); default: the file names.
    """
    layouts = load_layouts()
    pages = list(read_pages(paths, labels))
    if not pages:
        raise ExtractionError(f"{', '.join(labels or [p.name for p in paths])}: no pages")
    raw_tables = tables_mod.assemble(pages, layouts)
    pending = []
    infos = []
    targets = []
    columns = []
    for table in raw_tables:
        if table.kind.slug in tables_mod.KEEP_ALL_ROWS:
            found = performance_targets(table)
            targets.extend(found)
            infos.append(tables_mod.table_info(table, len(found)))
            continue
        items = rows_mod.line_items(table, layouts)
        columns.extend(table.columns)
        pending.extend(items)
        infos.append(tables_mod.table_info(table, len(items)))
    line_items, warnings = rows_mod.recover_codes(pending)
    sideways = [p.number for p in pages if p.sideways]
    if sideways:
        warnings.append(f"pages {', '.join(map(str, sideways))}: text printed sideways; "
                        "tables and sentences there may be misread")
    sections = narrative_sections(pages, layouts)
    year, kind = document_identity(pages)
    claims, parts = parse_sections(sections, NameIndex(line_items), year, kind, layouts,
                                   department_name(pages))
    facts = parse_facts(sections)
    if not any(f.kind == "unit" for f in facts):
        facts += unit_list_tables(pages)
    sentences = []
    for section in sections:
        for sentence in section.sentences:
            sentences.append(NarrativeSentence(len(sentences) + 1, section.part, section.path,
                                               section.heading, section.scope, sentence.page,
                                               sentence.text))
    return ExtractedDocument(
        doc_id=doc_id, page_count=len(pages), line_items=tuple(line_items),
        claims=tuple(claims), claim_parts=tuple(parts), facts=tuple(facts),
        tables=tuple(infos), sentences=tuple(sentences), warnings=tuple(warnings),
        performance=tuple(targets), kind=kind, year=year, columns=tuple(columns))


# ---- Prefect edge ---------------------------------------------------------------------------

# Prefect's own cache is off: the staging folder is the cache (tasks/cache.py), checked by the
# flow before it submits, so an unchanged document costs no task run and no worker at all.
# No retries either: a file that failed to extract fails the same way the next time.
@task(name="extract", cache_policy=NO_CACHE)
def extract_task(source: Source, files: tuple[FetchedFile, ...], staging_dir: Path) -> Staged:
    """Extract one disclosure and stage it as Parquet for the single writer."""
    doc_id = document_id([f.sha256 for f in files])
    doc = extract_document(doc_id, [f.path for f in files], [f.url for f in files])
    get_run_logger().info(
        "%s: %d pages, %d tables, %d line items, %d claims, %d facts", source.key,
        doc.page_count, len(doc.tables), len(doc.line_items), len(doc.claims), len(doc.facts))
    return mark_extracted(stage(doc, source, files, staging_dir))
