"""The rule catalogue. Each rule is one module with a stable kebab-case `SLUG`, the names of
its extra settings in `PARAMS`, and `run(ctx)` yielding findings. Thresholds and severities
come from `config/checks.toml`; a rule listed there but not here is a configuration error.
"""

from __future__ import annotations

from types import ModuleType

from tasks.checks import (
    allocation_sum,
    claim_vs_table,
    completeness,
    count_words,
    cross_table,
    direction_words,
    narrative_unreadable,
    parent_sum,
    pct_recompute,
    pct_zero_base,
    project_vs_table,
    reason_boilerplate,
    reason_opposite,
    reason_transfer,
    reason_units_moved,
    reason_vague,
    row_sum,
    share_recompute,
    table_unreadable,
    template_leftover,
    wrong_year,
    yoy_implied_prior,
    yoy_staff_units,
    yoy_unexplained_change,
)

RULES: tuple[ModuleType, ...] = (
    # arithmetic of the narrative
    narrative_unreadable,
    pct_recompute,
    pct_zero_base,
    share_recompute,
    direction_words,
    allocation_sum,
    count_words,
    wrong_year,
    template_leftover,
    # narrative against tables of the same document
    claim_vs_table,
    project_vs_table,
    # tables of one document
    table_unreadable,
    parent_sum,
    row_sum,
    cross_table,
    completeness,
    # year over year
    yoy_implied_prior,
    yoy_staff_units,
    yoy_unexplained_change,
    # reasons
    reason_opposite,
    reason_transfer,
    reason_units_moved,
    reason_boilerplate,
    reason_vague,
)


def known_params() -> dict[str, set[str]]:
    """Slug -> extra settings, for validating checks.toml."""
    return {rule.SLUG: set(rule.PARAMS) for rule in RULES}
