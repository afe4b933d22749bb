"""The whole pipeline on the bundled fixtures, through the real flows: ingest into a DuckDB
file on disk under Prefect's test harness, then compare-years for every fixture document,
and the findings against the answer keys."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from answer_keys import load_key, match
from tasks.checks import RULES
from tasks.compare import read_findings

KEYED = ["xj-hrss-2025", "xj-hrss-2024", "jz-culture-2025", "jz-culture-2024"]
IMPLEMENTED = {rule.SLUG for rule in RULES}


@pytest.fixture(scope="module")
def ingested(prefect_harness, tmp_path_factory) -> Path:
    """The four fixture documents ingested once, and compare-years run for each of them."""
    from flows.compare_years import compare_years
    from flows.ingest import ingest_disclosures

    root = tmp_path_factory.mktemp("pipeline")
    mp = pytest.MonkeyPatch()
    mp.setenv("YUSUAN_DATA", str(root / "data"))
    mp.setenv("YUSUAN_REPORTS", str(root / "reports"))
    warehouse = root / "warehouse.duckdb"
    results = ingest_disclosures(None, str(warehouse), compare=False)
    assert sorted((r["source"], r["status"]) for r in results) == [
        ("jz-culture/2024/budget", "loaded"), ("jz-culture/2025/budget", "loaded"),
        ("xj-hrss/2024/budget", "loaded"), ("xj-hrss/2025/budget", "loaded")]
    for folder in KEYED:
        key = load_key(folder)
        compare_years(key.department, key.year, str(warehouse))
    yield warehouse
    mp.undo()


@pytest.mark.parametrize("folder", KEYED)
def test_findings_equal_the_answer_key(ingested: Path, folder: str):
    """Every key entry of an implemented rule is reported once; nothing else is reported."""
    key = load_key(folder)
    con = duckdb.connect(str(ingested), read_only=True)
    try:
        findings = read_findings(con, key.department, key.year)
    finally:
        con.close()
    entries = [e for e in key.entries if e.rule in IMPLEMENTED]
    missing, extra, doubled = match(entries, findings)
    assert not missing, f"{folder}: not reported: {missing}"
    assert not doubled, f"{folder}: reported twice: {doubled}"
    assert not extra, f"{folder}: not in the answer key: {extra}"


def test_seed_percentage_accepted_and_injected_one_reported(ingested: Path):
    con = duckdb.connect(str(ingested), read_only=True)
    try:
        seed = con.execute(
            "SELECT c.subject, c.amount, c.change_amount, c.change_pct FROM claims c JOIN "
            "documents d USING (doc_id) WHERE d.department = 'xj-hrss' AND d.year = 2025 AND "
            "c.subject = '一般公共预算' AND c.section = '二'").fetchall()
        flagged = con.execute(
            "SELECT subject, stated, expected FROM findings WHERE department = 'xj-hrss' AND "
            "year = 2024 AND rule = 'pct-recompute'").fetchall()
    finally:
        con.close()
    assert [(s, str(a), str(c), str(p)) for s, a, c, p in seed] == [
        ("一般公共预算", "42040.530000", "-8524.520000", "-16.860000")]
    assert flagged == [("单位资金", "5.26%", "5.00%")]
