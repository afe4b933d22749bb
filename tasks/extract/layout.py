"""What each column of a table is: its role, the evidence for it, and how sure we are.

Header words, cell content and the table's own years each vote for a column's role; the
votes are kept as evidence and their agreement is the confidence. Content can propose a role
whatever the header says (a column of nesting 3/5/7-digit codes is a code column, a column of
`-8.10%` is a percentage, `1 2 3 …` down the rows is a 行次), and the header refines what
numbers mean (`2025年预算数` is last year's, `增减` a change, `其中` a part restated). The
header vocabulary is config (`[[role]]` in config/tables.toml).

Roles: code (类/款/项 or combined), name, amount (this year's money), prior (another year's),
change, percent, row-number (行次/栏次), sequence (序号), part (其中…, 扣除…后: restates part
of a sibling), project, unit, unit-code, group (a label column beside the items' names),
blank. Only `amount` is additive: it adds up with its sibling columns and down its rows.

The result is data (`TableColumn`), staged and loaded as the warehouse table `table_columns`
and printed by `yusuan explain-table`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.config import Layouts
from tasks.contracts import TableColumn
from tasks.extract.amounts import parse_amount
from tasks.extract.pdf import normalize

_CODE = re.compile(r"^\d{2,7}$")
_PERCENT = re.compile(r"^[-+]?\d+(?:\.\d+)?%$")
_INT = re.compile(r"^\d{1,4}$")
_CODED_NAME = re.compile(r"^\[?\d{2,7}\]?[-—_－\s]*[^\d\s.,%]")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_NAME_HEADER = re.compile(r"(名称|科目|内容|类别|功能分类|经济分类|^项目$|^单位$|说明|备注|用途$)")
_UNIT_HEADER = re.compile(r"(单位名称|预算单位|项目单位|部门名称|部门\(单位\)名称|单位\(科目\)名称|"
                          r"资金使用单位)")
_UNIT_CODE_HEADER = re.compile(r"(单位编码|单位代码|部门代码|部门\(单位\)代码|项目编号|项目编码|"
                               r"预算单位代码)")
_PROJECT_HEADER = re.compile(r"(项目名称|一级项目|二级项目|预算项目|支出项目类别)")
_TOTAL_LEAF = re.compile(r"(合计|总计|小计)$")
PROJECT_KINDS = {"gpb-project", "project-expense", "carryover"}
# Roles whose cells are money (line items); only `amount` adds up.
MONEY_ROLES = {"amount", "prior", "change", "part"}
# Below this a table is not read with confidence: no rule raises an error from it.
CONFIDENT = 0.6


@dataclass(frozen=True)
class ColumnStats:
    """What the body cells of a column hold."""

    filled: int
    numeric: int
    codes: int
    percents: int
    consecutive: int  # cells that are the previous row's integer + 1
    digits: int  # short all-digit cells (类/款/项 parts)
    coded_names: int = 0  # names opening with a code (`01 基本工资`, `2080101 行政运行`)
    nesting: int = 0  # codes that are 3, 5 or 7 digits and nest (a 5/7's parent is there)

    def share(self, n: int) -> float:
        return n / self.filled if self.filled else 0.0


def column_stats(cells: list[str]) -> ColumnStats:
    flat = [normalize(c) for c in cells]
    filled = [c for c in flat if c]
    codes = {c for c in filled if _CODE.match(c) and len(c) in (3, 5, 7)}
    ints = [int(c) for c in filled if _INT.match(c)]
    consecutive = sum(1 for a, b in zip(ints, ints[1:], strict=False) if b == a + 1)
    return ColumnStats(
        filled=len(filled),
        numeric=sum(1 for c in filled if parse_amount(c) is not None),
        codes=sum(1 for c in filled if _CODE.match(c)),
        percents=sum(1 for c in filled if _PERCENT.match(c)),
        consecutive=consecutive + (1 if consecutive else 0),
        digits=sum(1 for c in filled if c.isdigit() and len(c) <= 7),
        coded_names=sum(1 for c in filled if _CODED_NAME.match(c)),
        nesting=sum(1 for c in filled if c in codes and (len(c) == 3 or c[:-2] in codes
                                                         or c[:3] in codes)))


@dataclass(frozen=True)
class Vote:
    role: str
    source: str  # header | content | year | position
    why: str


def header_votes(path: str, leaf: str, layouts: Layouts, table_year: int | None,
                 kind: str, key: str | None = None) -> list[Vote]:
    """What the header words say about a column (config `[[role]]` first)."""
    votes: list[Vote] = []
    for entry in layouts.roles:
        hit = next((p.pattern for p in entry.header if p.search(leaf)), None) or next(
            (p.pattern for p in entry.path if p.search(path)), None)
        if hit:
            votes.append(Vote(entry.role, "header", f"header {leaf or path!r} ~ {hit}"))
            break
    years = [int(y) for y in _YEAR.findall(path)]
    if table_year and years and any(y < table_year for y in years):
        votes.append(Vote("prior", "year", f"header year {min(years)} < table year {table_year}"))
    if leaf in {"类", "款", "项"}:
        votes.append(Vote("code:" + leaf, "header", f"header {leaf!r}"))
    elif ("编码" in path or "代码" in path or "编号" in leaf) and "名称" not in leaf \
            and not _UNIT_CODE_HEADER.search(path):
        votes.append(Vote("code:combined", "header", f"header {leaf or path!r} names a code"))
    elif "序号" in path:
        votes.append(Vote("sequence", "header", "header 序号"))
    elif _UNIT_CODE_HEADER.search(path):
        votes.append(Vote("unit-code", "header", f"header {leaf!r} names a unit's code"))
    elif _UNIT_HEADER.search(leaf):
        votes.append(Vote("unit", "header", f"header {leaf!r} names a unit"))
    elif _PROJECT_HEADER.search(leaf):
        # Outside project tables `项目名称` names the rows' items (江苏 收入预算总表: a group
        # label column beside the items'), and 深圳's `支出项目类别` economic classes.
        votes.append(Vote("project" if kind in PROJECT_KINDS else "group", "header",
                          f"header {leaf!r} names projects"))
    elif _NAME_HEADER.search(leaf):
        votes.append(Vote("name", "header", f"header {leaf!r} names the rows"))
    elif key is not None:
        votes.append(Vote("amount", "header", f"header {leaf or path!r} names money ({key})"))
    return votes


def content_votes(stats: ColumnStats) -> list[Vote]:
    """What the body cells say about a column."""
    n = stats.filled
    if not n:
        return [Vote("blank", "content", "no cell filled")]
    votes = []
    if stats.percents >= 0.6 * n:
        votes.append(Vote("percent", "content", f"{stats.percents}/{n} cells are percentages"))
    elif n >= 3 and stats.consecutive >= 0.8 * n:
        votes.append(Vote("row-number", "content",
                          f"{stats.consecutive}/{n} cells count up by one"))
    elif stats.nesting >= 0.6 * n and stats.codes == stats.digits:
        # 3/5/7-digit codes that nest (208 ⊃ 20805 ⊃ 2080505); integer 元 amounts do not
        votes.append(Vote("code", "content", f"{stats.nesting}/{n} cells are codes that nest"))
    elif stats.numeric >= 0.6 * n:
        votes.append(Vote("amount", "content", f"{stats.numeric}/{n} cells are numbers"))
    elif stats.numeric <= 0.2 * n:
        votes.append(Vote("name", "content", f"{n - stats.numeric}/{n} cells are text"))
    return votes


def decide(header: list[Vote], content: list[Vote], stats: ColumnStats
           ) -> tuple[str, float]:
    """The role and its confidence from the votes. Content wins where it is unmistakable
    (percentages, counting rows, codes); among numbers, the header says which year and
    whether a part; where header and content agree the role is sure."""
    h = header[0].role if header else None
    year_prior = any(v.source == "year" for v in header)
    c = content[0].role if content else None
    n = stats.filled
    if c == "percent":
        return "percent", 0.95 if h == "percent" else 0.85
    if c == "row-number" and h in (None, "row-number", "sequence", "amount"):
        return (h if h in ("row-number", "sequence") else "row-number"), (
            0.95 if h in ("row-number", "sequence") else 0.75)
    if h in ("row-number", "sequence"):
        return h, 0.9 if c in ("row-number", "amount", "blank") else 0.6
    if h and h.startswith("code:"):
        level = h[5:]
        if level in ("类", "款", "项"):
            if not n or stats.digits >= 0.5 * n:
                return h, 0.95
            # `301 | 01 基本工资`: the 款 digits open the names printed under 款
            return "name", 0.85 if stats.coded_names >= 0.6 * n else 0.5
        ok = not n or stats.codes >= 0.6 * n
        return (h, 0.95) if ok else ("name" if stats.numeric < 0.6 * n else "amount", 0.5)
    if c == "code" and h in (None, "name", "group", "amount"):
        # codes that nest are codes whatever the header says, but a header naming money
        # that holds codes is a disagreement
        return "code:combined", 0.6 if h == "amount" else 0.8
    if h == "unit-code":
        # 西安 `单位编码` 242001…: a unit's code is digits, never money
        return h, 0.95 if stats.digits == n else 0.75
    if h in ("unit", "project", "group"):
        if c == "amount":
            return "amount", 0.55  # numbers under a header naming units or projects
        return h, 0.95 if c in ("name", None, "blank") else 0.75
    if c in ("amount", "blank") or (c is None and h in MONEY_ROLES):
        if h in ("change", "percent"):
            return ("change" if h == "change" else "percent"), 0.9
        if h == "prior" or year_prior:
            return "prior", 0.9
        if h == "part":
            return "part", 0.9
        if h == "name":
            return ("name", 0.5) if c == "blank" else ("amount", 0.6)
        if c == "blank":
            return "amount", 0.7  # an all-blank amount column
        return "amount", 0.95 if h in (None, "amount") else 0.8
    if c == "name":
        return ("name", 0.95 if h in ("name", None) else 0.6)
    # mixed content: a fifth to a half of the cells are numbers (amounts spilled into the
    # names, or names into the amounts)
    if h == "name":
        return "name", 0.5
    return ("amount", 0.5) if stats.numeric >= 0.4 * n else ("name", 0.5)


def breakdown_parts(paths: list[str], roles: list[str]) -> list[str]:
    """`小计 | 其中：基本支出 | 项目支出` (广州): a 其中 that opens a breakdown printed over
    several columns is the first of the parts, not a restatement: it is money that adds up."""
    out = list(roles)
    for i, role in enumerate(roles):
        if role != "part" or not normalize(paths[i].split("/")[-1]).startswith("其中"):
            continue
        group = paths[i].rpartition("/")[0]
        after = [j for j in range(i + 1, len(paths))
                 if paths[j].rpartition("/")[0] == group and roles[j] in MONEY_ROLES]
        if any(roles[j] == "amount" and not _TOTAL_LEAF.search(paths[j].split("/")[-1])
               for j in after):
            out[i] = "amount"
    return out


def classify(table_no: int, paths: list[str], columns_cells: list[list[str]],
             layouts: Layouts, kind: str, keys: list[str | None]) -> list[TableColumn]:
    """Every column of a table with its role, additivity, confidence and evidence."""
    years = [int(y) for p in paths for y in _YEAR.findall(p)]
    table_year = max(years) if years else None
    decided: list[tuple[str, float, str]] = []
    for c, (path, cells) in enumerate(zip(paths, columns_cells, strict=True)):
        leaf = path.split("/")[-1] if path else ""
        stats = column_stats(cells)
        hv = header_votes(path, leaf, layouts, table_year, kind, keys[c])
        cv = content_votes(stats)
        role, confidence = decide(hv, cv, stats)
        if not path and not stats.filled:
            role, confidence = "blank", 0.95
        evidence = "; ".join(v.why for v in hv + cv) or "no header, no content"
        decided.append((role, confidence, evidence))
    roles = breakdown_parts(paths, [r for r, _, _ in decided])
    out = []
    for c, (path, (_, confidence, evidence), role) in enumerate(
            zip(paths, decided, roles, strict=True)):
        if role != decided[c][0]:
            evidence += "; 其中 opens a breakdown over several columns: a part that adds up"
        # a column of another year is keyed `prior` whatever its words (`2024年预算数` beside
        # `2025年预算数`); a change or a part never takes the key of this year's money
        key = "prior" if role == "prior" else (None if role in ("change", "part")
                                                 and keys[c] == "total" else keys[c])
        out.append(TableColumn(table_no, c, path, role, key, role == "amount",
                               round(confidence, 2), evidence))
    return out


def from_headers(table_no: int, paths: list[str], kind: str, layouts: Layouts
                 ) -> list[TableColumn]:
    """The roles of money columns known only by their header paths (line items loaded
    without their layout): each header's vote among the money roles, else this year's
    amount."""
    years = [int(y) for p in paths for y in _YEAR.findall(p)]
    table_year = max(years) if years else None
    decided = []
    for path in paths:
        votes = header_votes(path, path.split("/")[-1], layouts, table_year, kind)
        role, confidence = decide(votes, [Vote("amount", "content", "it holds line items")],
                                  ColumnStats(1, 1, 0, 0, 0, 0))
        decided.append((role if role in MONEY_ROLES else "amount", confidence,
                        "; ".join(v.why for v in votes) or "header only"))
    roles = breakdown_parts(paths, [r for r, _, _ in decided])
    return [TableColumn(table_no, -1, path, role, None, role == "amount", confidence, why)
            for path, role, (_, confidence, why) in zip(paths, roles, decided, strict=True)]


def table_confidence(columns: list[TableColumn], unit_found: bool) -> float:
    """How surely the table was read: its least sure column that carries rows or money,
    capped when no unit was printed with it (元 or 万元 is then a guess)."""
    used = [c.confidence for c in columns if c.role != "blank" and "no cell filled"
            not in c.evidence]
    # an empty table (nothing filled) has nothing to misread
    score = min(used) if used else 1.0
    if used and not any(c.role in MONEY_ROLES for c in columns):
        score = min(score, 0.3)
    if not unit_found:
        score = min(score, 0.5)
    return round(score, 2)
