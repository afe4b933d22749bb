"""Read each page of a disclosure once: its ruled tables as grids with spans, and the text
outside them as lines. Also the hygiene every page needs (fake bold, baseline offsets,
unmapped fonts, missing text layer).

pdfplumber parses a page's characters lazily and that parse dominates the cost, so every
page is opened once and everything is taken from it here.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from tasks.errors import ExtractionError

log = logging.getLogger(__name__)

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
# A page whose characters are mostly `(cid:N)` has a font without a ToUnicode map.
CID_SHARE_LIMIT = 0.2


@dataclass(frozen=True)
class Cell:
    """A cell of a ruled table, with the grid rows/columns it spans (end exclusive)."""

    text: str
    row0: int
    row1: int
    col0: int
    col1: int
    indent: float | None = None  # x of the text's first glyph minus the cell's left edge


@dataclass
class Grid:
    """One ruled table on one page."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    n_rows: int
    n_cols: int
    cells: list[Cell]
    xs: list[float] = field(default_factory=list)  # column boundaries, left to right

    def matrix(self) -> list[list[Cell | None]]:
        """Each grid position -> the cell covering it (spans repeat the same Cell)."""
        out: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row0, cell.row1):
                for c in range(cell.col0, cell.col1):
                    out[r][c] = cell
        return out


@dataclass(frozen=True)
class Line:
    """A line of text outside tables."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float


@dataclass
class Page:
    number: int  # 1-based over the whole document
    file_index: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    sideways: bool = False  # most of its text is drawn rotated (not via the page's /Rotate)


def normalize(text: str | None) -> str:
    """NFKC (full-width brackets and digits to ASCII) and no whitespace at all."""
    if not text:
        return ""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _bounds(values: Sequence[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], value: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - value))


def _grid(page_no: int, table: pdfplumber.table.Table, chars: list[dict]) -> Grid | None:
    boxes = table.cells
    if len(boxes) < 2:
        return None
    xs = _bounds([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _bounds([b[1] for b in boxes] + [b[3] for b in boxes])
    spans = []
    owner: dict[tuple[int, int], int] = {}
    for box in boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[(r, c)] = len(spans)
        spans.append((r0, r1, c0, c1))
    # Assign each character to the cell under its centre: one pass over the page's chars
    # instead of one crop per cell.
    texts: list[list[dict]] = [[] for _ in spans]
    x0, top, x1, bottom = table.bbox
    placed: list[tuple[int, int, dict]] = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        placed.append((bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1, ch))
    for r, c, ch in _spills(placed):
        if (r, c) in owner:
            texts[owner[(r, c)]].append(ch)
    cells = []
    for span, cs in zip(spans, texts, strict=True):
        lines = _lines(cs)
        # The first line's start is the indentation: a wrapped name's later lines start at
        # the cell's edge whatever its level.
        cells.append(Cell("\n".join(ln.text for ln in lines), *span,
                          indent=lines[0].x0 - xs[span[2]] if lines else None))
    return Grid(page_no, top, bottom, x0, x1, len(ys) - 1, len(xs) - 1, cells, xs)


_MONEY = re.compile(r"\d,\d{3}|\d\.\d{2}$")
# A table ruled by horizontal lines only: at least this many rules of one width.
MIN_RULES = 5


def _rules_only_grids(page_no: int, page, chars: list[dict]) -> list[Grid]:
    """A table drawn with horizontal rules only (no vertical lines): its rows are the
    spaces between the rules, its columns the vertical gaps no body row's text crosses. A
    header text set across several columns over their own sub-headers is a spanning cell."""
    # a rule drawn cell by cell is many collinear segments: join them
    segments: dict[int, list[list[float]]] = {}
    for e in sorted((e for e in page.edges if e["orientation"] == "h"), key=lambda e: e["x0"]):
        row = segments.setdefault(round(e["top"]), [])
        if row and e["x0"] - row[-1][1] <= 3:
            row[-1][1] = max(row[-1][1], e["x1"])
        else:
            row.append([e["x0"], e["x1"], e["top"]])
    rules = [dict(x0=a, x1=b, top=t) for row in segments.values() for a, b, t in row
             if b - a > 0.3 * float(page.width)]
    if len(rules) < MIN_RULES:
        return []
    x0 = min(e["x0"] for e in rules)
    x1 = max(e["x1"] for e in rules)
    ys = _bounds([e["top"] for e in rules])
    if len(ys) < MIN_RULES:
        return []
    inside = [c for c in chars if c["text"].strip() and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
              and ys[0] <= (c["top"] + c["bottom"]) / 2 <= ys[-1]]
    rows: dict[int, list[dict]] = {}
    for ch in inside:
        rows.setdefault(bisect.bisect_right(ys, (ch["top"] + ch["bottom"]) / 2) - 1,
                        []).append(ch)
    money_rows = sum(1 for cs in rows.values()
                     if any(_MONEY.search(ln.text) for ln in _lines(cs)))
    if money_rows < 3:
        return []
    # ink per point of x, counted in rows; header cells spanning columns (a few rows) and
    # names spilling over (a few rows) may cross a gap
    width = int(x1 - x0) + 1
    cover = [0] * width
    for cs in rows.values():
        seen = [False] * width
        for ch in cs:
            for x in range(max(0, int(ch["x0"] - x0)), min(width, int(ch["x1"] - x0) + 1)):
                seen[x] = True
        for x in range(width):
            cover[x] += seen[x]
    allowance = max(2, len(rows) // 8)
    xs = [x0]
    run_start = None
    for x in range(width):
        free = cover[x] <= allowance
        if free and run_start is None:
            run_start = x
        elif not free and run_start is not None:
            if run_start > 0 and x - run_start >= 3:
                xs.append(x0 + (run_start + x) / 2)
            run_start = None
    xs.append(x1)
    if len(xs) < 4:
        return []
    boxes = []
    for r in range(len(ys) - 1):
        spans = _header_spans(rows.get(r, []), rows.get(r + 1, []), xs) \
            if not any(_MONEY.search(ln.text) for ln in _lines(rows.get(r, []))) else {}
        c = 0
        while c < len(xs) - 1:
            end = spans.get(c, c)
            boxes.append((xs[c], ys[r], xs[end + 1], ys[r + 1]))
            c = end + 1
    table = _RulesTable(boxes, (x0, ys[0], x1, ys[-1]))
    grid = _grid(page_no, table, chars)  # type: ignore[arg-type]
    return [grid] if grid is not None else []


def _runs(chars: list[dict]) -> list[tuple[float, float]]:
    """The x extents of the runs of glyphs set without a gap on one line (a header text)."""
    out: list[list[float]] = []
    for ch in sorted(chars, key=lambda c: c["x0"]):
        gap = 0.5 * (ch["x1"] - ch["x0"])
        if out and ch["x0"] - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], ch["x1"])
        else:
            out.append([ch["x0"], ch["x1"]])
    return [(a, b) for a, b in out]


def _header_spans(row: list[dict], below: list[dict], xs: list[float]) -> dict[int, int]:
    """First column -> last column of the header cells of a row that span several columns:
    a run of text crossing column bounds, over columns that hold nothing else in the row
    and that the row below fills with sub-headers of their own (`一般公共预算基本支出` over
    `合计 | 人员经费 | 公用经费`)."""
    def cols(a: float, b: float) -> list[int]:
        return [c for c in range(len(xs) - 1) if min(b, xs[c + 1]) - max(a, xs[c]) > 1]

    runs = _runs(row)
    spans: dict[int, int] = {}
    for a, b in runs:
        covered = cols(a, b)
        if len(covered) < 2:
            continue
        others = {c for ra, rb in runs if (ra, rb) != (a, b) for c in cols(ra, rb)}
        filled_below = {c for ra, rb in _runs(below) for c in cols(ra, rb)}
        if set(covered) & others or len(set(covered) & filled_below) < 2:
            continue
        # a group header is centred over its span, which may reach beyond its text: widen
        # over free columns with sub-headers while that brings the span's centre nearer
        lo, hi, centre = covered[0], covered[-1], (a + b) / 2
        while True:
            now = abs((xs[lo] + xs[hi + 1]) / 2 - centre)
            options = [(l2, h2) for l2, h2 in ((lo - 1, hi), (lo, hi + 1))
                       if 0 <= l2 and h2 < len(xs) - 1
                       and {l2, h2} - {lo, hi} <= filled_below - others]
            better = [(abs((xs[l2] + xs[h2 + 1]) / 2 - centre), l2, h2) for l2, h2 in options]
            better = [x for x in better if x[0] < now - 1]
            if not better:
                break
            _, lo, hi = min(better)
        spans[lo] = hi
    return spans


@dataclass
class _RulesTable:
    """What `_grid` reads of a pdfplumber table: its cell boxes and bounding box."""

    cells: list[tuple[float, float, float, float]]
    bbox: tuple[float, float, float, float]


def _spills(placed: list[tuple[int, int, dict]]) -> list[tuple[int, int, dict]]:
    """A name too long for its cell runs on over the ruling into the next one
    (`其他社会保障和就业支` | `出`): a run of glyphs set without a gap belongs to the column
    that holds most of it, not to the column under each glyph."""
    out: list[tuple[int, int, dict]] = []
    by_row: dict[int, list[tuple[int, int, dict]]] = {}
    for item in placed:
        by_row.setdefault(item[0], []).append(item)
    for row in by_row.values():
        row.sort(key=lambda it: (round(it[2]["top"]), it[2]["x0"]))
        run: list[tuple[int, int, dict]] = []
        for item in row + [None]:  # type: ignore[list-item]
            ch = item[2] if item else None
            prev = run[-1][2] if run else None
            if ch is not None and prev is not None and abs(ch["top"] - prev["top"]) < 1.5 \
                    and -0.5 <= ch["x0"] - prev["x1"] <= 0.15 * max(ch["size"], 1) \
                    and not ch["text"].isspace():
                run.append(item)
                continue
            cols = Counter(c for _, c, _ in run)
            if len(cols) > 1:
                main = max(cols, key=lambda c: (cols[c], -c))
                # only words spill (a name's tail); figures set edge to edge in adjacent
                # cells are two figures
                if not any(x["text"].isdigit() for _, c, x in run if c != main):
                    run = [(r, main, x) for r, _, x in run]
            out.extend(run)
            run = [item] if item else []
    return out


def _lines(chars: list[dict]) -> list[Line]:
    """Cluster characters into lines by vertical overlap.

    Some exporters (ONLYOFFICE) place Latin digits ~5 pt below the CJK baseline. Clustering
    by overlap of the glyph boxes, not by equal `top`, keeps those digits in their sentence.
    """
    rows: list[list[dict]] = []
    spans: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if not ch["text"].strip():
            continue
        top, bottom = ch["top"], ch["bottom"]
        height = max(bottom - top, 1.0)
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            s_top, s_bottom = spans[i]
            overlap = min(bottom, s_bottom) - max(top, s_top)
            if overlap >= 0.4 * min(height, s_bottom - s_top):
                rows[i].append(ch)
                spans[i] = (min(s_top, top), max(s_bottom, bottom))
                break
        else:
            rows.append([ch])
            spans.append((top, bottom))
    lines = []
    for row, (top, bottom) in zip(rows, spans, strict=True):
        row.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        prev = None
        for ch in row:
            if prev is not None and ch["x0"] - prev["x1"] > 0.35 * max(ch["size"], 1):
                parts.append(" ")
            parts.append(ch["text"])
            prev = ch
        sizes = sorted(c["size"] for c in row)
        lines.append(Line("".join(parts), top, bottom, row[0]["x0"], row[-1]["x1"],
                          sizes[len(sizes) // 2]))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def dedupe(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """Drop fake-bold copies: a char repeating the text, font and size of one already kept
    within `tolerance` points (`部部门门` -> `部门`). What pdfplumber's `dedupe_chars` does,
    in one pass over position buckets instead of a sort of the whole page."""
    kept: list[dict] = []
    buckets: dict[tuple, list[dict]] = {}
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), ch.get("size"))
        bx, by = int(ch["x0"] // tolerance), int(ch["top"] // tolerance)
        duplicate = any(
            abs(other["x0"] - ch["x0"]) <= tolerance and abs(other["top"] - ch["top"]) <= tolerance
            for dx in (-1, 0, 1) for dy in (-1, 0, 1)
            for other in buckets.get((*key, bx + dx, by + dy), ()))
        if duplicate:
            continue
        kept.append(ch)
        buckets.setdefault((*key, bx, by), []).append(ch)
    return kept


def _inside(ch: dict, grids: list[Grid]) -> bool:
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return any(g.x0 - 1 <= cx <= g.x1 + 1 and g.top - 1 <= cy <= g.bottom + 1 for g in grids)


def _open(path: Path, label: str) -> pdfplumber.PDF:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        # Portals serve an HTML page (an error, or the article linking the attachment) under
        # a .pdf name: say what came instead.
        what = "an HTML page" if re.search(rb"<(!doctype|html|head|body)", head, re.I) else (
            "an empty file" if not head.strip() else f"bytes starting {head[:16]!r}")
        raise ExtractionError(f"{label}: not a PDF but {what}; the source served something "
                              "else where the PDF should be — check the URL (an article "
                              "page links its attachment)")
    try:
        return pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractionError(f"{label}: the PDF is encrypted with a password "
                              f"({type(exc).__name__}); ask the publisher for an open copy") from None
    except (PdfminerException, PDFSyntaxError, PSException) as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ExtractionError(f"{label}: the PDF is encrypted with a password; "
                                  "ask the publisher for an open copy") from None
        raise ExtractionError(f"{label}: not a readable PDF ({cause}); the file is "
                              "corrupt or truncated — fetch it again") from None


def read_pages(paths: Sequence[Path], labels: Sequence[str] | None = None) -> Iterator[Page]:
    """Yield every page of the document's files, in order, numbered across files.

    Raises ExtractionError for a file that is not a PDF, is encrypted, has pages without a
    text layer, or fonts that extract as `(cid:N)`. Messages name each file by its label
    (its URL), not by its place in the raw store.
    """
    number = 0
    for file_index, path in enumerate(paths):
        label = labels[file_index] if labels else path.name
        pdf = _open(path, label)
        scanned: list[int] = []
        cid_pages: list[int] = []
        try:
            try:
                pages = list(pdf.pages)
            except (PdfminerException, PDFSyntaxError, PSException) as exc:
                raise ExtractionError(f"{label}: not a readable PDF ({exc}); the file is "
                                      "corrupt or truncated — fetch it again") from None
            out: list[Page] = []
            for raw in pages:
                number += 1
                try:
                    page = raw
                    chars = dedupe(raw.chars)
                except (PdfminerException, PDFSyntaxError, PSException) as exc:
                    raise ExtractionError(f"{label} p.{raw.page_number}: unreadable page "
                                          f"({exc}); the file is corrupt") from None
                if not chars:
                    if raw.images:
                        scanned.append(raw.page_number)
                    out.append(Page(number, file_index, float(page.width), float(page.height)))
                    continue
                cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
                if cid > CID_SHARE_LIMIT * len(chars):
                    cid_pages.append(raw.page_number)
                    continue
                grids = [g for t in page.find_tables(TABLE_SETTINGS)
                         if (g := _grid(number, t, chars)) is not None]
                if not grids:
                    grids = _rules_only_grids(number, page, chars)
                outside = [c for c in chars if not _inside(c, grids)]
                # /Rotate is applied by pdfplumber; text drawn sideways by its own matrix is
                # not, and is reported rather than silently misread.
                sideways = sum(1 for c in chars if not c.get("upright", True)) > len(chars) / 2
                out.append(Page(number, file_index, float(page.width), float(page.height),
                                _lines(outside), grids, sideways))
        finally:
            pdf.close()
        if cid_pages:
            raise ExtractionError(f"{label}: {_pages(cid_pages)} extract as (cid:N) "
                                  "(fonts without a ToUnicode map); the text cannot be read "
                                  "without OCR, which yusuan does not do yet")
        if scanned:
            raise ExtractionError(f"{label}: {_pages(scanned)} "
                                  f"{'has' if len(scanned) == 1 else 'have'} no text layer "
                                  "(scanned images); yusuan needs a text PDF — OCR is not "
                                  "supported yet")
        yield from out


def _pages(numbers: list[int]) -> str:
    """`page 3` or `pages 1–6, 9`."""
    return f"page {numbers[0]}" if len(numbers) == 1 else f"pages {_ranges(numbers)}"


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}" if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
