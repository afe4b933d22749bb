"""How well extraction reads real disclosures nobody here wrote (`yusuan eval`).

Real disclosures are nearly always internally consistent, so the share of parent rows that
equal the sum of their children, and the share of stated percentages that recompute from
their own sentence, measure the extractor, not the government. Per document it reports the
status, the tables found by kind and the core tables missing, the parent = Σ children rate,
the claims parsed, the percentage recompute rate, and what compare-years finds in the
document alone (no previous year): its error-level findings on a real disclosure should all
be the document's own inconsistencies.

A corpus folder holds one PDF per document, except that a disclosure published as several
files is named `<stem>-narrative.pdf` + `<stem>-tables.pdf` (read as one document, the
narrative's pages first).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from tasks.checks import table_unreadable
from tasks.checks.base import HUNDRED, Context, DocData, Interval, pct_range
from tasks.checks.tables import sum_checks
from tasks.compare import checks_config, run_rules
from tasks.config import load_layouts
from tasks.contracts import Claim, ExtractedDocument
from tasks.errors import YusuanError
from tasks.extract import extract_document
from tasks.extract.layout import CONFIDENT

_PART = re.compile(r"-(narrative|tables)$")
_PART_ORDER = {"narrative": 0, "tables": 1}


def group_corpus(folder: Path) -> list[tuple[str, list[Path]]]:
    """The documents of a corpus folder: split disclosures joined, narrative first."""
    if not folder.is_dir():
        raise YusuanError(f"{folder}: no such folder; pass --corpus with a folder of PDFs")
    groups: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".pdf" or not path.is_file():
            continue
        groups.setdefault(_PART.sub("", path.stem), []).append(path)
    for paths in groups.values():
        paths.sort(key=lambda p: _PART_ORDER.get(m.group(1), 2)
                   if (m := _PART.search(p.stem)) else 2)
    return sorted(groups.items())


def pct_consistent(claim: Claim) -> bool | None:
    """Does the claim's stated percentage follow from its own figures, within rounding?

    None when the claim states no percentage or not the figures to recompute it. Three
    shapes: change with amount (`42,040.53 …减少8,524.52…下降16.86%`), amount with the base
    stated (`执行数为60.13万元…安排25.77万元…减少57.14%`), and the completion ratio of final
    accounts (`年初预算为1560.05…决算为1511.89…完成年初预算的96.91%`).
    """
    if claim.amount is None and claim.base_amount is not None and claim.change_amount is not None:
        # Only the base and the change are stated: the current amount is their sum.
        base = Interval.printed(claim.base_amount, claim.base_amount_decimals)
        change = Interval.printed(claim.change_amount, claim.change_decimals)
        amount = Interval(base.lo + change.lo, base.hi + change.hi)
    elif claim.amount is None:
        return None
    else:
        amount = Interval.printed(claim.amount, claim.amount_decimals)
    if claim.ratio_pct is not None and claim.base_amount is not None:
        base = Interval.printed(claim.base_amount, claim.base_amount_decimals)
        if base.lo <= 0:
            return None
        corners = [HUNDRED * a / b for a in (amount.lo, amount.hi) for b in (base.lo, base.hi)]
        stated = Interval.printed(claim.ratio_pct, claim.ratio_decimals)
        return stated.overlaps(Interval(min(corners), max(corners)))
    if claim.change_pct is None:
        return None
    if claim.change_amount is not None:
        change = Interval.printed(abs(claim.change_amount), claim.change_decimals)
        sign = 1 if claim.change_amount >= 0 else -1
    elif claim.base_amount is not None:
        base = Interval.printed(claim.base_amount, claim.base_amount_decimals)
        change = Interval(max(Decimal(0), min(abs(amount.lo - base.hi), abs(amount.hi - base.lo))),
                          max(abs(amount.hi - base.lo), abs(amount.lo - base.hi)))
        sign = 1 if claim.amount >= claim.base_amount else -1
    else:
        return None
    reachable = pct_range(amount, change, sign)
    if reachable is None:
        return None
    return Interval.printed(abs(claim.change_pct), claim.pct_decimals).overlaps(reachable)


@dataclass
class DocReport:
    """What eval found in one document."""

    name: str
    files: list[str]
    status: str  # ok | failed
    error: str | None = None
    pages: int = 0
    seconds: float = 0.0
    year: int | None = None
    kind: str | None = None
    tables: dict[str, int] = field(default_factory=dict)
    empty_tables: list[str] = field(default_factory=list)  # found, printed without amounts
    core_missing: list[str] = field(default_factory=list)
    line_items: int = 0
    parents: int = 0
    parents_ok: int = 0
    claims: int = 0
    pct_claims: int = 0
    pct_ok: int = 0
    facts: int = 0
    performance: int = 0
    mismatches: list[str] = field(default_factory=list)
    pct_failures: list[str] = field(default_factory=list)
    # compare-years on the document alone (no previous year): error / warning / info counts
    findings: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # the layout: tables with line items, and those read with confidence (tables.confidence)
    tables_read: int = 0
    tables_confident: int = 0
    # every identity of those tables (parent = Σ children, total column = Σ parts)
    identities: int = 0
    identities_ok: int = 0
    unreadable: list[str] = field(default_factory=list)  # the table-unreadable warnings

    @property
    def parent_rate(self) -> float | None:
        return self.parents_ok / self.parents if self.parents else None

    @property
    def pct_rate(self) -> float | None:
        return self.pct_ok / self.pct_claims if self.pct_claims else None

    @property
    def confident_rate(self) -> float | None:
        return self.tables_confident / self.tables_read if self.tables_read else None

    @property
    def identity_rate(self) -> float | None:
        return self.identities_ok / self.identities if self.identities else None


def evaluate_document(name: str, paths: list[Path]) -> DocReport:
    """Extract one document and measure it."""
    report = DocReport(name, [p.name for p in paths], "ok")
    started = time.perf_counter()
    try:
        doc = extract_document(name, paths)
    except YusuanError as exc:
        report.status, report.error = "failed", str(exc)
        report.seconds = time.perf_counter() - started
        return report
    report.seconds = time.perf_counter() - started
    _measure(report, doc)
    return report


def _measure(report: DocReport, doc: ExtractedDocument) -> None:
    layouts = load_layouts()
    report.pages, report.year, report.kind = doc.page_count, doc.year, doc.kind
    report.tables = dict(Counter(t.table_kind for t in doc.tables if not t.empty))
    report.empty_tables = sorted({t.table_kind for t in doc.tables if t.empty})
    if doc.tables:
        found = set(report.tables)
        report.core_missing = [c.name for c in layouts.core if not found & set(c.kinds)]
    report.line_items = len(doc.line_items)
    checks = sum_checks(doc.line_items, doc.columns)
    report.parents = len(checks)
    report.parents_ok = sum(1 for c in checks if c.ok)
    report.mismatches = [
        f"p.{c.page} {c.table.kind} {c.parent.code or c.parent.name} "
        f"[{c.column_name}]: {c.stated} ≠ Σ{len(c.children)} = {c.total}"
        for c in checks if not c.ok]
    report.claims = len(doc.claims)
    for claim in doc.claims:
        verdict = pct_consistent(claim)
        if verdict is None:
            continue
        report.pct_claims += 1
        if verdict:
            report.pct_ok += 1
        else:
            report.pct_failures.append(f"p.{claim.page} {claim.subject}: {claim.text[:80]}")
    report.facts = len(doc.facts)
    report.performance = len(doc.performance)
    _check(report, doc)


def _check(report: DocReport, doc: ExtractedDocument) -> None:
    """Every rule of compare-years on the document alone: on a real disclosure nearly every
    error-level finding should be an inconsistency of the document, not of the reading."""
    data = DocData(doc.doc_id, report.name, doc.year or 0, doc.kind or "budget", report.name,
                   line_items=list(doc.line_items), claims=list(doc.claims),
                   claim_parts=list(doc.claim_parts), facts=list(doc.facts),
                   tables=list(doc.tables), sentences=list(doc.sentences),
                   columns=list(doc.columns))
    config = checks_config()
    findings = run_rules(Context(data, None, config))
    report.findings = dict(Counter(f.severity.value for f in findings))
    report.errors = [f"p.{f.page or '-'} {f.rule}: {f.message}" for f in findings
                     if f.severity.value == "error"]
    report.unreadable = [f"p.{f.page or '-'} {f.message}" for f in findings
                         if f.rule == table_unreadable.SLUG]
    memo = tuple(config.rule(table_unreadable.SLUG).param("memo_groups"))
    read = {t.no: t for t in data.grid}
    for info in doc.tables:
        if info.table_no not in read:
            continue
        report.tables_read += 1
        report.tables_confident += info.confidence >= CONFIDENT
        ok, checked = table_unreadable.identities(read[info.table_no], memo)
        report.identities_ok += ok
        report.identities += checked


def evaluate_corpus(folder: Path) -> list[DocReport]:
    """Every document of a corpus folder, measured."""
    return [evaluate_document(name, paths) for name, paths in group_corpus(folder)]


def _rate(ok: int, total: int) -> str:
    return f"{ok}/{total} = {100 * ok / total:.1f}%" if total else "—"


def render(reports: list[DocReport], verbose: bool = False) -> str:
    """The eval report as text: one block per document, then the totals."""
    lines = []
    for r in reports:
        head = f"{r.name}  [{r.status}]"
        if r.status == "failed":
            lines += [head, f"    error: {r.error}", ""]
            continue
        lines.append(f"{head}  {r.pages} pages, {r.seconds:.1f}s, year {r.year or '?'}, "
                     f"{r.kind or '?'}")
        kinds = ", ".join(f"{k}×{n}" if n > 1 else k for k, n in sorted(r.tables.items()))
        lines.append(f"    tables: {kinds or 'none'}"
                     + (f"; empty: {', '.join(r.empty_tables)}" if r.empty_tables else ""))
        if r.core_missing:
            lines.append(f"    core tables missing: {', '.join(r.core_missing)}")
        lines.append(f"    line items {r.line_items}; parent = Σ children "
                     f"{_rate(r.parents_ok, r.parents)}")
        lines.append(f"    claims {r.claims}; percentages recompute "
                     f"{_rate(r.pct_ok, r.pct_claims)}; facts {r.facts}; "
                     f"performance targets {r.performance}")
        lines.append(f"    tables read with confidence "
                     f"{_rate(r.tables_confident, r.tables_read)}; identities hold "
                     f"{_rate(r.identities_ok, r.identities)}; table-unreadable "
                     f"{len(r.unreadable)}")
        lines.append(f"    compare-years alone: {_counts(r.findings)}")
        if verbose:
            lines += [f"      ? {m}" for m in r.unreadable]
            lines += [f"      ✗ {m}" for m in r.mismatches[:15]]
            lines += [f"      ✗% {m}" for m in r.pct_failures[:15]]
            lines += [f"      ! {m}" for m in r.errors]
        lines.append("")
    ok = [r for r in reports if r.status == "ok"]
    with_tables = [r for r in ok if r.tables]
    core_ok = [r for r in with_tables if not r.core_missing]
    lines.append(f"TOTAL  {len(reports)} documents: {len(ok)} read, "
                 f"{len(reports) - len(ok)} failed; {sum(r.pages for r in ok)} pages in "
                 f"{sum(r.seconds for r in reports):.1f}s")
    lines.append(f"    core tables complete in {len(core_ok)}/{len(with_tables)} documents "
                 f"with tables")
    lines.append(f"    line items {sum(r.line_items for r in ok)}; parent = Σ children "
                 f"{_rate(sum(r.parents_ok for r in ok), sum(r.parents for r in ok))}")
    lines.append(f"    claims {sum(r.claims for r in ok)}; percentages recompute "
                 f"{_rate(sum(r.pct_ok for r in ok), sum(r.pct_claims for r in ok))}")
    lines.append(f"    tables read with confidence "
                 f"{_rate(sum(r.tables_confident for r in ok), sum(r.tables_read for r in ok))}"
                 f"; identities hold "
                 f"{_rate(sum(r.identities_ok for r in ok), sum(r.identities for r in ok))}; "
                 f"table-unreadable {sum(len(r.unreadable) for r in ok)}")
    lines.append(f"    compare-years alone: {_counts(sum((Counter(r.findings) for r in ok), Counter()))}")
    errors = sorted(((r.findings.get("error", 0), r.name) for r in ok), reverse=True)
    lines.append("    errors per document: " + (", ".join(
        f"{name} {n}" for n, name in errors if n) or "none"))
    return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info"))


def as_json(reports: list[DocReport]) -> dict:
    """The eval report as plain data (for `--json`)."""
    docs = []
    for r in reports:
        data = asdict(r)
        data["parent_rate"], data["pct_rate"] = r.parent_rate, r.pct_rate
        data["confident_rate"], data["identity_rate"] = r.confident_rate, r.identity_rate
        docs.append(data)
    ok = [r for r in reports if r.status == "ok"]
    parents, parents_ok = sum(r.parents for r in ok), sum(r.parents_ok for r in ok)
    pct, pct_ok = sum(r.pct_claims for r in ok), sum(r.pct_ok for r in ok)
    return {"documents": docs, "total": {
        "documents": len(reports), "read": len(ok), "failed": len(reports) - len(ok),
        "pages": sum(r.pages for r in ok),
        "core_complete": sum(1 for r in ok if r.tables and not r.core_missing),
        "with_tables": sum(1 for r in ok if r.tables),
        "parents": parents, "parents_ok": parents_ok,
        "parent_rate": parents_ok / parents if parents else None,
        "claims": sum(r.claims for r in ok), "pct_claims": pct, "pct_ok": pct_ok,
        "pct_rate": pct_ok / pct if pct else None,
        "tables_read": sum(r.tables_read for r in ok),
        "tables_confident": sum(r.tables_confident for r in ok),
        "identities": sum(r.identities for r in ok),
        "identities_ok": sum(r.identities_ok for r in ok),
        "table_unreadable": sum(len(r.unreadable) for r in ok),
        "errors_per_document": {r.name: r.findings.get("error", 0) for r in ok},
        "findings": dict(sum((Counter(r.findings) for r in ok), Counter()))}}
