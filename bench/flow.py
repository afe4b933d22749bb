"""What ingest + compare-years cost over the bundled fixtures, and how much of it is Prefect's.

    .venv/bin/python bench/flow.py [--runner process,thread] [--repeat 3] [--sources FILE]

For each extraction runner, each repeat runs the same work twice on fresh folders:

1. through Prefect: the flow `ingest-disclosures` (fetch per source, extraction on the
   runner, the single-writer load, then a `compare-years` subflow for every department-year
   that changed), in-process against Prefect's ephemeral API, as `yusuan ingest` runs it
   (flow heartbeats off, as the CLI has them);
2. without Prefect: the very same plain functions the tasks wrap, in the same layout:
   fetches in a thread pool, extraction in a pool of the same kind and size (processes are
   spawned, as Prefect's ProcessPoolTaskRunner spawns them), then load, check, findings and
   reports, one after the other.

Prefect's share is (1 − 2) / 1: the wall time that only the orchestration adds — task and
flow runs created and their states reported to the API, logs shipped to it, futures, the
subflow runs, the artifacts, the task runner's own start and stop — over the wall time of
the whole run. Both sides produce the same warehouse (checked: the same documents and
findings), so the difference is not the work. The ephemeral API's start (once per process)
is printed on its own, not counted. Minimum and median over the repeats are printed: on a
shared 2-core machine other processes only ever add time, so the minimum is the best
estimate; the load average is printed too.

The same share is printed in CPU seconds, which other processes on the machine do not
inflate: this process, its pool processes (reaped when a pool shuts down) and the
ephemeral API server's process (read from /proc), for each side.

A last run repeats the Prefect ingest over the same data folder: nothing changed, so nothing
is extracted again (the staged copies are reused), and it shows what a quiet day costs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from tasks.config import prefect_defaults  # noqa: E402 - after the path, before Prefect

prefect_defaults("WARNING")  # the flows' INFO lines are noise here


def _extract(source, files, staging: Path):  # noqa: ANN001, ANN202 (top level: picklable)
    """What `extract_task` does, without Prefect."""
    from tasks.cache import mark_extracted
    from tasks.contracts import document_id
    from tasks.extract import extract_document
    from tasks.stage import stage

    doc = extract_document(document_id([f.sha256 for f in files]), [f.path for f in files],
                           [f.url for f in files])
    return mark_extracted(stage(doc, source, files, staging))


def _pool(runner: str, workers: int) -> Executor:
    if runner == "process":
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    return ThreadPoolExecutor(workers)


def plain(sources_file: str | None, root: Path, runner: str, workers: int) -> list[tuple]:
    """ingest + compare-years with the plain functions only; returns what the warehouse says."""
    from tasks.compare import check, targets, years_to_compare
    from tasks.config import load_sources
    from tasks.fetch import fetch_source
    from tasks.load import load_staged, write_findings
    from tasks.report import markdown, write_report
    from tasks.warehouse import connect

    raw, staging, wh = root / "data" / "raw", root / "data" / "staging", root / "wh.duckdb"
    sources = load_sources(sources_file)
    staged = []
    with ThreadPoolExecutor(len(sources)) as fetchers, _pool(runner, workers) as extractors:
        fetches = {fetchers.submit(fetch_source, s, raw): s for s in sources}
        extracts = [extractors.submit(_extract, fetches[f], f.result(), staging)
                    for f in as_completed(fetches)]
        staged = [e.result() for e in extracts]
    con = connect(wh)
    try:
        results = [load_staged(con, s) for s in staged]
        for department, year in years_to_compare(results):
            [target] = targets(con, department, year)
            findings = check(con, target)
            write_findings(con, department, year, target.doc_id, target.prior_doc_id, findings)
            write_report(root / "reports", department, year, markdown(
                department, year, target.department, target.doc_id, target.prior_doc_id,
                findings))
        return _summary(con)
    finally:
        con.close()


def _summary(con) -> list[tuple]:  # noqa: ANN001
    return con.execute(
        "SELECT d.source_key, d.status, d.doc_id, (SELECT count(*) FROM findings f WHERE "
        "f.department = d.department AND f.year = d.year) FROM documents d ORDER BY 1"
    ).fetchall()


def with_prefect(sources_file: str | None, root: Path) -> list[tuple]:
    """The flow itself, with this process's data folders."""
    from flows.ingest import ingest_disclosures
    from tasks.warehouse import connect

    os.environ["YUSUAN_DATA"] = str(root / "data")
    os.environ["YUSUAN_REPORTS"] = str(root / "reports")
    ingest_disclosures(sources_file, str(root / "wh.duckdb"))
    con = connect(root / "wh.duckdb", read_only=True)
    try:
        return _summary(con)
    finally:
        con.close()


def cpu_seconds() -> float:
    """CPU time of this process, its reaped children and the ephemeral API server."""
    import resource

    from prefect.server.api.server import SubprocessASGIServer

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    server = SubprocessASGIServer().server_process
    if server is not None and server.poll() is None:
        fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def timed(fn, *args) -> tuple[float, float, object]:  # noqa: ANN001
    """Wall seconds, CPU seconds (see cpu_seconds) and the result of fn(*args)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    out = fn(*args)
    return time.perf_counter() - start, cpu_seconds() - cpu, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runner", default="process",
                        help="comma-separated extraction runners to measure: process, thread")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sources", help="a sources file (default: the bundled fixtures)")
    parser.add_argument("--heartbeat", action="store_true",
                        help="keep flow heartbeats on, as under a worker (the CLI turns them off)")
    args = parser.parse_args()
    runners = args.runner.split(",")
    workers = os.cpu_count() or 2

    from prefect import flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from tasks.cache import EXTRACTOR_VERSION
    from tasks.config import load_sources

    n = len(load_sources(args.sources))
    print(f"ingest + compare-years over {n} documents ({args.sources or 'the bundled fixtures'})"
          f", {workers} cores, extractor {EXTRACTOR_VERSION}, load average "
          f"{os.getloadavg()[0]:.2f}")
    settings = {} if args.heartbeat else {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    with tempfile.TemporaryDirectory(prefix="bench-flow-") as tmp, temporary_settings(
            updates=settings):
        start, _, _ = timed(flow(name="warm-up")(lambda: None))
        print(f"ephemeral Prefect API start (once per process, not counted): {start:.1f} s")
        for runner in runners:
            os.environ["YUSUAN_EXTRACT_RUNNER"] = runner
            os.environ["YUSUAN_EXTRACT_WORKERS"] = str(workers)
            walls: dict[str, list[float]] = {"prefect": [], "plain": []}
            cpus: dict[str, list[float]] = {"prefect": [], "plain": []}
            for i in range(args.repeat):
                for side in ("prefect", "plain"):  # alternate, so that both see the same load
                    root = Path(tmp) / f"{runner}-{i}-{side}"
                    seconds, cpu, summary = (timed(with_prefect, args.sources, root)
                                             if side == "prefect" else
                                             timed(plain, args.sources, root, runner, workers))
                    walls[side].append(seconds)
                    cpus[side].append(cpu)
                    if side == "prefect":
                        expected = summary
                    elif summary != expected:
                        raise SystemExit(f"the plain run's warehouse differs:\n{summary}\n"
                                         f"{expected}")
            again, _, _ = timed(with_prefect, args.sources, Path(tmp) / f"{runner}-0-prefect")
            best = {k: min(v) for k, v in walls.items()}
            mid = {k: statistics.median(v) for k, v in walls.items()}
            cpu = {k: min(v) for k, v in cpus.items()}

            def share(d: dict[str, float]) -> str:
                extra = d["prefect"] - d["plain"]
                return f"{extra:4.1f} s = {100 * extra / d['prefect']:2.0f} %"

            print(f"\nextraction on {runner} x{workers}, {args.repeat} run(s) of each side "
                  "(min / median)")
            print(f"  wall time with Prefect            {best['prefect']:5.1f} / "
                  f"{mid['prefect']:5.1f} s")
            print(f"  wall time, same work without      {best['plain']:5.1f} / "
                  f"{mid['plain']:5.1f} s")
            print(f"  Prefect's share of the wall time  {share(best)} / {share(mid)}")
            print(f"  CPU time with / without Prefect   {cpu['prefect']:5.1f} / "
                  f"{cpu['plain']:5.1f} s (min): Prefect's share {share(cpu)}")
            print(f"  re-run with nothing changed       {again:5.1f} s")
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
