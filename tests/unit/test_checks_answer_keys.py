"""The whole catalogue on perfect extraction: every fixture document built from its truth
files (tests/truth_docs.py) and checked against the year before, with the findings equal to
its answer key, entry for entry. This pins the rules' semantics independently of how well
extraction reads the PDFs (tests/flow/test_pipeline.py does the same through the flows)."""

from __future__ import annotations

import pytest

from answer_keys import load_key, match
from tasks.checks import RULES
from tasks.checks.base import Context
from tasks.checks.lookup import claim_cell
from tasks.compare import checks_config, run_rules
from truth_docs import truth_doc

KEYED = ["xj-hrss-2025", "xj-hrss-2024", "jz-culture-2025", "jz-culture-2024"]


@pytest.mark.parametrize("folder", KEYED)
def test_findings_on_truth_equal_the_answer_key(folder: str):
    key = load_key(folder)
    prior = truth_doc(key.prior) if key.prior else None
    findings = run_rules(Context(truth_doc(folder), prior, checks_config()))
    missing, extra, doubled = match(list(key.entries), findings)
    assert not missing, f"{folder}: not reported: {missing}"
    assert not doubled, f"{folder}: reported twice: {doubled}"
    assert not extra, f"{folder}: not in the answer key: {extra}"


@pytest.mark.parametrize("folder", KEYED)
def test_distinct_findings_keep_distinct_ids(folder: str):
    # the warehouse keys findings by id: two drifts of one parent in two columns with the
    # same figures once shared an id, and one of them was silently dropped on load
    key = load_key(folder)
    prior = truth_doc(key.prior) if key.prior else None
    findings = run_rules(Context(truth_doc(folder), prior, checks_config()))
    ids = {f.finding_id(key.department, key.year, folder) for f in findings}
    assert len(ids) == len(findings)


def test_every_keyed_rule_is_in_the_catalogue():
    slugs = {e.rule for folder in KEYED for e in load_key(folder).entries}
    assert slugs <= {rule.SLUG for rule in RULES}
    assert len(slugs) == 20


def test_every_table_claim_of_the_seed_finds_its_cell():
    # a clean answer key could also mean nothing was compared: every claim with a scope
    # table (all but 项目, 机关运行经费, 政府采购, 国有资产 and the zero 三公 lines) is looked up
    doc = truth_doc("xj-hrss-2025")
    tables = {k: tuple(v) for k, v in
              checks_config().rule("claim-vs-table").param("tables").items()}
    found = [c for c in doc.claims if c.kind != "project" and claim_cell(doc, c, tables)]
    by_section = {}
    for c in found:
        by_section[c.section] = by_section.get(c.section, 0) + 1
    assert by_section == {"一": 1, "二": 5, "三": 3, "四": 6, "五(一)": 3, "五(二)": 5,
                          "五(三)": 26, "六": 3, "十": 4, "十一": 1}
