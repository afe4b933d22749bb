"""A load killed with SIGKILL mid-document leaves no partial document, and the next run
completes it. Real `yusuan load` subprocesses, real DuckDB files, real SIGKILL."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb

from tasks.load import load_all
from tasks.schema import STAGED
from tasks.stage import staged_documents
from tasks.warehouse import checksums, connect
from warehouse_docs import (
    big_document,
    document,
    item,
    sigkill,
    source,
    stage_all,
    table_rows,
    wait_for_file,
    yusuan_load,
)


def _staging(tmp_path: Path, docs: int, items: int) -> Path:
    staging = tmp_path / "staging"
    stage_all(staging, [(big_document(f"d{i}", 2025, items, salt=str(i)), source(f"d{i}"))
                        for i in range(docs)])
    return staging


def _reference(tmp_path: Path, staging: Path) -> dict[str, tuple[int, str]]:
    """The warehouse an uninterrupted load makes."""
    con = connect(tmp_path / "reference.duckdb")
    try:
        load_all(con, staged_documents(staging))
        return checksums(con)
    finally:
        con.close()


def _assert_no_partial_document(warehouse: Path, staging: Path) -> int:
    """Every document in the file is whole: its row counts equal its staged Parquet's, and
    no table holds rows of a document that `documents` does not list. Returns how many."""
    expected = {s.doc_id: s for s in staged_documents(staging)}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        loaded = {r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE status = 'loaded'").fetchall()}
        for table in STAGED:
            counts = dict(con.execute(f"SELECT doc_id, count(*) FROM {table} GROUP BY 1"
                                      ).fetchall())
            assert set(counts) <= loaded, f"{table} has rows of an unlisted document"
            for doc_id in loaded:
                want = con.execute("SELECT count(*) FROM read_parquet(?)",
                                   [str(expected[doc_id].path / f"{table}.parquet")]
                                   ).fetchone()[0]
                assert counts.get(doc_id, 0) == want, f"{table}: partial document {doc_id}"
    finally:
        con.close()
    return len(loaded)


def test_load_killed_mid_document_leaves_no_partial_rows_and_rerun_completes(
        tmp_path: Path) -> None:
    staging = _staging(tmp_path, docs=3, items=400)
    reference = _reference(tmp_path, staging)
    warehouse, flag = tmp_path / "w.duckdb", tmp_path / "paused"
    # The loader stops inside the first document's transaction, after inserting its files,
    # tables and line items and before its claims; then it is killed.
    point = "line_items"
    proc = yusuan_load(staging, warehouse, {"YUSUAN_LOAD_PAUSE_AT": point,
                                            "YUSUAN_LOAD_PAUSE_FILE": str(flag)})
    pid, doc_id, where = wait_for_file(flag, proc).split()
    assert (int(pid), where) == (proc.pid, point)
    sigkill(proc)

    assert _assert_no_partial_document(warehouse, staging) == 0
    counts = table_rows(warehouse)
    assert all(counts[t] == 0 for t in [*STAGED, "documents"]), counts

    rerun = yusuan_load(staging, warehouse)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert out.count("   loaded  ") == 3, out
    con = connect(warehouse)
    try:
        assert checksums(con) == reference
    finally:
        con.close()


def test_load_killed_at_random_points_never_leaves_a_partial_document(tmp_path: Path) -> None:
    staging = _staging(tmp_path, docs=12, items=300)
    reference = _reference(tmp_path, staging)
    warehouse, flag = tmp_path / "w.duckdb", tmp_path / "paused"
    # Random (seeded: a failure names its kills) document and point inside it for each kill;
    # every kill lands inside an open transaction, after some documents have committed.
    rng = random.Random(20261126)
    committed, kills = 0, []
    for _ in range(4):
        nth, point = rng.randint(1, 3), rng.choice([*STAGED, "commit"])
        kills.append((nth, point))
        proc = yusuan_load(staging, warehouse, {"YUSUAN_LOAD_PAUSE_AT": point,
                                                "YUSUAN_LOAD_PAUSE_DOC": str(nth),
                                                "YUSUAN_LOAD_PAUSE_FILE": str(flag)})
        wait_for_file(flag, proc)
        sigkill(proc)
        flag.unlink()
        loaded = _assert_no_partial_document(warehouse, staging)
        assert loaded == committed + nth - 1, kills  # committed ones stay, the open one goes
        committed = loaded
    rerun = yusuan_load(staging, warehouse)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert _assert_no_partial_document(warehouse, staging) == 12
    con = connect(warehouse)
    try:
        assert checksums(con) == reference, kills
    finally:
        con.close()


def test_read_only_open_after_a_kill_sees_only_committed_documents(tmp_path: Path) -> None:
    # The killed writer leaves a WAL with an open transaction; a reader (an analyst) opening
    # the file read-only before any writer replays it must not see the partial document.
    staging = tmp_path / "staging"
    stage_all(staging, [(document([item("2080101", "行政运行", "1.00")], department="a"),
                         source("a")),
                        (document([item("2080101", "行政运行", "2.00")], department="b"),
                         source("b"))])
    warehouse, flag = tmp_path / "w.duckdb", tmp_path / "paused"
    first = yusuan_load(staging, warehouse, {"YUSUAN_LOAD_PAUSE_AT": "sentences",
                                             "YUSUAN_LOAD_PAUSE_FILE": str(flag)})
    wait_for_file(flag, first)
    sigkill(first)
    counts = table_rows(warehouse)
    assert (counts["documents"], counts["line_items"]) == (0, 0)
