"""From page grids to logical tables: titles, captions, headers and continuations.

A logical table starts at a grid with a recognised title (printed above it, or in caption
rows at the top of the grid itself, as Beijing, Jiangsu and Changchun do) and continues over
the following grids that carry no title of their own or repeat the same one. A continuation
may repeat the header rows, repeat the 编制部门/单位 lines, or start straight with data; its
columns are matched to the table's by their x position, so a total row whose label spans
the code and name columns still lands in the right columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.config import Layouts, TableKind, load_layouts
from tasks.contracts import TableColumn, TableInfo
from tasks.extract.amounts import find_unit, looks_like_amount, parse_amount
from tasks.extract.layout import table_confidence
from tasks.extract.pdf import Grid, Line, Page, normalize

# How far above a grid (in points) its title and unit lines may sit.
TITLE_REACH = 140.0
# Column boundaries of a continuation must sit within this distance of the table's.
X_TOLERANCE = 4.0

_LABEL_PREFIX = re.compile(
    r"^(?:附件\d*[:：]?)?"
    r"(?:(?:部门|单位)?(?:预算|公开|决算)?(?:附)?表\s*(?:\d+(?:-\d+)?|[一二三四五六七八九十]+(?![般]))"
    r"(?:表)?[:：.、]?"
    r"|(?:部门|单位)?(?:预算|公开|决算)\d+(?:-\d+)?表[:：]?"
    r"|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.]|\d{1,2}[、.])?")
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d\d年(?:度)?")
_TRAILING_NOTE = re.compile(r"(?:\([^()]*\))+$")
# `（不含上年结转）` qualifies a title; it must not make the table a carry-over table.
_EXCLUSION_NOTE = re.compile(r"\([^()]*不?含[^()]*\)")
_LABEL_ONLY = re.compile(
    r"^(?:附件\d*|(?:部门|单位)?(?:预算|公开|决算)?(?:附)?表[0-9一二三四五六七八九十]+(?:-\d+)?(?:表)?"
    r"|(?:部门|单位)?(?:预算|公开|决算)\d+(?:-\d+)?表)$")
_CAPTION = re.compile(
    r"^(?:编制部门|编制单位|部门|部门名称|单位|单位名称|预算单位|预算部门|主管部门|部门\(单位\)"
    r"|资金主管部门)[:：]")
_NUMBER_CELL = re.compile(r"^(※|\*+|\d{1,2}|栏次|[一二三四五六七八九十]+)$")
_TOTAL = re.compile(r"^(合计|总计|小计|收入总计|支出总计|本年收入合计|本年支出合计|收入合计|"
                    r"支出合计|合计数)[:：]?$")
_CODE = re.compile(r"^\d{3,7}$")
# Tables read as blocks of label and indicator rows, not as a header over amount columns.
KEEP_ALL_ROWS = {"performance", "performance-dept"}


def normalize_title(text: str) -> str:
    """A printed title without numbering, year, quotes or whitespace."""
    flat = normalize(text)
    flat = re.sub(r"[“”\"'‘’「」『』]", "", flat)
    flat = _LABEL_PREFIX.sub("", flat, count=1)
    return _YEAR_PREFIX.sub("", flat, count=1)


def classify_title(text: str, layouts: Layouts | None = None) -> TableKind | None:
    """The table kind a printed title names, if any (config/tables.toml decides)."""
    layouts = layouts or load_layouts()
    title = _EXCLUSION_NOTE.sub("", normalize_title(text))
    core = _TRAILING_NOTE.sub("", title)
    if not core or len(core) > 60 or "。" in title:
        return None
    if not (core.endswith("表") or re.search(r"表[0-9一二三四五六七八九十]*$", core)):
        return None
    for kind in layouts.kinds:
        if any(p.search(title) for p in kind.titles):
            return kind
    return None


def is_caption(text: str, layouts: Layouts | None = None) -> bool:
    """A title, a table label, a unit line or an 编制部门 line: page furniture of a table."""
    flat = normalize(text)
    return bool(not flat or _LABEL_ONLY.match(flat) or _CAPTION.match(flat)
                or find_unit(flat) is not None or classify_title(flat, layouts))


def column_key(path: str, layouts: Layouts | None = None) -> str | None:
    """The canonical key of a column path (`支出预算/合计` -> `total`)."""
    layouts = layouts or load_layouts()
    parts = [p for p in path.split("/") if p]
    for i in range(len(parts) - 1, -1, -1):
        part, ancestors = parts[i], parts[:i]
        if i < len(parts) - 1 and parts[-1].startswith("其中"):
            return None  # a part restated (`其中:“三公”经费`) is never its group's total
        for column in layouts.columns:
            if any(p.search(part) for p in column.leaf) and (
                    not column.parent or any(p.search(a) for p in column.parent
                                             for a in ancestors)):
                return column.key
    return None




@dataclass
class Row:
    """A body row of a logical table, over the table's columns."""

    page: int
    cells: list[str]
    indents: list[float | None]


@dataclass
class RawTable:
    """A logical table assembled from one or more grids."""

    table_no: int
    kind: TableKind
    title: str
    unit: str
    first_page: int
    xs: list[float]
    header: list[str] = field(default_factory=list)  # column paths
    header_texts: set[str] = field(default_factory=set)  # every text of the header rows
    rows: list[Row] = field(default_factory=list)
    last_page: int = 0
    unit_found: bool = True
    columns: list[TableColumn] = field(default_factory=list)  # set by rows.line_items

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def _is_number_row(cells: list[str]) -> bool:
    filled = [c for c in (normalize(x) for x in cells) if c]
    return bool(filled) and all(_NUMBER_CELL.match(c) for c in filled) and (
        "※" in filled or "栏次" in filled or any(c.startswith("*") for c in filled)
        or len(filled) >= 3)


def _is_data_row(cells: list[str]) -> bool:
    filled = [c for c in (normalize(x) for x in cells) if c]
    if not filled:
        return False
    if any(looks_like_amount(c) for c in filled):
        return True
    if _CODE.match(filled[0]) and len(filled[0]) in (3, 5, 7):
        return True
    # `合计 | | |` is a (blank) total row; `合计 | 因公出国(境)费 | …` is a header row;
    # `合计 | 424042100 | …` a total row of integer 元 (no separator, no decimals).
    return bool(_TOTAL.match(filled[0])) and all(
        c == filled[0] or parse_amount(c) is not None for c in filled[1:])


def _matrix(grid: Grid) -> tuple[list[list[str]], list[list[float | None]]]:
    """Grid rows as cell texts (a span's text in every position it covers) and indents."""
    texts, indents = [], []
    for row in grid.matrix():
        texts.append([c.text if c else "" for c in row])
        indents.append([c.indent if c else None for c in row])
    return texts, indents


def _preamble(rows: list[list[str]], layouts: Layouts) -> tuple[int, list[str]]:
    """How many leading rows of a grid are captions (title, unit, 编制部门), and their lines."""
    captions: list[str] = []
    n = 0
    for cells in rows:
        texts = {c for c in cells if normalize(c)}
        lines = [ln for t in texts for ln in t.split("\n") if normalize(ln)]
        # a cell is a caption as a whole (`单位：万` / `元` wrapped, 长春) or line by line
        if not all(is_caption(t, layouts) or all(is_caption(ln, layouts)
                                                 for ln in t.split("\n") if normalize(ln))
                   for t in texts):
            break
        captions.extend(lines)
        n += 1
    return n, captions


def _column_paths(header: list[list[str]], n_cols: int) -> list[str]:
    paths = []
    for c in range(n_cols):
        parts: list[str] = []
        for row in header:
            text = normalize(row[c]) if c < len(row) else ""
            # an 编制部门 / 单位 line drawn inside the header is no column's name
            if text and not _NUMBER_CELL.match(text) and (not parts or parts[-1] != text) \
                    and not (_CAPTION.match(text) or (find_unit(text) and len(text) <= 12)):
                parts.append(text)
        paths.append("/".join(parts))
    return paths


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], int]:
    """The header rows (before the first data row) and where the body starts."""
    header: list[list[str]] = []
    for i, cells in enumerate(rows):
        if _is_data_row(cells):
            return header, i
        if _is_number_row(cells):
            if header:  # a row of column numbers closes the header
                return header, i + 1
            continue
        header.append(cells)
    return header, len(rows)


def _column_map(table: RawTable, grid: Grid) -> list[int | None] | None:
    """For each table column, the grid column under its centre (None where the grid does not
    reach); None if the grid's column boundaries are not among the table's (another table).

    A continuation may drop an empty margin column, or merge the code and name columns of a
    total row, but every boundary it draws is one of the table's.
    """
    if grid.n_cols == table.n_cols and all(
            abs(a - b) <= X_TOLERANCE for a, b in zip(grid.xs, table.xs, strict=True)):
        return list(range(grid.n_cols))
    if all(any(abs(x - t) <= X_TOLERANCE for t in table.xs) for x in grid.xs):
        out: list[int | None] = []
        for j in range(table.n_cols):
            centre = (table.xs[j] + table.xs[j + 1]) / 2
            out.append(next((g for g in range(grid.n_cols)
                             if grid.xs[g] <= centre <= grid.xs[g + 1]), None))
        return out
    return list(range(grid.n_cols)) if grid.n_cols == table.n_cols else None


def _remap(rows: list[list], mapping: list[int | None], blank: object) -> list[list]:
    return [[row[g] if g is not None else blank for g in mapping] for row in rows]


def _title_lines(page: Page, grid: Grid, floor: float) -> list[Line]:
    return [ln for ln in page.lines
            if floor - 1 <= ln.bottom <= grid.top + 2 and grid.top - ln.bottom <= TITLE_REACH]


def _find_title(texts: list[str], layouts: Layouts) -> tuple[str, TableKind] | None:
    """The title nearest the grid among caption lines (a title may be wrapped over two)."""
    for i in range(len(texts) - 1, -1, -1):
        kind = classify_title(texts[i], layouts)
        if kind:
            return texts[i].strip(), kind
        if i and not _LABEL_ONLY.match(normalize(texts[i - 1])):
            joined = texts[i - 1].strip() + texts[i].strip()
            kind = classify_title(joined, layouts)
            if kind:
                return joined, kind
    return None


def assemble(pages: list[Page], layouts: Layouts | None = None) -> list[RawTable]:
    """Group the grids of all pages into logical tables, in document order."""
    layouts = layouts or load_layouts()
    tables: list[RawTable] = []
    current: RawTable | None = None
    for page in pages:
        floor = 0.0
        for grid in page.grids:
            above = [ln.text for ln in _title_lines(page, grid, floor)]
            floor = grid.bottom
            texts, indents = _matrix(grid)
            skip, captions = _preamble(texts, layouts)
            texts, indents = texts[skip:], indents[skip:]
            if not texts:
                continue
            found = _find_title(above + captions, layouts)
            unit = next((u for t in above + captions if (u := find_unit(t))), None)
            mapping = _column_map(current, grid) if current is not None else None
            follows = current is not None and 0 <= page.number - current.last_page <= 1 \
                and mapping is not None
            if found and not (follows and current is not None
                              and current.kind.slug == found[1].slug
                              and normalize_title(current.title) == normalize_title(found[0])):
                title, kind = found
                title = _LABEL_PREFIX.sub("", normalize(title), count=1) or normalize(title)
                header, start = _split_header(texts)
                if kind.slug in KEEP_ALL_ROWS:
                    header, start = [], 0
                current = RawTable(len(tables) + 1, kind, title, unit or "万元", page.number,
                                   list(grid.xs), unit_found=unit is not None)
                current.header = _column_paths(header, grid.n_cols)
                current.header_texts = {normalize(c) for r in texts[:start] for c in r}
                tables.append(current)
                body = list(zip(texts[start:], indents[start:], strict=True))
            elif follows and current is not None and mapping is not None:
                texts, indents = _remap(texts, mapping, ""), _remap(indents, mapping, None)
                start = 0
                while current.kind.slug not in KEEP_ALL_ROWS and start < len(texts) \
                        and _is_repeated_header(texts[start], current):
                    start += 1
                body = list(zip(texts[start:], indents[start:], strict=True))
                if body and current.rows and _split_row(current.rows[-1].cells, body[0][0]):
                    # a row cut by the page break: `杭州市机动 … 12,437.3` at the foot of one
                    # page, `车驾驶员考试服务中心 … 6` at the head of the next (杭州 表2)
                    last = current.rows[-1]
                    last.cells = [a + ("\n" if a and b else "") + b
                                  for a, b in zip(last.cells, body[0][0], strict=True)]
                    body = body[1:]
            else:
                current = None  # an untitled grid of another shape: not a standard table
                continue
            current.rows.extend(Row(page.number, cells, ind) for cells, ind in body)
            current.last_page = page.number
            if not current.unit_found:
                # the unit printed only on a later page, or below the table (`单位：元` under
                # its last row)
                below = _unit_below(page, grid)
                late = unit if current.rows and current.first_page != page.number or \
                    found is None else None
                if (u := late or below):
                    current.unit, current.unit_found = u, True
    return tables


# How far below a grid (in points) a unit line printed under the table may sit.
UNIT_BELOW_REACH = 40.0


def _unit_below(page: Page, grid: Grid) -> str | None:
    """A unit line just under the grid, with no other grid between."""
    nxt = min((g.top for g in page.grids if g.top >= grid.bottom - 1 and g is not grid),
              default=page.height)
    for ln in sorted(page.lines, key=lambda ln: ln.top):
        if grid.bottom - 2 <= ln.top <= min(grid.bottom + UNIT_BELOW_REACH, nxt):
            if (u := find_unit(ln.text)):
                return u
    return None


_DIGITS = re.compile(r"^\d{1,2}$")
_CUT_NUMBER = re.compile(r"\.\d$")


def _split_row(previous: list[str], first: list[str]) -> bool:
    """Whether a continuation's first row is the rest of the page's last row: its only
    figures are one or two digits, each under a number the page cut after one decimal."""
    pairs = [(normalize(a), normalize(b)) for a, b in zip(previous, first, strict=True)
             if normalize(b)]
    figures = [(a, b) for a, b in pairs if b[0].isdigit()]
    return bool(figures) and all(_DIGITS.match(b) and _CUT_NUMBER.search(a)
                                 for a, b in figures)


def _is_repeated_header(cells: list[str], table: RawTable) -> bool:
    filled = [c for c in (normalize(x) for x in cells) if c]
    if not filled or _is_data_row(cells):
        return False
    return all(c in table.header_texts or _NUMBER_CELL.match(c) for c in filled)


def table_info(table: RawTable, item_count: int) -> TableInfo:
    """What the completeness checks need to know about a table."""
    return TableInfo(table.table_no, table.kind.slug, table.title, table.unit, table.first_page,
                     table.last_page or table.first_page, len(table.rows), item_count == 0,
                     table_confidence(table.columns, table.unit_found) if table.columns else 1.0,
                     table.unit_found)
