"""Staging: an extracted document written as Parquet files plus a meta.json under
`data/staging/<doc_id>/`, atomically. Extraction may run in many workers, each staging its
documents; the single writer (tasks/load.py) loads what is staged."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from tasks.contracts import (
    ExtractedDocument,
    FetchedFile,
    Kind,
    Source,
    document_id,
    failed_document_id,
)
from tasks.errors import StagingError, YusuanError
from tasks.schema import (
    STAGED,
    polars_schema,
)
from tasks.warehouse import utc_now

log = logging.getLogger(__name__)


# ---- staging --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Staged:
    """A document extracted and written to the staging folder, ready to load."""

    doc_id: str
    path: Path
    source: Source

    @classmethod
    def from_dir(cls, path: Path) -> Staged:
        """A staged document read back from its folder (for a loader that did not stage it)."""
        meta = _meta(path)
        src = meta["source"]
        source = Source(department=src["department"], name=src["name"], year=src["year"],
                        kind=Kind(src["kind"]), urls=tuple(src["urls"]))
        return cls(meta["doc_id"], path, source)


@dataclass(frozen=True)
class Failed:
    """A source that could not be fetched or extracted."""

    doc_id: str
    source: Source
    error: str
    files: tuple[FetchedFile, ...] = ()


def _meta(path: Path) -> dict[str, Any]:
    try:
        return json.loads((path / "meta.json").read_text())
    except FileNotFoundError:
        raise StagingError(f"{path}: no meta.json, so not a staged document; re-run the "
                           "ingest to stage it again") from None


def _frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = polars_schema(table)
    for row in rows:
        unknown = set(row) - set(schema)
        if unknown:
            raise ValueError(f"{table}: unknown column(s) {sorted(unknown)}")
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(
        schema=schema)


def _timestamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None) if value else None


def _source_meta(source: Source) -> dict[str, Any]:
    return {**asdict(source), "kind": source.kind.value, "urls": list(source.urls)}


def stage_frames(doc_id: str, frames: Mapping[str, pl.DataFrame], meta: Mapping[str, Any],
                 staging_dir: Path) -> Path:
    """Write one document's tables as Parquet plus a meta.json into `staging_dir/<doc_id>`.

    The folder appears whole or not at all: it is written under a private name and renamed,
    so a loader never sees half a document, and two workers staging the same document do
    not trip over each other. Frames must have exactly the schema's columns and types.
    """
    if set(frames) != set(STAGED):
        raise StagingError(f"{doc_id}: staged tables {sorted(frames)} are not {sorted(STAGED)}")
    for table in STAGED:
        if dict(frames[table].schema) != polars_schema(table):
            raise StagingError(f"{doc_id}: {table} has columns {dict(frames[table].schema)}, "
                               f"the schema says {polars_schema(table)}")
    staging_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{doc_id}.", dir=staging_dir))
    try:
        for table in STAGED:
            frames[table].write_parquet(tmp / f"{table}.parquet")
        (tmp / "meta.json").write_text(json.dumps(
            {**meta, "doc_id": doc_id, "staged_at": utc_now().isoformat()},
            ensure_ascii=False, indent=1))
        target = staging_dir / doc_id
        olds = _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)
    return target


def _swap_in(tmp: Path, target: Path) -> list[Path]:
    """Rename `tmp` to `target`, moving an existing `target` aside first. Another worker may
    be staging the same document at the same moment (same content): whoever renames last
    wins, and neither fails. Returns the folders moved aside, to delete."""
    olds = []
    for _ in range(20):
        old = target.with_name(f".{target.name}.old.{uuid.uuid4().hex}")  # threads share a pid
        try:
            target.rename(old)
            olds.append(old)
        except FileNotFoundError:
            pass
        try:
            tmp.rename(target)
            return olds
        except OSError:  # the other worker put its copy back in between: move that aside
            continue
    raise StagingError(f"{target}: could not replace the staged folder after 20 attempts; "
                       "is another process staging it in a loop?")


def stage(doc: ExtractedDocument, source: Source, files: Sequence[FetchedFile],
          staging_dir: Path) -> Staged:
    """Write one extracted document as Parquet files plus a meta.json, atomically."""
    d = doc.doc_id
    rows: dict[str, list[dict[str, Any]]] = {
        "files": [dict(doc_id=d, file_no=i, url=f.url, final_url=f.final_url,
                       http_status=f.http_status, etag=f.etag, last_modified=f.last_modified,
                       fetched_at=_timestamp(f.fetched_at), sha256=f.sha256, size=f.size,
                       path=str(f.path)) for i, f in enumerate(files, start=1)],
        "tables": [dict(doc_id=d, **asdict(t)) for t in doc.tables],
        "table_columns": [dict(doc_id=d, **asdict(c)) for c in doc.columns],
        "line_items": [dict(doc_id=d, **asdict(i)) for i in doc.line_items],
        "claims": [dict(doc_id=d, **{**asdict(c), "base": c.base.value if c.base else None})
                   for c in doc.claims],
        "claim_parts": [dict(doc_id=d, **asdict(p)) for p in doc.claim_parts],
        "facts": [dict(doc_id=d, fact_no=i, **asdict(f)) for i, f in enumerate(doc.facts, 1)],
        "sentences": [dict(doc_id=d, **asdict(s)) for s in doc.sentences],
        "performance_targets": [dict(doc_id=d, **asdict(p)) for p in doc.performance],
    }
    frames = {table: _frame(table, rows[table]) for table in STAGED}
    meta = {"page_count": doc.page_count, "warnings": list(doc.warnings),
            "source": _source_meta(source), "stated_year": doc.year, "stated_kind": doc.kind}
    return Staged(d, stage_frames(d, frames, meta, staging_dir), source)


def staged_documents(staging_dir: Path) -> list[Staged]:
    """Every document staged in a folder, oldest staging first (the order to load them in)."""
    found = []
    for meta in staging_dir.glob("*/meta.json"):
        if not meta.parent.name.startswith("."):
            found.append((_meta(meta.parent)["staged_at"], meta.parent.name, meta.parent))
    return [Staged.from_dir(path) for _, _, path in sorted(found)]


def sweep_leftovers(staging_dir: Path, older_than: float = 3600.0) -> list[Path]:
    """Delete what a killed worker left in the staging folder: its private `.<doc_id>.*`
    folders (being written, or moved aside to be deleted). Staged documents themselves are
    one folder per distinct document, replaced in place when re-extracted, so staging grows
    with the documents and nothing else. Only leftovers older than `older_than` seconds go:
    a younger one may belong to a worker that is still running."""
    if not staging_dir.is_dir():
        return []
    cutoff = time.time() - older_than
    swept = []
    for path in staging_dir.glob(".*"):
        try:
            if path.is_dir() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path)
                swept.append(path)
        except FileNotFoundError:  # another sweep or its own worker got there first
            continue
    if swept:
        log.info("staging: removed %d folder(s) left by interrupted workers", len(swept))
    return sorted(swept)


EXTRACTOR_MARKER = "extractor"  # the file in a staged folder naming the extractor (cache.py)


def staged_extractor(staged: Staged) -> str | None:
    """Which extractor wrote a staged document, if it says."""
    try:
        return (staged.path / EXTRACTOR_MARKER).read_text().strip() or None
    except FileNotFoundError:
        return None


def failed_fetch(source: Source, error: BaseException) -> Failed:
    """A source whose files could not be fetched."""
    return Failed(failed_document_id(source), source, str(error))


def failed_extraction(source: Source, files: Sequence[FetchedFile],
                      error: BaseException) -> Failed:
    """A source fetched but not extractable; an unexpected error is named as one."""
    message = str(error) if isinstance(error, YusuanError) else (
        f"internal error while extracting ({type(error).__name__}: {error}); the document "
        "was skipped — report it with the file's sha256")
    return Failed(document_id([f.sha256 for f in files]), source, message, tuple(files))
