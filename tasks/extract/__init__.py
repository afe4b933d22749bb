"""Turn a disclosure's PDF files into typed records with provenance.

`extract_document` is the one entry point: pages are read once (pdf.py), grids become
logical tables and line items (tables.py), the text outside tables becomes sections of
sentences (narrative.py), claims (claims.py) and facts (facts.py).
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
from tasks.extract import tables as tables_mod
from tasks.extract.claims import NameIndex, parse_sections
from tasks.extract.facts import parse_facts
from tasks.extract.narrative import sections as narrative_sections
from tasks.extract.pdf import read_pages
from tasks.load import Staged, stage


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
    for table in raw_tables:
        items = tables_mod.line_items(table)
        pending.extend(items)
        infos.append(tables_mod.table_info(table, len(items)))
    line_items, warnings = tables_mod.recover_codes(pending)
    sections = narrative_sections(pages, layouts)
    claims, parts = parse_sections(sections, NameIndex(line_items))
    facts = parse_facts(sections)
    sentences = []
    for section in sections:
        for sentence in section.sentences:
            sentences.append(NarrativeSentence(len(sentences) + 1, section.part, section.path,
                                               section.heading, section.scope, sentence.page,
                                               sentence.text))
    return ExtractedDocument(
        doc_id=doc_id, page_count=len(pages), line_items=tuple(line_items),
        claims=tuple(claims), claim_parts=tuple(parts), facts=tuple(facts),
        tables=tuple(infos), sentences=tuple(sentences), warnings=tuple(warnings))


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
