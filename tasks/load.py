"""The single writer: load staged documents into the warehouse in one transaction each,
record failures, and write findings.

Only the loader writes the DuckDB file, because DuckDB allows one writing process, and it
holds the file only while it loads, so that analysts can open it read-only in between.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from tasks.contracts import (
    Finding,
    Source,
)
from tasks.errors import StagingError
from tasks.schema import (
    STAGED,
    columns,
    derived_columns,
)
from tasks.stage import (
    Failed,
    Staged,
    _meta,
    _timestamp,
    staged_documents,
    staged_extractor,
    sweep_leftovers,
)
from tasks.warehouse import connect, transaction, utc_now

if TYPE_CHECKING:
    from tasks.discover import Discovery

log = logging.getLogger(__name__)

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
         utc_now(), source.name, source.key, version, current, file_count,
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


def _label_warnings(source: Source, meta: dict[str, Any]) -> list[str]:
    """Where the document contradicts how the sources file labels it (crawlers mislabel)."""
    out = []
    if meta.get("stated_year") and meta["stated_year"] != source.year:
        out.append(f"the document states fiscal year {meta['stated_year']}, the sources file "
                   f"says {source.year}: check the source's `year`")
    if meta.get("stated_kind") and meta["stated_kind"] != source.kind.value:
        out.append(f"the document calls itself a {meta['stated_kind']}, the sources file says "
                   f"{source.kind.value}: check the source's `kind`")
    return out


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
    labels = _label_warnings(staged.source, meta)
    global _documents_begun
    _documents_begun += 1
    with transaction(con):
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
                                meta["page_count"], file_count, meta["warnings"] + labels, run_id,
                                extractor, (meta.get("stated_year"), meta.get("stated_kind")),
                                existing[1] if reread else None)
        _pause_point("commit", staged.doc_id)
    return LoadResult(staged.doc_id, staged.source, "reextracted" if reread else "loaded",
                      version, "; ".join(labels))


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
    with transaction(con):
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
    sweep_leftovers(staging_dir)
    staged = staged_documents(staging_dir)
    con = connect(warehouse, on_wait=on_wait)
    try:
        return [load_staged(con, s) for s in staged]
    finally:
        con.close()


# ---- discovery -----------------------------------------------------------------------------

def record_discovery(con: duckdb.DuckDBPyConnection, discovery: Discovery,
                     run_id: str | None = None) -> int:
    """Upsert what discovery found into `discovered`, keeping when each link was first seen."""
    now = utc_now()
    cols = columns("discovered")
    rows = [dict(portal=discovery.portal, url=d.url, status=d.status, source_key=d.source_key,
                 department=d.department, year=d.year, kind=d.kind, title=d.title,
                 article_url=d.article_url, file_no=d.file_no, link_text=d.link_text,
                 note=d.note or None, first_seen_at=now, last_seen_at=now, run_id=run_id)
            for d in discovery.found]
    keep = {"portal", "url", "first_seen_at"}
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in keep)
    with transaction(con):
        con.executemany(
            f"INSERT INTO discovered ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT (portal, url) DO UPDATE SET {updates}",
            [[row[c] for c in cols] for row in rows])
    return len(rows)


# ---- findings -------------------------------------------------------------------------------

def write_findings(con: duckdb.DuckDBPyConnection, department: str, year: int, doc_id: str,
                   prior_doc_id: str | None, findings: Sequence[Finding],
                   run_id: str | None = None) -> int:
    """Replace the findings of one department-year check with these, in one transaction."""
    now = utc_now()
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
    with transaction(con):
        con.execute("DELETE FROM findings WHERE department = ? AND year = ?", [department, year])
        if rows:
            con.executemany(
                f"INSERT INTO findings ({', '.join(columns('findings'))}) VALUES "
                f"({', '.join('?' * len(columns('findings')))})", rows)
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
