"""project-vs-table: a project the narrative names must be a project of its table.

七(五) `项目名称：特定目标 35101150` while the project table lists `特定目标 3510115C`; 十一's
carried-over `自治区就业补助资金` while the carry-over table lists only `特定目标 LX100229`.
Each project claim is looked for only in the table of its own scope (config), by its name
normalised (NFKC, no spaces).
"""

from __future__ import annotations

from collections.abc import Iterator

from tasks.checks.base import Context, bare
from tasks.checks.lookup import closest, scope_tables
from tasks.contracts import Finding

SLUG = "project-vs-table"
PARAMS: set[str] = set()


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    tables = {k: tuple(v) for k, v in
              ctx.rule("claim-vs-table").param("project_tables").items()}
    doc = ctx.current
    for claim in doc.claims:
        if claim.kind != "project":
            continue
        found = scope_tables(doc, claim.scope, tables)
        if not found:
            continue
        table = found[0]
        names = list(dict.fromkeys(r.project for s in table.sides for r in table.rows[s]
                                   if r.project))
        if not names or any(bare(n) == bare(claim.subject) for n in names):
            continue
        best = closest(claim.subject, names)
        yield Finding(
            rule=SLUG, severity=rule.severity, subject=claim.subject, stated=claim.subject,
            expected=best, page=claim.page, table_kind=table.kind, evidence=claim.text,
            tables=(table.no,),
            message=(f"the narrative names project {claim.subject}, which {table.label} does "
                     f"not list (closest: {best})"))
