"""A real `prefect server` on 127.0.0.1 for integration tests: its own temporary PREFECT_HOME,
a free port, commands run against it with a bounded time, and every process it started
stopped by PID (each in its own process group, so the server's uvicorn child and a worker's
flow-run processes go with it)."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent  # the venv's bin: `prefect` lives beside this python
STARTUP_SECONDS = 120  # ~13 s on an idle 2-core machine (MEASURED.md); slower when loaded


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(line: str) -> list[str]:
    """A README command line (`$ prefect …  # comment`) as arguments."""
    return shlex.split(line.removeprefix("$").strip(), comments=True)


@dataclass
class Server:
    """A running server and the environment its clients use."""

    url: str  # the API, http://127.0.0.1:<port>/api
    env: dict[str, str]
    logs: Path
    cwd: Path
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def run(self, args: list[str], timeout: float, env: Mapping[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
        """Run a client command to its end, within `timeout` seconds."""
        return subprocess.run(args, cwd=self.cwd, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)

    def start(self, name: str, args: list[str], env: Mapping[str, str] | None = None
              ) -> subprocess.Popen[bytes]:
        """Start a long-running command (the server, a worker) in its own process group."""
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, cwd=self.cwd, env={**self.env, **(env or {})},
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append((name, proc))
        return proc

    def log(self, name: str, tail: int = 4000) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-tail:]

    def stop(self, name: str, grace: float = 20) -> None:
        """SIGTERM to the process by PID, then SIGKILL to its group after `grace` seconds."""
        for n, proc in self.processes:
            if n == name and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(grace)
                except subprocess.TimeoutExpired:
                    pass
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # the group is ours: pgid == its PID
                except ProcessLookupError:
                    pass
                proc.wait(10)


def client_env(home: Path, port: int, extra: Mapping[str, str]) -> dict[str, str]:
    """The environment of every process of the test: nothing of the caller's Prefect or
    yusuan settings, the venv first on PATH, this server only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "YUSUAN_"))}
    env.update({
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        # Offline: no telemetry (it would log an error at every start), no UI build to copy.
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "COLUMNS": "200",  # rich wraps the CLI's output at the terminal width; keep lines whole
        **extra,
    })
    return env


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    """Seconds until GET /health answers; fails if the server exits or the time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"prefect server at {url} not healthy within {timeout:.0f} s")


@contextmanager
def prefect_server(root: Path, cwd: Path, start_line: str = "prefect server start",
                   env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """A real `prefect server` on 127.0.0.1 with PREFECT_HOME under `root`; every process
    started through it is stopped on exit, workers before the server."""
    port = free_port()
    logs = root / "logs"
    logs.mkdir(parents=True)
    server = Server(f"http://127.0.0.1:{port}/api",
                    client_env(root / "prefect-home", port, env or {}), logs, cwd)
    try:
        proc = server.start("server", command(start_line))
        try:
            wait_healthy(server.url, proc, STARTUP_SECONDS)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}\n{server.log('server')}") from None
        yield server
    finally:
        for name, _ in reversed(server.processes):
            server.stop(name)
