"""Performance-target tables (绩效目标表): one record per indicator, with its project, unit,
levels, target and weight.

Two layouts exist. A block per project (Xinjiang, Fuzhou, Yantai, Xi'an): label rows
(`项目名称 | …`, `预算单位 | …`, `年度预算总额 | 255.00`) and then an indicator header
(`一级指标 | 二级指标 | 三级指标 | 指标值 | … | 分值权重`) with its rows. Or one wide table
(Beijing, Changchun) whose indicator header also has the project, unit and amount columns.
Beijing's department table names the levels inside the indicator and splits the target
into 指标性质 | 指标值 | 度量单位.
Level cells merged over several rows repeat in each (the grid reader spreads spans).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tasks.contracts import PerformanceTarget
from tasks.extract.amounts import parse_amount
from tasks.extract.pdf import normalize
from tasks.extract.tables import RawTable

_LEVEL1 = re.compile(r"^一级指标$")
_LEVEL2 = re.compile(r"^二级指标$")
_INDICATOR = re.compile(r"^(三级指标|指标名称|指标内容|绩效指标名称|绩效指标)$")
# Beijing splits the target into 指标性质 (≥) | 指标值 (3396) | 度量单位 (人), and prints the
# levels inside the indicator (`产出指标数量指标参保人参保意愿调查样本`).
_OPERATOR = re.compile(r"^(指标性质|绩效指标性质)$")
_MEASURE = re.compile(r"^(度量单位|计量单位|绩效度量单位)$")
_LEVELS_IN_NAME = re.compile(r"^(产出指标|效益指标|满意度指标|成本指标)"
                             r"((?:数量|质量|时效|经济成本|社会成本|生态环境成本|经济效益|社会效益|"
                             r"生态效益|可持续影响|服务对象满意度)指标)?(.+)$")
_TARGET = re.compile(r"^(本年|年度|本年度)?(\(/项目\))?(绩效)?指标值(\(.*\))?$")
_UNIT_NOTE = re.compile(r"[(（](万元|元)[)）]")
_WEIGHT = re.compile(r"(分值|权重)")
_PROJECT = re.compile(r"^项目名称$")
_UNIT = re.compile(r"^(预算单位|实施单位|单位名称|部门名称|部门名称\(盖章\)|部门\(单位\)名称)$")
_AMOUNT = re.compile(r"(年度预算总额|年度预算资金总额|年度资金总额|项目总额|资金总额|实施期资金总额|"
                     r"项目资金总额|年度资金申请总额)")
_DEPARTMENT_KINDS = {"performance-dept"}


def _clean(text: str) -> str:
    return normalize(text).rstrip(":：")


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """The indicator header's columns, if this row is one."""
    found: dict[str, int] = {}
    for c, raw in enumerate(cells):
        text = _clean(raw)
        for key, pattern in (("level1", _LEVEL1), ("level2", _LEVEL2),
                             ("indicator", _INDICATOR), ("target", _TARGET),
                             ("weight", _WEIGHT), ("project", _PROJECT), ("unit", _UNIT),
                             ("operator", _OPERATOR), ("measure", _MEASURE)):
            if key not in found and pattern.search(text):
                found[key] = c
        if "amount" not in found and _AMOUNT.search(text):
            found["amount"] = c
    if "indicator" in found and ("level1" in found or "target" in found):
        return found
    return None


def _value_after(cells: list[str], col: int) -> str | None:
    """The first cell right of a label that is not a copy of the label (merged label cells
    repeat across the columns they span)."""
    label = cells[col]
    for text in cells[col + 1:]:
        if text and text != label and normalize(text):
            return text
    return None


def _weight(text: str) -> Decimal | None:
    flat = normalize(text).rstrip("%")
    try:
        return Decimal(flat) if flat else None
    except InvalidOperation:
        return None


def performance_targets(table: RawTable) -> list[PerformanceTarget]:
    """Every indicator of a performance-target table."""
    scope = "department" if table.kind.slug in _DEPARTMENT_KINDS else "project"
    out: list[PerformanceTarget] = []
    project: str | None = None
    unit: str | None = None
    amount: tuple[Decimal, int] | None = None
    columns: dict[str, int] | None = None
    last: dict[str, str] = {}
    for row_no, row in enumerate(table.rows, start=1):
        cells = row.cells
        header = _header_columns(cells)
        if header is not None:
            columns, last = header, {}
            continue
        labels = {_clean(c): i for i, c in reversed(list(enumerate(cells))) if _clean(c)}
        # A label row opens a new block (the next project's 预算单位 / 项目名称 rows).
        if any(_PROJECT.match(t) for t in labels):
            col = next(i for t, i in labels.items() if _PROJECT.match(t))
            project, columns, amount = _value_after(cells, col), None, None
            project = normalize(project) if project else None
            continue
        unit_label = next((i for t, i in labels.items() if _UNIT.match(t)), None)
        if unit_label is not None:
            value = _value_after(cells, unit_label)
            unit, columns = (normalize(value) if value else unit), None
            continue
        amount_label = next((i for t, i in labels.items() if _AMOUNT.search(t)), None)
        if amount_label is not None and columns is None:
            # `项目资金（元）` (Shanghai) states the unit on the label itself.
            note = next((m.group(1) for c in cells if (m := _UNIT_NOTE.search(normalize(c)))),
                        table.unit)
            for text in cells[amount_label + 1:]:
                parsed = parse_amount(text, note)
                if parsed is not None:
                    amount = parsed
                    break
        if columns is None:
            continue
        values = {key: normalize(cells[c]) if c < len(cells) else ""
                  for key, c in columns.items()}
        indicator = values.get("indicator", "")
        level1_cell = values.get("level1", "")
        if not indicator or indicator == level1_cell and not values.get("target"):
            continue  # a wrapped line of the row above, or a note row
        if "level1" not in columns:
            inline = _LEVELS_IN_NAME.match(indicator)
            if inline:
                values["level1"], values["level2"] = inline.group(1), inline.group(2) or ""
                indicator = inline.group(3)
        target = values.get("target", "")
        if target and ("operator" in columns or "measure" in columns):
            target = values.get("operator", "") + target + values.get("measure", "")
        values["target"] = target
        for key in ("level1", "level2", "project", "unit"):
            if values.get(key):
                last[key] = values[key]
        row_amount = amount
        if "amount" in columns:
            parsed = parse_amount(cells[columns["amount"]], table.unit)
            row_amount = parsed if parsed is not None else amount
        out.append(PerformanceTarget(
            table_no=table.table_no, row_no=row_no, page=row.page, scope=scope,
            project=last.get("project") or project if scope == "project" else None,
            budget_unit=last.get("unit") or unit,
            level1=last.get("level1"), level2=last.get("level2"), indicator=indicator,
            target=values.get("target") or None, weight=_weight(values.get("weight", "")),
            amount=row_amount[0] if row_amount else None,
            amount_decimals=row_amount[1] if row_amount else None))
    return out
