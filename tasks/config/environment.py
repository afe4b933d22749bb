"""Where things live and how the flows run, from the environment: the warehouse, the data
and reports folders, the lock wait, the extraction task runner."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tasks.errors import ConfigError

# Prefect reads its settings when it is imported: call this first. Prefect's own 20 s for the
# ephemeral API to come up is less than its first start takes with a brand-new PREFECT_HOME
# (22 s measured, migrating the SQLite database), which failed `make demo` on a fresh machine.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # offline: no telemetry
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def prefect_defaults(logging_level: str = "INFO") -> None:
    """Quiet, offline-friendly Prefect settings, before Prefect is imported; the user's own
    environment wins."""
    for name, value in {**PREFECT_DEFAULTS, "PREFECT_LOGGING_LEVEL": logging_level}.items():
        os.environ.setdefault(name, value)


PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG_DIR = Path(os.environ.get("YUSUAN_CONFIG_DIR", PROJECT_ROOT / "config"))


def warehouse_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file: an explicit path, else $YUSUAN_WAREHOUSE, else ./warehouse.duckdb."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("YUSUAN_WAREHOUSE", "warehouse.duckdb"))


def data_dir() -> Path:
    """Raw downloads and staged extractions: $YUSUAN_DATA, else ./data."""
    return Path(os.environ.get("YUSUAN_DATA", "data"))


def lock_wait_seconds() -> float:
    """How long a load waits for another process's warehouse lock: $YUSUAN_LOCK_WAIT, else 60."""
    raw = os.environ.get("YUSUAN_LOCK_WAIT", "60")
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"YUSUAN_LOCK_WAIT={raw!r}: must be a number of seconds") from None
    if value < 0:
        raise ConfigError(f"YUSUAN_LOCK_WAIT={raw!r}: must not be negative")
    return value


def reports_dir() -> Path:
    """Markdown reports of compare-years: $YUSUAN_REPORTS, else ./reports."""
    return Path(os.environ.get("YUSUAN_REPORTS", "reports"))


RUNNERS = ("process", "thread", "dask")


@dataclass(frozen=True)
class RunnerSettings:
    """Where extraction runs. Fetching stays in the flow's threads, loading in the flow."""

    kind: str  # one of RUNNERS
    workers: int | None = None  # processes or threads; None: one per core
    dask_address: str | None = None  # scheduler of an existing cluster, e.g. tcp://host:8786


def runner_settings(env: Mapping[str, str] = os.environ) -> RunnerSettings:
    """$YUSUAN_EXTRACT_RUNNER (process, thread or dask; default process, or dask when
    $YUSUAN_DASK_ADDRESS is set), $YUSUAN_EXTRACT_WORKERS, $YUSUAN_DASK_ADDRESS."""
    address = env.get("YUSUAN_DASK_ADDRESS", "").strip() or None
    kind = env.get("YUSUAN_EXTRACT_RUNNER", "").strip() or ("dask" if address else "process")
    if kind not in RUNNERS:
        raise ConfigError(f"YUSUAN_EXTRACT_RUNNER: {kind!r} must be one of {', '.join(RUNNERS)}")
    if kind == "dask" and not address:
        raise ConfigError("YUSUAN_EXTRACT_RUNNER=dask needs YUSUAN_DASK_ADDRESS, the address of "
                          "the cluster's scheduler (e.g. tcp://10.0.0.5:8786)")
    if address and kind != "dask":
        raise ConfigError(f"YUSUAN_DASK_ADDRESS is set but YUSUAN_EXTRACT_RUNNER={kind}; unset "
                          "one of them")
    raw = env.get("YUSUAN_EXTRACT_WORKERS", "").strip()
    if raw and not (raw.isdigit() and 0 < int(raw) <= 256):
        raise ConfigError(f"YUSUAN_EXTRACT_WORKERS: {raw!r} must be a whole number from 1 to "
                          "256")
    if raw and kind == "dask":
        raise ConfigError("YUSUAN_EXTRACT_WORKERS does not apply to a Dask cluster, whose "
                          "workers are started with the cluster; unset it")
    return RunnerSettings(kind, int(raw) if raw else None, address)
