"""The benchmark scripts still run and print their figures (at a small size here: the figures
themselves are quoted from full runs, never asserted). A schema change once broke
bench/load.py silently; this keeps the benches from rotting."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import PROJECT


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=PROJECT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_bench_load_prints_throughput_and_yoy_time(tmp_path):
    out = _run("bench/load.py", "--line-items", "20000", "--items-per-doc", "2000",
               "--dir", str(tmp_path))
    assert re.search(r"load +[\d,]+ line items in [\d.]+ s: [\d,]+ line items/s", out), out
    assert re.search(r"yoy +whole view: [\d,]+ rows .* in [\d.]+ s", out), out


def test_bench_extract_prints_pages_per_second(tmp_path):
    out = _run("bench/extract.py", "--corpus", str(tmp_path / "no-corpus"))  # fixtures only
    assert re.search(r"^fixtures +4 +0 +121 +[\d.]+ +[\d.]+ +[\d.]+", out, re.M), out
