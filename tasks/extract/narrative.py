"""The narrative as sections of sentences, each sentence with the page it starts on.

Lines outside tables are joined into one stream (PDF line wraps mean nothing), cut at
headings (`五、…`, `（三）…`, `第三部分`) into sections, and cut at `。` into sentences.
Table captions and page furniture are left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from tasks.config import Layouts, load_layouts
from tasks.extract.amounts import find_unit
from tasks.extract.pdf import Page, normalize
from tasks.extract.tables import classify_title

_PART = re.compile(r"^第([一二三四五六七八九十]+)部分")
_TOP = re.compile(r"^([一二三四五六七八九十]+)[、.．]")
_SUB = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")
_PAGE_NO = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$|^第\d+页(共\d+页)?$")
_CAPTION = re.compile(r"^(编制部门|编制单位|部门[:：]|单位名称|部门名称|预算单位[:：])")
_LABEL = re.compile(r"^(附件\d*|(预算|公开|决算)?(附)?表\s*[0-9一二三四五六七八九十]+(表)?)$")


@dataclass
class Sentence:
    text: str  # as printed, line wraps removed
    page: int


@dataclass
class Section:
    part: str  # 第X部分 numeral, "" before the first part heading
    path: str  # e.g. "五(三)"
    heading: str
    scope: str | None
    sentences: list[Sentence] = field(default_factory=list)


def _is_furniture(text: str) -> bool:
    flat = normalize(text)
    return (not flat or bool(_PAGE_NO.match(flat)) or bool(_CAPTION.match(flat))
            or bool(_LABEL.match(flat)) or (find_unit(flat) is not None and len(flat) < 30))


def _heading(flat: str) -> tuple[str, str] | None:
    """('top'|'sub'|'part', numeral) for a heading line."""
    if "。" in flat[:-1]:
        return None
    for kind, pattern in (("part", _PART), ("top", _TOP), ("sub", _SUB)):
        match = pattern.match(flat)
        if match:
            return kind, match.group(1)
    return None


def sections(pages: list[Page], layouts: Layouts | None = None) -> list[Section]:
    """Cut the narrative into sections of sentences."""
    layouts = layouts or load_layouts()
    out: list[Section] = []
    part, top, top_heading = "", "", ""
    current = Section("", "", "", None)
    buffer: list[str] = []
    starts: list[int] = []  # offset in the joined buffer where each page's text begins
    pages_at: list[int] = []
    length = 0

    def flush() -> None:
        nonlocal buffer, starts, pages_at, length
        text = "".join(buffer)
        for sentence, offset in _sentences(text):
            i = bisect.bisect_right(starts, offset) - 1
            current.sentences.append(Sentence(sentence, pages_at[max(i, 0)] if pages_at else 0))
        out.append(current)
        buffer, starts, pages_at, length = [], [], [], 0

    for page in pages:
        full = [ln for ln in page.lines if len(ln.text) > 12]
        right = max((ln.x1 for ln in full), default=page.width)
        caption_floor = {id(ln) for g in page.grids for ln in page.lines
                         if 0 <= g.top - ln.bottom <= 140 and classify_title(ln.text, layouts)}
        kept = [ln for ln in page.lines
                if id(ln) not in caption_floor and not _is_furniture(ln.text)]
        for i, line in enumerate(kept):
            flat = normalize(line.text)
            head = _heading(flat)
            if head:
                kind, numeral = head
                flush()
                if kind == "part":
                    part, top, top_heading = numeral, "", flat
                    path = ""
                elif kind == "top":
                    top, top_heading = numeral, flat
                    path = numeral
                else:
                    path = f"{top}({numeral})" if top else f"({numeral})"
                scope = (layouts.scope_of(flat) if kind != "sub" else
                         layouts.scope_of(flat) or layouts.scope_of(top_heading))
                if kind == "sub" and scope in {"income", "expense", "summary"}:
                    # A sub-heading's generic words do not override its section's subject.
                    scope = layouts.scope_of(top_heading) or scope
                current = Section(part, path, flat, scope)
                continue
            text = line.text.strip()
            following = normalize(kept[i + 1].text) if i + 1 < len(kept) else ""
            if line.x1 < right - 1.5 * max(line.size, 6) and _ends_paragraph(flat, following):
                text += PARAGRAPH
            starts.append(length)
            pages_at.append(page.number)
            buffer.append(text)
            length += len(text)
    flush()
    return [s for s in out if s.sentences or s.heading]


PARAGRAPH = "\x1e"
_ITEM_START = re.compile(r"^(\d{1,2}[.、．](?!\d)|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
_CONTINUES = tuple("为是的和与及、，,（(比较按对由从至在")


def _ends_paragraph(line: str, following: str) -> bool:
    """Whether a line that stops short of the right margin ends its paragraph.

    List items and heading-like lines carry no 。, so shortness ends them; but a line also
    stops short when the next token is an unbreakable number (`…预算数为` / `1,120.37 万元`).
    """
    if line.endswith(("。", "；", ";", "：", ":", "！", "？")):
        return True
    if _ITEM_START.match(following):
        return True
    if following[:1].isdigit() or following[:1].isascii() and following[:1].isalpha():
        return False
    return not line.endswith(_CONTINUES)


def _sentences(text: str) -> list[tuple[str, int]]:
    """Split at 。 and paragraph ends, keeping each sentence's offset. Lists continued as
    `二是…。三是…。` stay with the sentence that opened them."""
    out: list[tuple[str, int]] = []
    pos = 0
    for match in re.finditer("[。\x1e]", text):
        piece = text[pos:match.end()].replace(PARAGRAPH, "").strip()
        if piece:
            if out and re.match(r"^[二三四五六七八九十]+是", piece):
                out[-1] = (out[-1][0] + piece, out[-1][1])
            else:
                out.append((piece, pos))
        pos = match.end()
    rest = text[pos:].replace(PARAGRAPH, "").strip()
    if rest:
        out.append((rest, pos))
    return out
