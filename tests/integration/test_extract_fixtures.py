"""Extraction of the rendered fixture disclosures against their truth files.

The truth files (`tests/fixtures/<doc>/truth/*.csv`) are written by the fixture builder from
its source model, never typed from the PDFs; for the seed, `test_seed_truth_is_derived_
from_the_seed_text` re-derives them from `source.txt` here. Every comparison is exact: each
amount with its table kind, code, column path, value, precision and page, and no extra row.
"""

from __future__ import annotations

import sys
import tomllib
from decimal import Decimal

import pytest

from conftest import FIXTURES, truth
from tasks.checks.tables import sum_checks
from tasks.contracts import ExtractedDocument
from tasks.extract.pdf import normalize

DOCS = ["xj-hrss-2025", "xj-hrss-2024", "jz-culture-2024", "jz-culture-2025"]


def _d(text: str) -> Decimal | None:
    return Decimal(text) if text not in ("", None) else None


def _item_row(i) -> tuple:
    return (i.table_kind, i.table_title, i.unit, i.code or "", i.name, i.column_name,
            str(i.amount), i.decimals, i.page, i.budget_unit or "", i.project or "", i.table_no,
            i.row_no)


def _truth_item_row(t: dict[str, str]) -> tuple:
    return (t["table_kind"], t["table_title"], t["unit"], t["code"], t["name"],
            t["column_name"], t["amount"], int(t["decimals"]), int(t["page"]), t["budget_unit"],
            t["project"], int(t["table_no"]), int(t["row_no"]))


@pytest.mark.parametrize("name", DOCS)
def test_every_amount_is_read_with_its_kind_code_column_value_and_page(name, extracted):
    doc: ExtractedDocument = extracted(name)
    want = sorted(_truth_item_row(t) for t in truth(name, "line_items"))
    got = sorted(_item_row(i) for i in doc.line_items)
    assert got == want


def _claim_row(c) -> tuple:
    return (c.section, c.scope, c.kind, normalize(c.subject), c.code or "", c.amount,
            c.change_amount, c.change_pct, c.share_pct, c.base.value if c.base else "",
            str(c.base_year or ""), c.change_word or "", c.pct_word or "", c.page)


def _truth_claim_row(t: dict[str, str]) -> tuple:
    return (t["section"], t["scope"], t["kind"], t["subject"], t["code"], _d(t["amount"]),
            _d(t["change_amount"]), _d(t["change_pct"]), _d(t["share_pct"]), t["base"],
            t["base_year"], t["change_word"], t["pct_word"], int(t["page"]))


@pytest.mark.parametrize("name", DOCS)
def test_every_numeric_claim_is_parsed_with_amount_signed_change_percentage_and_share(
        name, extracted):
    doc = extracted(name)
    got = [_claim_row(c) for c in doc.claims]
    missing = [row for row in map(_truth_claim_row, truth(name, "claims")) if row not in got]
    assert missing == []


def test_seed_states_more_than_fifty_numeric_claims_in_sections_two_three_five_ten_twelve(
        extracted):
    doc = extracted("xj-hrss-2025")
    numeric = [c for c in doc.claims if c.section.split("(")[0] in {"二", "三", "五", "十", "十二"}
               and c.amount is not None]
    assert len(numeric) > 50
    with_change = [c for c in numeric if c.change_amount is not None and c.change_pct is not None]
    assert len(with_change) >= 33
    # The example of DOMAIN.md, to the digit.
    gpb = next(c for c in numeric if c.section == "二" and c.subject == "一般公共预算")
    assert (gpb.amount, gpb.share_pct, gpb.change_amount, gpb.change_pct) == (
        Decimal("42040.53"), Decimal("93.30"), Decimal("-8524.52"), Decimal("-16.86"))
    assert gpb.reason.startswith("本年度根据事业单位机构改革")


@pytest.mark.parametrize("name", DOCS)
def test_allocation_lists_are_stored_as_their_parts(name, extracted):
    doc = extracted(name)
    claims = {c.claim_id: c for c in doc.claims}
    got = sorted((claims[p.claim_id].section, claims[p.claim_id].amount, p.part_no,
                  normalize(p.name), p.amount) for p in doc.claim_parts)
    stated = {t["claim_no"]: t for t in truth(name, "claims")}
    want = sorted((t["section"], _d(stated[t["claim_no"]]["amount"]), int(t["part_no"]),
                   t["name"], _d(t["amount"])) for t in truth(name, "claim_parts"))
    assert got == want


@pytest.mark.parametrize("name", DOCS)
def test_units_and_staff_facts(name, extracted):
    doc = extracted(name)
    got = sorted((f.kind, normalize(f.subject), str(f.value or ""), str(f.change or ""), f.page)
                 for f in doc.facts)
    want = sorted((t["kind"], t["subject"], t["value"], t["change"], int(t["page"]))
                  for t in truth(name, "facts"))
    assert got == want


@pytest.mark.parametrize("name", DOCS)
def test_performance_targets_have_project_unit_levels_indicator_target_and_weight(
        name, extracted):
    doc = extracted(name)
    got = sorted(("performance-dept" if p.scope == "department" else "performance",
                  p.project or "", p.budget_unit or "", p.level1 or "", p.level2 or "",
                  p.indicator, p.target or "", str(p.weight) if p.weight is not None else "",
                  p.page) for p in doc.performance)
    want = sorted((t["table_kind"], t["project"], t["budget_unit"], t["level1"], t["level2"],
                   t["level3"], t["target"], t["weight"], int(t["page"]))
                  for t in truth(name, "performance"))
    assert got == want


def _key(name: str) -> list[dict]:
    with (FIXTURES / name / "answer-key.toml").open("rb") as fh:
        return [e for e in tomllib.load(fh).get("finding", []) if e["rule"] == "parent-sum"]


@pytest.mark.parametrize("name", DOCS)
def test_children_sum_to_their_parent_within_printed_rounding_except_the_keyed_errors(
        name, extracted):
    checks = sum_checks(extracted(name).line_items)
    assert len(checks) > 100

    def ident(c) -> tuple:
        return (c.table.kind, c.parent.code or c.parent.name, c.column_name, c.page)

    def key_ident(e: dict) -> tuple:
        return (e["table_kind"], e.get("code") or e.get("subject"), e["column"], e.get("page"))

    errors = {ident(c) for c in checks if not c.ok}
    drifts = {ident(c) for c in checks if c.ok and c.gap != 0}
    assert errors == {key_ident(e) for e in _key(name) if e["severity"] == "error"}
    # Sums that differ by less than their printed rounding: the seed's own (info).
    assert drifts == {key_ident(e) for e in _key(name) if e["severity"] == "info"}


def test_seed_tables_one_to_eleven_are_found_by_meaning_with_their_pages(extracted):
    doc = extracted("xj-hrss-2025")
    standard = [t for t in doc.tables if t.table_no <= 11]
    assert [t.table_kind for t in standard] == [
        "summary", "income", "expense", "appropriation-summary", "gpb-expense", "gpb-basic",
        "gpb-project", "gov-fund-expense", "soe-expense", "sangong", "carryover"]
    assert [t.empty for t in standard] == [False] * 7 + [True, True] + [False, False]
    # 表2, 表3, 表5 and 表7 continue over pages with the header rows repeated.
    spans = {t.table_kind: (t.first_page, t.last_page) for t in standard}
    assert all(spans[k][1] > spans[k][0] for k in ("income", "expense", "gpb-expense",
                                                   "gpb-project"))


def test_split_disclosure_is_one_document_with_narrative_pages_first(extracted):
    import pdfplumber

    with pdfplumber.open(FIXTURES / "jz-culture-2025" / "narrative.pdf") as pdf:
        narrative = len(pdf.pages)
    doc = extracted("jz-culture-2025")
    assert min(t.first_page for t in doc.tables) == narrative + 1
    assert doc.page_count > narrative
    assert {s.section for s in doc.sentences if s.page <= narrative} >= {"二", "十"}
    assert doc.year == 2025 and doc.kind == "budget"


def test_seed_truth_is_derived_from_the_seed_text():
    """The seed's truth files follow from `source.txt` by the builder's parser: values,
    codes, columns and claims (pages come from rendering, so they are left out here)."""
    builder = str(FIXTURES / "builder")
    sys.path.insert(0, builder)
    try:
        import truth as builder_truth  # noqa: PLC0415 - the builder's flat module layout
        import xj_seed  # noqa: PLC0415

        model = xj_seed.parse((FIXTURES / "xj-hrss-2025" / "source.txt").read_text("utf-8"))
        items = builder_truth.line_items(model, None)
        claims, parts = builder_truth.claims(model)
    finally:
        sys.path.remove(builder)
        for module in ("truth", "xj_seed", "model", "amounts", "tables", "claims", "codes",
                       "writer", "xj_common", "xj_tables", "checks", "spec"):
            sys.modules.pop(module, None)

    def strip_page(rows: list[dict]) -> list[tuple]:
        return sorted(tuple(str(v) for k, v in r.items() if k != "page") for r in rows)

    assert strip_page(items) == strip_page(truth("xj-hrss-2025", "line_items"))
    assert strip_page(claims) == strip_page(truth("xj-hrss-2025", "claims"))
    assert strip_page(parts) == strip_page(truth("xj-hrss-2025", "claim_parts"))


@pytest.mark.parametrize(("file", "message"), [
    ("corrupt.pdf", "not a readable PDF"),
    ("encrypted.pdf", "encrypted with a password"),
    ("scanned.pdf", "page 1 has no text layer"),
    ("cid.pdf", "page 1 extract as (cid:N)"),
    ("not-a-pdf.pdf", "not a PDF but an HTML page"),
])
def test_bad_files_fail_with_a_message_saying_what_and_where(file, message):
    from tasks.errors import ExtractionError
    from tasks.extract import extract_document

    with pytest.raises(ExtractionError) as err:
        extract_document("bad", [FIXTURES / "bad" / file], [f"https://example.gov.cn/{file}"])
    assert message in str(err.value)
    assert str(err.value).startswith(f"https://example.gov.cn/{file}: ")
