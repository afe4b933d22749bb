"""Every SQL example of the README runs on a fresh warehouse: a renamed view or column breaks
this test, not the reader. (The outputs shown are from the demo data; scripts/example_queries.py
regenerates them.)"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tasks.warehouse import connect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from example_queries import END, EXAMPLES, START  # noqa: E402


def _readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split(START, 1)[1].split(END, 1)[0]
    return re.findall(r"```sql\n(.*?)\n```", section, re.S)


def test_readme_shows_every_example_query_of_the_script() -> None:
    assert _readme_queries() == [sql.strip() for _, sql in EXAMPLES]
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("sql", [sql for _, sql in EXAMPLES],
                         ids=[title[:40] for title, _ in EXAMPLES])
def test_example_query_runs_on_a_fresh_warehouse(tmp_path: Path, sql: str) -> None:
    con = connect(tmp_path / "w.duckdb")
    try:
        con.execute(sql.strip()).fetchall()
    finally:
        con.close()
