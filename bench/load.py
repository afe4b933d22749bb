"""Load throughput and `yoy_line_items` time over synthetic line items (default 10 million).

Synthetic budget documents (departments × years) are generated with Polars, written to the
staging folder by `tasks.stage.stage_frames` (the Parquet hand-off extraction workers use),
and loaded by `tasks.load.load_all`: the single writer, one transaction per document, the
same code the `load` task runs. Then the analysts' view is timed.

    .venv/bin/python bench/load.py                          # 10M line items, ~2,000 documents
    .venv/bin/python bench/load.py --line-items 1000000     # a quick run

Each document has 6 tables × 3 columns × K codes. Between years a few codes change (same
name: `yoy_line_items` must report them as renamed), a few lines start and a few end.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.load import load_all
from tasks.schema import STAGED, polars_schema  # noqa: E402
from tasks.stage import stage_frames, staged_documents
from tasks.warehouse import checksums, connect

TABLE_KINDS = ("income", "expense", "gpb-expense", "gpb-basic", "gpb-project", "sangong")
COLUMNS = (("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"))
YEARS = range(2016, 2026)
RENAMED_FROM = 2021  # codes j % 53 == 0 change in this year
ENDED_FROM = 2023  # lines j % 89 == 0 are no longer printed from this year


def _doc_id(department: str, year: int) -> str:
    return hashlib.sha256(f"bench/{department}/{year}".encode()).hexdigest()


def _line_items(doc_id: str, dept_no: int, year: int, codes: int) -> pl.DataFrame:
    """One document's line items, deterministic in (department, year)."""
    extra = max(year - 2019, 0)  # lines that start in later years
    base = (pl.DataFrame({"j": pl.int_range(0, codes + extra, eager=True)})
            .join(pl.DataFrame({"table_no": range(1, len(TABLE_KINDS) + 1)}), how="cross")
            .join(pl.DataFrame({"column_name": [c for c, _ in COLUMNS],
                                "column_key": [k for _, k in COLUMNS]}), how="cross"))
    j = pl.col("j")
    renamed = (j % 53 == 0) & pl.lit(year >= RENAMED_FROM)
    code_no = (j * 7919) % 1_000_000
    seed = dept_no * 10_000 + year
    cents = (pl.struct("j", "table_no", "column_key").hash(seed) % 500_000_000) + 1
    return (base
            .filter(~((j % 89 == 0) & pl.lit(year >= ENDED_FROM)))
            .with_columns(
                doc_id=pl.lit(doc_id),
                table_kind=pl.col("table_no").map_elements(lambda n: TABLE_KINDS[n - 1],
                                                           return_dtype=pl.Utf8),
                table_title=pl.lit("合成表"),
                unit=pl.lit("万元"),
                code=pl.when(renamed).then(pl.lit("3") + code_no.cast(pl.Utf8).str.zfill(6))
                .otherwise(pl.lit("2") + code_no.cast(pl.Utf8).str.zfill(6)),
                name=pl.lit("科目") + j.cast(pl.Utf8),
                amount=(cents.cast(pl.Decimal(24, 6)) * pl.lit(Decimal("0.01"))
                        ).cast(pl.Decimal(24, 6)),
                decimals=pl.lit(2, pl.Int32),
                page=(pl.col("table_no") + 3).cast(pl.Int32),
                code_system=pl.lit("function"),
                budget_unit=pl.lit(None, pl.Utf8),
                project=pl.lit(None, pl.Utf8),
                row_no=j.cast(pl.Int32),
                level=pl.lit(3, pl.Int32),
                segment=pl.lit(0, pl.Int32),
            )
            .with_columns(pl.col("table_no").cast(pl.Int32))
            .select(list(polars_schema("line_items")))
            .cast(polars_schema("line_items")))


def _frames(doc_id: str, dept_no: int, year: int, codes: int) -> dict[str, pl.DataFrame]:
    items = _line_items(doc_id, dept_no, year, codes)
    tables = (items.group_by("table_no", "table_kind", "table_title", "unit")
              .agg(first_page=pl.col("page").min(), last_page=pl.col("page").max(),
                   row_count=pl.len().cast(pl.Int32))
              .with_columns(doc_id=pl.lit(doc_id), empty=pl.lit(False), confidence=pl.lit(0.95),
                            unit_found=pl.lit(True))
              .select(list(polars_schema("tables"))).cast(polars_schema("tables"))
              .sort("table_no"))
    files = pl.DataFrame([{"doc_id": doc_id, "file_no": 1, "url": f"bench://{doc_id}.pdf",
                           "sha256": doc_id, "size": 1}], schema=polars_schema("files"))
    frames = {t: pl.DataFrame(schema=polars_schema(t)) for t in STAGED}
    frames.update(line_items=items, tables=tables, files=files)
    return frames


def generate(staging: Path, line_items: int, items_per_doc: int) -> tuple[int, int, int]:
    """Stage enough documents for `line_items` line items; return (departments, documents,
    line items)."""
    codes = max(items_per_doc // (len(TABLE_KINDS) * len(COLUMNS)), 1)
    docs = math.ceil(line_items / (codes * len(TABLE_KINDS) * len(COLUMNS)))
    departments = math.ceil(docs / len(YEARS))
    total = n = 0
    for dept_no in range(departments):
        department = f"bench-{dept_no:04d}"
        for year in YEARS:
            doc_id = _doc_id(department, year)
            frames = _frames(doc_id, dept_no, year, codes)
            meta = {"page_count": 12, "warnings": [], "source": {
                "department": department, "name": f"合成部门{dept_no}", "year": year,
                "kind": "budget", "urls": [f"bench://{department}/{year}.pdf"]}}
            stage_frames(doc_id, frames, meta, staging)
            total += frames["line_items"].height
            n += 1
    return departments, n, total


def say(line: str) -> None:
    print(line, flush=True)


def _timed(con, sql: str) -> tuple[str, list]:
    """Wall and CPU seconds of a query (the best of two runs), and its rows."""
    best = None
    for _ in range(2):
        started, cpu = time.perf_counter(), time.process_time()
        rows = con.execute(sql).fetchall()
        took = (time.perf_counter() - started, time.process_time() - cpu)
        best = took if best is None or took[0] < best[0] else best
    return f"{best[0]:.2f} s ({best[1]:.2f} CPU s; best of 2)", rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--line-items", type=int, default=10_000_000)
    parser.add_argument("--items-per-doc", type=int, default=5_000)
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="yusuan-bench-"))
    shutil.rmtree(work / "staging", ignore_errors=True)
    for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        (work / name).unlink(missing_ok=True)
    try:
        started = time.perf_counter()
        departments, docs, items = generate(work / "staging", args.line_items,
                                            args.items_per_doc)
        say(f"staged   {docs:,} documents, {items:,} line items as Parquet in "
              f"{time.perf_counter() - started:.1f} s")

        warehouse = work / "warehouse.duckdb"
        staged = staged_documents(work / "staging")
        con = connect(warehouse)
        started, cpu = time.perf_counter(), time.process_time()
        results = load_all(con, staged)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert sum(r.status == "loaded" for r in results) == docs
        # CPU seconds beside wall seconds: on a shared 2-core machine the wall time also
        # counts other processes' turns.
        say(f"load     {items:,} line items in {seconds:.1f} s: {items / seconds:,.0f} line "
            f"items/s ({docs / seconds:.1f} documents/s, one transaction each; "
            f"{cpu:.1f} CPU s, load average {os.getloadavg()[0]:.1f})")
        started = time.perf_counter()
        again = load_all(con, staged)
        assert all(r.status == "unchanged" for r in again)
        say(f"reload   {docs:,} documents unchanged in {time.perf_counter() - started:.1f} s")
        con.close()

        con = connect(warehouse, read_only=True)
        t, rows = _timed(con, "SELECT count(*), count(*) FILTER (match = 'renamed'), "
                              "sum(delta) FROM yoy_line_items")
        say(f"yoy      whole view: {rows[0][0]:,} rows ({rows[0][1]:,} renamed) in {t}")
        t, rows = _timed(con, "SELECT department, year, table_kind, code, name, amount, "
                              "prior_amount, delta, pct FROM yoy_line_items "
                              f"WHERE department = 'bench-{departments // 2:04d}' AND year = 2025 "
                              "ORDER BY abs(delta) DESC LIMIT 20")
        say(f"yoy      top-20 changes of one department-year: {len(rows)} rows in {t}")
        t, rows = _timed(con, "SELECT department, year, table_kind, code, name, amount, "
                              "prior_amount, delta, pct FROM yoy_line_items_of("
                              f"'bench-{departments // 2:04d}') WHERE year = 2025 "
                              "ORDER BY abs(delta) DESC LIMIT 20")
        say(f"yoy      the same through yoy_line_items_of(department): {len(rows)} rows in {t}")
        t, rows = _timed(con, "SELECT table_kind, count(*), sum(delta) FROM yoy_line_items "
                              "WHERE year = 2025 GROUP BY ALL")
        say(f"yoy      one year, all departments, grouped: {len(rows)} rows in {t}")
        started = time.perf_counter()
        sums = checksums(con)
        say(f"checksum all tables in {time.perf_counter() - started:.2f} s "
              f"(line_items {sums['line_items'][0]:,} rows {sums['line_items'][1][:12]})")
        con.close()
        size = warehouse.stat().st_size
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        say(f"file     {size / 2**20:,.0f} MiB; peak RSS of this process {rss:,.0f} MiB")
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
