"""Repeated loads change nothing; a corrected re-publication becomes a new version and the old
one stays queryable; failures are recorded without removing data. Real DuckDB files."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import polars as pl
import pytest

from tasks.contracts import FetchedFile
from tasks.errors import StagingError
from tasks.load import load_all, load_staged, record_failure
from tasks.stage import Failed, _swap_in, stage, staged_documents
from tasks.warehouse import checksums, connect
from warehouse_docs import big_document, claim, document, item, source, stage_all


def _docs() -> list:
    d24 = document([item(None, "合计", "100.00"), item("2080101", "行政运行", "60.00", row_no=1),
                    item("2080102", "一般行政管理事务", "40.00", row_no=2)], year=2024)
    d25 = document([item(None, "合计", "120.00"), item("2080101", "行政运行", "66.00", row_no=1),
                    item("2080102", "一般行政管理事务", "54.00", row_no=2)],
                   [claim("p2-1", "行政运行", "66.00", "6.00", "10.00", "2080101")])
    return [(d24, source(year=2024)), (d25, source(year=2025))]


def test_double_load_leaves_identical_counts_and_checksums(tmp_path: Path) -> None:
    staged = stage_all(tmp_path / "staging", _docs() + [(big_document("d2", 2025, 3000),
                                                          source("d2"))])
    con = connect(tmp_path / "w.duckdb")
    try:
        first = load_all(con, staged)
        before = checksums(con)
        again = load_all(con, staged)
        # Staged again from scratch (a second ingest re-extracts): still nothing changes.
        restaged = stage_all(tmp_path / "staging", _docs())
        third = load_all(con, restaged)
        after = checksums(con)
    finally:
        con.close()
    assert [r.status for r in first] == ["loaded"] * 3
    assert [r.status for r in again + third] == ["unchanged"] * 5
    assert before == after
    assert before["line_items"][0] == 3 + 3 + 3000
    assert before["claims"][0] == 1


def test_checksums_change_when_a_single_amount_changes(tmp_path: Path) -> None:
    (d24, s24), (d25, s25) = _docs()
    changed = document([item(None, "合计", "120.00"), item("2080101", "行政运行", "66.00", row_no=1),
                        item("2080102", "一般行政管理事务", "54.01", row_no=2)],
                       [claim("p2-1", "行政运行", "66.00", "6.00", "10.00", "2080101")])
    sums = []
    for n, doc in enumerate((d25, changed)):
        con = connect(tmp_path / f"w{n}.duckdb")
        try:
            load_all(con, stage_all(tmp_path / "staging", [(d24, s24), (doc, s25)]))
            sums.append(checksums(con))
        finally:
            con.close()
    assert sums[0]["line_items"][0] == sums[1]["line_items"][0]
    assert sums[0]["line_items"][1] != sums[1]["line_items"][1]


def test_republished_file_becomes_a_new_version_and_the_old_one_stays_queryable(
        tmp_path: Path) -> None:
    (d24, s24), (d25, s25) = _docs()
    corrected = document([item(None, "合计", "121.00"), item("2080101", "行政运行", "67.00", row_no=1),
                          item("2080102", "一般行政管理事务", "54.00", row_no=2)],
                         [claim("p2-1", "行政运行", "67.00", "7.00", "11.67", "2080101")],
                         salt="corrected")
    con = connect(tmp_path / "w.duckdb")
    try:
        load_all(con, stage_all(tmp_path / "staging", [(d24, s24), (d25, s25)]))
        result = load_staged(con, stage(corrected, s25, [], tmp_path / "staging"))
        versions = con.execute(
            "SELECT doc_id, version, is_current FROM documents WHERE source_key = ? "
            "ORDER BY version", [s25.key]).fetchall()
        old_rows = con.execute("SELECT amount FROM line_items WHERE doc_id = ? AND code = "
                               "'2080101'", [d25.doc_id]).fetchall()
        latest = con.execute("SELECT doc_id, version, versions FROM latest_documents WHERE "
                             "year = 2025").fetchall()
        yoy = con.execute("SELECT amount, prior_amount, doc_id FROM yoy_line_items WHERE "
                          "code = '2080101'").fetchall()
        # The same (first) file published again is not a third version.
        again = load_staged(con, stage(d25, s25, [], tmp_path / "staging"))
        count = con.execute("SELECT count(*) FROM documents WHERE source_key = ?",
                            [s25.key]).fetchone()[0]
    finally:
        con.close()
    assert (result.status, result.version) == ("loaded", 2)
    assert versions == [(d25.doc_id, 1, False), (corrected.doc_id, 2, True)]
    assert [r[0] for r in old_rows] == [pytest.approx(66)]
    assert latest == [(corrected.doc_id, 2, 2)]
    assert [(str(a), str(p), d) for a, p, d in yoy] == [("67.000000", "60.000000",
                                                         corrected.doc_id)]
    assert (again.status, again.version) == ("unchanged", 1)
    assert count == 2


def test_failure_of_an_already_loaded_document_keeps_its_rows(tmp_path: Path) -> None:
    # Regression: record_failure deleted the child rows of a doc_id that was loaded, leaving
    # a 'loaded' document with no line items.
    (d24, s24), _ = _docs()
    con = connect(tmp_path / "w.duckdb")
    try:
        load_all(con, stage_all(tmp_path / "staging", [(d24, s24)]))
        before = checksums(con)
        result = record_failure(con, Failed(d24.doc_id, s24, "p.3: no text layer"))
        after = checksums(con)
    finally:
        con.close()
    assert result.status == "failed" and "v1, is kept" in result.detail
    assert before == after


def test_failed_document_then_loaded_replaces_the_failure(tmp_path: Path) -> None:
    (d24, s24), _ = _docs()
    pdf = tmp_path / "x.pdf"
    fetched = FetchedFile(s24.urls[0], pdf, "ab" * 32, 10, fetched_at="2026-01-01T00:00:00+00:00")
    con = connect(tmp_path / "w.duckdb")
    try:
        record_failure(con, Failed(d24.doc_id, s24, "internal error", (fetched,)))
        failed = con.execute("SELECT status, error, file_count FROM documents").fetchall()
        result = load_staged(con, stage(d24, s24, [fetched], tmp_path / "staging"))
        rows = con.execute("SELECT status, version, is_current, file_count FROM documents"
                           ).fetchall()
        files = con.execute("SELECT count(*) FROM files").fetchone()[0]
    finally:
        con.close()
    assert failed == [("failed", "internal error", 1)]
    assert result.status == "loaded"
    assert rows == [("loaded", 1, True, 1)]
    assert files == 1


def test_a_later_failure_leaves_the_current_version_and_is_shown_beside_it(
        tmp_path: Path) -> None:
    (d24, s24), _ = _docs()
    con = connect(tmp_path / "w.duckdb")
    try:
        load_all(con, stage_all(tmp_path / "staging", [(d24, s24)]))
        record_failure(con, Failed("f" * 64, s24, "http://127.0.0.1/d1/2024.pdf: HTTP 404"))
        latest = con.execute("SELECT doc_id, version, last_error FROM latest_documents"
                             ).fetchall()
    finally:
        con.close()
    assert latest == [(d24.doc_id, 1, "http://127.0.0.1/d1/2024.pdf: HTTP 404")]


def test_staged_folder_round_trips_and_loads_in_staging_order(tmp_path: Path) -> None:
    (d24, s24), (d25, s25) = _docs()
    stage_all(tmp_path / "staging", [(d25, s25), (d24, s24)])
    found = staged_documents(tmp_path / "staging")
    assert [(s.doc_id, s.source) for s in found] == [(d25.doc_id, s25), (d24.doc_id, s24)]


def test_staging_from_another_schema_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (d24, s24), _ = _docs()
    staged = stage(d24, s24, [], tmp_path / "staging")
    (staged.path / "claims.parquet").unlink()
    con = connect(tmp_path / "w.duckdb")
    try:
        with pytest.raises(StagingError, match="claims.parquet: missing; re-run the ingest"):
            load_staged(con, staged)
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        # staged by an older yusuan whose line_items lacked a column added since
        restaged = stage(d24, s24, [], tmp_path / "staging")
        file = restaged.path / "line_items.parquet"
        old = pl.read_parquet(file)
        old.drop(old.columns[-1]).write_parquet(file)
        with pytest.raises(StagingError) as refused:
            load_staged(con, restaged)
        assert str(refused.value).startswith(f"{file}: columns {old.columns[:-1]} do not match "
                                             "the schema of line_items")
        assert str(refused.value).endswith("it was staged by another version of yusuan: "
                                           "re-run the ingest to stage it again")
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM line_items").fetchone()[0] == 0
    finally:
        con.close()


def test_two_workers_staging_the_same_document_at_once_both_succeed(tmp_path: Path) -> None:
    # Parallel extraction of one document by two workers (two ingests at once): each swaps
    # its staged folder in whole; neither fails, and one whole folder remains. The swap is
    # hammered directly, as staging whole documents rarely overlaps at that instant.
    target = tmp_path / "staging" / ("a" * 64)
    target.parent.mkdir()
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(300):
                tmp = Path(tempfile.mkdtemp(prefix=".a.", dir=target.parent))
                (tmp / "meta.json").write_text(f"{n}-{i}")
                for old in _swap_in(tmp, target):
                    shutil.rmtree(old, ignore_errors=True)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    assert [p.name for p in target.iterdir()] == ["meta.json"]


def test_a_new_extractor_rereads_an_unchanged_document_in_place(tmp_path: Path) -> None:
    """An improved extractor must not hide behind an already loaded doc_id: the same content
    read by another extractor replaces its rows, keeps its version, and is current."""
    from dataclasses import replace

    from tasks.cache import mark_extracted

    (d24, s24), _ = _docs()
    old = mark_extracted(stage(d24, s24, [], tmp_path / "staging"), "extractor-a")
    con = connect(tmp_path / "w.duckdb")
    try:
        assert load_staged(con, old).status == "loaded"
        fixed = replace(d24, line_items=d24.line_items[:2], year=2024, kind="budget")
        new = mark_extracted(stage(fixed, s24, [], tmp_path / "staging2"), "extractor-b")
        assert new.doc_id == old.doc_id  # same files, same document
        result = load_staged(con, new)
        again = load_staged(con, new)
        row = con.execute("SELECT version, is_current, extractor, stated_year, stated_kind "
                          "FROM documents WHERE doc_id = ?", [new.doc_id]).fetchone()
        items = con.execute("SELECT count(*) FROM line_items WHERE doc_id = ?",
                            [new.doc_id]).fetchone()[0]
    finally:
        con.close()
    assert (result.status, result.version) == ("reextracted", 1)
    assert again.status == "unchanged"
    assert row == (1, True, "extractor-b", 2024, "budget")
    assert items == 2


def test_a_document_that_states_another_year_than_its_source_says_so(tmp_path: Path) -> None:
    """Crawlers mislabel (西安's 2022 budget filed as 2026): the load keeps the configured
    year, records the stated one, and says what to check."""
    from dataclasses import replace

    (d24, s24), _ = _docs()
    staged = stage(replace(d24, year=2022, kind="budget"), s24, [], tmp_path / "staging")
    con = connect(tmp_path / "w.duckdb")
    try:
        load_staged(con, staged)
        row = con.execute("SELECT year, stated_year, warnings FROM documents").fetchone()
    finally:
        con.close()
    assert row == (2024, 2022, "the document states fiscal year 2022, the sources file says "
                               "2024: check the source's `year`")
