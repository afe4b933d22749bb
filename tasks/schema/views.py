"""The analysts' interface: views and macros over the tables, and per-table checksums."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tasks.schema.tables import MONEY, TABLES, Column, _c

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
