"""`yusuan eval --corpus DIR [--json]` over a folder laid out like the real corpus, built
from the fixtures (tests never read ../shared/corpus)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import FIXTURES, PROJECT
from tasks.contracts import Base, Claim
from tasks.evaluate import group_corpus, pct_consistent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A split disclosure (-narrative/-tables), a broken file and an HTML page."""
    folder = tmp_path_factory.mktemp("corpus")
    for name, target in [
        ("jz-culture-2025-narrative.pdf", FIXTURES / "jz-culture-2025" / "narrative.pdf"),
        ("jz-culture-2025-tables.pdf", FIXTURES / "jz-culture-2025" / "tables.pdf"),
        ("broken.pdf", FIXTURES / "bad" / "corrupt.pdf"),
        ("article-saved-as.pdf", FIXTURES / "bad" / "not-a-pdf.pdf"),
    ]:
        (folder / name).symlink_to(target)
    (folder / "notes.txt").write_text("not a disclosure")
    return folder


def test_split_files_are_grouped_into_one_document_narrative_first(corpus):
    groups = group_corpus(corpus)
    assert [(name, [p.name for p in paths]) for name, paths in groups] == [
        ("article-saved-as", ["article-saved-as.pdf"]), ("broken", ["broken.pdf"]),
        ("jz-culture-2025", ["jz-culture-2025-narrative.pdf", "jz-culture-2025-tables.pdf"])]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yusuan", "eval", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def verbose_run(corpus) -> subprocess.CompletedProcess[str]:
    return _run("--corpus", str(corpus), "--verbose")


def test_eval_prints_status_tables_parent_rate_claims_and_pct_rate_per_file_and_in_total(
        verbose_run):
    result = verbose_run
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "broken  [failed]" in out and "not a readable PDF" in out
    assert "article-saved-as  [failed]" in out and "not a PDF but an HTML page" in out
    block = out[out.index("jz-culture-2025  [ok]"):out.index("TOTAL")]
    assert "year 2025, budget" in block
    assert ("tables: appropriation-summary, expense, gpb-basic, gpb-expense, income, "
            "project-expense, sangong, summary; empty: gov-fund-expense") in block
    assert "core tables missing" not in block
    assert "parent = Σ children 143/143 = 100.0%" in block
    # One percentage does not recompute: the error injected into the fixture (J1).
    assert "percentages recompute 26/27 = 96.3%" in block
    # compare-years on the document alone: the answer key's errors that need no prior year
    assert "compare-years alone: 8 error, 2 warning, 2 info" in block
    assert "TOTAL  3 documents: 1 read, 2 failed" in out
    assert "core tables complete in 1/1 documents with tables" in out


def test_eval_verbose_names_the_percentage_that_does_not_recompute(verbose_run):
    result = verbose_run
    failures = [ln.strip() for ln in result.stdout.splitlines() if ln.strip().startswith("✗%")]
    assert len(failures) == 1
    assert failures[0].startswith("✗% p.2 文化旅游体育与传媒支出(类)文化和旅游(款)图书馆(项):")
    assert "增长 2.4%" in failures[0]


def test_eval_verbose_lists_the_error_findings_of_the_document_alone(verbose_run):
    errors = [ln.strip() for ln in verbose_run.stdout.splitlines() if ln.strip().startswith("! ")]
    assert sorted(e.split(":")[0].split(" ", 2)[2] for e in errors) == sorted([
        "claim-vs-table", "completeness", "count-words", "cross-table", "pct-recompute",
        "reason-opposite", "template-leftover", "wrong-year"])


def test_eval_json_carries_the_same_figures(corpus):
    result = _run("--corpus", str(corpus), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    docs = {d["name"]: d for d in data["documents"]}
    assert docs["broken"]["status"] == "failed"
    jz = docs["jz-culture-2025"]
    assert (jz["parents"], jz["parents_ok"], jz["parent_rate"]) == (143, 143, 1.0)
    assert jz["tables"]["sangong"] == 1 and jz["core_missing"] == []
    assert (data["total"]["read"], data["total"]["pct_claims"], data["total"]["pct_ok"]) == (
        1, 27, 26)
    assert data["total"]["findings"] == {"error": 8, "warning": 2, "info": 2}


def test_eval_on_a_missing_folder_fails_in_one_line():
    result = _run("--corpus", "/nonexistent/corpus")
    assert result.returncode == 1
    assert result.stderr.strip() == ("yusuan: /nonexistent/corpus: no such folder; pass --corpus "
                                     "with a folder of PDFs")


def _claim(**fields) -> Claim:
    base = dict(claim_id="p1-1", section="二", scope="income", subject="s", code=None,
                amount=None, change_amount=None, change_pct=None, share_pct=None, base=None,
                reason=None, page=1, text="")
    return Claim(**{**base, **fields})


def test_pct_recompute_shapes_use_the_stated_rounding():
    seed = _claim(amount=Decimal("42040.53"), amount_decimals=2,
                  change_amount=Decimal("-8524.52"), change_decimals=2,
                  change_pct=Decimal("-16.86"), pct_decimals=2, base=Base.PRIOR_BUDGET)
    assert pct_consistent(seed) is True
    assert pct_consistent(_claim(**{**seed.__dict__, "change_pct": Decimal("-16.87")})) is False
    shanghai = _claim(amount=Decimal("25.77"), amount_decimals=2, base_amount=Decimal("60.13"),
                      base_amount_decimals=2, change_pct=Decimal("-57.14"), pct_decimals=2)
    assert pct_consistent(shanghai) is True
    putuo = _claim(amount=Decimal("2940.05"), amount_decimals=2,
                   base_amount=Decimal("2993.92"), base_amount_decimals=2,
                   ratio_pct=Decimal("98.20"), ratio_decimals=2)
    assert pct_consistent(putuo) is True
    jiangsu = _claim(base_amount=Decimal("8648.07"), base_amount_decimals=2,
                     change_amount=Decimal("498.72"), change_decimals=2,
                     change_pct=Decimal("5.77"), pct_decimals=2)
    assert pct_consistent(jiangsu) is True
    zero_base = _claim(amount=Decimal("50.00"), amount_decimals=2, change_amount=Decimal("50.00"),
                       change_decimals=2, change_pct=Decimal("100.00"), pct_decimals=2)
    assert pct_consistent(zero_base) is None  # undefined, not consistent
    assert pct_consistent(_claim(amount=Decimal(1), share_pct=Decimal(2))) is None
