"""The layout-variant matrix: the same content in many house styles reads back the same.

`tests/fixtures/variants/<id>/document.pdf` prints 表5 一般公共预算支出情况表 and/or 表6
一般公共预算基本支出情况表 of the seed in one layout (three code columns or one, the code in
the name cell or after it, one to three header rows, 行次 / 其中 / prior-year / change / %
columns, wrapped and overflowing names, 元 amounts, units printed below the table or on a
later page, no vertical rulings, continuation pages with or without the header), drawn by
reportlab or printed by LibreOffice Calc (`tests/fixtures/builder/variants.py`).
`expected.csv` beside it is derived from the content, not from the PDF.
"""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from functools import cache

import pytest

from conftest import FIXTURES
from tasks.checks.tables import sum_checks
from tasks.extract import extract_document
from tasks.extract.pdf import normalize

VARIANTS = FIXTURES / "variants"
MANIFEST = json.loads((VARIANTS / "manifest.json").read_text(encoding="utf-8"))
IDS = [v["id"] for v in MANIFEST]
# Headers of columns that are never money of any kind.
NOT_MONEY = re.compile(r"(行次|%|率|名称|编码|编号|科目|^类$|^款$|^项$)")


@cache
def _extracted(vid: str):
    return extract_document(vid, [VARIANTS / vid / "document.pdf"])


def _expected(vid: str) -> set[tuple]:
    with (VARIANTS / vid / "expected.csv").open(encoding="utf-8") as fh:
        return {(r["table_kind"], r["code"], r["name"], r["column_key"], Decimal(r["amount"]))
                for r in csv.DictReader(fh)}


def _variant(vid: str) -> dict:
    return next(v for v in MANIFEST if v["id"] == vid)


def test_the_matrix_has_twelve_variants_from_two_producers():
    producers = [v["producer"] for v in MANIFEST]
    assert len(MANIFEST) >= 12
    assert set(producers) == {"rl", "lo"}
    assert producers.count("lo") * 3 >= len(producers)


@pytest.mark.parametrize("vid", IDS)
def test_this_years_amounts_read_back_identically(vid):
    doc = _extracted(vid)
    want = _expected(vid)
    keys = {k for _, _, _, k, _ in want}
    kinds = {k for k, *_ in want}
    got = {(i.table_kind, i.code or "", i.name, i.column_key, i.amount)
           for i in doc.line_items if i.column_key in keys and i.table_kind in kinds}
    missing, extra = sorted(want - got), sorted(got - want)
    assert not missing and not extra, (
        f"{vid}: {len(missing)} missing, {len(extra)} extra\n missing: {missing[:8]}\n"
        f" extra: {extra[:8]}\n tables: {doc.tables}\n warnings: {doc.warnings}")


@pytest.mark.parametrize("vid", IDS)
def test_no_line_item_comes_from_a_column_that_is_not_money(vid):
    doc = _extracted(vid)
    other = {normalize(c) for c in _variant(vid)["other_columns"]}
    bad = sorted({i.column_name for i in doc.line_items
                  if NOT_MONEY.search(i.column_name.split("/")[-1])})
    assert not bad, f"{vid}: line items from {bad}"
    # prior-year, change and 其中 columns are money, but never this year's total
    wrong = sorted({(i.column_name, i.column_key) for i in doc.line_items
                    if i.column_name.split("/")[-1] in other
                    and i.column_key in {"total", "basic", "project", "personnel", "public"}})
    assert not wrong, f"{vid}: {wrong}"


@pytest.mark.parametrize("vid", IDS)
def test_parents_equal_the_sum_of_their_children(vid):
    doc = _extracted(vid)
    checks = sum_checks(doc.line_items)
    assert checks, f"{vid}: no parent/children relation found"
    # The content is the seed's, printed in 万元 with 2 decimals: its own rounding drifts
    # (20805, 208, 总计 of 表5) stay drifts when a variant prints it in exact 元.
    bad = [(c.table.kind, c.parent.code or c.parent.name, c.column_name, c.stated)
           for c in checks if not c.ok and abs(c.gap) > Decimal("0.005") * len(c.parts)]
    assert not bad, f"{vid}: {bad}"


# The role every variant must give a column, by its printed leaf (the words a variant uses).
OTHER_ROLES = {"行次": "row-number", "栏次": "row-number", "增减额": "change",
               "增减%": "percent", "增减率": "percent"}


@pytest.mark.parametrize("vid", IDS)
def test_every_variant_gives_the_same_roles(vid):
    """This year's money is additive `amount` under the same keys in every house style; the
    columns a variant adds are roles that never add up (行次, change, %, prior, 其中)."""
    doc = _extracted(vid)
    expected = _expected(vid)
    keys = {(kind, key) for kind, _, _, key, _ in expected}
    kinds = {t.table_no: t.table_kind for t in doc.tables}
    additive = {(kinds[c.table_no], c.column_key) for c in doc.columns if c.additive}
    assert additive == keys, f"{vid}: additive columns {sorted(additive)} ≠ {sorted(keys)}"
    for col in doc.columns:
        leaf = normalize(col.header_path.split("/")[-1])
        want = OTHER_ROLES.get(leaf) or ("prior" if re.match(r"^\d{4}年", leaf) and
                                         col.column_key == "prior" else None)
        if leaf.startswith("其中"):
            want = "part"
        if want:
            assert col.role == want, f"{vid}: {col.header_path!r} read as {col.role}"
