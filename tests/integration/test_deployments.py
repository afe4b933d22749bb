"""The deployments of `deployments/prefect.yaml` on a real `prefect server` on 127.0.0.1:
deployed, scheduled and run by a real process worker with the README's own commands.

One server, one pool, one worker for the whole module (a server takes ~15 s to start). Every
process is stopped by PID at the end; PREFECT_HOME, the warehouse, data and reports are
temporary.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import httpx
import pytest

from answer_keys import load_key, match
from conftest import FIXTURES, PROJECT
from prefect_server import Server, command, prefect_server
from tasks.compare import read_findings

README = (PROJECT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Running with Prefect"):]
COMMANDS = re.findall(r"^\$ (prefect .+)$", SECTION[:SECTION.index("\n## ", 3)], re.M)
RUN_SECONDS = 240  # one flow run through the worker; ~20 s on an idle machine


def readme(prefix: str) -> str:
    """The one README command that starts with `prefix`."""
    found = [c for c in COMMANDS if c.startswith(prefix)]
    assert len(found) == 1, f"README: expected one `{prefix}…` command, found {found}"
    return found[0]


def _two_documents(tmp: Path) -> Path:
    """The jz-culture budgets of 2024 and 2025 (the README's example), as a sources file:
    the two smallest fixtures, so that the ingest through the worker stays short."""
    file = tmp / "sources.toml"
    entries = []
    for year in (2024, 2025):
        folder = FIXTURES / f"jz-culture-{year}"
        entries.append(f'[[source]]\ndepartment = "jz-culture"\nname = "江州市文化广电旅游局"\n'
                       f'year = {year}\nkind = "budget"\nurls = ["{folder}/narrative.pdf", '
                       f'"{folder}/tables.pdf"]\n')
    file.write_text("\n".join(entries), encoding="utf-8")
    return file


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The README's server, pool, deployments and worker, with private data folders."""
    root = tmp_path_factory.mktemp("prefect-server")
    data = {"YUSUAN_WAREHOUSE": str(root / "warehouse.duckdb"),
            "YUSUAN_DATA": str(root / "data"), "YUSUAN_REPORTS": str(root / "reports")}
    with prefect_server(root, PROJECT, readme("prefect server start"), data) as s:
        # The README's `config set` too: it writes the profile in the temporary PREFECT_HOME;
        # the environment's PREFECT_API_URL (this server's port) takes precedence over it.
        for prefix in ("prefect config set", "prefect work-pool create", "prefect deploy "):
            done = s.run(command(readme(prefix)), timeout=180)
            assert done.returncode == 0, f"{prefix}: {done.stdout}\n{done.stderr}"
        # Poll every second rather than every 10 s: the test waits for the pick-up.
        s.start("worker", command(readme("prefect worker start")),
                {"PREFECT_WORKER_QUERY_SECONDS": "1"})
        yield s


def _get(s: Server, path: str) -> object:
    response = httpx.get(f"{s.url}{path}", timeout=30)
    response.raise_for_status()
    return response.json()


def _post(s: Server, path: str, body: dict) -> object:
    response = httpx.post(f"{s.url}{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def _deployment(s: Server, name: str) -> dict:
    return _get(s, f"/deployments/name/{name}")


def _run(s: Server, args: list[str]) -> tuple[str, str]:
    """Run a `prefect deployment run … --watch` command; its flow run's id and its output."""
    done = s.run(args, timeout=RUN_SECONDS)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(args)}:\n{output}\nworker:\n{s.log('worker')}"
    assert "Flow run finished successfully in 'Completed'." in output
    return re.search(r"UUID: ([0-9a-f-]{36})", output).group(1), output


def test_the_readme_gives_the_commands_in_order():
    verbs = [" ".join(command(c)[:3]) for c in COMMANDS]
    assert verbs == ["prefect config set", "prefect server start",
                     "prefect work-pool create", "prefect deploy --all",
                     "prefect worker start", "prefect deployment run",
                     "prefect deployment run"]
    assert command(COMMANDS[3]) == ["prefect", "deploy", "--all", "--prefect-file",
                                    "deployments/prefect.yaml"]


def test_the_daily_ingest_is_scheduled_at_two_in_the_morning_in_shanghai(server: Server):
    deployment = _deployment(server, "ingest-disclosures/daily")
    [schedule] = deployment["schedules"]
    assert schedule["active"] is True
    assert schedule["schedule"]["cron"] == "0 2 * * *"
    assert schedule["schedule"]["timezone"] == "Asia/Shanghai"
    assert _deployment(server, "compare-years/on-demand")["schedules"] == []

    # The server's scheduler creates the next runs shortly after a deployment changes: the
    # next three 02:00 in Shanghai after the deployment was created.
    shanghai = ZoneInfo("Asia/Shanghai")
    created = datetime.fromisoformat(deployment["created"]).astimezone(shanghai)
    first = created.replace(hour=2, minute=0, second=0, microsecond=0)
    if first <= created:
        first += timedelta(days=1)
    expected = [(first + timedelta(days=n)).astimezone(UTC) for n in range(3)]
    deadline, starts = time.monotonic() + 90, []
    while time.monotonic() < deadline:
        runs = _post(server, "/flow_runs/filter", {
            "deployments": {"id": {"any_": [deployment["id"]]}},
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
            "sort": "EXPECTED_START_TIME_ASC", "limit": 3})
        starts = [datetime.fromisoformat(r["expected_start_time"]) for r in runs]
        if len(starts) == 3:
            break
        time.sleep(1)
    assert starts == expected  # 18:00 UTC the evening before, three days running


def test_a_bare_flow_name_is_refused(server: Server):
    done = server.run(["prefect", "deployment", "run", "compare-years"], timeout=60)
    assert done.returncode == 1
    assert ("Invalid deployment name format: compare-years. Expected format: "
            "<FLOW_NAME>/<DEPLOYMENT_NAME>") in " ".join((done.stdout + done.stderr).split())


def test_compare_years_on_demand_with_the_readme_command(server: Server, tmp_path: Path):
    # The warehouse first, through the daily deployment run now (on two documents).
    ingest = command(readme("prefect deployment run ingest-disclosures/daily"))
    _run(server, [*ingest, "-p", f"sources_file={_two_documents(tmp_path)}"])

    run_id, _ = _run(server, command(readme("prefect deployment run compare-years/")))

    run = _get(server, f"/flow_runs/{run_id}")
    assert run["state"]["type"] == "COMPLETED"
    assert run["deployment_id"] == _deployment(server, "compare-years/on-demand")["id"]
    assert run["parameters"] == {"department": "jz-culture", "year": 2025}

    # The findings in the warehouse, written by this very run: the answer key's, exactly.
    con = duckdb.connect(server.env["YUSUAN_WAREHOUSE"], read_only=True)
    try:
        findings = con.execute(
            "SELECT rule, severity, page, stated, expected, run_id FROM findings "
            "WHERE department = 'jz-culture' AND year = 2025 ORDER BY severity, rule").fetchall()
        missing, extra, doubled = match(load_key("jz-culture-2025").entries,
                                        read_findings(con, "jz-culture", 2025))
    finally:
        con.close()
    assert (missing, extra, doubled) == ([], [], [])
    assert {f[-1] for f in findings} == {run_id}

    # The artifacts, through the API, from this run.
    table = _post(server, "/artifacts/latest/filter", {
        "artifacts": {"key": {"any_": ["findings-jz-culture-2025"]}}})
    [table] = table
    assert table["type"] == "table" and table["flow_run_id"] == run_id
    rows = json.loads(table["data"])
    assert sorted((r["rule"], r["severity"], r["page"], r["stated"], r["expected"])
                  for r in rows) == sorted(
        (rule, severity, str(page or ""), stated or "", expected or "")
        for rule, severity, page, stated, expected, _ in findings)
    [summary] = _post(server, "/artifacts/latest/filter", {
        "artifacts": {"key": {"any_": ["findings-jz-culture-2025-summary"]}}})
    assert summary["type"] == "markdown" and summary["flow_run_id"] == run_id
    counts = {sev: sum(1 for f in findings if f[1] == sev) for sev in ("error", "warning", "info")}
    assert summary["data"].startswith(
        f"# 江州市文化广电旅游局 (jz-culture) 2025: {counts['error']} error, "
        f"{counts['warning']} warning, {counts['info']} info\n")
    assert "| error | pct-recompute | 2 |" in summary["data"]
    report = Path(server.env["YUSUAN_REPORTS"]) / "jz-culture-2025.md"
    assert report.read_text(encoding="utf-8") == summary["data"]
