"""Printed numbers: amounts with thousands separators, wrapped over lines, in 元 or 万元."""

from __future__ import annotations

import re
from decimal import Decimal

from tasks.extract.pdf import normalize

# After normalisation (no whitespace): 1,234.56 / -12.00 / (12.00) / 0 / 12.5
_AMOUNT = re.compile(r"^(?P<neg>-|\()?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\)?$")
_BLANK = {"", "-", "—", "--", "——", "/", "…", "－", "0-"}

UNIT_FACTORS = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000),
                "千元": Decimal("0.1")}
# Extra decimals the conversion to 万元 adds, so printed precision is kept exactly.
UNIT_SHIFT = {"万元": 0, "元": 4, "亿元": -4, "千元": 1}
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(亿元|万元|千元|元)")


def parse_amount(text: str | None, unit: str = "万元") -> tuple[Decimal, int] | None:
    """`'27,217.1\\n2'` -> (Decimal('27217.12'), 2). None for a blank or non-numeric cell.

    The result is in 万元; the second value is its precision in 万元 as printed.
    """
    flat = normalize(text)
    if flat in _BLANK:
        return None
    match = _AMOUNT.match(flat)
    if not match:
        return None
    frac = match.group("frac") or ""
    value = Decimal(match.group("int").replace(",", "") + ("." + frac if frac else ""))
    if match.group("neg"):
        value = -value
    factor = UNIT_FACTORS[unit]
    decimals = len(frac) + UNIT_SHIFT[unit]
    return value * factor if factor != 1 else value, max(decimals, 0)


def looks_like_amount(text: str | None) -> bool:
    """True for a printed money figure (has a decimal point or thousands separators)."""
    flat = normalize(text)
    return bool(_AMOUNT.match(flat)) and ("." in flat or "," in flat)


def find_unit(text: str) -> str | None:
    """The currency unit declared in a line such as `单位：万元` or `金额单位：元`."""
    match = _UNIT.search(normalize(text))
    return match.group(1) if match else None


def half_unit(decimals: int) -> Decimal:
    """Half of the last printed digit: the rounding radius of a figure."""
    return Decimal(5).scaleb(-(decimals + 1))
