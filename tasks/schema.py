"""The warehouse schema: every table and its columns, in one place.

The DDL, the staging (Parquet) schemas and the README's schema reference are all derived
from `TABLES`. Changes are numbered migrations (`MIGRATIONS`), applied in order when a
warehouse is opened for writing; `schema_version` records what has been applied.
Later changes may add tables and columns, never rename the contract's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

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
STAGED = ("files", "tables", "line_items", "claims", "claim_parts", "facts", "sentences",
          "performance_targets")

_KEYS = {
    "documents": ("doc_id",),
    "discovered": ("portal", "url"),
    "findings": ("finding_id",),
}


# ---- migrations -----------------------------------------------------------------------------
# A warehouse file records the migrations it has seen in `schema_version`; `tasks.load.migrate`
# applies the missing ones in numeric order, each in its own transaction. A migration's table
# and column changes are derived from the `since` of the columns above, so a new column is
# one line in TABLES (appended at the end of its table, with since=N) plus Migration(N, why).
# Numbers are never reused or renumbered: a file that has seen N will not run N again.

class Migration(NamedTuple):
    number: int
    description: str
    statements: list[str]


def _create(table: str, number: int) -> str:
    cols = [c for c in TABLES[table] if c.since == number]
    body = ",\n  ".join(f"{c.name} {c.sql}" for c in cols)
    key = _KEYS.get(table)
    pk = f",\n  PRIMARY KEY ({', '.join(key)})" if key else ""
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {body}{pk}\n)"


def schema_changes(number: int) -> list[str]:
    """The CREATE TABLE / ADD COLUMN statements of migration `number`, from TABLES."""
    out = []
    for table, cols in TABLES.items():
        if min(c.since for c in cols) == number:
            out.append(_create(table, number))
        else:
            out.extend(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {c.name} {c.sql}"
                       for c in cols if c.since == number)
    return out


def _migration(number: int, description: str, *extra: str) -> Migration:
    return Migration(number, description, [*schema_changes(number), *extra])


MIGRATIONS: list[Migration] = [
    _migration(
        1, "initial contract",
        "CREATE INDEX IF NOT EXISTS line_items_doc ON line_items (doc_id)",
        "CREATE INDEX IF NOT EXISTS claims_doc ON claims (doc_id)",
        "CREATE INDEX IF NOT EXISTS findings_dept_year ON findings (department, year)"),
    _migration(2, "findings.claim_id: join a finding to its claim exactly"),
    _migration(
        3, "line_items.occurrence: pair repeated lines year over year without a window "
           "over the whole table at query time",
        "UPDATE line_items SET occurrence = o.n FROM (SELECT rowid AS rid, row_number() OVER "
        f"(PARTITION BY doc_id, {OCCURRENCE_KEY} ORDER BY {OCCURRENCE_ORDER}) AS n "
        "FROM line_items) o WHERE line_items.rowid = o.rid"),
    # Measured on 3M line items: a doc_id lookup scans in 3–5 ms with or without the index,
    # and the index costs every load; DuckDB's zonemaps serve the loader's deletes.
    _migration(4, "drop the doc_id indexes of line_items and claims: no faster to read, "
                  "slower to load",
               "DROP INDEX IF EXISTS line_items_doc", "DROP INDEX IF EXISTS claims_doc"),
    # findings.column_name first arrived inside migration 1's DDL; as its own migration an
    # older file gains it too (IF NOT EXISTS: files made by that build have it already).
    _migration(5, "findings.column_name: the cell a table finding concerns"),
    _migration(6, "documents.extractor, stated_year, stated_kind: re-read unchanged files "
                  "when the extractor changes; keep the year the document states"),
    # 10–19: fetching from portals (issue 7).
    _migration(10, "discovered: what portal discovery found, unsupported attachments included"),
    # 30–39: extraction (issue 3).
    _migration(30, "line-item level and segment, claim base amounts and ratios, performance "
                   "targets",
               "CREATE INDEX IF NOT EXISTS performance_targets_doc ON performance_targets "
               "(doc_id)"),
]
# Helpers append their migrations in their own number ranges; `migrate` applies this list in
# order, so keep it sorted by number (and the numbers unique).
MIGRATIONS.sort(key=lambda m: m[0])
if len({m[0] for m in MIGRATIONS}) != len(MIGRATIONS):
    raise ValueError("tasks/schema.py: two MIGRATIONS share a number; renumber the newer one")

# What the loader and migrate keep about the file itself (not part of the data).
BOOKKEEPING: dict[str, tuple[Column, ...]] = {
    "schema_version": (
        _c("version", "INTEGER", "number of an applied migration"),
        _c("description", "VARCHAR", "what it changed"),
        _c("applied_at", "TIMESTAMP", "when it was applied to this file (UTC)"),
    ),
    "schema_views": (
        _c("name", "VARCHAR", "a view or macro this module defines"),
        _c("sha256", "VARCHAR", "hash of its definition, to re-create it when it changes"),
        _c("applied_at", "TIMESTAMP", "when it was (re-)created in this file (UTC)"),
    ),
}
BOOKKEEPING_DOCS = {
    "schema_version": "the numbered migrations applied to this file",
    "schema_views": "the views and macros as last created in this file",
}


def bookkeeping_ddl(table: str) -> str:
    cols = ", ".join(f"{c.name} {c.sql}" for c in BOOKKEEPING[table])
    key = BOOKKEEPING[table][0].name
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({key}))"


# ---- views: the analysts' interface ---------------------------------------------------------
# Views and macros are re-created (in one transaction) whenever their definition here changes;
# `schema_views` records what a file has. They never hold data, so re-creating them is free.

@dataclass(frozen=True)
class View:
    name: str
    doc: str
    columns: tuple[Column, ...]
    select: str


# A percentage of two exact amounts without passing through a double: scale both to integers
# (amounts have 6 decimals), divide in HUGEINT, round half away from zero to 4 decimals.
MACROS: dict[str, tuple[str, str, str]] = {
    "exact_pct": (
        "exact_pct(num, den)", "100 × num / den as DECIMAL(38,4), exact; NULL when den is NULL "
        "or 0",
        """CREATE OR REPLACE MACRO exact_pct(num, den) AS
  CASE WHEN num IS NULL OR den IS NULL OR den = 0 THEN NULL ELSE
    CAST(sign(num) * sign(den)
         * ((2000000 * abs(CAST(num * 1000000 AS HUGEINT)) + abs(CAST(den * 1000000 AS HUGEINT)))
            // (2 * abs(CAST(den * 1000000 AS HUGEINT)))) AS DECIMAL(38,0))
    * CAST(0.0001 AS DECIMAL(5,4))
  END"""),
}

_CURRENT_DOCS = """SELECT doc_id, department, name, year, kind FROM documents
    WHERE status = 'loaded' AND is_current"""

V = _c  # view columns are documented like table columns

# Where the table macro yoy_line_items_of puts its department filter (the view has none).
_ONE_DEPARTMENT = "/* one department */"

VIEWS: tuple[View, ...] = (
    View("latest_documents", "the current version of every disclosure, with what it holds", (
        V("department", "VARCHAR", "department id"),
        V("name", "VARCHAR", "department name as published"),
        V("year", "INTEGER", "fiscal year"),
        V("kind", "VARCHAR", "'budget' or 'final'"),
        V("doc_id", "VARCHAR", "the current version's document"),
        V("version", "INTEGER", "its version number (1 = first published)"),
        V("versions", "BIGINT", "how many versions were loaded"),
        V("page_count", "INTEGER", "pages"),
        V("file_count", "INTEGER", "PDF files"),
        V("line_items", "BIGINT", "line items loaded"),
        V("claims", "BIGINT", "claims loaded"),
        V("findings", "BIGINT", "findings stored for this document"),
        V("loaded_at", "TIMESTAMP", "when the current version was loaded (UTC)"),
        V("last_failed_at", "TIMESTAMP", "when a later attempt failed, if one did (the "
          "current version may then be stale)"),
        V("last_error", "VARCHAR", "that attempt's error"),
    ), """
SELECT d.department, d.name, d.year, d.kind, d.doc_id, d.version, v.versions,
       d.page_count, d.file_count,
       coalesce(li.n, 0) AS line_items, coalesce(cl.n, 0) AS claims, coalesce(fi.n, 0) AS findings,
       d.loaded_at, fl.failed_at AS last_failed_at, fl.error AS last_error
FROM documents d
JOIN (SELECT source_key, count(*) AS versions FROM documents WHERE status = 'loaded'
      GROUP BY source_key) v ON v.source_key = d.source_key
LEFT JOIN (SELECT doc_id, count(*) AS n FROM line_items GROUP BY doc_id) li ON li.doc_id = d.doc_id
LEFT JOIN (SELECT doc_id, count(*) AS n FROM claims GROUP BY doc_id) cl ON cl.doc_id = d.doc_id
LEFT JOIN (SELECT doc_id, count(*) AS n FROM findings GROUP BY doc_id) fi ON fi.doc_id = d.doc_id
LEFT JOIN (SELECT source_key, max(loaded_at) AS failed_at, arg_max(error, loaded_at) AS error
           FROM documents WHERE status = 'failed' GROUP BY source_key) fl
       ON fl.source_key = d.source_key AND fl.failed_at > d.loaded_at
WHERE d.status = 'loaded' AND d.is_current"""),

    View("yoy_line_items", "every line item of a current document beside the same line in "
         "the current document of the year before (same department and kind)", (
        V("department", "VARCHAR", "department id"),
        V("kind", "VARCHAR", "'budget' or 'final'"),
        V("year", "INTEGER", "this year"),
        V("prior_year", "INTEGER", "the year before"),
        V("table_kind", "VARCHAR", "canonical table slug"),
        V("column_key", "VARCHAR", "canonical column, when known"),
        V("column_name", "VARCHAR", "column as printed this year (last year's for an ended line)"),
        V("code", "VARCHAR", "this year's code (last year's for an ended line)"),
        V("prior_code", "VARCHAR", "last year's code; differs from code for a renamed line"),
        V("name", "VARCHAR", "this year's row name (last year's for an ended line)"),
        V("prior_name", "VARCHAR", "last year's row name"),
        V("budget_unit", "VARCHAR", "预算单位 (project tables)"),
        V("project", "VARCHAR", "project (project tables)"),
        V("amount", MONEY, "this year, 万元; NULL when the line is not printed this year"),
        V("prior_amount", MONEY, "the year before, 万元; NULL when not printed then"),
        V("delta", "DECIMAL(25,6)", "amount − prior_amount, a missing side counting as 0"),
        V("pct", "DECIMAL(38,4)", "100 × delta / prior_amount, exact to 4 decimals; NULL "
          "when there is no prior amount or it is 0"),
        V("match", "VARCHAR", "how the two sides were paired: 'code'; 'name' (lines without "
          "a code); 'renamed' (the code changed: the old code is gone from this year's table, "
          "the new one was not in last year's, and each is the only line of that name at that "
          "code level in its year's table); 'new'; 'ended'"),
        V("doc_id", "VARCHAR", "this year's document"),
        V("prior_doc_id", "VARCHAR", "last year's document"),
        V("page", "INTEGER", "page this year"),
        V("prior_page", "INTEGER", "page the year before"),
        V("decimals", "INTEGER", "printed decimals this year"),
        V("prior_decimals", "INTEGER", "printed decimals the year before"),
    ), f"""
WITH current_docs AS ({_CURRENT_DOCS}{_ONE_DEPARTMENT}),
pairs AS MATERIALIZED (
  SELECT row_number() OVER (ORDER BY c.doc_id) AS pair_no, c.department, c.kind, c.year,
         c.doc_id, p.doc_id AS prior_doc_id
  FROM current_docs c JOIN current_docs p
    ON p.department = c.department AND p.kind = c.kind AND p.year = c.year - 1
),
-- The two sides of every pair. k: a line with a code matches by code, one without (totals,
-- income lines) by name; unit and project are part of it. `occurrence` (set by the loader)
-- pairs repeated keys one-to-one. Not materialized: a filter on department or year reaches
-- the line_items scan.
this AS NOT MATERIALIZED (
  SELECT p.pair_no, p.department, p.kind, p.year, p.doc_id AS pair_doc, p.prior_doc_id, l.*,
         coalesce(l.column_key, l.column_name) AS col,
         concat(coalesce('c:' || l.code, 'n:' || l.name), chr(31), coalesce(l.budget_unit, ''),
                chr(31), coalesce(l.project, '')) AS k
  FROM pairs p JOIN line_items l ON l.doc_id = p.doc_id
),
prev AS NOT MATERIALIZED (
  SELECT p.pair_no, p.department, p.kind, p.year, p.doc_id AS pair_doc, l.*,
         coalesce(l.column_key, l.column_name) AS col
  FROM pairs p JOIN line_items l ON l.doc_id = p.prior_doc_id
),
-- Code changes: a subject whose code is gone from this year's table, and one whose code is
-- new in it, with the same name at the same code level, each the only line of that name
-- and level in its year's table (行政运行 under two 款 is not one subject).
subjects AS MATERIALIZED (
  SELECT doc_id, table_kind, code, name,
         count(*) OVER (PARTITION BY doc_id, table_kind, name, length(code)) AS n
  FROM (SELECT DISTINCT doc_id, table_kind, code, name FROM line_items
        WHERE code IS NOT NULL
          AND doc_id IN (SELECT doc_id FROM pairs UNION SELECT prior_doc_id FROM pairs))
),
gone AS (
  SELECT p.pair_no, s.table_kind, s.code, s.name
  FROM pairs p JOIN subjects s ON s.doc_id = p.prior_doc_id
  ANTI JOIN subjects o ON o.doc_id = p.doc_id AND o.table_kind = s.table_kind
                      AND o.code = s.code
  WHERE s.n = 1
),
came AS (
  SELECT p.pair_no, s.table_kind, s.code, s.name
  FROM pairs p JOIN subjects s ON s.doc_id = p.doc_id
  ANTI JOIN subjects o ON o.doc_id = p.prior_doc_id AND o.table_kind = s.table_kind
                      AND o.code = s.code
  WHERE s.n = 1
),
renames AS MATERIALIZED (
  SELECT g.pair_no, g.table_kind, g.code AS old_code, c.code AS new_code
  FROM gone g JOIN came c
    ON c.pair_no = g.pair_no AND c.table_kind = g.table_kind AND c.name = g.name
   AND length(c.code) = length(g.code)
  QUALIFY count(*) OVER (PARTITION BY g.pair_no, g.table_kind, g.code) = 1
      AND count(*) OVER (PARTITION BY g.pair_no, g.table_kind, c.code) = 1
),
-- Last year's lines keyed by this year's code where the code changed.
prev_keyed AS NOT MATERIALIZED (
  SELECT v.*,
         concat(coalesce('c:' || coalesce(r.new_code, v.code), 'n:' || v.name), chr(31),
                coalesce(v.budget_unit, ''), chr(31), coalesce(v.project, '')) AS k
  FROM prev v LEFT JOIN renames r
    ON r.pair_no = v.pair_no AND r.table_kind = v.table_kind AND r.old_code = v.code
)
SELECT t.department, t.kind, t.year, t.year - 1 AS prior_year, t.table_kind, t.column_key,
       t.column_name, t.code, v.code AS prior_code, t.name, v.name AS prior_name,
       t.budget_unit, t.project, t.amount, v.amount AS prior_amount,
       t.amount - coalesce(v.amount, 0) AS delta,
       exact_pct(t.amount - coalesce(v.amount, 0), v.amount) AS pct,
       CASE WHEN v.doc_id IS NULL THEN 'new' WHEN t.code IS NULL THEN 'name'
            WHEN t.code = v.code THEN 'code' ELSE 'renamed' END AS match,
       t.pair_doc AS doc_id, t.prior_doc_id, t.page, v.page AS prior_page,
       t.decimals, v.decimals AS prior_decimals
FROM this t LEFT JOIN prev_keyed v
  ON v.pair_no = t.pair_no AND v.table_kind = t.table_kind AND v.col = t.col AND v.k = t.k
 AND v.occurrence = t.occurrence
UNION ALL
SELECT v.department, v.kind, v.year, v.year - 1, v.table_kind, v.column_key, v.column_name,
       v.code, v.code, v.name, v.name, v.budget_unit, v.project, NULL, v.amount,
       0 - v.amount, exact_pct(0 - v.amount, v.amount), 'ended', v.pair_doc, v.doc_id,
       NULL, v.page, NULL, v.decimals
FROM prev_keyed v ANTI JOIN this t
  ON t.pair_no = v.pair_no AND t.table_kind = v.table_kind AND t.col = v.col AND t.k = v.k
 AND t.occurrence = v.occurrence"""),

    View("claims_checked", "every claim of a current document with the values recomputed "
         "from it and the findings on it", (
        V("department", "VARCHAR", "department id"),
        V("department_name", "VARCHAR", "department name"),
        V("year", "INTEGER", "fiscal year"),
        V("kind", "VARCHAR", "'budget' or 'final'"),
        V("doc_id", "VARCHAR", "document"),
        V("claim_id", "VARCHAR", "claim id within the document"),
        V("page", "INTEGER", "page"),
        V("section", "VARCHAR", "narrative section"),
        V("scope", "VARCHAR", "what the section speaks of"),
        V("claim_kind", "VARCHAR", "change | share | total | amount | allocation | project"),
        V("subject", "VARCHAR", "subject as printed"),
        V("code", "VARCHAR", "functional code of the subject"),
        V("amount", MONEY, "stated amount, 万元"),
        V("change_amount", MONEY, "stated change, signed, 万元"),
        V("change_pct", MONEY, "stated percentage, signed"),
        V("share_pct", MONEY, "stated share"),
        V("base", "VARCHAR", "what the change is measured against"),
        V("implied_prior", "DECIMAL(25,6)", "amount − change_amount: the prior the sentence "
          "implies, 万元"),
        V("recomputed_pct", "DECIMAL(38,4)", "100 × change_amount / implied_prior, exact to "
          "4 decimals; NULL when the implied prior is not positive"),
        V("pct_gap", "DECIMAL(38,6)", "|change_pct| − |recomputed_pct|, percentage points"),
        V("pct_decimals", "INTEGER", "decimals change_pct was printed with (1: ±0.05 points)"),
        V("finding_count", "BIGINT", "findings on this claim"),
        V("worst_severity", "VARCHAR", "the most severe of them"),
        V("rules", "VARCHAR[]", "their rule slugs"),
        V("findings", "STRUCT(rule VARCHAR, severity VARCHAR, stated VARCHAR, expected VARCHAR, "
          "message VARCHAR, finding_id VARCHAR)[]", "the findings themselves"),
        V("reason", "VARCHAR", "stated reason"),
        V("text", "VARCHAR", "the sentence"),
    ), f"""
WITH current_docs AS ({_CURRENT_DOCS}),
linked AS (
  -- Exact when the rule named the claim; otherwise the same sentence, page and subject.
  SELECT f.doc_id, f.claim_id, f.finding_id, f.rule, f.severity, f.stated, f.expected, f.message
  FROM findings f WHERE f.claim_id IS NOT NULL
  UNION
  SELECT f.doc_id, c.claim_id, f.finding_id, f.rule, f.severity, f.stated, f.expected, f.message
  FROM findings f JOIN claims c
    ON c.doc_id = f.doc_id AND c.page = f.page AND c.subject = f.subject AND c.text = f.evidence
  WHERE f.claim_id IS NULL
),
per_claim AS (
  SELECT doc_id, claim_id, count(*) AS finding_count,
         CASE min(CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)
           WHEN 0 THEN 'error' WHEN 1 THEN 'warning' ELSE 'info' END AS worst_severity,
         list(DISTINCT rule ORDER BY rule) AS rules,
         list(struct_pack(rule := rule, severity := severity, stated := stated,
                          expected := expected, message := message, finding_id := finding_id)
              ORDER BY rule, finding_id) AS findings
  FROM linked GROUP BY doc_id, claim_id
),
recomputed AS (
  SELECT c.*, c.amount - c.change_amount AS implied_prior,
         CASE WHEN c.amount - c.change_amount > 0
              THEN exact_pct(c.change_amount, c.amount - c.change_amount) END AS recomputed_pct
  FROM claims c
)
SELECT d.department, d.name AS department_name, d.year, d.kind, c.doc_id, c.claim_id, c.page,
       c.section, c.scope, c.kind AS claim_kind, c.subject, c.code, c.amount, c.change_amount,
       c.change_pct, c.share_pct, c.base, c.implied_prior, c.recomputed_pct,
       abs(c.change_pct) - abs(c.recomputed_pct) AS pct_gap, c.pct_decimals,
       coalesce(pc.finding_count, 0) AS finding_count, pc.worst_severity,
       coalesce(pc.rules, []) AS rules, coalesce(pc.findings, []) AS findings,
       c.reason, c.text
FROM recomputed c JOIN current_docs d ON d.doc_id = c.doc_id
LEFT JOIN per_claim pc ON pc.doc_id = c.doc_id AND pc.claim_id = c.claim_id"""),

    View("findings_summary", "counts of findings on current documents by department, year, "
         "rule and severity", (
        V("department", "VARCHAR", "department id"),
        V("department_name", "VARCHAR", "department name"),
        V("year", "INTEGER", "fiscal year checked"),
        V("rule", "VARCHAR", "rule slug"),
        V("severity", "VARCHAR", "'error' | 'warning' | 'info'"),
        V("findings", "BIGINT", "how many"),
        V("pages", "BIGINT", "on how many distinct pages"),
    ), f"""
WITH current_docs AS ({_CURRENT_DOCS})
SELECT f.department, d.name AS department_name, f.year, f.rule, f.severity,
       count(*) AS findings, count(DISTINCT f.page) AS pages
FROM findings f JOIN current_docs d ON d.doc_id = f.doc_id
GROUP BY f.department, d.name, f.year, f.rule, f.severity"""),
)


# ---- checksums ----------------------------------------------------------------------------
# Per table: the row count, and the sum and the xor of DuckDB's 64-bit hash of every row's
# content columns (volatile bookkeeping columns left out): order-independent, and a changed,
# added, removed or duplicated row changes it. DuckDB's hash is not promised stable across
# DuckDB versions, so compare checksums taken by the same version. (md5 over JSON rows was
# 150× slower: 21 s against 0.13 s on 10M line items.)

def _checksum_select(table: str) -> str:
    cols = ", ".join(c.name for c in TABLES[table] if not c.volatile)
    return (f"SELECT '{table}' AS table_name, count(*) AS row_count, "
            "md5(concat_ws(':', count(*), coalesce(sum(h), 0), coalesce(bit_xor(h), 0))) "
            f"AS checksum FROM (SELECT hash({cols}) AS h FROM {table})")


VIEWS += (
    View("table_checksums", "per table: rows and a content checksum (volatile bookkeeping "
         "columns left out); two warehouses with equal checksums hold the same rows", (
        V("table_name", "VARCHAR", "table"),
        V("row_count", "BIGINT", "rows"),
        V("checksum", "VARCHAR", "md5 of the count, the sum and the xor of the rows' hashes"),
    ), "\nUNION ALL\n".join(_checksum_select(t) for t in TABLES)),
)


def _yoy_of_one_department() -> str:
    # The same SELECT as the view, filtered before anything is computed: a filter on the
    # view's output cannot reach the code-change detection, which spans every department.
    yoy = next(v for v in VIEWS if v.name == "yoy_line_items").select.strip()
    return ("CREATE OR REPLACE MACRO yoy_line_items_of(of_department) AS TABLE "
            + yoy.replace(_ONE_DEPARTMENT, " AND department = of_department"))


MACROS["yoy_line_items_of"] = (
    "yoy_line_items_of(department)", "the rows of yoy_line_items of one department, computed "
    "from its documents alone: the same answer, much faster on a large warehouse",
    _yoy_of_one_department())


def view_definitions() -> dict[str, str]:
    """Every macro and view, in creation order, as a CREATE OR REPLACE statement."""
    out = {name: sql for name, (_, _, sql) in MACROS.items() if name == "exact_pct"}
    for view in VIEWS:
        out[view.name] = f"CREATE OR REPLACE VIEW {view.name} AS {view.select.strip()}"
    out.update({name: sql for name, (_, _, sql) in MACROS.items() if name != "exact_pct"})
    return out


def definition_hash(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


# ---- staging (Parquet) types ----------------------------------------------------------------

def polars_type(sql: str) -> pl.DataType:
    """The Polars type a staged column is written with."""
    if sql.startswith("DECIMAL"):
        precision, scale = (int(x) for x in sql[8:-1].split(","))
        return pl.Decimal(precision, scale)
    return {"VARCHAR": pl.Utf8(), "INTEGER": pl.Int32(), "BIGINT": pl.Int64(),
            "BOOLEAN": pl.Boolean(), "TIMESTAMP": pl.Datetime("us")}[sql]


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """The columns a staged (Parquet) table has, with their types."""
    return {c.name: polars_type(c.sql) for c in TABLES[table] if c.load_sql is None}


def columns(table: str) -> list[str]:
    """The columns written from outside the loader: staged, or inserted by name."""
    return [c.name for c in TABLES[table] if c.load_sql is None]


def derived_columns(table: str) -> list[tuple[str, str]]:
    """(name, SQL over the staged rows) of the columns the loader computes itself."""
    return [(c.name, c.load_sql) for c in TABLES[table] if c.load_sql is not None]


# ---- the README's schema reference ----------------------------------------------------------

def _column_lines(cols: tuple[Column, ...]) -> list[str]:
    return [f"- `{c.name}` {c.sql} — {c.doc}" + (" *(bookkeeping; not in checksums)*"
                                                  if c.volatile else "") for c in cols]


def reference() -> str:
    """The schema reference in Markdown: every table and view, one line per column."""
    out = ["Tables (money is `DECIMAL(24,6)` in 万元; `decimals` columns keep the printed "
           "precision):", ""]
    for table, cols in TABLES.items():
        out += [f"#### `{table}`: {TABLE_DOCS[table]}", "", *_column_lines(cols), ""]
    for table, cols in BOOKKEEPING.items():
        out += [f"#### `{table}`: {BOOKKEEPING_DOCS[table]}", "", *_column_lines(cols), ""]
    out += ["Macros:", ""]
    out += [f"- `{signature}`: {doc}" for signature, doc, _ in MACROS.values()]
    out += ["", "Views:", ""]
    for view in VIEWS:
        out += [f"#### `{view.name}`: {view.doc}", "", *_column_lines(view.columns), ""]
    return "\n".join(out).rstrip() + "\n"
