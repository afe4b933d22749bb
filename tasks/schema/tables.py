"""The warehouse tables and their columns, in one place: `TABLES`. The DDL of the
migrations, the staging (Parquet) schemas and the README's schema reference all derive from
it. Later changes may add tables and columns, never rename the contract's."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

MONEY = "DECIMAL(24,6)"  # 万元; never a float


@dataclass(frozen=True)
class Column:
    """One column: its SQL type, what it means, and the migration that added it."""

    name: str
    sql: str
    doc: str
    since: int = 1  # the numbered migration that creates this column
    volatile: bool = False  # bookkeeping (when, which run, where on disk): not in checksums
    load_sql: str | None = None  # computed by the loader from the staged rows, not staged


def _c(name: str, sql: str, doc: str, since: int = 1, volatile: bool = False,
       load_sql: str | None = None) -> Column:
    return Column(name, sql, doc, since, volatile, load_sql)


# Year-over-year matching pairs the n-th line with a key in one year with the n-th line with
# that key in the other. The key is what yoy_line_items joins on; the order is total, so
# equal documents always number their lines alike.
OCCURRENCE_KEY = ("table_kind, coalesce(column_key, column_name), "
                  "coalesce('c:' || code, 'n:' || name), budget_unit, project")
OCCURRENCE_ORDER = ("table_no, row_no, page, column_name, name, code, amount, decimals, "
                    "unit, table_title, code_system")


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
        _c("loaded_at", "TIMESTAMP", "when this row was written (UTC)", volatile=True),
        _c("name", "VARCHAR", "the department's published name"),
        _c("source_key", "VARCHAR", "department/year/kind: the disclosure this is a version of"),
        _c("version", "INTEGER", "1, 2, … per source_key as new content is published"),
        _c("is_current", "BOOLEAN", "the latest loaded version of its source_key"),
        _c("file_count", "INTEGER", "number of PDF files the document was published as"),
        _c("warnings", "VARCHAR", "extraction notes that did not fail the document"),
        _c("run_id", "VARCHAR", "the flow run that wrote the row", volatile=True),
        _c("extractor", "VARCHAR", "fingerprint of the extraction code that read the document "
           "(tasks/cache.py); a new extractor re-reads an unchanged file", since=6,
           volatile=True),
        _c("stated_year", "INTEGER", "the fiscal year the document itself states (cover, "
           "tables); may differ from `year`, which the sources file gives", since=6),
        _c("stated_kind", "VARCHAR", "'budget' or 'final' as the document itself says", since=6),
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
        _c("fetched_at", "TIMESTAMP", "when the file was fetched (UTC)", volatile=True),
        _c("sha256", "VARCHAR", "sha256 of the file's bytes"),
        _c("size", "BIGINT", "bytes"),
        _c("path", "VARCHAR", "location in the raw store on the machine that fetched it",
           volatile=True),
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
        _c("confidence", "DOUBLE", "how surely its layout was read, 0–1: its least sure "
           "column's confidence (table_columns), at most 0.5 when no unit was printed with it; "
           "below 0.6 no rule raises an error from the table", since=40),
        _c("unit_found", "BOOLEAN", "the currency unit was printed with the table (false: "
           "assumed 万元)", since=40),
    ),
    "table_columns": (
        _c("doc_id", "VARCHAR", "document", since=40),
        _c("table_no", "INTEGER", "the table (tables.table_no)", since=40),
        _c("column_no", "INTEGER", "0-based position of the column in the stitched table",
           since=40),
        _c("header_path", "VARCHAR", "resolved header path (line_items.column_name)", since=40),
        _c("role", "VARCHAR", "code:类|code:款|code:项|code:combined, name, amount (this "
           "year's money), prior (another year's), change, percent, row-number (行次), "
           "sequence (序号), part (其中…: restates part of a sibling), project, unit, "
           "unit-code, group, blank", since=40),
        _c("column_key", "VARCHAR", "canonical column (total, basic, project, gpb, …)",
           since=40),
        _c("additive", "BOOLEAN", "this year's money that adds up with its sibling columns: "
           "the only columns the sum rules add", since=40),
        _c("confidence", "DOUBLE", "0–1: header words and cell content agree (0.95), one of "
           "them alone (0.7–0.8), they disagree (0.5–0.6)", since=40),
        _c("evidence", "VARCHAR", "the votes: header words matched, what the cells hold",
           since=40),
        _c("segment", "INTEGER", "the list of the table the column belongs to (line_items."
           "segment); null for a column no list reads", since=40),
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
        _c("occurrence", "INTEGER", "1 for the first line of its document with the same table, "
           "column, code (name if no code), unit and project; 2 for a repeat, …; set by the "
           "loader, used to pair lines year over year one-to-one", since=3,
           load_sql=f"row_number() OVER (PARTITION BY {OCCURRENCE_KEY} "
                    f"ORDER BY {OCCURRENCE_ORDER})"),
        _c("level", "INTEGER", "1 = 类, 2 = 款, 3 = 项: from the code, else the indentation",
           since=30),
        _c("segment", "INTEGER", "which list of the table the row belongs to (the two sides "
           "of a 收支总表 are 0 and 1)", since=30),
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
           "年初预算为…), 万元", since=30),
        _c("base_amount_decimals", "INTEGER", "printed decimals of base_amount", since=30),
        _c("ratio_pct", MONEY, "stated ratio of amount to base (完成年初预算的98.20%)", since=30),
        _c("ratio_decimals", "INTEGER", "printed decimals of ratio_pct", since=30),
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
        _c("doc_id", "VARCHAR", "document", since=30),
        _c("table_no", "INTEGER", "order of the 绩效目标表 in the document", since=30),
        _c("row_no", "INTEGER", "row order in the table", since=30),
        _c("page", "INTEGER", "page", since=30),
        _c("scope", "VARCHAR", "'project' or 'department' (部门整体绩效目标)", since=30),
        _c("project", "VARCHAR", "项目名称", since=30),
        _c("budget_unit", "VARCHAR", "预算单位 / 实施单位", since=30),
        _c("level1", "VARCHAR", "一级指标 (产出指标, 效益指标, …)", since=30),
        _c("level2", "VARCHAR", "二级指标 (数量指标, 质量指标, …)", since=30),
        _c("indicator", "VARCHAR", "三级指标 / 指标名称", since=30),
        _c("target", "VARCHAR", "指标值 as printed (>=38万人, 有效提升)", since=30),
        _c("weight", MONEY, "分值 / 权重", since=30),
        _c("amount", MONEY, "the project's annual budget (年度预算总额), 万元", since=30),
        _c("amount_decimals", "INTEGER", "printed decimals of amount", since=30),
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
        _c("run_id", "VARCHAR", "the compare-years run that wrote it", volatile=True),
        _c("created_at", "TIMESTAMP", "when it was written (UTC)", volatile=True),
        _c("claim_id", "VARCHAR", "the claim the finding is about (claims.claim_id of doc_id), "
           "when it is about one", since=2),
        _c("column_name", "VARCHAR", "header path of the cell involved, if any", since=5),
    ),
    "discovered": (
        _c("portal", "VARCHAR", "the [[portal]] whose listing the link was found through",
           since=10),
        _c("url", "VARCHAR", "the link: a PDF or other attachment, or an article page", since=10),
        _c("status", "VARCHAR", "'pdf' (a file of source_key, in file_no order), 'unsupported' "
           "(not a PDF: .doc, .xls, .zip, …; not fetched), 'article' (the article page itself "
           "was handed to fetch: no PDF attachment, or unreadable during discovery), "
           "'duplicate' (another article already gave this source_key)", since=10),
        _c("source_key", "VARCHAR", "department/year/kind the link belongs to", since=10),
        _c("department", "VARCHAR", "department id (from the portal's [[portal.department]])",
           since=10),
        _c("year", "INTEGER", "year from the document title", since=10),
        _c("kind", "VARCHAR", "'budget' or 'final', from the document title", since=10),
        _c("title", "VARCHAR", "the document title the year and kind were read from", since=10),
        _c("article_url", "VARCHAR", "the article page the attachment is on (null: listed "
           "directly)", since=10),
        _c("file_no", "INTEGER", "position among the source's PDF files (narrative first)",
           since=10),
        _c("link_text", "VARCHAR", "the link's text or title as published", since=10),
        _c("note", "VARCHAR", "why it has this status, and what to do", since=10),
        _c("first_seen_at", "TIMESTAMP", "first discovery run that saw it (UTC)", since=10,
           volatile=True),
        _c("last_seen_at", "TIMESTAMP", "latest discovery run that saw it (UTC)", since=10,
           volatile=True),
        _c("run_id", "VARCHAR", "the flow run that last saw it", since=10, volatile=True),
    ),
}


TABLE_DOCS: dict[str, str] = {
    "documents": "one row per version of a disclosure, loaded or failed",
    "files": "the PDF files a document was published as, with their provenance",
    "tables": "the standard tables found in a document",
    "table_columns": "each column of each table: its role, additivity, confidence and evidence",
    "line_items": "every amount cell of every standard table",
    "claims": "narrative statements of an amount with a change, percentage, share or 持平",
    "claim_parts": "the parts of an allocation list (具体分配为 / 其中), summing to the claim",
    "facts": "unit and staff counts and listed units",
    "sentences": "every narrative sentence with its section",
    "performance_targets": "the rows of the 绩效目标表: indicators, targets and weights",
    "findings": "inconsistencies found by compare-years, one row each",
    "discovered": "what portal discovery found, unsupported attachments included",
}

# The staged (per-document, Parquet) tables: everything keyed by doc_id except the ones the
# loader writes itself.
STAGED = ("files", "tables", "table_columns", "line_items", "claims", "claim_parts", "facts", "sentences",
          "performance_targets")

_KEYS = {
    "documents": ("doc_id",),
    "discovered": ("portal", "url"),
    "findings": ("finding_id",),
}


# ---- staging (Parquet) types ----------------------------------------------------------------

def polars_type(sql: str) -> pl.DataType:
    """The Polars type a staged column is written with."""
    if sql.startswith("DECIMAL"):
        precision, scale = (int(x) for x in sql[8:-1].split(","))
        return pl.Decimal(precision, scale)
    return {"VARCHAR": pl.Utf8(), "INTEGER": pl.Int32(), "BIGINT": pl.Int64(),
            "BOOLEAN": pl.Boolean(), "TIMESTAMP": pl.Datetime("us"), "DOUBLE": pl.Float64()}[sql]


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """The columns a staged (Parquet) table has, with their types."""
    return {c.name: polars_type(c.sql) for c in TABLES[table] if c.load_sql is None}


def columns(table: str) -> list[str]:
    """The columns written from outside the loader: staged, or inserted by name."""
    return [c.name for c in TABLES[table] if c.load_sql is None]


def derived_columns(table: str) -> list[tuple[str, str]]:
    """(name, SQL over the staged rows) of the columns the loader computes itself."""
    return [(c.name, c.load_sql) for c in TABLES[table] if c.load_sql is not None]
