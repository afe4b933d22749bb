"""table-unreadable: a table yusuan did not read with confidence, said once, as a warning.

Three signs, any of which is enough:
- its layout was read with low confidence (tables.confidence below `min_confidence`: header
  words and cell content disagree about a column; `yusuan explain-table` shows the votes);
- no unit was printed with it (元 or 万元 is a guess);
- its identities fail on most of its rows: more than `max_failing_share` of its parent =
  Σ children and total-column = Σ parts relations (at least `min_identities` of them) miss
  beyond rounding. Real tables nearly always add up; a table that mostly does not was misread
  (rows nested wrongly, a comparison row or column read as money) far more often than printed
  wrong, and when it was printed wrong (西安 2022 表6 prints its figures a row out of place)
  one warning on the table says more than 29 errors on its cells.

No rule raises an error from such a table: `gate` turns those errors into warnings that name
the reason. The finding names the page and the table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from tasks.checks.base import Context, DocData, sum_drift
from tasks.checks.tables import Table, table_sum_checks
from tasks.config import RuleConfig
from tasks.contracts import Finding, Severity, TableInfo

SLUG = "table-unreadable"
PARAMS = {"min_confidence", "max_failing_share", "min_identities", "memo_groups"}


def identities(table: Table, memo_groups: tuple[str, ...] = ()) -> tuple[int, int]:
    """(relations that hold, relations checked): parent = Σ children and total column = Σ
    part columns, each cell within the rounding of its addends."""
    ok = checked = 0
    for check in table_sum_checks(table):
        checked += 1
        ok += check.ok
    for side in table.sides:
        for total, parts in table.column_sums(side, memo_groups=memo_groups):
            for row in table.rows[side]:
                cells = [row.cells[c] for c in parts if c in row.cells]
                if not cells or total not in row.cells:
                    continue
                diff, drift = sum_drift(row.cells[total].amount, [c.amount for c in cells],
                                        [c.decimals for c in cells])
                checked += 1
                ok += diff <= drift
    return ok, checked


def assess(doc: DocData, rule: RuleConfig) -> dict[int, str]:
    """Table number -> why the table is not read with confidence."""
    floor = float(rule.param("min_confidence"))
    share = Decimal(str(rule.param("max_failing_share")))
    least = int(rule.param("min_identities"))
    memo = tuple(rule.param("memo_groups"))
    info = {t.table_no: t for t in doc.tables}
    out: dict[int, str] = {}
    for table in doc.grid:
        t: TableInfo | None = info.get(table.no)
        reasons = []
        if t is not None and not t.unit_found:
            reasons.append("no unit (单位：万元/元) was printed with it, so 万元 was assumed")
        if t is not None and t.confidence < floor:
            weak = sorted((c for c in doc.columns if c.table_no == table.no),
                          key=lambda c: c.confidence)
            what = f"column {weak[0].header_path or weak[0].column_no!r} read as " \
                   f"{weak[0].role} ({weak[0].evidence})" if weak else "its columns"
            reasons.append(f"its layout was read with confidence {t.confidence:.2f}: {what}")
        ok, checked = identities(table, memo)
        if checked >= least and Decimal(checked - ok) > share * checked:
            reasons.append(f"{checked - ok} of its {checked} sums do not add up: it was "
                           "misread, or printed with its figures out of place (look at the page)")
        if reasons:
            out[table.no] = "; ".join(reasons)
    return out


def run(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rule(SLUG)
    info = {t.table_no: t for t in ctx.current.tables}
    for no, why in sorted(assess(ctx.current, rule).items()):
        t = info.get(no)
        title = t.table_title if t else f"table {no}"
        pages = f"p.{t.first_page}" + (f"–{t.last_page}" if t and t.last_page != t.first_page
                                       else "") if t else ""
        yield Finding(rule=SLUG, severity=rule.severity, subject=title, page=t.first_page if t
                      else None, table_kind=t.table_kind if t else None, tables=(no,),
                      message=(f"{title} ({pages}) was not read with confidence: {why}; no "
                               f"error is raised from it. Check it with `yusuan explain-table "
                               f"DOC {t.first_page if t else ''}`"))


def gate(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """Errors that rest on a table not read with confidence become warnings saying so."""
    rule = ctx.rule(SLUG)
    if not rule.enabled:
        return findings
    unsure = assess(ctx.current, rule)
    if not unsure:
        return findings
    out = []
    for f in findings:
        hit = next((n for n in f.tables if n in unsure), None)
        if f.severity == Severity.ERROR and hit is not None and f.rule != SLUG:
            f = replace(f, severity=Severity.WARNING,
                        message=f"{f.message} — not raised as an error: the table it rests on "
                                f"was not read with confidence ({unsure[hit]})")
        out.append(f)
    return out
