"""A narrative sentence cut into clauses, and the draft claim each clause states.

A sentence is cut at `;` (the text after 主要原因是 is the reason of what precedes it), a
stated total before `，其中：` is a clause of its own, and a new clause starts where a new
subject with its own amount comes after a change. `draft` reads one clause's figures: the
amount, the change, the percentage, the share, the ratio, 持平 and the base compared with.
`merge` lets a subject-less clause continue the claim before it (claims.py decides when).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from tasks.contracts import Base
from tasks.extract import grammar as g
from tasks.extract.narrative import Section
from tasks.extract.subjects import clean_subject, is_generic


class Reading(Protocol):
    """What reading a clause needs to know of its document (claims.Context has it)."""

    doc_year: int | None
    doc_kind: str | None
    department: str | None


@dataclass
class Draft:
    """A claim under construction (claims are frozen; drafts merge and take reasons)."""

    section: Section
    page: int
    text: str
    subject: str = ""
    amount: g.Figure | None = None
    change: g.Figure | None = None
    change_word: str | None = None
    pct: g.Figure | None = None
    pct_word: str | None = None
    share: g.Figure | None = None
    ratio: g.Figure | None = None
    base_amount: g.Figure | None = None
    base: Base | None = None
    base_year: int | None = None
    flat: bool = False
    reason: str | None = None
    is_total: bool = False
    kind: str | None = None
    scope: str | None = None
    budget_unit: str | None = None

    @property
    def states_change(self) -> bool:
        return bool(self.change or self.pct or self.flat)


def _split_outside_parens(text: str, sep: str) -> list[tuple[str, int]]:
    """Pieces of text between separators that are not inside parentheses, with offsets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch in sep and depth == 0 and not (
                ch == "," and i and text[i - 1].isdigit() and re.match(r"\d{3}(?!\d)",
                                                                       text[i + 1:i + 5])):
            # `5,144.20`: a thousands separator is not a clause comma.
            out.append((text[start:i], start))
            start = i + 1
    out.append((text[start:], start))
    return out


def pieces(flat: str) -> list[tuple[str, str | None]]:
    """(body, reason) per `;`-separated piece; a piece without figures continues the reason
    (or body) of the piece before (`主要原因是：1.…；2.…`)."""
    raw = [p for p, _ in _split_outside_parens(flat, ";")]
    merged: list[str] = []
    for piece in raw:
        if merged and not g.figures_in(piece) and not g.FLAT.search(piece):
            merged[-1] += ";" + piece
        else:
            merged.append(piece)
    out = []
    for piece in merged:
        reason = g.REASON.search(piece)
        if reason:
            out.append((piece[:reason.start()], piece[reason.end():].strip(",。;: ") or None))
        else:
            out.append((piece, None))
    return out


def clause_groups(body: str, doc_year: int | None, doc_kind: str | None = None
            ) -> list[tuple[str, bool]]:
    """(clause, is_total) groups of a body: a new group starts where a segment brings a new
    subject with its own current amount after the group already has its amount or change."""
    out: list[tuple[str, bool]] = []
    for part, is_total in _total_split(body):
        current: list[str] = []
        has_amount = has_change = False
        for seg in _segments(part):
            money = [m for m in g.AMOUNT.finditer(seg) if not inside(m, g.CHANGE, seg)]
            own = next((m for m in money
                        if g.amount_role(seg[:m.start()], doc_year, doc_kind) == "current"),
                       None)
            change = g.CHANGE.search(seg)
            flat_word = g.FLAT.search(seg)
            starts = [m.start() for m in (own, change, flat_word) if m]
            subject = clean_subject(seg[:min(starts)]) if starts else ""
            if current and starts and subject and not is_generic(subject) and (
                    has_amount or has_change) and not g.COMPARING.match(seg):
                out.append((",".join(current), False))
                current, has_amount, has_change = [], False, False
            current.append(seg)
            has_amount = has_amount or own is not None
            has_change = has_change or bool(g.CHANGE.search(seg) or g.PCT.search(seg)
                                            or g.FLAT.search(seg))
        if current:
            out.append((",".join(current), is_total))
    return [(c, t) for c, t in out if c.strip(",:。 ")]


def _segments(text: str) -> list[str]:
    """Comma-separated segments; a `、` separates too where amounts stand on both sides
    (`文化旅游体育与传媒支出 7,305.15 万元、社会保障和就业支出 856.24 万元`)."""
    out: list[str] = []
    for seg, _ in _split_outside_parens(text, ","):
        pieces = [p for p, _ in _split_outside_parens(seg, "、")]
        if len(pieces) > 1 and all(g.AMOUNT.search(p) for p in pieces):
            out.extend(pieces)
        else:
            out.append(seg)
    return out


def _total_split(body: str) -> list[tuple[str, bool]]:
    """`…45,057.32万元，其中：…`: the text before 其中 states a total."""
    pieces = re.split(r"(?<=万元|\d%),?其中[:,]", body)
    return [(p, i < len(pieces) - 1) for i, p in enumerate(pieces)]


def inside(match: re.Match[str], pattern: re.Pattern[str], text: str) -> bool:
    return any(m.start() <= match.start() < m.end() for m in pattern.finditer(text))


def draft(clause: str, is_total: bool, reason: str | None, section: Section, page: int,
          text: str, ctx: Reading) -> Draft | None:
    """The claim one clause states, if it states a figure."""
    d = Draft(section, page, text, reason=reason, is_total=is_total)
    change = g.CHANGE.search(clause)
    if change:
        d.change = g.signed(change.group("word"), g.number(
            change.group("num"), change.group("unit"), change.start(), change.end()))
        d.change_word = change.group("word")
    ratio = g.RATIO.search(clause)
    if ratio:
        d.ratio = g.number(ratio.group("num"), None, ratio.start(), ratio.end())
    pct = next((m for m in g.PCT.finditer(clause)
                if not (ratio and ratio.start() <= m.start() < ratio.end())), None)
    if pct:
        d.pct = g.signed(pct.group("word"), g.number(pct.group("num"), None, pct.start(),
                                                     pct.end()))
        d.pct_word = pct.group("word")
    share = next((m for m in g.SHARE.finditer(clause)
                  if not (ratio and ratio.start() <= m.start() < ratio.end())), None)
    if share:
        d.share = g.number(share.group("num"), None, share.start(), share.end())
    flat_word = g.FLAT.search(clause)
    d.flat = bool(flat_word) and change is None and pct is None
    firsts = [m.start() for m in (change, pct, share, ratio, flat_word) if m]
    for m in g.AMOUNT.finditer(clause):
        if change and change.start() <= m.start() < change.end():
            continue
        seg_start = clause.rfind(",", 0, m.start()) + 1
        role = g.amount_role(clause[seg_start:m.start()], ctx.doc_year, ctx.doc_kind)
        fig = g.number(m.group("num"), m.group("unit"), m.start(), m.end())
        if role == "current" and d.amount is None:
            d.amount = fig
        elif role != "current" and d.base_amount is None:
            d.base_amount = fig
            if role == "initial":
                d.base = Base.CURRENT_BUDGET
        firsts.append(m.start())
    if not firsts:
        return None
    d.subject = clean_subject(clause[:min(firsts)], ctx.department)
    if d.states_change and d.base is None:
        d.base, d.base_year = g.base_of(clause, ctx.doc_kind)
    if d.amount is None and d.base_amount is None and not d.states_change and not d.ratio \
            and not d.share:
        return None
    return d


_FIGURES = ("amount", "change", "pct", "share", "ratio", "base_amount")


def conflict(a: Draft, b: Draft) -> bool:
    """Would merging b into a overwrite a figure a already states?"""
    for f in _FIGURES:
        x, y = getattr(a, f), getattr(b, f)
        if x is not None and y is not None and x.value != y.value:
            return True
    return (a.flat and bool(b.change or b.pct)) or (b.flat and bool(a.change or a.pct))


def merge(into: Draft, new: Draft) -> None:
    """A subject-less clause continues the claim before it."""
    for f in ("amount", "change", "change_word", "pct", "pct_word", "share", "ratio",
              "base_amount", "base", "base_year", "reason"):
        if getattr(into, f) is None and getattr(new, f) is not None:
            setattr(into, f, getattr(new, f))
    into.flat = into.flat or (new.flat and not into.change and not into.pct)
    if new.text not in into.text:
        into.text = into.text + new.text
