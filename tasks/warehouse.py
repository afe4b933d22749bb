"""The warehouse file: open it (waiting boundedly for another writer's lock), migrate it,
and checksum its tables. DuckDB allows one writing process; writers hold the file only while
they write, so that analysts can open it read-only in between."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tasks.config import lock_wait_seconds
from tasks.errors import SchemaError, WarehouseLockedError
from tasks.schema import (
    MIGRATIONS,
    bookkeeping_ddl,
    definition_hash,
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
    now = utc_now()
    with transaction(con):
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


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back if anything in it (or the
    commit) raises. A process killed inside it leaves nothing: DuckDB rolls it back on open."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def utc_now() -> datetime:
    """Now, in UTC, as the naive timestamp the warehouse stores."""
    return datetime.now(UTC).replace(tzinfo=None)
