"""The README's commands and its demo output must stay true: this fails when they rot."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import PROJECT
from yusuan.cli import _parser

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def test_every_make_target_in_the_readme_exists():
    makefile = (PROJECT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    assert set(re.findall(r"`make ([a-z-]+)`", README)) <= targets


def test_every_yusuan_command_in_the_readme_parses():
    lines = re.findall(r"^\$ yusuan (.+)$", README, re.M)
    assert lines
    for line in lines:
        # a synopsis prints options in [brackets]; an example prints real arguments
        args = [a for a in shlex.split(line) if not (a.startswith("[") or a.endswith("]"))]
        assert _parser().parse_args(args).command == args[0]


def test_the_demo_prints_what_the_readme_shows(prefect_harness, workdir: Path,
                                               monkeypatch: pytest.MonkeyPatch, capsys):
    from yusuan.cli import main

    monkeypatch.chdir(workdir)  # the demo's own defaults: ./warehouse.duckdb, ./reports
    for name in ("YUSUAN_DATA", "YUSUAN_REPORTS", "YUSUAN_WAREHOUSE"):
        monkeypatch.delenv(name)
    assert main(["demo"]) == 0
    printed = capsys.readouterr().out
    shown = re.search(r"```text\n(.*?)```", README, re.S).group(1)

    def findings_part(text: str) -> str:
        return text[text.index("\njz-culture "):].strip()

    def loaded(text: str) -> list[str]:
        return sorted(line.split()[1] for line in text.splitlines()
                      if line.strip().startswith("loaded"))

    assert findings_part(printed) == findings_part(shown)
    assert loaded(printed) == loaded(shown)
