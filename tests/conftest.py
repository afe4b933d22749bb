"""Shared test setup. Real components only: DuckDB files on disk, Prefect's own test
harness (a real, temporary API server), HTTP servers on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow test of the session."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data/, reports/ and warehouse for one test."""
    monkeypatch.setenv("YUSUAN_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("YUSUAN_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("YUSUAN_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    return tmp_path
