"""The rule catalogue. Each rule is one module with a stable kebab-case `SLUG`, the names of
its extra settings in `PARAMS`, and `run(ctx)` yielding findings. Thresholds and severities
come from `config/checks.toml`; a rule listed there but not here is a configuration error.
"""

from __future__ import annotations

from types import ModuleType

from tasks.checks import pct_recompute, pct_zero_base

RULES: tuple[ModuleType, ...] = (
    pct_recompute,
    pct_zero_base,
)


def known_params() -> dict[str, set[str]]:
    """Slug -> extra settings, for validating checks.toml."""
    return {rule.SLUG: set(rule.PARAMS) for rule in RULES}
