"""Typed, validated configuration: where things live, the sources and portals, the table
layouts and the check thresholds. Every file in `config/` is read by this package and
nowhere else; a bad key is named in the error.

- `environment`: the warehouse, data and reports paths, the lock wait, the task runner;
- `files`: reading TOML, unknown keys, URL and host checks shared by the two below;
- `sources`: the sources file's `[[source]]` entries (and loading a portal from it);
- `portals`: `[[portal]]` entries: listings, departments, fetch settings;
- `layouts`: `config/tables.toml` and `config/classification.csv`;
- `checks`: `config/checks.toml`.
"""

from tasks.config.checks import ChecksConfig, RuleConfig, load_checks, parse_checks
from tasks.config.environment import (
    CONFIG_DIR,
    PROJECT_ROOT,
    RunnerSettings,
    data_dir,
    lock_wait_seconds,
    prefect_defaults,
    reports_dir,
    runner_settings,
    warehouse_path,
)
from tasks.config.layouts import (
    Classification,
    Layouts,
    TableKind,
    load_classification,
    load_layouts,
)
from tasks.config.portals import (
    DEFAULT_USER_AGENT,
    FetchSettings,
    Portal,
    PortalDepartment,
    parse_portals,
)
from tasks.config.sources import load_portal, load_sources, parse_sources

__all__ = [
    "CONFIG_DIR", "PROJECT_ROOT", "ChecksConfig", "Classification", "DEFAULT_USER_AGENT",
    "FetchSettings", "Layouts", "Portal", "PortalDepartment", "RuleConfig", "RunnerSettings",
    "TableKind", "data_dir", "load_checks", "load_classification", "load_layouts",
    "load_portal", "load_sources", "lock_wait_seconds", "parse_checks", "parse_portals",
    "parse_sources", "prefect_defaults", "reports_dir", "runner_settings", "warehouse_path",
]
