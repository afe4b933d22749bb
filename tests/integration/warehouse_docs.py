"""Small synthetic disclosures for warehouse tests: real dataclasses, staged through the real
`stage()`, loaded into real DuckDB files. Amounts are written as printed (2 decimals)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import duckdb

from tasks.contracts import (
    Base,
    Claim,
    ExtractedDocument,
    Kind,
    LineItem,
    NarrativeSentence,
    Source,
    TableInfo,
    document_id,
)
from tasks.stage import Staged, stage

PROJECT = Path(__file__).resolve().parents[2]
YUSUAN = str(Path(sys.executable).parent / "yusuan")


def source(department: str = "d1", year: int = 2025, name: str = "测试部门") -> Source:
    return Source(department, name, year, Kind.BUDGET, (f"http://127.0.0.1/{department}/"
                                                        f"{year}.pdf",))


def item(code: str | None, name: str, amount: str, table_kind: str = "gpb-expense",
         column_key: str | None = "total", column_name: str = "合计", row_no: int = 0,
         page: int = 5, project: str | None = None) -> LineItem:
    return LineItem(table_kind, "一般公共预算支出情况表", "万元", code, name, column_name,
                    Decimal(amount), 2, page, column_key=column_key,
                    code_system="function" if code else None, project=project,
                    row_no=row_no, table_no=5)


def claim(claim_id: str, subject: str, amount: str, change: str | None, pct: str | None,
          code: str | None = None, page: int = 2, text: str | None = None) -> Claim:
    text = text or f"{subject}{amount}万元，变动{change}万元，{pct}%"
    return Claim(claim_id, "五(一)", "gpb", subject, code, Decimal(amount),
                 Decimal(change) if change is not None else None,
                 Decimal(pct) if pct is not None else None, None, Base.PRIOR_BUDGET, "原因",
                 page, text, 2, 2, 2)


def document(items: Iterable[LineItem], claims: Iterable[Claim] = (), salt: str = "",
             department: str = "d1", year: int = 2025) -> ExtractedDocument:
    """A document whose id is a hash of its content: different content, different id."""
    items, claims = tuple(items), tuple(claims)
    doc_id = document_id([f"{department}/{year}/{salt}/{items!r}/{claims!r}"])
    tables = (TableInfo(5, "gpb-expense", "一般公共预算支出情况表", "万元", 5, 5,
                        len(items), not items),)
    sentences = tuple(NarrativeSentence(i + 1, "三", "五(一)", "一般公共预算", "gpb", c.page,
                                        c.text) for i, c in enumerate(claims))
    return ExtractedDocument(doc_id, 8, items, claims, (), (), tables, sentences)


def big_document(department: str, year: int, n: int, salt: str = "") -> ExtractedDocument:
    """n line items over several columns: a load that takes measurable time."""
    items = [item(f"2{(i * 7919) % 1_000_000:06d}", f"科目{i}", f"{(i * 37) % 100000}.{i % 100:02d}",
                  row_no=i) for i in range(n)]
    return document(items, salt=salt, department=department, year=year)


def stage_all(staging: Path, docs: Iterable[tuple[ExtractedDocument, Source]]) -> list[Staged]:
    return [stage(doc, src, [], staging) for doc, src in docs]


def table_rows(path: Path) -> dict[str, int]:
    """Row count of every table, read through a fresh read-only process-local connection."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def yusuan_load(staging: Path, warehouse: Path, env: dict[str, str] | None = None
                ) -> subprocess.Popen[str]:
    """`yusuan load` as a real subprocess (the stand-alone single writer)."""
    return subprocess.Popen([YUSUAN, "load", "--staging", str(staging), "--warehouse",
                             str(warehouse)], cwd=PROJECT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING", **(env or {})})


def wait_for_file(path: Path, proc: subprocess.Popen[str], seconds: float = 60) -> str:
    """Wait until a pause hook writes `path`; fail with the process's output if it exits."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"loader exited {proc.returncode} before pausing:\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"loader did not reach the pause point in {seconds} s")
        time.sleep(0.02)
    time.sleep(0.05)  # the hook writes, then waits: let the write finish
    return path.read_text()


def sigkill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
