"""The ingest flow and the warehouse, on the rendered fixture disclosures, under Prefect's test
harness: a double ingest changes nothing, parallel extraction loads the same warehouse as
serial extraction, and two concurrent ingests (real processes) do not corrupt the file."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from prefect.settings import PREFECT_API_URL
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows.ingest import ingest_disclosures
from tasks.warehouse import checksums, connect

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROJECT = Path(__file__).resolve().parents[2]
YUSUAN = str(Path(sys.executable).parent / "yusuan")


def _sources(path: Path, names: list[str]) -> Path:
    """A sources file for some of the fixture disclosures."""
    blocks = []
    for folder in names:
        department, year = folder.rsplit("-", 1)
        pdfs = ([FIXTURES / folder / "document.pdf"] if (FIXTURES / folder / "document.pdf")
                .exists() else [FIXTURES / folder / "narrative.pdf", FIXTURES / folder /
                                "tables.pdf"])
        urls = ", ".join(f'"{p}"' for p in pdfs)
        blocks.append(f'[[source]]\ndepartment = "{department}"\nname = "{department}"\n'
                      f'year = {year}\nkind = "budget"\nurls = [{urls}]\n')
    path.write_text("\n".join(blocks))
    return path


def _state(warehouse: Path) -> dict[str, tuple[int, str]]:
    con = connect(warehouse)
    try:
        return checksums(con)
    finally:
        con.close()


JZ = ["jz-culture-2024", "jz-culture-2025"]


def test_double_ingest_leaves_identical_counts_and_checksums(prefect_harness, workdir: Path
                                                            ) -> None:
    sources = str(_sources(workdir / "sources.toml", JZ))
    warehouse = workdir / "warehouse.duckdb"
    first = ingest_disclosures(sources, str(warehouse))
    before = _state(warehouse)
    second = ingest_disclosures(sources, str(warehouse))
    after = _state(warehouse)
    assert [r["status"] for r in first] == ["loaded", "loaded"]
    assert [r["status"] for r in second] == ["unchanged", "unchanged"]
    assert after == before
    assert before["documents"][0] == 2
    assert before["line_items"][0] > 500 and before["claims"][0] > 50
    assert before["findings"][0] >= 1  # compare-years ran and its findings are stable too


def test_parallel_extraction_gives_the_same_warehouse_as_serial(prefect_harness, workdir: Path
                                                               ) -> None:
    sources = str(_sources(workdir / "sources.toml", JZ))
    serial, parallel = workdir / "serial.duckdb", workdir / "parallel.duckdb"
    os.environ["YUSUAN_DATA"] = str(workdir / "data-serial")
    ingest_disclosures.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))(
        sources, str(serial))
    # Two worker processes extract and stage Parquet; the flow's one load task writes.
    os.environ["YUSUAN_DATA"] = str(workdir / "data-parallel")
    results = ingest_disclosures.with_options(task_runner=ProcessPoolTaskRunner(max_workers=2))(
        sources, str(parallel))
    assert sorted(r["status"] for r in results) == ["loaded"] * 2
    assert (workdir / "data-parallel" / "staging").is_dir()
    serial_state, parallel_state = _state(serial), _state(parallel)
    assert serial_state == parallel_state
    assert serial_state["documents"][0] == 2
    assert serial_state["findings"][0] >= 1


def _harness_env(workdir: Path, **extra: str) -> dict[str, str]:
    """Environment for a `yusuan` subprocess that reports to the test harness's server."""
    return {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()),
            "PREFECT_LOGGING_LEVEL": "WARNING", **extra}


def _ingest(sources: Path, warehouse: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([YUSUAN, "ingest", "--no-compare", "--sources", str(sources),
                             "--warehouse", str(warehouse)], cwd=PROJECT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _lines(stream, into: list[str]) -> threading.Thread:
    thread = threading.Thread(target=lambda: into.extend(stream), daemon=True)
    thread.start()
    return thread


def _wait(predicate, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_two_concurrent_ingests_one_waits_or_fails_cleanly(prefect_harness, workdir: Path
                                                           ) -> None:
    sources = _sources(workdir / "sources.toml", ["jz-culture-2024"])
    warehouse, flag = workdir / "warehouse.duckdb", workdir / "paused"
    # The first ingest holds the write lock: it stops inside its document's load.
    first = _ingest(sources, warehouse, _harness_env(
        workdir, YUSUAN_LOAD_PAUSE_AT="line_items", YUSUAN_LOAD_PAUSE_FILE=str(flag)))
    _wait(lambda: flag.exists() or first.poll() is not None, "the first ingest to pause")
    assert first.poll() is None, first.communicate()
    holder = int(flag.read_text().split()[0])
    # Two more ingests meanwhile: one gives up after 1 s, one is willing to wait.
    impatient = _ingest(sources, warehouse, _harness_env(workdir, YUSUAN_LOCK_WAIT="1"))
    patient = _ingest(sources, warehouse, _harness_env(workdir, YUSUAN_LOCK_WAIT="120"))
    impatient_err, patient_err = [], []
    readers = [_lines(impatient.stderr, impatient_err), _lines(patient.stderr, patient_err)]

    assert impatient.wait(timeout=120) == 1
    readers[0].join(timeout=10)
    message = "".join(impatient_err)
    assert f"locked by PID {holder} (" in message and "yusuan ingest" in message, message
    assert "gave up after" in message and "YUSUAN_LOCK_WAIT" in message, message
    _wait(lambda: any(f"locked by PID {holder}" in line for line in patient_err),
          "the patient ingest to say that it waits")
    assert patient.poll() is None

    flag.unlink()  # the first ingest goes on, commits and closes; the patient one then loads
    assert first.wait(timeout=120) == 0, first.communicate()
    assert patient.wait(timeout=120) == 0, "".join(patient_err)
    assert "loaded" in first.stdout.read()
    assert "unchanged" in patient.stdout.read()

    # One whole document, loaded once; its rows are exactly what was staged.
    con = duckdb.connect(str(warehouse), read_only=True)  # no load runs: analysts can read
    try:
        docs = con.execute("SELECT doc_id, version, is_current FROM documents").fetchall()
        assert [(v, c) for _, v, c in docs] == [(1, True)]
        staged = workdir / "data" / "staging" / docs[0][0]
        for table in ("line_items", "claims", "sentences", "tables"):
            want = con.execute("SELECT count(*) FROM read_parquet(?)",
                               [str(staged / f"{table}.parquet")]).fetchone()[0]
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == want > 0
        assert con.execute("SELECT count(*) FROM latest_documents").fetchone()[0] == 1
    finally:
        con.close()
