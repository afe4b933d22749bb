"""Deployment steps that `deployments/prefect.yaml` names (Prefect imports them by path)."""

from __future__ import annotations

import os

from tasks.config import PROJECT_ROOT


def enter_project() -> dict[str, str]:
    """Pull step: run the flow from the checkout yusuan is installed from (`pip install -e`).

    The worker's environment has yusuan installed, so this finds the project wherever it
    lives, without a path written into prefect.yaml or an environment variable to set. Its
    relative defaults (./warehouse.duckdb, ./data, ./reports, config/) are those of
    `make demo`.
    """
    if not (PROJECT_ROOT / "flows").is_dir():
        raise RuntimeError(f"{PROJECT_ROOT}: yusuan is not installed from a checkout (no "
                           "flows/ there); install it with `pip install -e .` from the project "
                           "root in the worker's environment")
    os.chdir(PROJECT_ROOT)
    return {"directory": str(PROJECT_ROOT)}
