"""Flow `compare-years`: check a department-year against its own tables and the year before,
store the findings, and publish them as Prefect artifacts and a Markdown report.

Left empty, `department` and `year` mean every department with two consecutive loaded
years, at its latest year.
"""

from __future__ import annotations

from prefect import flow

from tasks.compare import check_task, severity_counts, targets_task
from tasks.config import reports_dir, warehouse_path
from tasks.report import publish_task


@flow(name="compare-years")
def compare_years(department: str | None = None, year: int | None = None,
                  warehouse: str | None = None) -> list[dict]:
    """Check department-years for statements that do not add up."""
    wh = warehouse_path(warehouse)
    summaries = [check_task(t, wh) for t in targets_task(wh, department, year)]
    out = []
    for summary in summaries:
        report = publish_task(summary, reports_dir())
        out.append({"department": summary.target.department, "year": summary.target.year,
                    "doc_id": summary.target.doc_id, "prior_doc_id": summary.target.prior_doc_id,
                    **severity_counts(list(summary.findings)), "report": str(report)})
    return out
