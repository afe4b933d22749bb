"""config/checks.toml: one section per rule, settings typed, unknown keys named."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tasks.checks import RULES, known_params
from tasks.compare import checks_config
from tasks.config import parse_checks
from tasks.contracts import Severity
from tasks.errors import ConfigError


def test_every_rule_has_its_section_and_every_setting_it_declares():
    config = checks_config()
    assert set(config.rules) == {rule.SLUG for rule in RULES}
    for rule in RULES:
        section = config.rule(rule.SLUG)
        assert set(section.params) == set(rule.PARAMS), rule.SLUG


def test_settings_are_numbers_words_lists_and_tables():
    parsed = parse_checks({"row-sum": {"drift_severity": "info", "tables": ["expense"],
                                       "not_parts": {"三公": ["会议费"]}},
                           "yoy-unexplained-change": {"min_pct": "10", "min_amount": 1.5,
                                                      "tables": ["gpb-expense"]}},
                          "checks.toml", known_params())
    row = parsed.rule("row-sum")
    assert row.severity_of("drift_severity") == Severity.INFO
    assert row.param("tables") == ("expense",)
    assert row.param("not_parts") == {"三公": ("会议费",)}
    assert parsed.rule("yoy-unexplained-change").param("min_amount") == Decimal("1.5")


def test_a_missing_or_bad_setting_names_the_rule_and_key():
    parsed = parse_checks({"parent-sum": {"drift_severity": "soft"}}, "checks.toml",
                          known_params())
    with pytest.raises(ConfigError, match=re.escape("[parent-sum].drift_severity: 'soft'")):
        parsed.rule("parent-sum").severity_of("drift_severity")
    with pytest.raises(ConfigError, match=re.escape("[parent-sum]: missing `tables`")):
        parsed.rule("parent-sum").param("tables")
