import os
import re
from pathlib import Path

import pytest

from tasks.checks import known_params
from tasks.config import load_checks, load_layouts, load_sources, parse_checks, parse_sources
from tasks.contracts import Kind
from tasks.errors import ConfigError

BASE = Path("/srv/yusuan/config")


def _one(**fields):
    entry = {"department": "xj-hrss", "name": "自治区人力资源和社会保障厅", "year": 2025,
             "kind": "budget", "url": "https://hrss.xinjiang.gov.cn/a.pdf"} | fields
    return parse_sources({"source": [entry]}, "sources.toml", BASE)


def test_a_source_is_read_and_relative_paths_resolve_against_the_file():
    (s,) = _one()
    assert (s.department, s.year, s.kind) == ("xj-hrss", 2025, Kind.BUDGET)
    (local,) = parse_sources({"source": [{"department": "a", "name": "A", "year": 2024,
                                          "kind": "final", "urls": ["n.pdf", "t.pdf"]}]},
                             "s.toml", BASE)
    assert local.urls == (str(BASE / "n.pdf"), str(BASE / "t.pdf"))


@pytest.mark.parametrize(("fields", "message"), [
    ({"kind": "plan"}, "source[0].kind: 'plan' must be 'budget' or 'final'"),
    ({"department": "新疆"}, "source[0].department"),
    ({"year": "2025"}, "source[0].year"),
    ({"url": "ftp://host/a.pdf"}, "source[0].url: scheme 'ftp' is not supported"),
    ({"urls": ["a.pdf"]}, "give exactly one of `url` or `urls`"),
    ({"colour": "red"}, "unknown key(s) colour"),
])
def test_a_bad_source_names_the_offending_key(fields, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        _one(**fields)


def test_bundled_configuration_loads():
    sources = load_sources()
    assert {s.department for s in sources} >= {"xj-hrss", "jz-culture"}
    checks = load_checks(known=known_params())
    assert checks.rule("pct-recompute").enabled
    assert [k.slug for k in load_layouts().kinds if k.slug == "gpb-expense"]


def test_checks_reject_unknown_rules_and_keys():
    with pytest.raises(ConfigError, match=r"\[no-such-rule\]: no rule has this slug"):
        parse_checks({"no-such-rule": {}}, "checks.toml", known_params())
    with pytest.raises(ConfigError, match=r"\[pct-recompute\]: unknown key\(s\) tolerance"):
        parse_checks({"pct-recompute": {"tolerance": 1}}, "checks.toml", known_params())


def test_prefect_defaults_give_a_first_ephemeral_start_time_and_leave_user_settings_alone(
        monkeypatch: pytest.MonkeyPatch):
    from tasks.config import prefect_defaults

    for name in ("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "PREFECT_LOGGING_LEVEL",
                 "PREFECT_SERVER_ANALYTICS_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "DEBUG")  # the user's own choice
    prefect_defaults("WARNING")
    # Prefect's default of 20 s is shorter than a first start with a new PREFECT_HOME (22 s)
    assert os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "180"
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert os.environ["PREFECT_LOGGING_LEVEL"] == "DEBUG"
