"""The task runner extraction runs on, chosen by settings (`runner_settings` in tasks/config/environment.py).

- `process` (default): a pool of processes on this machine, one per core. pdfplumber is
  pure Python and CPU-bound, so threads would take turns on the GIL (bench/flow.py measures
  it); processes use every core.
- `dask`: an existing Dask cluster at $YUSUAN_DASK_ADDRESS (needs the `dask` extra). Its
  workers must have yusuan installed and see the same data folder ($YUSUAN_DATA on a shared
  file system): they read raw files from it and write staged Parquet into it, which the
  flow's single writer then loads.
- `thread`: threads in the flow's process; for debugging, or a machine where processes
  cannot be spawned.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from tasks.config import RunnerSettings, runner_settings
from tasks.errors import ConfigError


@contextmanager
def extraction_runner(settings: RunnerSettings | None = None) -> Iterator[TaskRunner]:
    """The task runner for extraction, started, its workers reporting to this flow's API."""
    runner = _runner(settings or runner_settings())
    # Without PREFECT_API_URL (ephemeral mode: `yusuan`, `make demo`) a spawned process or a
    # Dask worker would start a temporary API of its own, 10-20 s each, keep its task runs
    # there and outlive the run. Point them at the API this flow run uses instead.
    api = PREFECT_API_URL.value() or str(get_client(sync_client=True).api_url)
    with temporary_settings(updates={PREFECT_API_URL: api}), runner:
        yield runner


def _runner(s: RunnerSettings) -> TaskRunner:
    if s.kind == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError:
            raise ConfigError("YUSUAN_DASK_ADDRESS is set but prefect-dask is not installed; "
                              "install it with `pip install -e '.[dask]'`") from None
        return DaskTaskRunner(address=s.dask_address)
    if s.kind == "thread":
        return ThreadPoolTaskRunner(max_workers=s.workers)
    return ProcessPoolTaskRunner(max_workers=s.workers)
