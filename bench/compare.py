"""Check time of compare-years for one department-year on the demo data.

    .venv/bin/python bench/compare.py [--warehouse PATH] [--department xj-hrss --year 2025]

Without --warehouse (or when the file does not exist) the bundled fixtures are ingested
first, as `make demo` does, into a temporary warehouse (about a minute: Prefect starts).
It then times, over --repeat runs, reading the two documents from DuckDB and running every
rule of the catalogue (the work of the `check` task, without Prefect's task overhead), and
prints the median and the slowest rules.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def ingest_demo(warehouse: Path) -> None:
    """The bundled fixtures (config/sources.toml) through the real ingest flow."""
    from tasks.config import prefect_defaults

    prefect_defaults("WARNING")
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.ingest import ingest_disclosures

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        ingest_disclosures(None, str(warehouse), compare=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--department", default="xj-hrss")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="yusuan-bench-") as tmp:
        warehouse = args.warehouse
        if warehouse is None or not warehouse.exists():
            warehouse = warehouse or Path(tmp) / "warehouse.duckdb"
            os.environ.setdefault("YUSUAN_DATA", str(Path(tmp) / "data"))
            start = time.perf_counter()
            ingest_demo(warehouse)
            print(f"ingested the demo data into {warehouse} in "
                  f"{time.perf_counter() - start:.1f} s (not part of the check time)")

        from tasks.checks import RULES
        from tasks.checks.base import Context
        from tasks.compare import checks_config, read_document, targets
        from tasks.warehouse import connect

        con = connect(warehouse, read_only=True)
        try:
            (target,) = targets(con, args.department, args.year)
            config = checks_config()
            reads, checks, per_rule = [], [], {rule.SLUG: [] for rule in RULES}
            findings = 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                current = read_document(con, target.doc_id)
                prior = read_document(con, target.prior_doc_id) if target.prior_doc_id else None
                t1 = time.perf_counter()
                ctx = Context(current, prior, config)
                findings = 0
                for rule in RULES:
                    r0 = time.perf_counter()
                    findings += len(list(rule.run(ctx)))
                    per_rule[rule.SLUG].append(time.perf_counter() - r0)
                t2 = time.perf_counter()
                reads.append(t1 - t0)
                checks.append(t2 - t1)
        finally:
            con.close()

    ms = 1000
    print(f"compare-years {args.department} {args.year} against "
          f"{'its prior year' if target.prior_doc_id else 'no prior year'}: "
          f"{len(current.line_items)} + {len(prior.line_items) if prior else 0} line items, "
          f"{len(current.claims)} claims, {len(RULES)} rules, {findings} findings")
    print(f"  read both documents from DuckDB: median {statistics.median(reads) * ms:.1f} ms")
    print(f"  run every rule:                  median {statistics.median(checks) * ms:.1f} ms")
    print(f"  check time (read + rules):       median "
          f"{statistics.median(r + c for r, c in zip(reads, checks, strict=True)) * ms:.1f} ms"
          f", max {max(r + c for r, c in zip(reads, checks, strict=True)) * ms:.1f} ms "
          f"over {args.repeat} runs")
    slowest = sorted(per_rule.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
    print("  slowest rules: " + ", ".join(f"{slug} {statistics.median(t) * ms:.2f} ms"
                                           for slug, t in slowest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
