"""A compare-years that fails after a load does not undo the load nor fail the ingest: its
documents stay loaded, the failure is its own Failed flow run, and the ingest says at ERROR
which comparison to run again (flows/ingest.py, failure policy)."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest
from test_ingest_warehouse import JZ, _sources

from flows.ingest import ingest_disclosures


def test_a_failing_compare_years_leaves_the_documents_loaded(
        prefect_harness, workdir: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    # A real fault, not a mock: the reports "folder" is a file, so publishing a report fails.
    blocker = workdir / "reports-is-a-file"
    blocker.write_text("not a folder\n")
    monkeypatch.setenv("YUSUAN_REPORTS", str(blocker))
    sources = str(_sources(workdir / "sources.toml", JZ))
    warehouse = workdir / "warehouse.duckdb"

    with caplog.at_level(logging.INFO):
        state = ingest_disclosures(sources, str(warehouse), return_state=True)

    assert state.is_completed(), state.message
    assert [(r["source"], r["status"]) for r in state.result()] == [
        ("jz-culture/2024/budget", "loaded"), ("jz-culture/2025/budget", "loaded")]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR
              and r.getMessage().startswith("compare-years ")]
    assert [e.split(" failed:")[0] for e in errors] == [
        "compare-years jz-culture 2024", "compare-years jz-culture 2025"]
    assert all("cannot write the report" in e and "$YUSUAN_REPORTS" in e for e in errors)
    assert all("yusuan compare-years --department jz-culture --year" in e for e in errors)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT department, year, status FROM documents ORDER BY year"
                           ).fetchall() == [("jz-culture", 2024, "loaded"),
                                        ("jz-culture", 2025, "loaded")]
        assert con.execute("SELECT count(*) FROM line_items").fetchone()[0] > 0
        # the checks ran and stored their findings before the report failed
        assert con.execute("SELECT DISTINCT year FROM findings ORDER BY 1").fetchall() == [
            (2024,), (2025,)]
