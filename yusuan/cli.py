"""The `yusuan` command: a thin shell over the flows. Failures print one line; `--debug`
shows the traceback."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yusuan", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="run the flow ingest-disclosures")
    ingest.add_argument("--sources", help="sources TOML (default config/sources.toml)")
    ingest.add_argument("--warehouse", help="DuckDB file (default $YUSUAN_WAREHOUSE or "
                        "./warehouse.duckdb)")
    ingest.add_argument("--no-compare", action="store_true",
                        help="do not run compare-years for what changed")
    ingest.add_argument("--portal", metavar="NAME", help="discover the disclosures listed on "
                        "portal NAME (a [[portal]] of the sources file) and ingest those")

    compare = sub.add_parser("compare-years", help="run the flow compare-years")
    compare.add_argument("--department", help="department id (default: every department "
                         "with two consecutive years)")
    compare.add_argument("--year", type=int, help="year to check against the year before "
                         "(default: the latest)")
    compare.add_argument("--warehouse")
    compare.add_argument("--all", action="store_true",
                         help="list info findings too (rounding drift, vague reasons)")

    load = sub.add_parser("load", help="load the documents staged in the staging folder "
                          "that are not loaded yet (the single writer; e.g. after a crash)")
    load.add_argument("--staging", help="staging folder (default $YUSUAN_DATA/staging or "
                      "./data/staging)")
    load.add_argument("--warehouse")

    demo = sub.add_parser("demo", help="ingest the bundled fixtures, compare, print findings")
    demo.add_argument("--warehouse")
    demo.add_argument("--portal", action="store_true", help="serve the fixtures as a portal "
                      "on 127.0.0.1 and ingest them through discovery and HTTP")
    demo.add_argument("--all", action="store_true", help="list info findings too")

    evaluate = sub.add_parser("eval", help="measure extraction on a folder of real "
                              "disclosures (tables by kind, parent = Σ children, claims)")
    evaluate.add_argument("--corpus", required=True, help="folder of PDFs; <stem>-narrative.pdf "
                          "and <stem>-tables.pdf are read as one document")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of text")
    evaluate.add_argument("--verbose", action="store_true",
                          help="list the inconsistent parents and percentages")
    explain = sub.add_parser("explain-table", help="how the tables on a page were read: "
                             "header rows, column roles with evidence, identities checked")
    explain.add_argument("doc", help="a PDF (several files of one disclosure: comma-"
                         "separated, narrative first), or a loaded document's id or id prefix")
    explain.add_argument("page", type=int, help="1-based page of the document")
    explain.add_argument("--warehouse", help="where to look a document id up")
    return parser


def _failed(args: argparse.Namespace, exc: BaseException) -> int:
    """One line saying what failed (the traceback under --debug); exit status 1."""
    if args.debug:
        traceback.print_exc()
    print(f"yusuan: {exc}", file=sys.stderr)
    return 1


def _explain(args: argparse.Namespace) -> int:
    from tasks.config import warehouse_path
    from tasks.errors import YusuanError
    from tasks.explain import explain, resolve

    try:
        print(explain(resolve(args.doc, warehouse_path(args.warehouse)), args.page))
    except YusuanError as exc:
        return _failed(args, exc)
    return 0


def _eval(args: argparse.Namespace) -> int:
    import json

    from tasks.errors import YusuanError
    from tasks.evaluate import as_json, evaluate_corpus, render

    try:
        reports = evaluate_corpus(Path(args.corpus))
    except YusuanError as exc:
        return _failed(args, exc)
    if args.json:
        print(json.dumps(as_json(reports), ensure_ascii=False, indent=1))
    else:
        print(render(reports, verbose=args.verbose))
    return 0


def _print_findings(warehouse: Path, summaries: Sequence[dict], show_info: bool = False
                    ) -> None:
    from tasks.compare import read_findings
    from tasks.report import counts_line, text_table
    from tasks.warehouse import connect

    con = connect(warehouse, read_only=True)
    try:
        for s in summaries:
            findings = read_findings(con, s["department"], s["year"])
            prior = s["prior_doc_id"][:12] if s["prior_doc_id"] else "no prior year loaded"
            print(f"\n{s['department']} {s['year']} (document {s['doc_id'][:12]}, "
                  f"compared with {prior}): {counts_line(findings)}")
            print(text_table(findings, show_info=show_info))
            print(f"report: {s['report']}")
    finally:
        con.close()


def _print_ingest(results: Sequence[dict]) -> None:
    for r in results:
        line = f"{r['status']:>9}  {r['source']:<28} {r['doc_id'][:12]}"
        if r["version"]:
            line += f"  v{r['version']}"
        if r["detail"]:
            line += f"  {r['detail']}"
        print(line)


def _load(staging: str | None, warehouse: Path) -> None:
    from tasks.config import data_dir
    from tasks.load import load_staging

    results = load_staging(warehouse, Path(staging) if staging else data_dir() / "staging",
                           on_wait=lambda message: print(message, file=sys.stderr, flush=True))
    _print_ingest([{"source": r.source_key, "status": r.status, "doc_id": r.doc_id,
                    "version": r.version, "detail": r.detail} for r in results])


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "eval":
        return _eval(args)
    if args.command == "explain-table":
        return _explain(args)
    from tasks.config import prefect_defaults

    prefect_defaults()  # before Prefect is imported
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.compare_years import compare_years
    from flows.ingest import ingest_disclosures
    from tasks.config import warehouse_path
    from tasks.errors import YusuanError

    warehouse = warehouse_path(args.warehouse)
    try:
        # The heartbeat thread adds ~1 s to every flow run; a CLI run needs no crash detection.
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            if args.command == "ingest":
                _print_ingest(ingest_disclosures(args.sources, str(warehouse),
                                                 compare=not args.no_compare,
                                                 portal=args.portal))
            elif args.command == "compare-years":
                summaries = compare_years(args.department, args.year, str(warehouse))
                _print_findings(warehouse, summaries, args.all)
            elif args.command == "load":
                _load(args.staging, warehouse)
            elif args.command == "demo" and args.portal:
                from yusuan.demo_portal import DEMO_PORTAL, serve_portal

                with serve_portal(None, DEMO_PORTAL) as url:
                    print(f"serving the fixtures as portal {DEMO_PORTAL!r} at {url}")
                    _print_ingest(ingest_disclosures(None, str(warehouse), compare=False,
                                                     portal=DEMO_PORTAL))
                _print_findings(warehouse, compare_years(None, None, str(warehouse)), args.all)
            elif args.command == "demo":
                _print_ingest(ingest_disclosures(None, str(warehouse), compare=False))
                _print_findings(warehouse, compare_years(None, None, str(warehouse)), args.all)
    except YusuanError as exc:
        return _failed(args, exc)
    return 0
