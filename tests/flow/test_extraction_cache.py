"""`ingest-disclosures` does not extract a document again while its files' content and the
extractor are unchanged, and does when either changes; under the real Prefect harness."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdfgen import tiny_pdf
from tasks.cache import EXTRACTOR_VERSION, MARKER


def _sources(tmp: Path) -> Path:
    for name in ("a", "b"):
        (tmp / f"{name}.pdf").write_bytes(tiny_pdf(f"document {name}"))
    file = tmp / "sources.toml"
    file.write_text("".join(
        f'[[source]]\ndepartment = "dept-{name}"\nname = "{name}"\nyear = 2025\n'
        f'kind = "budget"\nurl = "{name}.pdf"\n\n' for name in ("a", "b")))
    return file


def _ingest(sources: Path, warehouse: Path) -> tuple[dict[str, str], list[str]]:
    """Statuses by source, and the names of the extract task runs of that flow run."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.ingest import ingest_disclosures

    state = ingest_disclosures(str(sources), str(warehouse), compare=False, return_state=True)
    results = state.result()
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(
            id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
    return ({r["source"]: r["status"] for r in results},
            sorted(r.name for r in runs if r.name.startswith("extract")))


def test_an_unchanged_document_is_not_extracted_again_until_the_extractor_changes(
        prefect_harness, workdir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("YUSUAN_EXTRACT_RUNNER", "thread")  # the cache is the flow's, any runner
    sources, staging = _sources(workdir), workdir / "data" / "staging"

    statuses, extracts = _ingest(sources, workdir / "one.duckdb")
    assert statuses == {"dept-a/2025/budget": "loaded", "dept-b/2025/budget": "loaded"}
    assert len(extracts) == 2
    staged = {p.parent.name: p.stat().st_mtime_ns for p in staging.glob(f"*/{MARKER}")}
    assert len(staged) == 2
    assert {p.read_text() for p in staging.glob(f"*/{MARKER}")} == {EXTRACTOR_VERSION + "\n"}

    # The same bytes again, into a new warehouse: loaded from the staged copies, no extraction.
    statuses, extracts = _ingest(sources, workdir / "two.duckdb")
    assert statuses == {"dept-a/2025/budget": "loaded", "dept-b/2025/budget": "loaded"}
    assert extracts == []
    assert {p.parent.name: p.stat().st_mtime_ns for p in staging.glob(f"*/{MARKER}")} == staged

    # A staged copy left by another extractor version is extracted again; the other is not.
    a, b = sorted(staged)
    (staging / a / MARKER).write_text("0123456789abcdef\n")
    statuses, extracts = _ingest(sources, workdir / "two.duckdb")
    assert statuses == {"dept-a/2025/budget": "unchanged", "dept-b/2025/budget": "unchanged"}
    assert len(extracts) == 1
    assert (staging / a / MARKER).read_text() == EXTRACTOR_VERSION + "\n"
    assert (staging / b / MARKER).stat().st_mtime_ns == staged[b]

    # A changed file is a new document: extracted, loaded as version 2 of its source.
    (workdir / "a.pdf").write_bytes(tiny_pdf("document a, corrected"))
    statuses, extracts = _ingest(sources, workdir / "two.duckdb")
    assert statuses == {"dept-a/2025/budget": "loaded", "dept-b/2025/budget": "unchanged"}
    assert len(extracts) == 1
