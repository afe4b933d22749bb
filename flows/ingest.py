"""Flow `ingest-disclosures`: fetch, extract and load every configured source, then run
compare-years where a document was added or changed.

- Fetching fans out per source in the flow's threads. Retries with backoff happen inside the
  fetch step, per file and only on network failures (timeouts, 5xx, truncated bodies).
- Extraction runs on the configured task runner (flows/runners.py: a process pool by default,
  or an existing Dask cluster), each document as soon as its files are in. A document whose
  files' content was already extracted by the same extractor is not extracted again: its
  staged copy is reused (tasks/cache.py).
- Loading is one task, the single DuckDB writer; staged Parquet is the hand-off.
- compare-years then runs for every department-year whose budget was loaded anew, and for
  the year after it when this run lists that year too (its year-over-year checks read it).

Failure policy: a source that cannot be fetched or extracted is recorded in `documents` as
failed, with its message, and the run goes on. A compare-years that fails is its own Failed
flow run, logged here at ERROR; the other comparisons still run. The run ends Failed only
when nothing could be done: no source could be loaded, the warehouse could not be written,
or the portal's listing could not be read or listed nothing.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.futures import as_completed

from flows.compare_years import compare_years
from flows.runners import extraction_runner
from tasks.cache import cached_extraction
from tasks.compare import years_to_compare
from tasks.config import data_dir, load_portal, load_sources, warehouse_path
from tasks.discover import discover_task
from tasks.errors import NoDataError
from tasks.extract import extract_task
from tasks.fetch import fetch_task
from tasks.load import load_task
from tasks.stage import failed_extraction, failed_fetch, sweep_leftovers


@flow(name="ingest-disclosures")
def ingest_disclosures(sources_file: str | None = None, warehouse: str | None = None,
                       compare: bool = True, portal: str | None = None) -> list[dict]:
    """Fetch, extract and load every source of the sources file (or, given a portal, every
    disclosure discovered on it), then compare years where documents changed."""
    logger = get_run_logger()
    # Absolute: extraction may run in other processes, or on other machines of a cluster.
    data, wh = data_dir().resolve(), warehouse_path(warehouse).resolve()
    raw, staging = data / "raw", data / "staging"
    sweep_leftovers(staging)
    found, settings = None, None
    if portal:  # the portal's discovered sources replace the file's [[source]] list
        site = load_portal(portal, sources_file)
        found, settings = discover_task(site, wh), site.fetch
    sources = found.sources if found else load_sources(sources_file)
    fetches = {fetch_task.submit(s, raw, settings): s for s in sources}
    outcomes, extracts = [], {}
    with extraction_runner() as runner:
        for future in as_completed(list(fetches)):
            source, files = fetches[future], future.result(raise_on_failure=False)
            if isinstance(files, BaseException):
                outcomes.append(failed_fetch(source, files))
            elif cached := cached_extraction(source, files, staging):
                logger.info("%s: document %s was extracted before by this extractor; reusing "
                            "its staged copy", source.key, cached.doc_id[:12])
                outcomes.append(cached)
            else:
                submitted = runner.submit(extract_task, {"source": source, "files": files,
                                                         "staging_dir": staging})
                extracts[submitted] = (source, files)
        for future, (source, files) in extracts.items():
            staged = future.result(raise_on_failure=False)
            outcomes.append(failed_extraction(source, files, staged)
                            if isinstance(staged, BaseException) else staged)
    results = load_task(outcomes, wh)
    if results and all(r.status == "failed" for r in results):
        raise NoDataError(f"all {len(results)} sources failed; see the `documents` table")
    for department, year in years_to_compare(results) if compare else []:
        state = compare_years(department=department, year=year, warehouse=str(wh),
                              return_state=True)
        if state.is_failed():
            logger.error("compare-years %s %d failed: %s; its documents are loaded, run it "
                         "again with `yusuan compare-years --department %s --year %d`",
                         department, year, state.message, department, year)
    return [{"source": r.source_key, "status": r.status, "doc_id": r.doc_id,
             "version": r.version, "detail": r.detail} for r in results] + (
        found.unsupported_results() if found else [])
