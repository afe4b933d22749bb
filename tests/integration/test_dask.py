"""`ingest-disclosures` with extraction on a Dask cluster (two worker processes on 127.0.0.1,
reached by address as a remote cluster would be) builds the same warehouse as the default
runner: every table, row for row, apart from when it was written and by which run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import truth

VOLATILE = {"run_id", "path"}  # which flow run wrote a row; where this run's raw store is


def _ingest(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from flows.ingest import ingest_disclosures

    monkeypatch.setenv("YUSUAN_DATA", str(root / "data"))  # a data folder each: no cache hit
    monkeypatch.setenv("YUSUAN_REPORTS", str(root / "reports"))
    warehouse = root / "warehouse.duckdb"
    results = ingest_disclosures(None, str(warehouse))
    assert sorted((r["source"], r["status"]) for r in results) == [
        ("jz-culture/2024/budget", "loaded"), ("jz-culture/2025/budget", "loaded"),
        ("xj-hrss/2024/budget", "loaded"), ("xj-hrss/2025/budget", "loaded")]
    return warehouse


def contents(warehouse: Path) -> dict[str, list[tuple]]:
    """Every base table's rows, sorted, without timestamps and the volatile columns."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "ORDER BY table_name").fetchall()]
        out = {}
        for table in tables:
            cols = [c for c, kind in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                if kind != "TIMESTAMP" and c not in VOLATILE]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} "
                                     "ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local Dask cluster of two single-threaded worker processes; its scheduler address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as local:
        yield local.scheduler_address


def test_dask_cluster_builds_the_same_warehouse_as_the_default_runner(
        prefect_harness, cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from distributed import Client, get_task_stream

    monkeypatch.delenv("YUSUAN_EXTRACT_RUNNER", raising=False)
    monkeypatch.delenv("YUSUAN_DASK_ADDRESS", raising=False)
    default = contents(_ingest(tmp_path / "default", monkeypatch))

    monkeypatch.setenv("YUSUAN_DASK_ADDRESS", cluster)
    with Client(cluster) as client, get_task_stream(client) as stream:
        dask = contents(_ingest(tmp_path / "dask", monkeypatch))
    extracted = [t for t in stream.data if t["key"].startswith("extract_task-")]

    assert len(extracted) == 4  # every document was extracted on the cluster
    assert len({t["worker"] for t in extracted}) == 2  # by both of its workers
    assert set(dask) == set(default)
    for table in default:
        assert dask[table] == default[table], f"{table} differs"
    # Not vacuous: the tables that matter hold the fixtures' rows.
    assert len(default["documents"]) == 4
    assert len(default["line_items"]) == sum(
        len(truth(name, "line_items")) for name in
        ("xj-hrss-2024", "xj-hrss-2025", "jz-culture-2024", "jz-culture-2025"))
    assert {(r[1], r[2]) for r in default["findings"]} >= {("jz-culture", 2025),
                                                            ("xj-hrss", 2025)}
