"""Which department-years the ingest checks after a load."""

from __future__ import annotations

from tasks.compare import years_to_compare
from tasks.contracts import Kind, Source
from tasks.load import LoadResult


def _result(department: str, year: int, status: str, kind: Kind = Kind.BUDGET) -> LoadResult:
    source = Source(department, department, year, kind, (f"{department}-{year}.pdf",))
    return LoadResult(f"{department}{year}{kind}", source, status, 1 if status != "failed"
                      else None)


def test_a_new_budget_is_checked():
    assert years_to_compare([_result("a", 2025, "loaded"), _result("a", 2024, "unchanged")]
                            ) == [("a", 2025)]


def test_a_new_prior_year_rechecks_the_year_after_it():
    """2025 is compared with 2024: a corrected 2024 makes 2025's findings stale."""
    assert years_to_compare([_result("a", 2024, "loaded"), _result("a", 2025, "unchanged"),
                             _result("a", 2026, "unchanged")]) == [("a", 2024), ("a", 2025)]


def test_nothing_new_nothing_checked_and_failures_and_finals_are_not_checked():
    assert years_to_compare([_result("a", 2025, "unchanged"), _result("b", 2025, "failed"),
                             _result("c", 2025, "loaded", Kind.FINAL)]) == []
    assert years_to_compare([_result("a", 2024, "loaded"), _result("a", 2025, "failed")]
                            ) == [("a", 2024)]
    assert years_to_compare([]) == []
