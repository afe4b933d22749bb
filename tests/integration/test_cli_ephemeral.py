"""`yusuan ingest` without a server, in Prefect's ephemeral mode as `make demo` runs it: the
extraction processes report to the command's own temporary API. (They used to start one
each: 10-20 s apiece, their task runs kept where nobody looks, and left running after the
command had ended.)"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import pytest

from pdfgen import tiny_pdf
from prefect_server import BIN


def test_extraction_processes_use_the_commands_ephemeral_api_instead_of_starting_their_own(
        tmp_path: Path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.pdf").write_bytes(tiny_pdf(f"document {name}"))
    sources = tmp_path / "sources.toml"
    sources.write_text("".join(
        f'[[source]]\ndepartment = "dept-{name}"\nname = "{name}"\nyear = 2025\n'
        f'kind = "budget"\nurl = "{name}.pdf"\n\n' for name in ("a", "b")))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "YUSUAN_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), YUSUAN_DATA=str(tmp_path / "data"),
               YUSUAN_REPORTS=str(tmp_path / "reports"), YUSUAN_EXTRACT_WORKERS="2",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="200")

    done = subprocess.run(
        [str(BIN / "yusuan"), "ingest", "--no-compare", "--sources", str(sources),
         "--warehouse", str(tmp_path / "warehouse.duckdb")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(tuple(line.split()[:2]) for line in done.stdout.splitlines()) == [
        ("loaded", "dept-a/2025/budget"), ("loaded", "dept-b/2025/budget")]
    servers = re.findall(r"Starting temporary server on http://127\.0\.0\.1:(\d+)", done.stderr)
    assert len(servers) == 1, done.stderr[-3000:]
    # Both documents were extracted in the process pool, and said so through the one API.
    assert sorted(re.findall(r"Task run 'extract-\w+' - (dept-\w)/2025/budget: 1 pages",
                             done.stderr)) == ["dept-a", "dept-b"]
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.settimeout(2)
        s.connect(("127.0.0.1", int(servers[0])))  # and it ended with the command
