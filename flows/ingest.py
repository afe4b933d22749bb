"""Flow `ingest-disclosures`: fetch, extract and load every configured source, then run
compare-years for each department-year that gained or changed a document.

Failure policy: a source that cannot be fetched or extracted is recorded in `documents` as
failed, with its message, and the run goes on. The run ends Failed only when no source could
be loaded at all.

With `portal` (a [[portal]] of the sources file), the sources are discovered on the portal's
listing pages first; a listing that cannot be read, or lists nothing the portal asks for,
fails the run with a message saying so.
"""

from __future__ import annotations

from prefect import flow
from prefect.futures import as_completed

from flows.compare_years import compare_years
from tasks.config import data_dir, load_portal, load_sources, warehouse_path
from tasks.discover import discover_task
from tasks.errors import NoDataError
from tasks.extract import extract_task
from tasks.fetch import fetch_task
from tasks.load import failed_extraction, failed_fetch, load_task, staged_unchanged


@flow(name="ingest-disclosures")
def ingest_disclosures(sources_file: str | None = None, warehouse: str | None = None,
                       compare: bool = True, portal: str | None = None) -> list[dict]:
    """Fetch, extract and load every source of the sources file (or, given a portal, every
    disclosure discovered on it), then compare years."""
    raw, staging, wh = data_dir() / "raw", data_dir() / "staging", warehouse_path(warehouse)
    # -- portal discovery (issue 7): the portal's sources replace the file's [[source]] list
    found, settings = None, None
    if portal:
        site = load_portal(portal, sources_file)
        found, settings = discover_task(site, wh), site.fetch
    sources = found.sources if found else load_sources(sources_file)
    fetches = {fetch_task.submit(s, raw, settings): s for s in sources}
    outcomes, extracts = [], {}
    for future in as_completed(list(fetches)):
        source, files = fetches[future], future.result(raise_on_failure=False)
        if isinstance(files, BaseException):
            outcomes.append(failed_fetch(source, files))
        elif staged := staged_unchanged(source, files, staging):
            outcomes.append(staged)  # every file 304 Not Modified: no second extraction
        else:
            extracts[extract_task.submit(source, files, staging)] = (source, files)
    for future, (source, files) in extracts.items():
        staged = future.result(raise_on_failure=False)
        outcomes.append(failed_extraction(source, files, staged)
                        if isinstance(staged, BaseException) else staged)
    results = load_task(outcomes, wh)
    if results and all(r.status == "failed" for r in results):
        raise NoDataError(f"all {len(results)} sources failed; see the `documents` table")
    if compare:
        for department, year in sorted({(r.source.department, r.source.year)
                                        for r in results if r.status == "loaded"}):
            compare_years(department=department, year=year, warehouse=str(wh))
    return [{"source": r.source_key, "status": r.status, "doc_id": r.doc_id,
             "version": r.version, "detail": r.detail} for r in results] + (
        found.unsupported_results() if found else [])
