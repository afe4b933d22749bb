"""`yusuan explain-table`: the header rows, each column's role with its evidence, and the
identities checked, for the tables covering a page; one line when it cannot."""

from __future__ import annotations

from conftest import FIXTURES
from yusuan.cli import main

SEED = FIXTURES / "xj-hrss-2025" / "document.pdf"


def test_explain_table_prints_roles_evidence_and_identities(capsys):
    assert main(["explain-table", str(SEED), "11"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("table 5: 一般公共预算支出情况表 [gpb-expense] p.11–12, unit 万元, "
                          "36 rows, 76 line items")
    assert "科目/功能分类科目编码/类                      code:类" in out
    assert "header '类'; 35/35 cells are codes that nest" in out
    assert ("一般公共预算支出/基本支出                      amount        basic          "
            "additive 0.95") in out
    assert "identities: 51/51 hold" in out
    assert "table-unreadable: no" in out


def test_explain_table_says_what_is_wrong_in_one_line(capsys, tmp_path):
    assert main(["explain-table", str(SEED), "99"]) == 1
    assert capsys.readouterr().err.strip() == "yusuan: page 99: the document has pages 1–49"
    assert main(["explain-table", "nosuchdoc", "1", "--warehouse",
                 str(tmp_path / "none.duckdb")]) == 1
    assert "no such file, and no warehouse" in capsys.readouterr().err
    assert main(["explain-table", str(SEED), "2"]) == 0
    assert capsys.readouterr().out.startswith("p.2: no standard table covers this page")
