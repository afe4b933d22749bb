"""The warehouse schema: every table and its columns, in one place.

The DDL, the staging (Parquet) schemas and the README's schema reference are all derived
from `TABLES`. Changes are numbered migrations (`MIGRATIONS`), applied in order when a
warehouse is opened for writing; `schema_version` records what has been applied.
Later changes may add tables and columns, never rename the contract's.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

MONEY = "DECIMAL(24,6)"  # 万元; never a float


@dataclass(frozen=True)
class Column:
    name: str
    sql: str
    doc: str


def _c(name: str, sql: str, doc: str) -> Column:
    return Column(name, sql, doc)


TABLES: dict[str, tuple[Column, ...]] = {
    "documents": (
        _c("doc_id", "VARCHAR", "sha256 of the files' sha256s in published order (content "
           "hash); for a source that produced no file, the hash of its URLs"),
        _c("department", "VARCHAR", "stable ASCII department id from the sources file"),
        _c("year", "INTEGER", "fiscal year of the disclosure"),
        _c("kind", "VARCHAR", "'budget' or 'final'"),
        _c("status", "VARCHAR", "'loaded' or 'failed'"),
        _c("error", "VARCHAR", "for failed documents: what failed and what to do"),
        _c("page_count", "INTEGER", "pages over all files of the document"),
        _c("loaded_at", "TIMESTAMP", "when this row was written (UTC)"),
        _c("name", "VARCHAR", "the department's published name"),
        _c("source_key", "VARCHAR", "department/year/kind: the disclosure this is a version of"),
        _c("version", "INTEGER", "1, 2, … per source_key as new content is published"),
        _c("is_current", "BOOLEAN", "the latest loaded version of its source_key"),
        _c("file_count", "INTEGER", "number of PDF files the document was published as"),
        _c("warnings", "VARCHAR", "extraction notes that did not fail the document"),
        _c("run_id", "VARCHAR", "the flow run that wrote the row"),
    ),
    "files": (
        _c("doc_id", "VARCHAR", "document the file belongs to"),
        _c("file_no", "INTEGER", "position of the file in the document (1 = first pages)"),
        _c("url", "VARCHAR", "URL or path as configured or discovered"),
        _c("final_url", "VARCHAR", "where the bytes came from: the URL after redirects, or the "
           "PDF attachment followed when `url` served an article page"),
        _c("http_status", "INTEGER", "HTTP status of the download (200; 304 answers reuse the "
           "earlier download and keep its row)"),
        _c("etag", "VARCHAR", "ETag header"),
        _c("last_modified", "VARCHAR", "Last-Modified header"),
        _c("fetched_at", "TIMESTAMP", "when the file was fetched (UTC)"),
        _c("sha256", "VARCHAR", "sha256 of the file's bytes"),
        _c("size", "BIGINT", "bytes"),
        _c("path", "VARCHAR", "location in the raw store"),
    ),
    "tables": (
        _c("doc_id", "VARCHAR", "document"),
        _c("table_no", "INTEGER", "order of the table in the document"),
        _c("table_kind", "VARCHAR", "canonical slug (config/tables.toml)"),
        _c("table_title", "VARCHAR", "title as printed"),
        _c("unit", "VARCHAR", "currency unit as printed (万元, 元)"),
        _c("first_page", "INTEGER", "page where the table starts"),
        _c("last_page", "INTEGER", "page where it ends"),
        _c("row_count", "INTEGER", "body rows after stitching"),
        _c("empty", "BOOLEAN", "true when the table has no amount at all"),
    ),
    "line_items": (
        _c("doc_id", "VARCHAR", "document"),
        _c("table_kind", "VARCHAR", "canonical slug of the table, the same across provinces"),
        _c("table_title", "VARCHAR", "title as printed"),
        _c("unit", "VARCHAR", "currency unit as printed; `amount` is always 万元"),
        _c("code", "VARCHAR", "functional (3/5/7 digits) or economic (3/5 digits) code"),
        _c("name", "VARCHAR", "row name as printed, unwrapped"),
        _c("column_name", "VARCHAR", "resolved header path, e.g. 财政拨款(补助)/一般公共预算"),
        _c("amount", MONEY, "amount in 万元, exact"),
        _c("decimals", "INTEGER", "precision of `amount` in 万元 as printed (2 for 1.23 万元; "
           "6 for 元 printed with 2 decimals)"),
        _c("page", "INTEGER", "1-based page in the document"),
        _c("column_key", "VARCHAR", "canonical column (total, basic, project, gpb, …)"),
        _c("code_system", "VARCHAR", "'function' or 'economic'"),
        _c("budget_unit", "VARCHAR", "预算单位 the row belongs to (project tables)"),
        _c("project", "VARCHAR", "project name (project tables)"),
        _c("row_no", "INTEGER", "row order in the stitched table"),
        _c("table_no", "INTEGER", "order of the table in the document"),
        _c("level", "INTEGER", "1 = 类, 2 = 款, 3 = 项: from the code, else the indentation"),
        _c("segment", "INTEGER", "which list of the table the row belongs to (the two sides "
           "of a 收支总表 are 0 and 1)"),
    ),
    "claims": (
        _c("doc_id", "VARCHAR", "document"),
        _c("claim_id", "VARCHAR", "id within the document, p<page>-<n>"),
        _c("section", "VARCHAR", "narrative section, e.g. 五(三)"),
        _c("subject", "VARCHAR", "what the claim is about, as printed"),
        _c("code", "VARCHAR", "functional code the subject names, when it names one"),
        _c("amount", MONEY, "stated current amount, 万元"),
        _c("change_amount", MONEY, "stated change, signed (减少 < 0), 万元"),
        _c("change_pct", MONEY, "stated percentage change, signed (下降 < 0)"),
        _c("share_pct", MONEY, "stated share (占 x%)"),
        _c("base", "VARCHAR", "what the change is measured against: prior_budget, "
           "prior_execution, prior_final, prior (unspecified)"),
        _c("reason", "VARCHAR", "the stated reason (主要原因是…)"),
        _c("page", "INTEGER", "page where the sentence starts"),
        _c("text", "VARCHAR", "the sentence"),
        _c("scope", "VARCHAR", "what the section speaks of: income, expense, gpb, sangong, …"),
        _c("kind", "VARCHAR", "change | share | total | amount | allocation | project"),
        _c("amount_decimals", "INTEGER", "printed decimals of amount"),
        _c("change_decimals", "INTEGER", "printed decimals of change_amount"),
        _c("pct_decimals", "INTEGER", "printed decimals of change_pct"),
        _c("share_decimals", "INTEGER", "printed decimals of share_pct"),
        _c("change_word", "VARCHAR", "增加 / 减少 / 持平 as printed"),
        _c("pct_word", "VARCHAR", "增长 / 下降 as printed"),
        _c("base_year", "INTEGER", "year named in 比20XX年…, if any"),
        _c("budget_unit", "VARCHAR", "项目承担单位 of a project claim"),
        _c("base_amount", MONEY, "the base's value when the sentence states it (上年预算执行数为…, "
           "年初预算为…), 万元"),
        _c("base_amount_decimals", "INTEGER", "printed decimals of base_amount"),
        _c("ratio_pct", MONEY, "stated ratio of amount to base (完成年初预算的98.20%)"),
        _c("ratio_decimals", "INTEGER", "printed decimals of ratio_pct"),
    ),
    "claim_parts": (
        _c("doc_id", "VARCHAR", "document"),
        _c("claim_id", "VARCHAR", "the allocation claim (its amount is the stated total)"),
        _c("part_no", "INTEGER", "position in the list"),
        _c("name", "VARCHAR", "part as printed"),
        _c("amount", MONEY, "万元"),
        _c("decimals", "INTEGER", "printed decimals"),
    ),
    "facts": (
        _c("doc_id", "VARCHAR", "document"),
        _c("fact_no", "INTEGER", "order in the document"),
        _c("kind", "VARCHAR", "staff | unit_count | unit"),
        _c("subject", "VARCHAR", "在职, 退休, 编制数, 行政单位, a unit's name, …"),
        _c("value", MONEY, "the count"),
        _c("change", MONEY, "stated change, signed"),
        _c("page", "INTEGER", "page"),
        _c("text", "VARCHAR", "the sentence"),
    ),
    "sentences": (
        _c("doc_id", "VARCHAR", "document"),
        _c("seq", "INTEGER", "order in the narrative"),
        _c("part", "VARCHAR", "第X部分 numeral"),
        _c("section", "VARCHAR", "section path"),
        _c("heading", "VARCHAR", "section heading"),
        _c("scope", "VARCHAR", "section scope"),
        _c("page", "INTEGER", "page"),
        _c("text", "VARCHAR", "the sentence"),
    ),
    "performance_targets": (
        _c("doc_id", "VARCHAR", "document"),
        _c("table_no", "INTEGER", "order of the 绩效目标表 in the document"),
        _c("row_no", "INTEGER", "row order in the table"),
        _c("page", "INTEGER", "page"),
        _c("scope", "VARCHAR", "'project' or 'department' (部门整体绩效目标)"),
        _c("project", "VARCHAR", "项目名称"),
        _c("budget_unit", "VARCHAR", "预算单位 / 实施单位"),
        _c("level1", "VARCHAR", "一级指标 (产出指标, 效益指标, …)"),
        _c("level2", "VARCHAR", "二级指标 (数量指标, 质量指标, …)"),
        _c("indicator", "VARCHAR", "三级指标 / 指标名称"),
        _c("target", "VARCHAR", "指标值 as printed (>=38万人, 有效提升)"),
        _c("weight", MONEY, "分值 / 权重"),
        _c("amount", MONEY, "the project's annual budget (年度预算总额), 万元"),
        _c("amount_decimals", "INTEGER", "printed decimals of amount"),
    ),
    "findings": (
        _c("finding_id", "VARCHAR", "stable id: the same inconsistency keeps its id"),
        _c("department", "VARCHAR", "department id"),
        _c("year", "INTEGER", "fiscal year checked"),
        _c("doc_id", "VARCHAR", "document checked"),
        _c("prior_doc_id", "VARCHAR", "the previous year's document it was compared with"),
        _c("rule", "VARCHAR", "kebab-case rule slug (README, rule catalogue)"),
        _c("severity", "VARCHAR", "'error' | 'warning' | 'info'"),
        _c("subject", "VARCHAR", "what the finding is about"),
        _c("code", "VARCHAR", "functional/economic code, if any"),
        _c("stated", "VARCHAR", "what the document states"),
        _c("expected", "VARCHAR", "what the tables, the arithmetic or the prior year say"),
        _c("message", "VARCHAR", "one sentence for people"),
        _c("page", "INTEGER", "page of the evidence"),
        _c("evidence", "VARCHAR", "the sentence or cell the finding comes from"),
        _c("table_kind", "VARCHAR", "table involved, if any"),
        _c("column_name", "VARCHAR", "header path of the cell involved, if any"),
        _c("run_id", "VARCHAR", "the compare-years run that wrote it"),
        _c("created_at", "TIMESTAMP", "when it was written (UTC)"),
    ),
    "discovered": (
        _c("portal", "VARCHAR", "the [[portal]] whose listing the link was found through"),
        _c("url", "VARCHAR", "the link: a PDF or other attachment, or an article page"),
        _c("status", "VARCHAR", "'pdf' (a file of source_key, in file_no order), 'unsupported' "
           "(not a PDF: .doc, .xls, .zip, …; not fetched), 'article' (the article page itself "
           "was handed to fetch: no PDF attachment, or unreadable during discovery), "
           "'duplicate' (another article already gave this source_key)"),
        _c("source_key", "VARCHAR", "department/year/kind the link belongs to"),
        _c("department", "VARCHAR", "department id (from the portal's [[portal.department]])"),
        _c("year", "INTEGER", "year from the document title"),
        _c("kind", "VARCHAR", "'budget' or 'final', from the document title"),
        _c("title", "VARCHAR", "the document title the year and kind were read from"),
        _c("article_url", "VARCHAR", "the article page the attachment is on (null: listed "
           "directly)"),
        _c("file_no", "INTEGER", "position among the source's PDF files (narrative first)"),
        _c("link_text", "VARCHAR", "the link's text or title as published"),
        _c("note", "VARCHAR", "why it has this status, and what to do"),
        _c("first_seen_at", "TIMESTAMP", "first discovery run that saw it (UTC)"),
        _c("last_seen_at", "TIMESTAMP", "latest discovery run that saw it (UTC)"),
        _c("run_id", "VARCHAR", "the flow run that last saw it"),
    ),
}

# The staged (per-document, Parquet) tables: everything keyed by doc_id except the ones the
# loader writes itself.
STAGED = ("files", "tables", "line_items", "claims", "claim_parts", "facts", "sentences",
          "performance_targets")

_KEYS = {
    "documents": ("doc_id",),
    "discovered": ("portal", "url"),
    "findings": ("finding_id",),
}


def _ddl(table: str) -> str:
    cols = ",\n  ".join(f"{c.name} {c.sql}" for c in TABLES[table])
    key = _KEYS.get(table)
    pk = f",\n  PRIMARY KEY ({', '.join(key)})" if key else ""
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {cols}{pk}\n)"


MIGRATIONS: list[tuple[int, str, list[str]]] = [
    # Migration 1 names its tables: a table added to TABLES later arrives through its own
    # migration, so an old warehouse and a new one end up the same.
    (1, "initial contract", [_ddl(t) for t in ("documents", "files", "tables", "line_items",
                                               "claims", "claim_parts", "facts", "sentences",
                                               "findings")] + [
        "CREATE INDEX IF NOT EXISTS line_items_doc ON line_items (doc_id)",
        "CREATE INDEX IF NOT EXISTS claims_doc ON claims (doc_id)",
        "CREATE INDEX IF NOT EXISTS findings_dept_year ON findings (department, year)",
    ]),
    # 10–19: fetching from portals (issue 7).
    (10, "discovered: what portal discovery found, unsupported attachments included",
     [_ddl("discovered")]),
    # 30–39: extraction (issue 3): row structure of line items, stated bases and ratios of claims,
    # performance targets. IF NOT EXISTS: a warehouse created after these columns joined
    # TABLES already has them from migration 1.
    (30, "line-item level and segment, claim base amounts and ratios, performance targets", [
        "ALTER TABLE line_items ADD COLUMN IF NOT EXISTS level INTEGER",
        "ALTER TABLE line_items ADD COLUMN IF NOT EXISTS segment INTEGER",
        f"ALTER TABLE claims ADD COLUMN IF NOT EXISTS base_amount {MONEY}",
        "ALTER TABLE claims ADD COLUMN IF NOT EXISTS base_amount_decimals INTEGER",
        f"ALTER TABLE claims ADD COLUMN IF NOT EXISTS ratio_pct {MONEY}",
        "ALTER TABLE claims ADD COLUMN IF NOT EXISTS ratio_decimals INTEGER",
        _ddl("performance_targets"),
        "CREATE INDEX IF NOT EXISTS performance_targets_doc ON performance_targets (doc_id)",
    ]),
]
# Helpers append their migrations in their own number ranges; `migrate` applies this list in
# order, so keep it sorted by number (and the numbers unique).
MIGRATIONS.sort(key=lambda m: m[0])
if len({m[0] for m in MIGRATIONS}) != len(MIGRATIONS):
    raise ValueError("tasks/schema.py: two MIGRATIONS share a number; renumber the newer one")


def polars_type(sql: str) -> pl.DataType:
    """The Polars type a staged column is written with."""
    if sql.startswith("DECIMAL"):
        precision, scale = (int(x) for x in sql[8:-1].split(","))
        return pl.Decimal(precision, scale)
    return {"VARCHAR": pl.Utf8(), "INTEGER": pl.Int32(), "BIGINT": pl.Int64(),
            "BOOLEAN": pl.Boolean(), "TIMESTAMP": pl.Datetime("us")}[sql]


def polars_schema(table: str) -> dict[str, pl.DataType]:
    return {c.name: polars_type(c.sql) for c in TABLES[table]}


def columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]
