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


def fixture_paths(name: str) -> list[Path]:
    """The PDF(s) of a fixture document, in page order (narrative before tables)."""
    folder = FIXTURES / name
    single = folder / "document.pdf"
    return [single] if single.exists() else [folder / "narrative.pdf", folder / "tables.pdf"]


@pytest.fixture(scope="session")
def extracted():
    """Extract a fixture document once per session: `extracted("xj-hrss-2025")`."""
    from tasks.extract import extract_document

    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = extract_document(name, fixture_paths(name))
        return cache[name]

    return get


def truth(name: str, table: str) -> list[dict[str, str]]:
    """A fixture document's truth file (`truth/<table>.csv`) as rows of strings."""
    import csv

    with (FIXTURES / name / "truth" / f"{table}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
