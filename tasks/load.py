"""The warehouse side: open (and migrate) the DuckDB file, stage an extracted document as
Parquet, load staged documents in one transaction each, record failures and findings.

Extraction may run in many workers; each writes its document into the staging folder.
Only the loader writes the DuckDB file, because DuckDB allows one writing process, and it
holds the file only while it loads, so that analysts can open it read-only in between.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from tasks.config import lock_wait_seconds
from tasks.contracts import (
    ExtractedDocument,
    FetchedFile,
    Finding,
    Kind,
    Source,
    document_id,
    failed_document_id,
)
from tasks.errors import SchemaError, StagingError, WarehouseLockedError, YusuanError
from tasks.schema import (
    MIGRATIONS,
    STAGED,
    bookkeeping_ddl,
    columns,
    definition_hash,
    derived_columns,
    polars_schema,
    view_definitions,
)

log = logging.getLogger(__name__)


# ---- connections ----------------------------------------------------------------------------

_LOCK_HOLDER = re.compile(r"PID (\d+)")


def _lock_holder(message: str) -> str:
    """Who holds the lock, from DuckDB's message ("… is held in <exe> (PID 123)")."""
    match = _LOCK_HOLDER.search(message)
    if not match:
        return "another process"
    pid = match.group(1)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:  # not on this machine, or already gone
        return f"PID {pid}"
    cmdline = cmdline.strip()
    return f"PID {pid} ({cmdline[:160] + '…' if len(cmdline) > 160 else cmdline})"


def _is_lock_error(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def connect(path: Path, read_only: bool = False, wait_seconds: float | None = None,
            on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; wait (boundedly) while another process holds it; migrate on write.

    Close the connection as soon as the work is done: while it is open, no other process
    can open the file, not even read-only.
    """
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    budget = lock_wait_seconds() if wait_seconds is None else wait_seconds
    started = time.monotonic()
    delay, attempts = 0.1, 0
    while True:
        attempts += 1
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            waited = time.monotonic() - started
            holder = _lock_holder(str(exc))
            if waited >= budget:
                raise WarehouseLockedError(
                    f"{path}: locked by {holder}; gave up after {waited:.1f} s and {attempts} "
                    "attempts. It is another ingest or compare-years run, or a program that "
                    "opened the file (a DuckDB shell or notebook keeps it locked until it "
                    "closes, even read-only). Let it finish or close it, then run again; "
                    "raise YUSUAN_LOCK_WAIT (seconds) to wait longer") from None
            if attempts == 1 and on_wait is not None:
                on_wait(f"{path} is locked by {holder}; waiting up to {budget:.0f} s")
            time.sleep(min(delay, max(budget - waited, 0.01)))
            delay = min(delay * 1.5, 2.0)
    try:
        if read_only:
            _check_schema(con, path)
        else:
            migrate(con)
    except BaseException:
        con.close()
        raise
    return con


def _applied(con: duckdb.DuckDBPyConnection) -> set[int]:
    return {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}


def _unknown_migrations(path: Path | str, done: set[int]) -> None:
    unknown = sorted(done - {m.number for m in MIGRATIONS})
    if unknown:
        raise SchemaError(
            f"{path}: the warehouse has schema migration(s) {unknown} that this yusuan does "
            "not know: it was written by a newer version. Upgrade yusuan before using it")


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A read-only connection cannot upgrade the file: say so instead of failing later."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    done = _applied(con) if "schema_version" in tables else set()
    _unknown_migrations(path, done)
    missing = sorted({m.number for m in MIGRATIONS} - done)
    if missing:
        raise SchemaError(
            f"{path}: the warehouse lacks schema migration(s) {missing} and is open read-only; "
            "open it once for writing (any `yusuan ingest` or `yusuan compare-years` run "
            "upgrades it in place), then read it")


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Bring the file to the current schema in one transaction; return the migrations applied.

    Missing numbered migrations run in numeric order, then the views and macros are
    re-created if their definitions changed. `upto` stops at a migration number and leaves
    the views alone: it builds warehouses at an older schema version, for tests.
    """
    con.execute(bookkeeping_ddl("schema_version"))
    con.execute(bookkeeping_ddl("schema_views"))
    done = _applied(con)
    _unknown_migrations(con.execute("PRAGMA database_list").fetchone()[2] or "warehouse", done)
    pending = sorted((m for m in MIGRATIONS if m.number not in done
                      and (upto is None or m.number <= upto)), key=lambda m: m.number)
    wanted = {} if upto is not None else view_definitions()
    recorded = dict(con.execute("SELECT name, sha256 FROM schema_views").fetchall())
    views_stale = upto is None and recorded != {n: definition_hash(s) for n, s in wanted.items()}
    if not pending and not views_stale:
        return []
    now = _now()
    con.execute("BEGIN TRANSACTION")
    try:
        for name in set(recorded) - set(wanted) if views_stale else ():
            _drop_definition(con, name)
        for migration in pending:
            for sql in migration.statements:
                con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                        [migration.number, migration.description, now])
        if views_stale:
            for sql in wanted.values():
                con.execute(sql)
            con.execute("DELETE FROM schema_views")
            con.executemany("INSERT INTO schema_views VALUES (?, ?, ?)",
                            [[n, definition_hash(s), now] for n, s in wanted.items()])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [m.number for m in pending]


def _drop_definition(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a view or macro that an earlier version defined and this one no longer does."""
    if con.execute("SELECT 1 FROM duckdb_views() WHERE view_name = ? AND NOT internal",
                   [name]).fetchone():
        con.execute(f'DROP VIEW "{name}"')
    elif con.execute("SELECT 1 FROM duckdb_functions() WHERE function_name = ? AND "
                     "function_type = 'macro' AND NOT internal", [name]).fetchone():
        con.execute(f'DROP MACRO "{name}"')
    elif con.execute("SELECT 1 FROM duckdb_functions() WHERE function_name = ? AND "
                     "function_type = 'table_macro' AND NOT internal", [name]).fetchone():
        con.execute(f'DROP MACRO TABLE "{name}"')


def checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """Rows and content checksum of every table (see the `table_checksums` view)."""
    rows = con.execute("SELECT table_name, row_count, checksum FROM table_checksums").fetchall()
    return {table: (count, digest) for table, count, digest in rows}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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
            {**meta, "doc_id": doc_id, "staged_at": _now().isoformat()},
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


# ---- loading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadResult:
    doc_id: str
    source: Source
    status: str  # loaded | reextracted | unchanged | failed
    version: int | None
    detail: str = ""

    @property
    def source_key(self) -> str:
        return self.source.key


def _document_row(con: duckdb.DuckDBPyConnection, doc_id: str, source: Source, status: str,
                  error: str | None, page_count: int | None, file_count: int,
                  warnings: Iterable[str], run_id: str | None, extractor: str | None = None,
                  stated: tuple[int | None, str | None] = (None, None),
                  version: int | None = None) -> int | None:
    """Write the document's row. A new loaded document becomes the next, current version;
    given `version`, the row is rewritten in place (re-extraction of the same content)."""
    if status == "loaded" and version is None:
        version = con.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM documents WHERE source_key = ? "
            "AND status = 'loaded'", [source.key]).fetchone()[0]
        con.execute("UPDATE documents SET is_current = false WHERE source_key = ? "
                    "AND is_current", [source.key])
        current = True
    else:
        row = con.execute("SELECT is_current FROM documents WHERE doc_id = ?",
                          [doc_id]).fetchone()
        current = bool(row and row[0]) and status == "loaded"
    con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])
    con.execute(
        f"INSERT INTO documents ({', '.join(columns('documents'))}) VALUES "
        f"({', '.join('?' * len(columns('documents')))})",
        [doc_id, source.department, source.year, source.kind.value, status, error, page_count,
         _now(), source.name, source.key, version, current, file_count,
         "\n".join(warnings) or None, run_id, extractor, *stated])
    return version


# Test hook, honest about what it does: with YUSUAN_LOAD_PAUSE_AT=<table or "commit">,
# YUSUAN_LOAD_PAUSE_FILE=<path> and optionally YUSUAN_LOAD_PAUSE_DOC=<n> (default 1), the
# n-th document this process loads stops right after inserting that table (inside its open
# transaction), writes the file, and waits until the file is removed. Tests kill the process
# there (SIGKILL mid-document) or hold the lock with it.
_documents_begun = 0


def _pause_point(point: str, doc_id: str) -> None:
    if os.environ.get("YUSUAN_LOAD_PAUSE_AT") != point or \
            _documents_begun != int(os.environ.get("YUSUAN_LOAD_PAUSE_DOC", "1")):
        return
    flag = Path(os.environ["YUSUAN_LOAD_PAUSE_FILE"])
    flag.write_text(f"{os.getpid()} {doc_id} {point}\n")
    deadline = time.monotonic() + 300
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def _check_staged(staged: Staged) -> None:
    for table in STAGED:
        file = staged.path / f"{table}.parquet"
        try:
            found = list(pl.read_parquet_schema(file))
        except FileNotFoundError:
            raise StagingError(f"{file}: missing; re-run the ingest to stage {staged.source.key} "
                               "again") from None
        if found != columns(table):
            raise StagingError(f"{file}: columns {found} do not match the schema of {table} "
                               f"({columns(table)}); it was staged by another version of "
                               "yusuan: re-run the ingest to stage it again")


EXTRACTOR_MARKER = "extractor"  # the file in a staged folder naming the extractor (cache.py)


def staged_extractor(staged: Staged) -> str | None:
    """Which extractor wrote a staged document, if it says."""
    try:
        return (staged.path / EXTRACTOR_MARKER).read_text().strip() or None
    except FileNotFoundError:
        return None


def load_staged(con: duckdb.DuckDBPyConnection, staged: Staged, run_id: str | None = None
                ) -> LoadResult:
    """Load one staged document in a single transaction. Loading it again changes nothing.

    A document whose content is already loaded, by the same extractor, is left as it is: the
    same file published again is not a new version. Read again by a new extractor, its rows
    are replaced in place (status `reextracted`, same version). Killed at any point, the
    load leaves nothing of the document (DuckDB rolls the open transaction back on the next
    open) and the next run loads it.
    """
    existing = con.execute("SELECT status, version, extractor FROM documents WHERE doc_id = ?",
                           [staged.doc_id]).fetchone()
    extractor = staged_extractor(staged)
    reread = bool(existing and existing[0] == "loaded" and extractor
                  and extractor != existing[2])
    if existing and existing[0] == "loaded" and not reread:
        return LoadResult(staged.doc_id, staged.source, "unchanged", existing[1])
    _check_staged(staged)
    meta = _meta(staged.path)
    global _documents_begun
    _documents_begun += 1
    con.execute("BEGIN TRANSACTION")
    try:
        if existing:  # failed before, or read by another extractor: its rows go first
            for table in STAGED:
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [staged.doc_id])
        for table in STAGED:
            cols = ", ".join(columns(table))
            derived = derived_columns(table)
            names = "".join(f", {name}" for name, _ in derived)
            exprs = "".join(f", {sql}" for _, sql in derived)
            con.execute(f"INSERT INTO {table} ({cols}{names}) SELECT {cols}{exprs} "
                        "FROM read_parquet(?)", [str(staged.path / f"{table}.parquet")])
            _pause_point(table, staged.doc_id)
        file_count = con.execute("SELECT count(*) FROM files WHERE doc_id = ?",
                                 [staged.doc_id]).fetchone()[0]
        version = _document_row(con, staged.doc_id, staged.source, "loaded", None,
                                meta["page_count"], file_count, meta["warnings"], run_id,
                                extractor, (meta.get("stated_year"), meta.get("stated_kind")),
                                existing[1] if reread else None)
        _pause_point("commit", staged.doc_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LoadResult(staged.doc_id, staged.source, "reextracted" if reread else "loaded",
                      version)


def record_failure(con: duckdb.DuckDBPyConnection, failed: Failed, run_id: str | None = None
                   ) -> LoadResult:
    """Record a document that failed, with its message; earlier versions stay current.

    If this very content is already loaded (it loaded before, and now fails), the loaded
    rows are kept: a failure never removes data.
    """
    loaded = con.execute("SELECT version FROM documents WHERE doc_id = ? AND status = 'loaded'",
                         [failed.doc_id]).fetchone()
    if loaded:
        return LoadResult(failed.doc_id, failed.source, "failed", None,
                          f"{failed.error} (the version loaded earlier, v{loaded[0]}, is kept)")
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
        _document_row(con, failed.doc_id, failed.source, "failed", failed.error, None,
                      len(failed.files), [], run_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LoadResult(failed.doc_id, failed.source, "failed", None, failed.error)


def load_all(con: duckdb.DuckDBPyConnection, outcomes: Sequence[Staged | Failed],
             run_id: str | None = None) -> list[LoadResult]:
    """Load staged documents and record failures, one transaction each, in a fixed order.

    The order is by source and document, not by which worker finished first, so parallel
    and serial extraction load the same warehouse.
    """
    results = []
    for outcome in sorted(outcomes, key=lambda o: (o.source.key, o.doc_id)):
        if isinstance(outcome, Staged):
            results.append(load_staged(con, outcome, run_id))
        else:
            results.append(record_failure(con, outcome, run_id))
    return results


def load_staging(warehouse: Path, staging_dir: Path,
                 on_wait: Callable[[str], None] | None = None) -> list[LoadResult]:
    """Load every document staged in a folder that is not loaded yet; hold the file only
    while loading. What a re-run after a crash or a stand-alone writer does."""
    if not staging_dir.is_dir():
        raise StagingError(f"{staging_dir}: no staging folder; run `yusuan ingest` (it stages "
                           "every document it extracts), or pass the folder with --staging")
    staged = staged_documents(staging_dir)
    con = connect(warehouse, on_wait=on_wait)
    try:
        return [load_staged(con, s) for s in staged]
    finally:
        con.close()


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
                     f.table_kind, run_id, now, f.claim_id, f.column_name])
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
    con = connect(warehouse, on_wait=logger.warning)
    try:
        results = load_all(con, outcomes, run_id)
    finally:
        con.close()
    for result in results:
        if result.status == "failed":
            logger.warning("%s: failed: %s", result.source_key, result.detail)
        else:
            logger.info("%s: %s (document %s, version %s)", result.source_key, result.status,
                        result.doc_id[:12], result.version)
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

