"""Small constructors for the rules' unit tests: documents, claims, facts and tables as
extraction would hand them over, written the way the disclosures print them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from tasks.checks.base import Context, DocData
from tasks.compare import checks_config
from tasks.contracts import Base, Claim, ClaimPart, Fact, Finding, LineItem, NarrativeSentence

_CONFIG = checks_config()


def _d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text.replace(",", ""))


def _places(text: str | None) -> int | None:
    if text is None:
        return None
    return len(text.split(".")[1]) if "." in text else 0


def claim(subject: str, amount: str | None = None, change: str | None = None,
          pct: str | None = None, share: str | None = None, *, n: int = 1,
          section: str = "五(三)", scope: str = "gpb", code: str | None = None,
          kind: str = "change", base: Base | None = Base.PRIOR_BUDGET,
          base_year: int | None = None, reason: str | None = None, page: int = 1,
          change_word: str | None = None, pct_word: str | None = None,
          base_amount: str | None = None, text: str | None = None) -> Claim:
    """A claim; words default to the signs (`-8,524.52` is 减少, `-16.86` is 下降)."""
    if change is not None and change_word is None:
        change_word = "持平" if _d(change) == 0 and pct is None else \
            ("减少" if change.startswith("-") else "增加")
    if pct is not None and pct_word is None:
        pct_word = "下降" if pct.startswith("-") else "增长"
    extra = {}
    if base_amount is not None:
        extra = {"base_amount": _d(base_amount), "base_amount_decimals": _places(base_amount)}
    made = Claim(
        claim_id=f"p{page}-{n}", section=section, scope=scope, subject=subject, code=code,
        amount=_d(amount), change_amount=_d(change), change_pct=_d(pct), share_pct=_d(share),
        base=base if change is not None or pct is not None else None, reason=reason,
        page=page, text=text or f"{subject}…", amount_decimals=_places(amount),
        change_decimals=_places(change), pct_decimals=_places(pct),
        share_decimals=_places(share), change_word=change_word, pct_word=pct_word,
        base_year=base_year, kind=kind)
    return dataclasses.replace(made, **extra) if extra else made


def numbered(*claims: Claim) -> list[Claim]:
    """Claims in reading order with distinct ids."""
    return [dataclasses.replace(c, claim_id=f"p{c.page}-{i}") for i, c in enumerate(claims, 1)]


def parts(claim_id: str, *named: tuple[str, str]) -> list[ClaimPart]:
    return [ClaimPart(claim_id, i, name, _d(amount), _places(amount))
            for i, (name, amount) in enumerate(named, 1)]


def fact(kind: str, subject: str, value: str | None = None, change: str | None = None,
         page: int = 4) -> Fact:
    return Fact(kind, subject, _d(value), _d(change), page, subject)


def sentence(text: str, *, section: str = "", heading: str = "", scope: str | None = None,
             page: int = 1, seq: int = 1) -> NarrativeSentence:
    return NarrativeSentence(seq, "", section, heading, scope, page, text)


def table(kind: str, rows: list[tuple], *, no: int = 1, unit: str = "万元",
          title: str | None = None, page: int = 1) -> list[LineItem]:
    """Line items of one table. A row is (code, name, {column: "1,234.56"}) or
    (code, name, {…}, budget_unit, project). 元 amounts are converted exactly."""
    items = []
    for row_no, row in enumerate(rows):
        code, name, cells, *rest = row
        budget_unit, project = (rest + [None, None])[:2]
        for column, printed in cells.items():
            value, decimals = _d(printed), _places(printed)
            if unit == "元":
                value, decimals = value.scaleb(-4), decimals + 4
            items.append(LineItem(
                table_kind=kind, table_title=title or kind, unit=unit, code=code, name=name,
                column_name=column, amount=value, decimals=decimals, page=page,
                budget_unit=budget_unit, project=project, row_no=row_no, table_no=no))
    return items


def doc(year: int = 2025, **fields) -> DocData:
    return DocData(f"d{year}", "dept", year, "budget", "部门", **fields)


def run(rule, current: DocData, prior: DocData | None = None) -> list[Finding]:
    return list(rule.run(Context(current, prior, _CONFIG)))
