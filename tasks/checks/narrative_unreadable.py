"""narrative-unreadable: a narrative whose text layer lost its figures, said once, as a
warning.

Some PDFs draw the digits of their sentences in a way the text layer does not keep (长沙
2026: `“三公”经费预算数为 万元`, `收入预算共预算拨款事业单位经营服务收入 万元`): a unit word
with no figure before it. Where that happens in at least `min_lost` sentences, what the
narrative states cannot be read with confidence, and no rule raises an error from it (a
claim read from a mutilated sentence, a section that seems missing): `gate` turns those
errors into warnings that say why. The tables' own rules are not affected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from tasks.checks.base import Context, DocData, norm
from tasks.checks.merge import TABLE_RULES
from tasks.contracts import Finding, Severity

SLUG = "narrative-unreadable"
PARAMS = {"min_lost"}
# 万元 with no figure before it (not a unit declaration: `单位：万元`)
_LOST = re.compile(r"(?:^|(?<![\d.,万千百亿:位]))万元")


def lost(doc: DocData) -> list[tuple[int, str]]:
    """(page, sentence) of every sentence whose figures went missing."""
    return [(s.page, s.text) for s in doc.sentences if _LOST.search(norm(s.text))]


def unreadable(ctx: Context) -> str | None:
    """Why the narrative is not read with confidence, or None."""
    rule = ctx.rule(SLUG)
    found = lost(ctx.current)
    if len(found) < int(rule.param("min_lost")):
        return None
    pages = sorted({p for p, _ in found})
    return (f"{len(found)} of its sentences lost their figures in the PDF's text layer (p."
            f"{', '.join(map(str, pages[:8]))}: `{found[0][1][:30]}`)")


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    why = unreadable(ctx)
    if why:
        yield Finding(rule=SLUG, severity=rule.severity, subject="narrative",
                      page=lost(ctx.current)[0][0],
                      message=(f"the narrative was not read with confidence: {why}; no error "
                               "is raised from what it states. Check the figures against the "
                               "PDF by eye"))


def gate(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """Errors resting on a narrative that lost its figures become warnings saying so."""
    if not ctx.rule(SLUG).enabled:
        return findings
    why = unreadable(ctx)
    if not why:
        return findings
    return [replace(f, severity=Severity.WARNING,
                    message=f"{f.message} — not raised as an error: the narrative was not read "
                            f"with confidence ({why})")
            if f.severity == Severity.ERROR and f.rule not in (*TABLE_RULES, SLUG)
            and not (f.rule == "completeness" and f.table_kind) else f
            for f in findings]
