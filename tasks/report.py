"""Findings for people: an aligned terminal table, a Markdown report, and the rows of the
Prefect table artifact."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from tasks.compare import CheckSummary
from tasks.contracts import Finding, Severity
from tasks.errors import ConfigError

COLUMNS = ("severity", "rule", "page", "subject", "stated", "expected")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            out.append("…")
            used += 1
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * max(width - used, 0)


def short_subject(finding: Finding) -> str:
    """`2070104 图书馆` for `文化…(类)文化和旅游(款)图书馆(项)`: the code says the rest."""
    leaf = re.split(r"\((?:类|款|项)\)", finding.subject.rstrip())
    names = [x for x in leaf if x]
    name = names[-1] if names else finding.subject
    return f"{finding.code} {name}" if finding.code else finding.subject


def finding_rows(findings: Sequence[Finding]) -> list[dict[str, str]]:
    """One plain dict per finding (for artifacts and CSV)."""
    return [{"severity": f.severity.value, "rule": f.rule, "page": str(f.page or ""),
             "subject": short_subject(f), "code": f.code or "", "stated": f.stated or "",
             "expected": f.expected or "", "message": f.message} for f in findings]


def text_table(findings: Sequence[Finding], limit: int = 40, show_info: bool = True) -> str:
    """An aligned table of findings (CJK characters count double).

    Without `show_info`, info findings (rounding drift, vague reasons) are summed up in one
    line by rule instead of listed: they are at most noise to a reader of the terminal.
    """
    shown = [f for f in findings if show_info or f.severity != Severity.INFO]
    hidden = Counter(f.rule for f in findings if f not in shown)
    widths = {"severity": 8, "rule": 22, "page": 4, "subject": 30, "stated": 12, "expected": 12}
    lines = ["  ".join(_fit(c, widths[c]) for c in COLUMNS).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in COLUMNS))
    for row in finding_rows(shown)[:limit]:
        lines.append("  ".join(_fit(row[c], widths[c]) for c in COLUMNS).rstrip())
    if len(shown) > limit:
        lines.append(f"… and {len(shown) - limit} more (query the `findings` table)")
    if hidden:
        rules = ", ".join(f"{n} {rule}" for rule, n in sorted(hidden.items()))
        lines.append(f"info, not listed: {rules} (--all lists them)")
    return "\n".join(lines)


def counts_line(findings: Sequence[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    return ", ".join(f"{n} {s.value}" for s, n in counts.items())


def markdown(department: str, year: int, name: str, doc_id: str, prior_doc_id: str | None,
             findings: Sequence[Finding], top: int = 15) -> str:
    """The compare-years summary: counts by severity and the top findings with pages."""
    lines = [f"# {name} ({department}) {year}: {counts_line(findings)}", "",
             f"- document `{doc_id[:12]}`",
             f"- compared with `{prior_doc_id[:12]}`" if prior_doc_id else
             "- no previous year's document loaded: year-over-year rules did not run", ""]
    if findings:
        lines += ["| severity | rule | page | subject | stated | expected | message |",
                  "|---|---|---|---|---|---|---|"]
        for f in findings[:top]:
            cells = [f.severity.value, f.rule, str(f.page or ""), f.subject, f.stated or "",
                     f.expected or "", f.message]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        if len(findings) > top:
            lines.append(f"\n… {len(findings) - top} more in the `findings` table.")
    return "\n".join(lines) + "\n"


def write_report(directory: Path, department: str, year: int, text: str) -> Path:
    """Write `<department>-<year>.md`; a folder that cannot be written is a ConfigError saying
    where reports go (the findings are stored by then: only the report is missing)."""
    path = directory / f"{department}-{year}.md"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the report {path}: {exc.strerror or exc}; reports go "
                          "to $YUSUAN_REPORTS (default ./reports), which must be a folder "
                          "you can write; the findings are in the warehouse") from exc
    return path


# ---- Prefect edge ---------------------------------------------------------------------------

def artifact_key(department: str, year: int) -> str:
    """Prefect artifact keys allow lower-case letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]", "-", f"findings-{department}-{year}".lower())


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(summary: CheckSummary, reports_dir: Path) -> Path:
    """Publish the findings as Prefect artifacts and write the Markdown report."""
    t = summary.target
    text = markdown(t.department, t.year, summary.name, t.doc_id, t.prior_doc_id,
                    summary.findings)
    create_table_artifact(finding_rows(summary.findings) or [{"result": "no findings"}],
                          key=artifact_key(t.department, t.year),
                          description=f"compare-years findings of {t.department} {t.year}")
    create_markdown_artifact(text, key=f"{artifact_key(t.department, t.year)}-summary",
                             description=f"compare-years summary of {t.department} {t.year}")
    return write_report(reports_dir, t.department, t.year, text)
