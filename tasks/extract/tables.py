"""From page grids to logical tables and their line items.

A logical table starts at a grid with a recognised title above it and continues over the
following grids that carry no title of their own (repeated header rows are dropped, and a
continuation may have no header at all). Header rows become column paths; body rows become
line items with their codes, names and amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.config import Layouts, TableKind, load_layouts
from tasks.contracts import LineItem, TableInfo
from tasks.extract.amounts import find_unit, looks_like_amount, parse_amount
from tasks.extract.pdf import Grid, Line, Page, normalize

# How far above a grid (in points) its title and unit lines may sit.
TITLE_REACH = 140.0
_NUMBER_LABEL = re.compile(
    r"^(?:附件\d+)?(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.])?"
    r"(?:(?:部门)?(?:预算|公开|决算)?(?:附)?表\s*(?:\d+(?:-\d+)?|[一二三四五六七八九十]+(?![般])|)(?:表)?"
    r"|(?:部门)?(?:预算|公开|决算)\d+(?:-\d+)?表|[0-9]+[、.])?")
_TOTAL_NAMES = re.compile(r"^(合计|总计|小计|收入总计|支出总计|本年收入合计|本年支出合计)$")
_CODE = re.compile(r"^\d{2,7}$")
_LEADING_CODE = re.compile(r"^(\d{3,7})(?:\s+|(?=[^\d\s.,]))(.+)$", re.S)
_ECON_SUB = re.compile(r"^(\d{2})\s+(.+)$", re.S)
_NUMBER_ROW_CELL = re.compile(r"^(※|\*|\d{1,2}|栏次|[一二三四五六七八九十]+)$")


def normalize_title(text: str) -> str:
    """A printed title without numbering, quotes or whitespace."""
    flat = normalize(text)
    flat = re.sub(r"[“”\"'‘’「」]", "", flat)
    flat = _NUMBER_LABEL.sub("", flat, count=1)
    return flat


def classify_title(text: str, layouts: Layouts | None = None) -> TableKind | None:
    """The table kind a printed title names, if any (config/tables.toml decides)."""
    layouts = layouts or load_layouts()
    title = normalize_title(text)
    if not title or len(title) > 40:
        return None
    if not (title.endswith("表") or "表" in title[-4:] or title.endswith("情况")):
        return None
    for kind in layouts.kinds:
        if any(p.search(title) for p in kind.titles):
            return kind
    return None


def column_key(path: str, layouts: Layouts | None = None) -> str | None:
    """The canonical key of a column path (`支出预算/合计` -> `total`)."""
    layouts = layouts or load_layouts()
    parts = path.split("/")
    leaf, parents = parts[-1], parts[:-1]
    for column in layouts.columns:
        if any(p.search(leaf) for p in column.leaf) and (
                not column.parent or any(p.search(x) for p in column.parent for x in parents)):
            return column.key
    return None


@dataclass
class RawTable:
    """A logical table being assembled from one or more grids."""

    table_no: int
    kind: TableKind
    title: str
    unit: str
    first_page: int
    header: list[str] = field(default_factory=list)  # column paths
    header_rows: list[tuple[str, ...]] = field(default_factory=list)  # normalised header rows
    n_cols: int = 0
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (page, cells)
    last_page: int = 0
    unit_found: bool = True


def _row_texts(grid: Grid) -> list[list[str]]:
    """Grid rows as lists of cell texts; a span's text stands in every position it covers."""
    return [[c.text if c else "" for c in row] for row in grid.matrix()]


def _is_number_row(cells: list[str]) -> bool:
    filled = [normalize(c) for c in cells if normalize(c)]
    return bool(filled) and all(_NUMBER_ROW_CELL.match(c) for c in filled) and (
        "※" in filled or "栏次" in filled or len(filled) >= 3)


def _is_data_row(cells: list[str]) -> bool:
    filled = [normalize(c) for c in cells if normalize(c)]
    if not filled:
        return False
    if any(looks_like_amount(c) for c in filled):
        return True
    first = filled[0]
    return bool(_CODE.match(first) and len(first) in (3, 5, 7)) or bool(
        _TOTAL_NAMES.match(first))


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Header rows (before the first data row, number rows dropped) and body rows."""
    header: list[list[str]] = []
    for i, cells in enumerate(rows):
        if _is_data_row(cells):
            return header, rows[i:]
        if not _is_number_row(cells):
            header.append(cells)
        elif header:  # a number row closes the header
            return header, [r for r in rows[i + 1:]]
    return header, []


def _column_paths(header: list[list[str]], n_cols: int) -> list[str]:
    paths = []
    for c in range(n_cols):
        parts: list[str] = []
        for row in header:
            text = normalize(row[c]) if c < len(row) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        paths.append("/".join(parts))
    return paths


def _title_lines(page: Page, grid: Grid, floor: float) -> list[Line]:
    return [ln for ln in page.lines
            if floor - 1 <= ln.bottom <= grid.top + 2 and grid.top - ln.bottom <= TITLE_REACH]


def assemble(pages: list[Page], layouts: Layouts | None = None) -> list[RawTable]:
    """Group the grids of all pages into logical tables, in document order."""
    layouts = layouts or load_layouts()
    tables: list[RawTable] = []
    current: RawTable | None = None
    for page in pages:
        floor = 0.0
        for grid in page.grids:
            above = _title_lines(page, grid, floor)
            floor = grid.bottom
            titled = [(ln, kind) for ln in above if (kind := classify_title(ln.text, layouts))]
            unit = next((u for ln in above if (u := find_unit(ln.text))), None)
            rows = _row_texts(grid)
            if titled and current is not None and current.kind.slug == titled[-1][1].slug \
                    and normalize_title(current.title) == normalize_title(titled[-1][0].text) \
                    and grid.n_cols == current.n_cols and current.last_page == page.number - 1:
                titled = []  # the same title repeated on a continuation page
            if titled:
                line, kind = titled[-1]
                header, body = _split_header(rows)
                current = RawTable(len(tables) + 1, kind, line.text.strip(), unit or "万元",
                                   page.number, unit_found=unit is not None)
                current.header = _column_paths(header, grid.n_cols)
                current.header_rows = [tuple(normalize(c) for c in r) for r in header]
                current.n_cols = grid.n_cols
                tables.append(current)
            elif current is not None and grid.n_cols == current.n_cols:
                # A continuation: drop repeated header rows, keep the rest.
                body = [r for r in rows
                        if tuple(normalize(c) for c in r) not in current.header_rows
                        and not _is_number_row(r)]
            else:
                current = None  # an untitled table of another shape: not a standard table
                continue
            current.rows.extend((page.number, r) for r in body)
            current.last_page = page.number
    return tables


# ---- rows to line items ---------------------------------------------------------------------

@dataclass(frozen=True)
class Roles:
    code: list[tuple[int, str]]  # (column, level: 类/款/项/combined)
    text: list[int]
    amount: list[int]
    project: int | None


def _roles(table: RawTable) -> Roles:
    code: list[tuple[int, str]] = []
    text: list[int] = []
    amount: list[int] = []
    project = None
    for c, path in enumerate(table.header):
        leaf = path.split("/")[-1] if path else ""
        cells = [normalize(r[c]) for _, r in table.rows if c < len(r) and normalize(r[c])]
        numeric = sum(1 for x in cells if parse_amount(x) is not None)
        codes = sum(1 for x in cells if _CODE.match(x))
        if leaf in {"类", "款", "项"}:
            code.append((c, leaf))
        elif ("编码" in path or "代码" in path) and "名称" not in leaf and (
                not cells or codes >= 0.8 * len(cells)):
            code.append((c, "combined"))
        elif "项目名称" in leaf or leaf in {"项目", "项目名称"} and table.kind.slug in {
                "gpb-project", "project-expense"}:
            project = c
            text.append(c)
        elif cells and numeric >= 0.6 * len(cells) and not any(
                w in leaf for w in ("名称", "科目", "项目", "内容")):
            amount.append(c)
        elif not cells and not any(w in leaf for w in ("名称", "科目", "内容", "功能分类")) \
                and leaf not in {"项目"}:
            amount.append(c)  # an all-blank amount column
        else:
            text.append(c)
    return Roles(code, text, amount, project)


def _dedupe_columns(table: RawTable) -> None:
    """Columns that are one merged cell across the whole table appear twice: keep the first."""
    keep = []
    for c in range(table.n_cols):
        if c and table.header[c] == table.header[c - 1] and all(
                c < len(r) and r[c] == r[c - 1] for _, r in table.rows):
            continue
        keep.append(c)
    if len(keep) == table.n_cols:
        return
    table.header = [table.header[c] for c in keep]
    table.rows = [(p, [r[c] for c in keep]) for p, r in table.rows]
    table.n_cols = len(keep)


def _economic(kind_slug: str, header: list[str]) -> bool:
    return kind_slug in {"gpb-basic", "basic-expense"} or any("经济分类" in h for h in header)


def line_items(table: RawTable) -> list[tuple[LineItem, str | None]]:
    """Line items of a table, each with the parent code a 项 row must be recovered under.

    The second value is set when the PDF prints only 类/款 on a 项 row (the code of that row
    is then unknown until `recover_codes` looks its name up elsewhere in the document).
    """
    _dedupe_columns(table)
    roles = _roles(table)
    economic = _economic(table.kind.slug, table.header)
    out: list[tuple[LineItem, str | None]] = []
    context: dict[str, str] = {}  # level -> last code seen at that level
    names_by_code: dict[str, str] = {}
    budget_unit: str | None = None
    project_table = table.kind.slug in {"gpb-project", "project-expense", "carryover"}
    for row_no, (page, raw) in enumerate(table.rows, start=1):
        cells = list(raw) + [""] * (table.n_cols - len(raw))
        texts = {c: normalize(cells[c]) for c in roles.text}
        name_col = next((c for c in roles.text if c != roles.project and texts[c]), None)
        name = texts[name_col] if name_col is not None else ""
        code, pending = _row_code(roles, cells, name, context, names_by_code)
        if code is None and pending is None:
            lead = _LEADING_CODE.match(name)
            if lead:
                code, name = lead.group(1), lead.group(2)
        if economic and code and len(code) == 3 and name_col is not None:
            sub = _ECON_SUB.match(cells[name_col].strip())
            if sub:  # `301 | 01 基本工资`: the 款 digits open the name cell
                code, name = code + sub.group(1), normalize(sub.group(2))
        if code and not pending:
            names_by_code.setdefault(code, name)
        project = texts.get(roles.project) if roles.project is not None else None
        if project_table and not code and not pending and not project and name \
                and not _TOTAL_NAMES.match(name):
            budget_unit = name
        system = "economic" if economic else "function"
        for c in roles.amount:
            parsed = parse_amount(cells[c], table.unit)
            if parsed is None:
                continue
            own_code, own_name, own_pending = code, name, pending
            # Two-sided tables (收支总表): an amount belongs to the text column on its left.
            left = [t for t in roles.text if t < c and t != roles.project]
            if left and left[-1] != name_col:
                own_name, own_pending = normalize(cells[left[-1]]), None
                lead = _LEADING_CODE.match(own_name)
                own_code, own_name = (lead.group(1), lead.group(2)) if lead else (None, own_name)
            value, decimals = parsed
            out.append((LineItem(
                table_kind=table.kind.slug, table_title=table.title, unit=table.unit,
                code=own_code, name=own_name, column_name=table.header[c], amount=value,
                decimals=decimals, page=page, column_key=column_key(table.header[c]),
                code_system=system if own_code else None,
                budget_unit=budget_unit if project_table else None,
                project=project or None, row_no=row_no, table_no=table.table_no,
            ), own_pending))
    return out


def _row_code(roles: Roles, cells: list[str], name: str, context: dict[str, str],
              names_by_code: dict[str, str]) -> tuple[str | None, str | None]:
    """The row's code from its code columns, carrying 类/款 down where only a tail is printed.

    Returns (code, pending_parent). pending_parent is set when the printed code is a 款 that
    was already seen under another name: the row is one of its 项 and the PDF omits the 项.
    """
    if not roles.code:
        return None, None
    parts = {level: normalize(cells[c]) for c, level in roles.code}
    if "combined" in parts:
        code = parts["combined"]
        return (code, None) if _CODE.match(code or "") else (None, None)
    lei, kuan, xiang = parts.get("类", ""), parts.get("款", ""), parts.get("项", "")
    if not (lei or kuan or xiang):
        return None, None
    if lei and not _CODE.match(lei):
        return None, None
    if lei:
        context["类"] = lei
    base_lei = lei or context.get("类", "")
    if kuan:
        kuan_code = base_lei + kuan if len(kuan) == 2 else kuan
        if not xiang:
            if kuan_code in names_by_code and names_by_code[kuan_code] != name and lei:
                return None, kuan_code  # a 项 row printed with 类/款 only
            context["款"] = kuan_code
            return kuan_code, None
        context["款"] = kuan_code
        return kuan_code + xiang if len(xiang) == 2 else xiang, None
    if xiang:
        base = context.get("款", "")
        return (base + xiang if len(xiang) == 2 and base else xiang), None
    return lei, None


def recover_codes(items: list[tuple[LineItem, str | None]]) -> tuple[list[LineItem], list[str]]:
    """Give 项 rows printed with 类/款 only their full code, by name, from the same document.

    Never by position: a row whose name matches no full code under its 款 keeps no code.
    """
    from dataclasses import replace

    by_name: dict[tuple[str, str], str] = {}
    for item, _ in items:
        if item.code and len(item.code) == 7 and item.code_system == "function":
            by_name.setdefault((item.code[:5], item.name), item.code)
    out, warnings = [], []
    for item, parent in items:
        if parent and item.code is None:
            code = by_name.get((parent, item.name))
            if code:
                item = replace(item, code=code, code_system="function")
            else:
                warnings.append(f"p.{item.page} {item.table_title}: no full code for "
                                f"{item.name!r} under {parent}")
        out.append(item)
    return out, sorted(set(warnings))


def table_info(table: RawTable, item_count: int) -> TableInfo:
    return TableInfo(table.table_no, table.kind.slug, table.title, table.unit, table.first_page,
                     table.last_page or table.first_page, len(table.rows), item_count == 0)
