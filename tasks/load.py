"""The warehouse side: open (and migrate) the DuckDB file, stage an extracted document as
Parquet, load staged documents in one transaction each, record failures and findings.

Extraction may run in many workers; each writes its document into the staging folder.
Only the loader writes the DuckDB file, because DuckDB allows one writing process.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from tasks.contracts import (
    ExtractedDocument,
    FetchedFile,
    Finding,
    Source,
    document_id,
    failed_document_id,
)
from tasks.errors import WarehouseLockedError, YusuanError
from tasks.schema import MIGRATIONS, STAGED, columns, polars_schema

log = logging.getLogger(__name__)

LOCK_RETRIES = 20
LOCK_WAIT_SECONDS = 0.5


# ---- connections ----------------------------------------------------------------------------

def connect(path: Path, read_only: bool = False, retries: int = LOCK_RETRIES
            ) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting (boundedly) for another writer's lock; migrate on write."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    delay = LOCK_WAIT_SECONDS
    for attempt in range(retries + 1):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or attempt == retries:
                if "lock" in str(exc).lower():
                    raise WarehouseLockedError(
                        f"{path}: another process holds the write lock ({exc}); wait for the "
                        "running ingest or compare-years to finish, or stop it, then retry"
                    ) from None
                raise
            time.sleep(delay)
            delay = min(delay * 1.5, 5.0)
    if not read_only:
        migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the numbered migrations the file has not seen yet; return their numbers."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)")
    done = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for number, description, statements in MIGRATIONS:
        if number in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for sql in statements:
                con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                        [number, description, _now()])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ---- staging --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Staged:
    """A document extracted and written to the staging folder, ready to load."""

    doc_id: str
    path: Path
    source: Source


@dataclass(frozen=True)
class Failed:
    """A source that could not be fetched or extracted."""

    doc_id: str
    source: Source
    error: str
    files: tuple[FetchedFile, ...] = ()


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


def stage(doc: ExtractedDocument, source: Source, files: Sequence[FetchedFile],
          staging_dir: Path) -> Staged:
    """Write one extracted document as Parquet files plus a meta.json, atomically."""
    target = staging_dir / doc.doc_id
    tmp = staging_dir / f".{doc.doc_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    d = doc.doc_id
    rows: dict[str, list[dict[str, Any]]] = {
        "files": [dict(doc_id=d, file_no=i, url=f.url, final_url=f.final_url,
                       http_status=f.http_status, etag=f.etag, last_modified=f.last_modified,
                       fetched_at=_timestamp(f.fetched_at), sha256=f.sha256, size=f.size,
                       path=str(f.path)) for i, f in enumerate(files, start=1)],
        "tables": [dict(doc_id=d, **asdict(t)) for t in doc.tables],
        "line_items": [dict(doc_id=d, **asdict(i)) for i in doc.line_items],
        "claims": [dict(doc_id=d, **{**asdict(c), "base": c.base.value if c.base else None})
                   for c in doc.claims],
        "claim_parts": [dict(doc_id=d, **asdict(p)) for p in doc.claim_parts],
        "facts": [dict(doc_id=d, fact_no=i, **asdict(f)) for i, f in enumerate(doc.facts, 1)],
        "sentences": [dict(doc_id=d, **asdict(s)) for s in doc.sentences],
        "performance_targets": [dict(doc_id=d, **asdict(p)) for p in doc.performance],
    }
    for table in STAGED:
        _frame(table, rows[table]).write_parquet(tmp / f"{table}.parquet")
    meta = {"doc_id": d, "page_count": doc.page_count, "warnings": list(doc.warnings),
            "source": {**asdict(source), "kind": source.kind.value, "urls": list(source.urls)}}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return Staged(d, target, source)


# ---- loading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadResult:
    doc_id: str
    source: Source
    status: str  # loaded | unchanged | failed
    version: int | None
    detail: str = ""

    @property
    def source_key(self) -> str:
        return self.source.key


def _document_row(con: duckdb.DuckDBPyConnection, doc_id: str, source: Source, status: str,
                  error: str | None, page_count: int | None, file_count: int,
                  warnings: Iterable[str], run_id: str | None) -> int | None:
    version = None
    if status == "loaded":
        version = con.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM documents WHERE source_key = ? "
            "AND status = 'loaded'", [source.key]).fetchone()[0]
        con.execute("UPDATE documents SET is_current = false WHERE source_key = ?",
                    [source.key])
    con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])
    con.execute(
        f"INSERT INTO documents ({', '.join(columns('documents'))}) VALUES "
        f"({', '.join('?' * len(columns('documents')))})",
        [doc_id, source.department, source.year, source.kind.value, status, error, page_count,
         _now(), source.name, source.key, version, status == "loaded", file_count,
         "\n".join(warnings) or None, run_id])
    return version


def load_staged(con: duckdb.DuckDBPyConnection, staged: Staged, run_id: str | None = None
                ) -> LoadResult:
    """Load one staged document in a single transaction. Loading it again changes nothing."""
    existing = con.execute("SELECT version FROM documents WHERE doc_id = ? AND status = 'loaded'",
                           [staged.doc_id]).fetchone()
    if existing:
        return LoadResult(staged.doc_id, staged.source, "unchanged", existing[0])
    meta = json.loads((staged.path / "meta.json").read_text())
    con.execute("BEGIN TRANSACTION")
    try:
        for table in STAGED:
            file = staged.path / f"{table}.parquet"
            found = pl.read_parquet_schema(file)
            if list(found) != columns(table):
                raise ValueError(f"{file}: columns {list(found)} do not match the schema of "
                                 f"{table}; re-extract the document")
            con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [staged.doc_id])
            cols = ", ".join(columns(table))
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet(?)",
                        [str(file)])
        file_count = con.execute("SELECT count(*) FROM files WHERE doc_id = ?",
                                 [staged.doc_id]).fetchone()[0]
        version = _document_row(con, staged.doc_id, staged.source, "loaded", None,
                                meta["page_count"], file_count, meta["warnings"], run_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LoadResult(staged.doc_id, staged.source, "loaded", version)


def record_failure(con: duckdb.DuckDBPyConnection, failed: Failed, run_id: str | None = None
                   ) -> LoadResult:
    """Record a document that failed, with its message; earlier versions stay current."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table in STAGED:
            con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [failed.doc_id])
        for i, f in enumerate(failed.files, start=1):
            con.execute(
                f"INSERT INTO files ({', '.join(columns('files'))}) VALUES "
                f"({', '.join('?' * len(columns('files')))})",
                [failed.doc_id, i, f.url, f.final_url, f.http_status, f.etag, f.last_modified,
                 _timestamp(f.fetched_at), f.sha256, f.size, str(f.path)])
        con.execute("DELETE FROM documents WHERE doc_id = ? AND status = 'failed'",
                    [failed.doc_id])
        if not con.execute("SELECT 1 FROM documents WHERE doc_id = ?",
                           [failed.doc_id]).fetchone():
            _document_row(con, failed.doc_id, failed.source, "failed", failed.error, None,
                          len(failed.files), [], run_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LoadResult(failed.doc_id, failed.source, "failed", None, failed.error)


# ---- findings -------------------------------------------------------------------------------

def write_findings(con: duckdb.DuckDBPyConnection, department: str, year: int, doc_id: str,
                   prior_doc_id: str | None, findings: Sequence[Finding],
                   run_id: str | None = None) -> int:
    """Replace the findings of one department-year check with these, in one transaction."""
    now = _now()
    rows = []
    seen = set()
    for f in findings:
        fid = f.finding_id(department, year, doc_id)
        if fid in seen:
            continue
        seen.add(fid)
        rows.append([fid, department, year, doc_id, prior_doc_id, f.rule, f.severity.value,
                     f.subject, f.code, f.stated, f.expected, f.message, f.page, f.evidence,
                     f.table_kind, f.column_name, run_id, now])
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM findings WHERE department = ? AND year = ?", [department, year])
        if rows:
            con.executemany(
                f"INSERT INTO findings ({', '.join(columns('findings'))}) VALUES "
                f"({', '.join('?' * len(columns('findings')))})", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)


# ---- Prefect edge ---------------------------------------------------------------------------

@task(name="load", cache_policy=NO_CACHE)
def load_task(outcomes: Sequence[Staged | Failed], warehouse: Path) -> list[LoadResult]:
    """The single writer: load staged documents and record failures, one transaction each."""
    logger = get_run_logger()
    run_id = str(flow_run.id) if flow_run.id else None
    results = []
    con = connect(warehouse)
    try:
        for outcome in outcomes:
            if isinstance(outcome, Staged):
                result = load_staged(con, outcome, run_id)
                logger.info("%s: %s (document %s, version %s)", result.source_key,
                            result.status, result.doc_id[:12], result.version)
            else:
                result = record_failure(con, outcome, run_id)
                logger.warning("%s: failed: %s", result.source_key, result.detail)
            results.append(result)
    finally:
        con.close()
    return results


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


def staged_unchanged(source: Source, files: Sequence[FetchedFile], staging_dir: Path
                     ) -> Staged | None:
    """The staged document of an earlier run, when every file came back 304 Not Modified:
    the same bytes need no second extraction."""
    if not files or not all(f.not_modified for f in files):
        return None
    doc_id = document_id([f.sha256 for f in files])
    path = staging_dir / doc_id
    return Staged(doc_id, path, source) if (path / "meta.json").exists() else None
