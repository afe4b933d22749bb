"""Extraction speed: pages per second and seconds per document, over the bundled fixtures and
over the real corpus (../shared/corpus/real, when present).

    .venv/bin/python bench/extract.py [--corpus DIR]

Each document is extracted once, end to end (`extract_document`: pages, tables, narrative,
claims, facts). The share spent reading pages (pdfplumber parsing, dedupe, find_tables,
once per page) is printed beside it: the rest is yusuan's own work. Failing documents
(scanned, not a PDF) are counted separately; their time is part of the total.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tasks.errors import YusuanError  # noqa: E402
from tasks.evaluate import group_corpus  # noqa: E402
from tasks.extract import extract_document  # noqa: E402
from tasks.extract import pdf as pdf_module  # noqa: E402

FIXTURES = PROJECT / "tests" / "fixtures"
FIXTURE_DOCS = ["xj-hrss-2025", "xj-hrss-2024", "jz-culture-2024", "jz-culture-2025"]


def fixture_documents() -> list[tuple[str, list[Path]]]:
    out = []
    for name in FIXTURE_DOCS:
        folder = FIXTURES / name
        single = folder / "document.pdf"
        out.append((name, [single] if single.exists() else
                    [folder / "narrative.pdf", folder / "tables.pdf"]))
    return out


class PageClock:
    """Time spent inside read_pages (the per-page pdfplumber work)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._read = pdf_module.read_pages

    def __enter__(self) -> PageClock:
        clock = self

        def timed(paths, labels=None):
            start = time.perf_counter()
            pages = list(clock._read(paths, labels))
            clock.seconds += time.perf_counter() - start
            yield from pages

        import tasks.extract as extract_module

        self._module = extract_module
        extract_module.read_pages = timed
        return self

    def __exit__(self, *exc: object) -> None:
        self._module.read_pages = self._read


def measure(documents: list[tuple[str, list[Path]]]) -> dict[str, float]:
    pages = ok = failed = 0
    with PageClock() as clock:
        started = time.perf_counter()
        for name, paths in documents:
            try:
                pages += extract_document(name, paths).page_count
                ok += 1
            except YusuanError:
                failed += 1
        seconds = time.perf_counter() - started
    return {"docs": ok, "failed": failed, "pages": pages, "seconds": seconds,
            "reading": clock.seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(PROJECT.parent / "shared" / "corpus" / "real"))
    args = parser.parse_args()
    sets = [("fixtures", fixture_documents())]
    corpus = Path(args.corpus)
    if corpus.is_dir():
        sets.append(("real corpus", group_corpus(corpus)))
    else:
        print(f"(no corpus at {corpus}: fixtures only)")
    print(f"{'set':<12} {'docs':>5} {'failed':>6} {'pages':>6} {'seconds':>8} {'pages/s':>8} "
          f"{'s/doc':>6} {'reading pages':>14}")
    for label, documents in sets:
        m = measure(documents)
        per_doc = m["seconds"] / max(m["docs"] + m["failed"], 1)
        print(f"{label:<12} {m['docs']:>5.0f} {m['failed']:>6.0f} {m['pages']:>6.0f} "
              f"{m['seconds']:>8.1f} {m['pages'] / m['seconds']:>8.1f} {per_doc:>6.2f} "
              f"{100 * m['reading'] / m['seconds']:>13.0f}%")


if __name__ == "__main__":
    main()
