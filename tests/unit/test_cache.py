"""The extraction cache: keyed by the files' content and the extractor version, nothing else."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from tasks.cache import (
    EXTRACTOR_VERSION,
    MARKER,
    cached_extraction,
    extractor_files,
    fingerprint,
    mark_extracted,
)
from tasks.config import CONFIG_DIR, PROJECT_ROOT
from tasks.contracts import ExtractedDocument, FetchedFile, Kind, Source, document_id
from tasks.stage import stage

SOURCE = Source("xj-hrss", "自治区人力资源和社会保障厅", 2025, Kind.BUDGET,
                ("https://example.gov.cn/a.pdf",))
FILE = FetchedFile("https://example.gov.cn/a.pdf", Path("/raw/aa.pdf"), "a" * 64, 1000,
                   fetched_at="2026-01-01T00:00:00+00:00")


def _staged(staging: Path, files=(FILE,), mark: bool = True):
    doc = ExtractedDocument(document_id([f.sha256 for f in files]), 3, (), (), (), ())
    staged = stage(doc, SOURCE, files, staging)
    return mark_extracted(staged) if mark else staged


def test_the_same_content_is_found_however_it_was_fetched(tmp_path: Path):
    staged = _staged(tmp_path)
    again = replace(FILE, url="https://mirror.example.gov.cn/b.pdf", http_status=304,
                    not_modified=True, fetched_at="2026-02-01T00:00:00+00:00")
    assert cached_extraction(SOURCE, [again], tmp_path) == staged
    assert (staged.path / MARKER).read_text() == EXTRACTOR_VERSION + "\n"


def test_other_content_is_a_miss(tmp_path: Path):
    _staged(tmp_path)
    assert cached_extraction(SOURCE, [replace(FILE, sha256="b" * 64)], tmp_path) is None
    # a multi-file document is keyed by all its files, in order
    two = (FILE, replace(FILE, sha256="c" * 64))
    _staged(tmp_path, two)
    assert cached_extraction(SOURCE, list(reversed(two)), tmp_path) is None
    assert cached_extraction(SOURCE, list(two), tmp_path) is not None


def test_a_copy_staged_by_another_extractor_is_a_miss(tmp_path: Path):
    staged = _staged(tmp_path)
    assert cached_extraction(SOURCE, [FILE], tmp_path, extractor="0123456789abcdef") is None
    (staged.path / MARKER).write_text("0123456789abcdef\n")  # staged by an older release
    assert cached_extraction(SOURCE, [FILE], tmp_path) is None


def test_a_copy_staged_but_never_marked_is_a_miss(tmp_path: Path):
    """A crash between staging and marking must cost a re-extraction, never a stale hit."""
    _staged(tmp_path, mark=False)
    assert cached_extraction(SOURCE, [FILE], tmp_path) is None


def test_the_extractor_version_covers_code_layouts_and_libraries():
    names = {f.relative_to(PROJECT_ROOT).as_posix() for f in extractor_files()}
    assert {"tasks/extract/__init__.py", "tasks/extract/pdf.py", "tasks/extract/tables.py",
            "tasks/extract/narrative.py", "tasks/extract/claims.py", "tasks/extract/facts.py",
            "tasks/extract/amounts.py", "tasks/contracts.py", "tasks/schema/tables.py",
            "tasks/stage.py", "tasks/config/layouts.py", "tasks/config/files.py"} <= names
    assert CONFIG_DIR / "tables.toml" in extractor_files()
    assert CONFIG_DIR / "classification.csv" in extractor_files()
    assert fingerprint(extractor_files()) == EXTRACTOR_VERSION
    assert fingerprint(extractor_files(), libraries=("pdfplumber",)) != EXTRACTOR_VERSION


def test_the_extractor_version_changes_with_any_byte_of_the_extractor(tmp_path: Path):
    copies = []
    for file in extractor_files():
        copy = tmp_path / file.relative_to(PROJECT_ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, copy)
        copies.append(copy)
    assert fingerprint(copies) == EXTRACTOR_VERSION
    tables = next(c for c in copies if c.name == "tables.py")
    tables.write_bytes(tables.read_bytes() + b"\n# a change\n")
    changed = fingerprint(copies)
    assert changed != EXTRACTOR_VERSION
    layouts = next(c for c in copies if c.name == "tables.toml")
    layouts.write_bytes(layouts.read_bytes() + b"\n")
    assert fingerprint(copies) not in {changed, EXTRACTOR_VERSION}
