"""`yusuan demo --portal`: the [[source]] files served as a portal on 127.0.0.1 come back
through discovery and HTTP as the very documents the local path loads."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest

from flows.ingest import ingest_disclosures
from pdfgen import tiny_pdf
from tasks.config import load_portal, load_sources
from tasks.discover import run_discovery
from tasks.errors import ConfigError
from tasks.fetch import Fetcher
from tasks.warehouse import connect
from yusuan.demo_portal import DEMO_PORTAL, serve_portal


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sources(tmp_path: Path) -> Path:
    for name in ("a-2024", "a-2025", "narrative", "tables"):
        (tmp_path / f"{name}.pdf").write_bytes(tiny_pdf(f"{name} page"))
    file = tmp_path / "sources.toml"
    file.write_text(f"""
[[source]]
department = "xj-hrss"
name = "自治区人力资源和社会保障厅"
year = 2024
kind = "budget"
url = "a-2024.pdf"

[[source]]
department = "xj-hrss"
name = "自治区人力资源和社会保障厅"
year = 2025
kind = "budget"
url = "a-2025.pdf"

[[source]]
department = "jz-culture"
name = "江州市文化广电旅游局"
year = 2025
kind = "final"
urls = ["narrative.pdf", "tables.pdf"]

[[portal]]
name = "fixtures"
listing = ["http://127.0.0.1:{_free_port()}/czyjs/index.html"]
delay_seconds = 0

[[portal.department]]
id = "xj-hrss"
name = "自治区人力资源和社会保障厅"

[[portal.department]]
id = "jz-culture"
name = "江州市文化广电旅游局"
""")
    return file


def _documents(wh: Path) -> list[tuple]:
    con = connect(wh, read_only=True)
    try:
        return con.execute("SELECT source_key, status, doc_id, file_count FROM documents "
                           "ORDER BY source_key").fetchall()
    finally:
        con.close()


@pytest.mark.usefixtures("prefect_harness")
def test_the_demo_portal_gives_the_documents_the_local_files_give(workdir: Path):
    sources = _sources(workdir)
    local = ingest_disclosures(str(sources), str(workdir / "local.duckdb"), compare=False)
    with serve_portal(sources, "fixtures") as url:
        assert url.endswith("/czyjs/index.html")
        served = ingest_disclosures(str(sources), str(workdir / "portal.duckdb"),
                                    compare=False, portal="fixtures")
    assert sorted((r["source"], r["status"]) for r in served) == [
        ("jz-culture/2025/final", "loaded"), ("xj-hrss/2024/budget", "loaded"),
        ("xj-hrss/2025/budget", "loaded")]
    assert sorted((r["source"], r["status"]) for r in local) == sorted(
        (r["source"], r["status"]) for r in served)
    # Same bytes in the same order: the same document ids, the two-file one included.
    assert _documents(workdir / "portal.duckdb") == _documents(workdir / "local.duckdb")
    assert [d[3] for d in _documents(workdir / "portal.duckdb")] == [2, 1, 1]


def test_the_demo_portal_refuses_a_busy_port(tmp_path: Path):
    sources = _sources(tmp_path)
    with serve_portal(sources, "fixtures"):
        with pytest.raises(ConfigError, match=r"cannot serve on 127\.0\.0\.1:\d+ \(Address "
                                            r"already in use\); stop what uses the port"):
            with serve_portal(sources, "fixtures"):
                pass


def test_the_bundled_demo_portal_lists_exactly_the_bundled_sources(tmp_path: Path):
    """What `yusuan demo --portal` serves (config/sources.toml, port 8470) is discovered as
    the [[source]] list, each file in its published order."""
    portal = load_portal(DEMO_PORTAL)
    with serve_portal(None, DEMO_PORTAL):
        found = run_discovery(portal)
        with Fetcher(portal.fetch, tmp_path / "raw") as fetcher:
            fetched = {s.key: [f.sha256 for url in s.urls for f in fetcher.fetch(url)]
                       for s in found.sources}
    local = {s.key: [hashlib.sha256(Path(u).read_bytes()).hexdigest() for u in s.urls]
             for s in load_sources()}
    assert fetched == local
    assert {s.key: s.name for s in found.sources} == {s.key: s.name for s in load_sources()}
