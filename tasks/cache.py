"""The extraction cache: a document already extracted and staged is not extracted again while
its files' content and the extractor stay the same.

The key is the document id (the sha256 of its files' sha256s, so the content and nothing
else: not the URL, not the HTTP answer) plus `EXTRACTOR_VERSION`. The cache itself is the
staging folder the single writer loads from: `data/staging/<doc_id>/` holds the Parquet files,
and its `extractor` file names the version that wrote them. A folder without that file, or
with another version in it, is a miss, and the document is extracted and staged again.

`EXTRACTOR_VERSION` is a fingerprint of everything that decides what staging holds: the code
of `tasks/extract/`, the nouns, the schema and staging code, the layout configuration code,
`config/tables.toml`, the code names of `config/classification.csv`, and the versions of
pdfplumber and pdfminer. Any change to one of them is a new version, so an improved
extractor is never hidden behind an old staged copy. Nothing has to be bumped by hand.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from tasks.config import CONFIG_DIR
from tasks.contracts import FetchedFile, Source, document_id
from tasks.stage import EXTRACTOR_MARKER, Staged

TASKS = Path(__file__).resolve().parent
MARKER = EXTRACTOR_MARKER


def extractor_files() -> list[Path]:
    """The files whose content decides what an extraction stages."""
    code = sorted((TASKS / "extract").glob("*.py"))
    code += [TASKS / name for name in ("contracts.py", "schema/tables.py", "stage.py",
                                       "config/files.py", "config/layouts.py")]
    return code + [CONFIG_DIR / "tables.toml", CONFIG_DIR / "classification.csv"]


def fingerprint(files: Sequence[Path], libraries: Sequence[str] = ("pdfplumber", "pdfminer.six")
                ) -> str:
    """A short hash of the files' names and bytes and the libraries' versions."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    for library in libraries:
        digest.update(f"{library}=={version(library)}\0".encode())
    return digest.hexdigest()[:16]


EXTRACTOR_VERSION = fingerprint(extractor_files())


def mark_extracted(staged: Staged, extractor: str = EXTRACTOR_VERSION) -> Staged:
    """Record which extractor wrote a staged document (after `stage`, so a crash in between
    leaves an unmarked folder: a miss, never a stale hit)."""
    fd, tmp = tempfile.mkstemp(dir=staged.path, prefix=".extractor-")
    with os.fdopen(fd, "w") as fh:
        fh.write(extractor + "\n")
    os.replace(tmp, staged.path / MARKER)
    return staged


def cached_extraction(source: Source, files: Sequence[FetchedFile], staging_dir: Path,
                      extractor: str = EXTRACTOR_VERSION) -> Staged | None:
    """The staged document of these exact files by this extractor, if an earlier run made it."""
    doc_id = document_id([f.sha256 for f in files])
    path = staging_dir / doc_id
    try:
        written_by = (path / MARKER).read_text().strip()
    except FileNotFoundError:
        return None
    if written_by != extractor or not (path / "meta.json").exists():
        return None
    return Staged(doc_id, path, source)
