"""Folders a killed worker leaves in staging are swept once they are old; staged documents
and a running worker's fresh folder are not touched."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tasks.stage import staged_documents, sweep_leftovers


def _folder(path: Path, age: float) -> Path:
    path.mkdir(parents=True)
    (path / "line_items.parquet").write_bytes(b"PAR1")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_old_private_folders_go_and_everything_else_stays(tmp_path: Path):
    doc = _folder(tmp_path / ("ab" * 32), age=10 * 3600)  # a staged document, however old
    (doc / "meta.json").write_text('{"staged_at": "2026-01-01T00:00:00+00:00"}')
    killed = _folder(tmp_path / f".{'cd' * 32}.k3j2x", age=2 * 3600)  # mkdtemp of a dead worker
    aside = _folder(tmp_path / f".{'ab' * 32}.old.0f1e", age=7200)  # moved aside, not deleted
    running = _folder(tmp_path / f".{'ef' * 32}.q9w8e", age=60)  # a worker staging right now

    assert sweep_leftovers(tmp_path) == sorted([killed, aside])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([doc.name, running.name])
    assert sweep_leftovers(tmp_path, older_than=30) == [running]
    assert [p.name for p in tmp_path.iterdir()] == [doc.name]


def test_a_missing_staging_folder_is_nothing_to_sweep(tmp_path: Path):
    assert sweep_leftovers(tmp_path / "never-made") == []
    assert staged_documents(tmp_path) == []
