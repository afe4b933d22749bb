"""The fixture documents as perfect extraction would give them: `DocData` built from each
folder's truth files (line items, claims, parts, facts) and its `model.json` (reasons, the
sentences of the narrative, the tables found), so that the rules can be tested against the
answer keys independently of how well extraction reads the PDFs."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from decimal import Decimal
from functools import cache

from answer_keys import FIXTURES
from tasks.checks.base import DocData
from tasks.config import load_layouts
from tasks.contracts import Base, Claim, ClaimPart, Fact, LineItem, NarrativeSentence, TableInfo
from tasks.extract.tables import column_key


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _dec(text: str) -> Decimal | None:
    return Decimal(text.replace(",", "")) if text not in ("", None) else None


def _decimals(text: str | None) -> int | None:
    if not text:
        return None
    text = text.replace(",", "")
    return len(text.split(".")[1]) if "." in text else 0


def _rows(folder: str, name: str) -> list[dict[str, str]]:
    with (FIXTURES / folder / "truth" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _blocks(model: dict) -> list[dict]:
    return [b for f in model["files"] for b in f["blocks"]]


def _sentences(model: dict) -> list[NarrativeSentence]:
    """Paragraphs cut at 。, each with the section path and scope of its headings."""
    layouts = load_layouts()
    out: list[NarrativeSentence] = []
    part, path, headings = "", ["", ""], ["", ""]
    page = 1
    for b in _blocks(model):
        if b.get("page"):
            page = b["page"]
        if b["type"] == "Heading":
            text = norm(b["text"])
            if b["level"] == 0:
                m = re.match(r"第([一二三四五六七八九十]+)部分", text)
                part, path, headings = (m.group(1) if m else ""), ["", ""], ["", ""]
            elif b["level"] == 1:
                m = re.match(r"([一二三四五六七八九十]+)、", text)
                path, headings = [m.group(1) if m else "", ""], [text, ""]
            else:
                m = re.match(r"\(([一二三四五六七八九十]+)\)", text)
                path[1], headings[1] = (f"({m.group(1)})" if m else ""), text
            continue
        if b["type"] == "Table":
            note = b.get("empty_note")
            if note:
                out.append(NarrativeSentence(len(out) + 1, part, "", "", None,
                                             b.get("first_page") or page, norm(note)))
            continue
        if b["type"] != "Para":
            continue
        parts = b.get("parts") or [[0, page]]
        section = path[0] + path[1]
        heading = headings[1] or headings[0]
        sub = layouts.scope_of(headings[1]) if headings[1] else None
        scope = sub if sub not in (None, "summary") else layouts.scope_of(headings[0])
        for m in re.finditer(r"[^。]+。?", b["text"]):
            pg = max((p for off, p in parts if off <= m.start()), default=parts[0][1])
            out.append(NarrativeSentence(len(out) + 1, part, section, heading, scope, pg,
                                         norm(m.group())))
    return out


@cache
def truth_doc(folder: str) -> DocData:
    """One fixture document as the rules would see it after perfect extraction."""
    model = json.loads((FIXTURES / folder / "model.json").read_text(encoding="utf-8"))
    doc = DocData(doc_id=folder, department=model["department"], year=model["year"],
                  kind="budget", name=model["name"])
    layouts = load_layouts()
    for r in _rows(folder, "line_items.csv"):
        doc.line_items.append(LineItem(
            table_kind=r["table_kind"], table_title=r["table_title"], unit=r["unit"],
            code=r["code"] or None, name=r["name"], column_name=r["column_name"],
            amount=Decimal(r["amount"]), decimals=int(r["decimals"]), page=int(r["page"]),
            column_key=column_key(r["column_name"], layouts),
            code_system=("economic" if r["table_kind"] == "gpb-basic" else "function")
            if r["code"] else None,
            budget_unit=r["budget_unit"] or None, project=r["project"] or None,
            row_no=int(r["row_no"]), table_no=int(r["table_no"])))
    paras = {b["key"]: b for b in _blocks(model) if b["type"] == "Para"}
    claims = _rows(folder, "claims.csv")
    assert len(claims) == len(model["claims"]), folder
    ids: dict[str, str] = {}
    for n, (r, mc) in enumerate(zip(claims, model["claims"], strict=True), 1):
        assert norm(mc["subject"]) == r["subject"], (r["subject"], mc["subject"])
        cid = f"p{r['page']}-{n}"
        ids[r["claim_no"]] = cid
        para = paras[mc["para"]]["text"]
        start = para.rfind("。", 0, mc["offset"]) + 1
        end = para.find("。", mc["offset"])
        doc.claims.append(Claim(
            claim_id=cid, section=r["section"], scope=r["scope"], subject=r["subject"],
            code=r["code"] or None, amount=_dec(r["amount"]),
            change_amount=_dec(r["change_amount"]), change_pct=_dec(r["change_pct"]),
            share_pct=_dec(r["share_pct"]), base=Base(r["base"]) if r["base"] else None,
            reason=norm(mc["reason"]) if mc.get("reason") else None, page=int(r["page"]),
            text=norm(para[start:end + 1 if end >= 0 else None]),
            amount_decimals=_decimals(r["amount"]),
            change_decimals=_decimals(r["change_amount"]) if r["change_word"] != "持平"
            else None,
            pct_decimals=_decimals(r["change_pct"]), share_decimals=_decimals(r["share_pct"]),
            change_word=r["change_word"] or None, pct_word=r["pct_word"] or None,
            base_year=int(r["base_year"]) if r["base_year"] else None, kind=r["kind"]))
    for r in _rows(folder, "claim_parts.csv"):
        doc.claim_parts.append(ClaimPart(ids[r["claim_no"]], int(r["part_no"]), r["name"],
                                         Decimal(r["amount"]), _decimals(r["amount"]) or 0))
    for r in _rows(folder, "facts.csv"):
        doc.facts.append(Fact(r["kind"], r["subject"], _dec(r["value"]), _dec(r["change"]),
                              int(r["page"]), r["subject"]))
    for b in _blocks(model):
        if b["type"] == "Table":
            doc.tables.append(TableInfo(
                table_no=b["no"], table_kind=b["kind"], table_title=b["title"],
                unit=b["unit"], first_page=b["first_page"], last_page=b["last_page"],
                row_count=len(b["rows"]), empty=not b["records"]))
    doc.sentences = _sentences(model)
    return doc
