"""The nouns every step shares: what a source, a fetched file, an extracted record and a
finding are. Frozen dataclasses only; no I/O, no Prefect.

Money is always `Decimal` in 万元. `decimals` is the precision of that 万元 value as the
document printed it: a 万元 figure printed as `1,234.56` has decimals=2; a 元 figure printed
as `12,345.67` becomes 1.234567 万元 with decimals=6. Half a unit of the last printed digit,
`Decimal(5) * 10 ** -(decimals + 1)`, is the rounding radius every check uses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """What a disclosure is: a budget (预算) or final accounts (决算)."""

    BUDGET = "budget"
    FINAL = "final"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Base(StrEnum):
    """What a stated change is measured against."""

    PRIOR_BUDGET = "prior_budget"  # 比上年预算 / 比2024年预算
    PRIOR_EXECUTION = "prior_execution"  # 比2023年预算执行数 (Shanghai)
    PRIOR_FINAL = "prior_final"  # 比上年决算
    PRIOR_UNSPECIFIED = "prior"  # 比上年 with no word saying which figure
    CURRENT_BUDGET = "current_budget"  # 决算 against this year's 年初预算


@dataclass(frozen=True)
class Source:
    """One disclosure to ingest, as configured: one or several files (narrative + tables)."""

    department: str  # stable ASCII id, e.g. "xj-hrss"
    name: str  # the department's name as published
    year: int
    kind: Kind
    urls: tuple[str, ...]

    @property
    def key(self) -> str:
        """The identity of the disclosure, independent of its content."""
        return f"{self.department}/{self.year}/{self.kind}"


@dataclass(frozen=True)
class FetchedFile:
    """One file as stored in the content-addressed raw store."""

    url: str
    path: Path
    sha256: str
    size: int
    final_url: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None  # ISO-8601 UTC
    # The server answered 304 Not Modified: the bytes are the ones stored by an earlier run.
    not_modified: bool = False


def document_id(file_hashes: tuple[str, ...] | list[str]) -> str:
    """A document's id: the sha256 of its files' sha256s, in published order.

    A one-file document's id is therefore not the file's own hash; a multi-file disclosure
    is one document with one id.
    """
    return hashlib.sha256("\n".join(file_hashes).encode()).hexdigest()


def failed_document_id(source: Source) -> str:
    """The id of a document that never produced content (404, timeout): hash of its URLs."""
    payload = "failed\n" + source.key + "\n" + "\n".join(source.urls)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class LineItem:
    """One amount cell of a standard table."""

    table_kind: str  # canonical slug, e.g. "gpb-expense" (config/tables.toml)
    table_title: str  # as printed
    unit: str  # the currency unit as printed: "万元" or "元"
    code: str | None  # functional (7/5/3 digits) or economic (5/3 digits) code
    name: str  # row name as printed, unwrapped
    column_name: str  # resolved header path, e.g. "财政拨款(补助)/一般公共预算"
    amount: Decimal  # in 万元
    decimals: int  # precision of `amount` in 万元 as printed
    page: int  # 1-based page in the document (files concatenated in order)
    column_key: str | None = None  # canonical column, e.g. "total", "basic", "project"
    code_system: str | None = None  # "function" | "economic" | None
    budget_unit: str | None = None  # 预算单位 the row belongs to (project tables)
    project: str | None = None  # project name (project tables)
    row_no: int = 0  # row order inside the stitched table
    table_no: int = 0  # order of the table inside the document
    level: int | None = None  # 1 = 类, 2 = 款, 3 = 项 (from the code, else the indentation)
    segment: int = 0  # which list of the table: the two sides of a 收支总表 are 0 and 1


@dataclass(frozen=True)
class Claim:
    """A narrative statement of an amount with a change, a percentage, a share or 持平."""

    claim_id: str  # stable within the document: "p{page}-{n}"
    section: str  # normalised section path, e.g. "五(三)"
    scope: str  # what the section speaks of: income, expense, gpb, sangong, ... (tables.toml)
    subject: str  # e.g. "一般公共预算", "教育支出(类)职业教育(款)技校教育(项)"
    code: str | None  # resolved functional code where the subject names one
    amount: Decimal | None  # stated current amount, 万元
    change_amount: Decimal | None  # signed: negative for 减少
    change_pct: Decimal | None  # signed percent: negative for 下降
    share_pct: Decimal | None  # 占 x%
    base: Base | None
    reason: str | None
    page: int
    text: str
    amount_decimals: int | None = None
    change_decimals: int | None = None
    pct_decimals: int | None = None
    share_decimals: int | None = None
    change_word: str | None = None  # 增加 / 减少 / 持平 as printed
    pct_word: str | None = None  # 增长 / 下降 as printed
    base_year: int | None = None  # 比2024年预算 -> 2024; None for 比上年
    kind: str = "change"  # change | share | total | amount | allocation | project | execution
    budget_unit: str | None = None  # project claims: 项目承担单位
    base_amount: Decimal | None = None  # the base's value when the sentence states it:
    # `2023年当年预算执行数为60.13万元` (Shanghai), `年初预算为1560.05万元` (final accounts)
    base_amount_decimals: int | None = None
    ratio_pct: Decimal | None = None  # `完成年初预算的98.20%`: amount / base_amount
    ratio_decimals: int | None = None


@dataclass(frozen=True)
class ClaimPart:
    """One part of an allocation list (具体分配为 / 其中 / 主要包括)."""

    claim_id: str
    part_no: int
    name: str
    amount: Decimal
    decimals: int


@dataclass(frozen=True)
class Fact:
    """A unit or staff fact: counts with their stated change, and the listed units."""

    kind: str  # staff | unit_count | unit | office_count | ...
    subject: str  # 在职 / 退休 / 离休 / 编制数 / 实有人数 / 行政单位 / 事业单位 / unit name
    value: Decimal | None
    change: Decimal | None  # signed stated change, if any
    page: int
    text: str


@dataclass(frozen=True)
class NarrativeSentence:
    """One sentence of the narrative with its section: for template, year, reason and
    completeness checks, and for full-text search."""

    seq: int
    part: str  # 第X部分 numeral
    section: str  # e.g. "五(三)"
    heading: str
    scope: str | None
    page: int
    text: str


@dataclass(frozen=True)
class PerformanceTarget:
    """One indicator of a performance-target table (绩效目标表): a project's or the whole
    department's, with its levels, target value and weight as printed."""

    table_no: int
    row_no: int
    page: int
    scope: str  # "project" | "department"
    project: str | None  # 项目名称 (None for the department-wide table)
    budget_unit: str | None  # 预算单位 / 实施单位 / 部门名称
    level1: str | None  # 一级指标: 产出指标, 效益指标, …
    level2: str | None  # 二级指标: 数量指标, 质量指标, …
    indicator: str  # 三级指标 / 指标名称
    target: str | None  # 指标值 as printed: `>=38万人`, `有效提升`
    weight: Decimal | None  # 分值 / 权重
    amount: Decimal | None = None  # the project's annual budget (年度预算总额), 万元
    amount_decimals: int | None = None


@dataclass(frozen=True)
class ExtractedDocument:
    """Everything extraction read from one disclosure."""

    doc_id: str
    page_count: int
    line_items: tuple[LineItem, ...]
    claims: tuple[Claim, ...]
    claim_parts: tuple[ClaimPart, ...]
    facts: tuple[Fact, ...]
    tables: tuple[TableInfo, ...] = ()
    sentences: tuple[NarrativeSentence, ...] = ()
    warnings: tuple[str, ...] = ()
    performance: tuple[PerformanceTarget, ...] = ()
    kind: str | None = None  # "budget" | "final" as the document itself says, if it says
    year: int | None = None  # the fiscal year the document itself states (cover, tables)
    columns: tuple[TableColumn, ...] = ()  # every table's column layout


@dataclass(frozen=True)
class TableInfo:
    """A table found in the document: for completeness checks and empty-table statements."""

    table_no: int
    table_kind: str
    table_title: str
    unit: str
    first_page: int
    last_page: int
    row_count: int
    empty: bool
    confidence: float = 1.0  # how surely the layout was read: 0..1 (tasks/extract/layout.py)
    unit_found: bool = True  # the unit was printed with the table (else inherited or assumed)


@dataclass(frozen=True)
class TableColumn:
    """One column of a table as extraction read it: its role, the evidence for it and how
    sure it is (tasks/extract/layout.py). Rules read roles and additivity from here."""

    table_no: int
    column_no: int
    header_path: str  # the resolved header path, as LineItem.column_name
    role: str  # code | name | amount | prior | change | percent | row-number | part | ...
    column_key: str | None
    additive: bool  # this year's money that adds up with its sibling columns
    confidence: float
    evidence: str
    segment: int | None = None  # which list of the table (None: not a list's column)


@dataclass(frozen=True)
class Finding:
    """An inconsistency in a disclosure. Data, not an error."""

    rule: str  # stable kebab-case slug
    severity: Severity
    subject: str
    message: str
    code: str | None = None
    stated: str | None = None  # the figure as the document states it
    expected: str | None = None  # what the tables / the arithmetic / the prior year say
    page: int | None = None
    evidence: str | None = None  # the sentence or cell the finding comes from
    table_kind: str | None = None
    column_name: str | None = None  # header path of the cell, for table findings
    prior: bool = False  # True when the evidence involves the previous year's document
    claim_id: str | None = None  # the claim it is about (Claim.claim_id), for exact joins
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # the tables of the checked document the finding rests on (TableInfo.table_no): an error
    # resting on a table not read with confidence is not raised (checks/table_unreadable.py)
    tables: tuple[int, ...] = field(default=(), compare=False, hash=False)

    def finding_id(self, department: str, year: int, doc_id: str) -> str:
        """Stable across re-runs, so a finding keeps its id while it stays true."""
        key = "\x1f".join(
            str(x)
            for x in (department, year, doc_id, self.rule, self.subject, self.code, self.page,
                      self.stated, self.expected, self.evidence)
        )
        return hashlib.sha256(key.encode()).hexdigest()[:16]
