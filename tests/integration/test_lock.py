"""A locked warehouse: opening it waits a bounded time, then fails naming the holder and what
to do; readers get in as soon as the writer is done. A real `yusuan load` holds the lock."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tasks.errors import WarehouseLockedError
from tasks.warehouse import connect
from warehouse_docs import document, item, source, stage_all, wait_for_file, yusuan_load


def test_locked_warehouse_waits_then_fails_naming_the_holder(tmp_path: Path) -> None:
    staging, warehouse, flag = tmp_path / "staging", tmp_path / "w.duckdb", tmp_path / "paused"
    stage_all(staging, [(document([item("2080101", "行政运行", "1.00")]), source())])
    writer = yusuan_load(staging, warehouse, {"YUSUAN_LOAD_PAUSE_AT": "tables",
                                              "YUSUAN_LOAD_PAUSE_FILE": str(flag)})
    try:
        wait_for_file(flag, writer)
        waits: list[str] = []
        for read_only in (False, True):  # DuckDB refuses readers too while a writer holds it
            started = time.monotonic()
            with pytest.raises(WarehouseLockedError) as caught:
                connect(warehouse, read_only=read_only, wait_seconds=1.0, on_wait=waits.append)
            waited = time.monotonic() - started
            assert 1.0 <= waited < 5.0
            message = str(caught.value)
            assert f"locked by PID {writer.pid} (" in message
            assert "yusuan load --staging" in message  # the holder's command line
            assert "Let it finish or close it, then run again" in message
            assert "YUSUAN_LOCK_WAIT" in message
        assert len(waits) == 2 and f"locked by PID {writer.pid}" in waits[0]
    finally:
        flag.unlink(missing_ok=True)
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    # Released: a reader opens at once.
    con = connect(warehouse, read_only=True, wait_seconds=0)
    try:
        assert con.execute("SELECT count(*) FROM line_items").fetchone()[0] == 1
    finally:
        con.close()
