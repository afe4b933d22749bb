from decimal import Decimal

import pytest

from tasks.extract.amounts import find_unit, half_unit, parse_amount


@pytest.mark.parametrize(("printed", "unit", "value", "decimals"), [
    ("42,040.53", "万元", Decimal("42040.53"), 2),
    ("27,217.1\n2", "万元", Decimal("27217.12"), 2),  # a number wrapped inside its cell
    ("0.000123", "万元", Decimal("0.000123"), 6),  # Beijing prints 6 decimals: keep them
    ("12,345,678.90", "元", Decimal("1234.567890"), 6),
    ("1,000", "元", Decimal("0.1000"), 4),
    ("-12.00", "万元", Decimal("-12.00"), 2),
    ("（12.00）", "万元", Decimal("-12.00"), 2),
])
def test_parse_amount_keeps_value_and_printed_precision(printed, unit, value, decimals):
    assert parse_amount(printed, unit) == (value, decimals)


@pytest.mark.parametrize("blank", ["", " ", "-", "—", None, "※", "合计"])
def test_blank_or_text_cell_is_no_amount_not_zero(blank):
    assert parse_amount(blank) is None


def test_unit_lines():
    assert find_unit("单位：万元") == "万元"
    assert find_unit("金额单位：元") == "元"
    assert find_unit("编制部门：自治区人力资源和社会保障厅") is None


def test_half_unit_is_half_the_last_printed_digit():
    assert half_unit(2) == Decimal("0.005")
    assert half_unit(6) == Decimal("0.0000005")
