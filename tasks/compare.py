"""compare-years: pick the documents of a department-year and the year before, read them from
the warehouse, run every enabled rule, and return the findings.

Reading happens here and nowhere in the rules: rules get plain dataclasses (checks/base.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from tasks.checks import RULES, known_params, narrative_unreadable, table_unreadable
from tasks.checks.base import Context, DocData
from tasks.checks.merge import merge_repeats
from tasks.config import ChecksConfig, load_checks
from tasks.contracts import (
    Base,
    Claim,
    ClaimPart,
    Fact,
    Finding,
    Kind,
    LineItem,
    NarrativeSentence,
    Severity,
    TableColumn,
    TableInfo,
)
from tasks.errors import NoDataError
from tasks.load import LoadResult, write_findings
from tasks.schema import columns
from tasks.warehouse import connect


def years_to_compare(results: Sequence[LoadResult]) -> list[tuple[str, int]]:
    """Department-years to check after a load: those whose budget is new, and those whose
    previous year's budget is new (their year-over-year findings would be stale)."""
    budgets = [r for r in results if r.source.kind == Kind.BUDGET and r.status != "failed"]
    new = {(r.source.department, r.source.year) for r in budgets
           if r.status in ("loaded", "reextracted")}
    listed = {(r.source.department, r.source.year) for r in budgets}
    return sorted(t for t in listed if t in new or (t[0], t[1] - 1) in new)


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Target:
    """One department-year to check, with the documents involved."""

    department: str
    year: int
    doc_id: str
    prior_doc_id: str | None


def _current_doc(con: duckdb.DuckDBPyConnection, department: str, year: int,
                 kind: str = "budget") -> str | None:
    row = con.execute(
        "SELECT doc_id FROM documents WHERE department = ? AND year = ? AND kind = ? "
        "AND status = 'loaded' AND is_current", [department, year, kind]).fetchone()
    return row[0] if row else None


def targets(con: duckdb.DuckDBPyConnection, department: str | None = None,
            year: int | None = None) -> list[Target]:
    """Department-years to check. Empty department/year: every department with two
    consecutive loaded years, at its latest year."""
    if department and year:
        doc = _current_doc(con, department, year)
        if doc is None:
            raise NoDataError(f"no loaded budget of {department} for {year} in the warehouse; "
                              "run `yusuan ingest` first (see `documents` for failures)")
        return [Target(department, year, doc, _current_doc(con, department, year - 1))]
    rows = con.execute(
        "SELECT department, max(year) FROM documents WHERE status = 'loaded' AND is_current "
        "AND kind = 'budget' AND (? IS NULL OR department = ?) GROUP BY department "
        "ORDER BY department", [department, department]).fetchall()
    out = []
    for dept, latest in rows:
        y = year or latest
        doc, prior = _current_doc(con, dept, y), _current_doc(con, dept, y - 1)
        if doc is not None and (prior is not None or department):
            out.append(Target(dept, y, doc, prior))
    if department and not out:
        raise NoDataError(f"no loaded budget of {department} in the warehouse")
    return out


def _rows(con: duckdb.DuckDBPyConnection, table: str, doc_id: str, order: str
          ) -> list[dict]:
    cols = [c for c in columns(table) if c != "doc_id"]
    cursor = con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE doc_id = ? "
                         f"ORDER BY {order}", [doc_id])
    return [dict(zip(cols, row, strict=True)) for row in cursor.fetchall()]


def read_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> DocData:
    """A loaded document as the rules see it."""
    meta = con.execute("SELECT department, year, kind, name FROM documents WHERE doc_id = ?",
                       [doc_id]).fetchone()
    if meta is None:
        raise NoDataError(f"document {doc_id} is not in the warehouse")
    doc = DocData(doc_id, *meta)
    doc.line_items = [LineItem(**r) for r in _rows(con, "line_items", doc_id,
                                                     "table_no, row_no, column_name")]
    # claim ids are `p{page}-{n}`: reading order is page, then n as a number (rules such as
    # share-recompute and the section totals depend on it)
    doc.claims = [Claim(**{**r, "base": Base(r["base"]) if r["base"] else None})
                  for r in _rows(con, "claims", doc_id,
                                 "page, TRY_CAST(regexp_extract(claim_id, '(\\d+)$', 1) AS "
                                 "INTEGER), claim_id")]
    doc.claim_parts = [ClaimPart(**r) for r in _rows(con, "claim_parts", doc_id,
                                                       "claim_id, part_no")]
    doc.facts = [Fact(**{k: v for k, v in r.items() if k != "fact_no"})
                 for r in _rows(con, "facts", doc_id, "fact_no")]
    doc.tables = [TableInfo(**r) for r in _rows(con, "tables", doc_id, "table_no")]
    doc.columns = [TableColumn(**r) for r in _rows(con, "table_columns", doc_id,
                                                   "table_no, column_no")]
    doc.sentences = [NarrativeSentence(**r) for r in _rows(con, "sentences", doc_id, "seq")]
    return doc


def checks_config() -> ChecksConfig:
    return load_checks(known=known_params())


def run_rules(ctx: Context) -> list[Finding]:
    """Every enabled rule over one context; findings sorted by severity, page, rule."""
    findings: list[Finding] = []
    for rule in RULES:
        if ctx.rule(rule.SLUG).enabled:
            findings.extend(rule.run(ctx))
    findings = merge_repeats(narrative_unreadable.gate(ctx, table_unreadable.gate(ctx,
                                                                                 findings)))
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.page or 0, f.rule,
                                           f.subject))


def check(con: duckdb.DuckDBPyConnection, target: Target,
          config: ChecksConfig | None = None) -> list[Finding]:
    """The findings of one department-year."""
    current = read_document(con, target.doc_id)
    prior = read_document(con, target.prior_doc_id) if target.prior_doc_id else None
    return run_rules(Context(current, prior, config or checks_config()))


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        counts[f.severity.value] += 1
    return counts


# ---- Prefect edge ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckSummary:
    target: Target
    name: str
    findings: tuple[Finding, ...]


@task(name="find-targets", cache_policy=NO_CACHE)
def targets_task(warehouse: Path, department: str | None, year: int | None) -> list[Target]:
    """Resolve which department-years to check, and against which prior documents."""
    if not warehouse.exists():
        raise NoDataError(f"{warehouse}: no warehouse yet; run `yusuan ingest` first")
    con = connect(warehouse)
    try:
        return targets(con, department, year)
    finally:
        con.close()


@task(name="check", cache_policy=NO_CACHE)
def check_task(target: Target, warehouse: Path) -> CheckSummary:
    """Run every rule for one department-year and store its findings."""
    con = connect(warehouse)
    try:
        findings = check(con, target)
        run_id = str(flow_run.id) if flow_run.id else None
        write_findings(con, target.department, target.year, target.doc_id,
                       target.prior_doc_id, findings, run_id)
        name = con.execute("SELECT name FROM documents WHERE doc_id = ?",
                           [target.doc_id]).fetchone()[0]
    finally:
        con.close()
    counts = severity_counts(findings)
    get_run_logger().info(
        "%s %d against %s: %d error, %d warning, %d info", target.department, target.year,
        target.prior_doc_id[:12] if target.prior_doc_id else "no prior year",
        counts["error"], counts["warning"], counts["info"])
    return CheckSummary(target, name, tuple(findings))


def read_findings(con: duckdb.DuckDBPyConnection, department: str, year: int
                  ) -> list[Finding]:
    """The stored findings of a department-year, most severe first."""
    cols = ["rule", "severity", "subject", "message", "code", "stated", "expected", "page",
            "evidence", "table_kind", "column_name"]
    rows = con.execute(f"SELECT {', '.join(cols)} FROM findings WHERE department = ? AND "
                       "year = ?", [department, year]).fetchall()
    findings = [Finding(**{**dict(zip(cols, r, strict=True)), "severity": Severity(r[1])})
                for r in rows]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.page or 0, f.rule,
                                           f.subject))
