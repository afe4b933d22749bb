"""The narrative as sections of sentences, each sentence with the page it starts on.

Lines outside tables are joined into paragraphs (a PDF line wrap means nothing; a line that
stops short of the right margin, an indented first line, a change of font size or a
numbered start begins a new one). Headings are the short numbered paragraphs (`五、…`,
`（三）…`, `第三部分…`) and the short paragraphs set in a larger type (Shanghai's
unnumbered `2024年部门预算编制说明`). Paragraphs are cut at `。` into sentences. Table
captions, page numbers and lines repeated on many pages (running heads) are left out.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from tasks.config import Layouts, load_layouts
from tasks.extract.pdf import Line, Page, normalize
from tasks.extract.tables import TITLE_REACH, classify_title, is_caption

_PART = re.compile(r"^第([一二三四五六七八九十]+)部分")
_TOP = re.compile(r"^([一二三四五六七八九十]+)[、.．]")
_SUB = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")
_NUMBERED = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|"
                       r"[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.．](?!\d)|[(（]\d{1,2}[)）])")
_PAGE_NO = re.compile(r"^[-—–－]*\d{1,3}[-—–－]*$|^第\d+页(共\d+页)?$|^-?\d+/\d+-?$")
# A heading may end in 。 only when it is a heading's kind of phrase (Putuo's
# `（一）“三公”经费财政拨款支出决算总体情况说明。`).
_HEADING_END = re.compile(r"(说明|情况|概况)。$")
_TERMINAL = re.compile(r"[。；;：:！？!?]$")
_AMOUNT_IN = re.compile(r"\d(?:万元|元|%)")
_CARRIED_AMOUNT = re.compile(r"^[\d,.]+(?:万元|元|亿元|%|万)")
# A numbered heading run into its paragraph: `（一）机关运行经费。2026 年…` (a short label
# without figures, closed by 。, and text after it).
# Only `（一）` labels: a `一、加强党的建设。落实…` is an item of a list of tasks.
_RUN_IN = re.compile(r"^(?P<label>[(（][一二三四五六七八九十]+[)）][^。,;:\d%]{2,20})。(?=.)")
# Lines on at least this many pages are running heads or footers, not narrative.
RUNNING_HEAD_PAGES = 3
LARGER_TYPE = 1.15  # a heading set in a larger type than the body
SPECIFIC_SCOPES = {"sangong", "running-cost", "procurement", "assets", "performance", "carryover",
                   "gov-fund", "soe"}


@dataclass
class Sentence:
    text: str  # as printed, line wraps removed
    page: int  # the page it starts on
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (normalised offset, page)

    def page_at(self, offset: int) -> int:
        """The page of the character at `offset` of the normalised text (a sentence may run
        over a page break)."""
        page = self.page
        for at, p in self.breaks:
            if offset >= at:
                page = p
        return page


@dataclass
class Section:
    part: str  # 第X部分 numeral, "" before the first part heading
    path: str  # e.g. "五(三)"; an unnumbered heading's own text
    heading: str
    scope: str | None
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Paragraph:
    text: str
    page: int
    size: float
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset, page)

    def page_at(self, offset: int) -> int:
        """The page on which the character at `offset` is printed."""
        i = bisect.bisect_right([o for o, _ in self.starts], offset) - 1
        return self.starts[max(i, 0)][1]


def _furniture(pages: list[Page], layouts: Layouts) -> set[int]:
    """ids of lines that are not narrative: captions above tables, page numbers, table
    labels and unit lines, and running heads repeated on many pages."""
    out: set[int] = set()
    seen: Counter[str] = Counter()
    for page in pages:
        for flat in {normalize(ln.text) for ln in page.lines}:
            seen[flat] += 1
    for page in pages:
        for line in page.lines:
            flat = normalize(line.text)
            if not flat or _PAGE_NO.match(flat) or (
                    seen[flat] >= RUNNING_HEAD_PAGES and not _NUMBERED.match(flat)
                    and "。" not in flat):
                out.add(id(line))
            elif is_caption(flat, layouts) and (_near_grid(page, line) or len(flat) < 30):
                out.add(id(line))
    return out


def _near_grid(page: Page, line: Line) -> bool:
    return any(0 <= g.top - line.bottom <= TITLE_REACH for g in page.grids)


def paragraphs(pages: list[Page], layouts: Layouts | None = None) -> list[Paragraph]:
    """The narrative's paragraphs in reading order, across pages."""
    layouts = layouts or load_layouts()
    skip = _furniture(pages, layouts)
    placed: list[tuple[Page, Line, float, float]] = []  # line with its page's margins
    for page in pages:
        lines = [ln for ln in page.lines if id(ln) not in skip]
        full = [ln for ln in lines if len(ln.text) > 12]
        left = min((ln.x0 for ln in full), default=0.0)
        right = max((ln.x1 for ln in full), default=page.width)
        placed.extend((page, ln, left, right) for ln in lines)
    out: list[Paragraph] = []
    current: Paragraph | None = None
    open_end = False  # the paragraph goes on to the next line
    for n, (page, line, left, right) in enumerate(placed):
        text = line.text.strip()
        flat = normalize(text)
        size = max(line.size, 6.0)
        indented = line.x0 > left + 1.2 * size
        new = (current is None or not open_end or indented or bool(_NUMBERED.match(flat))
               or abs(size - current.size) > 1.5)
        if new:
            current = Paragraph("", page.number, size)
            out.append(current)
        assert current is not None
        current.starts.append((len(current.text), page.number))
        current.text += text
        # A line short of the margin ends its paragraph only if it ends a sentence or a
        # heading: `…基本支出合计为1208.20` / `万元，…` is one wrapped sentence. And a line
        # whose next line opens with an amount never ends one (`…其中：基本支出` /
        # `16,162.69万元，…`): the amount did not fit.
        following = normalize(placed[n + 1][1].text) if n + 1 < len(placed) else ""
        so_far = normalize(current.text)
        heading_like = bool(_PART.match(so_far) or _TOP.match(so_far) or _SUB.match(so_far)) \
            and len(so_far) <= 40 and "。" not in so_far
        open_end = line.x1 >= right - 1.5 * size or not (
            _TERMINAL.search(flat) or heading_like) or (
            bool(_CARRIED_AMOUNT.match(following)) and not _TERMINAL.search(flat))
    return [p for p in out if normalize(p.text)]


def _heading(flat: str, size: float, body: float) -> tuple[str, str] | None:
    """('part'|'top'|'sub'|'title', numeral or text) for a heading paragraph."""
    if len(flat) > 60 or "；" in flat or ";" in flat:
        return None
    label, colon, rest = flat.partition(":")
    if colon and _AMOUNT_IN.search(rest):
        return None  # `（三）增减变化情况：2026年收支预算45,967.29万元…`: a labelled paragraph
    if "。" in flat[:-1] or (flat.endswith("。") and not _HEADING_END.search(flat)):
        return None
    for kind, pattern in (("part", _PART), ("top", _TOP), ("sub", _SUB)):
        match = pattern.match(flat)
        if match:
            return kind, match.group(1)
    if size >= LARGER_TYPE * body and len(flat) <= 40 and not flat.endswith("。"):
        return "title", flat
    return None


def sections(pages: list[Page], layouts: Layouts | None = None) -> list[Section]:
    """Cut the narrative into sections of sentences."""
    layouts = layouts or load_layouts()
    paras = paragraphs(pages, layouts)
    sizes = [p.size for p in paras for _ in range(max(len(p.text) // 10, 1))]
    body = median(sizes) if sizes else 12.0
    out: list[Section] = []
    part, top, top_heading = "", "", ""
    current = Section("", "", "", None)
    out.append(current)
    for para in paras:
        flat = normalize(para.text)
        head = _heading(flat, para.size, body)
        if head and classify_title(flat, layouts) and head[0] == "title":
            head = None  # a table's title printed away from its table
        cut = 0
        if head is None and (run_in := _RUN_IN.match(flat)):
            # `（一）机关运行经费。2026 年一般公共预算财政拨款运行经费 1,815 万元…` (重庆): a heading
            # run into its paragraph opens a section of its own.
            head = _heading(run_in.group("label"), para.size, body)
            cut = para.text.index("。") + 1 if head else 0
        if head:
            kind, value = head
            label = normalize(para.text[:cut]) if cut else flat
            if kind == "part":
                part, top, top_heading, path = value, "", label, ""
            elif kind == "title":
                top, top_heading, path = "", label, re.sub(r"^(?:19|20)\d\d年(?:度)?", "", label)
            elif kind == "top":
                top, top_heading, path = value, label, value
            else:
                path = f"{top}({value})" if top else f"({value})"
            scope = layouts.scope_of(label)
            if kind == "sub" and scope not in SPECIFIC_SCOPES:
                # A sub-heading's generic words (收入, 人员经费) do not override its
                # section's subject; a specific one (三公, 机关运行经费) does.
                scope = layouts.scope_of(top_heading) or scope
            current = Section(part, path, label, scope)
            out.append(current)
            if not cut:
                continue
        for sentence, offset in _sentences(para.text[cut:]):
            offset += cut
            breaks = [(len(normalize(para.text[offset:at])), page) for at, page in para.starts
                      if offset < at < offset + len(sentence)]
            current.sentences.append(Sentence(sentence, para.page_at(offset), breaks))
    return [s for s in out if s.sentences or s.heading]


def _sentences(text: str) -> list[tuple[str, int]]:
    """Split at 。 keeping each sentence's offset. Lists continued as `二是…。三是…。` stay
    with the sentence that opened them."""
    out: list[tuple[str, int]] = []
    pos = 0
    for match in re.finditer("。", text):
        if _CARRIED_AMOUNT.match(text[match.end():].lstrip()):
            continue  # `维修（护）费。12.61万元等` (长春): a stray 。 before an item's amount
        piece = text[pos:match.end()].strip()
        if piece:
            if out and re.match(r"^[二三四五六七八九十]+是", piece):
                out[-1] = (out[-1][0] + piece, out[-1][1])
            else:
                out.append((piece, pos))
        pos = match.end()
    rest = text[pos:].strip()
    if rest:
        out.append((rest, pos))
    return out


_IDENTITY = re.compile(r"((?:19|20)\d\d)年(?:度)?[^。,，]{0,24}?(预算|决算)")


def document_identity(pages: list[Page]) -> tuple[int | None, str | None]:
    """The fiscal year and kind ('budget' | 'final') the document states on its first pages,
    largest type first: a crawler's file name may say another year than the cover."""
    candidates: list[tuple[float, str]] = []
    for page in pages[:3]:
        for i, line in enumerate(page.lines):
            candidates.append((line.size, normalize(line.text)))
            nxt = page.lines[i + 1] if i + 1 < len(page.lines) else None
            if nxt is not None and abs(nxt.size - line.size) < 0.5:
                # A cover title set over two lines: `2026年深圳市退役军人事务局（本级）` / `部门预算`.
                candidates.append((line.size, normalize(line.text + nxt.text)))
    for _, text in sorted(candidates, key=lambda c: -c[0]):
        match = _IDENTITY.search(text)
        if match:
            return int(match.group(1)), "final" if match.group(2) == "决算" else "budget"
    return None, None


_DEPARTMENT = re.compile(r"^(?:编制部门|编制单位|部门名称|部门|单位名称|预算单位|部门\(单位\)|预算主管部门)"
                         r"[:：](?P<name>.+?)(?:(?:金额)?单位[:：].*)?$")


def department_name(pages: list[Page]) -> str | None:
    """The department as its tables' `编制部门：…` lines name it (the most frequent)."""
    seen: Counter[str] = Counter()
    for page in pages:
        for line in page.lines:
            match = _DEPARTMENT.match(normalize(line.text))
            if match and 2 < len(match.group("name")) <= 40:
                seen[match.group("name")] += 1
    return seen.most_common(1)[0][0] if seen else None
