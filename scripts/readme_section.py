"""Replace a generated section of README.md: the text between a start and an end marker."""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def write_section(start: str, end: str, text: str, readme: Path = README) -> int:
    """Put `text` between the markers; 1 (and a message) when the markers are missing."""
    current = readme.read_text(encoding="utf-8")
    if start not in current or end not in current:
        print(f"{readme}: add the two marker lines first:\n{start}\n{end}", file=sys.stderr)
        return 1
    head, rest = current.split(start, 1)
    readme.write_text(f"{head}{start}\n\n{text}\n{end}{rest.split(end, 1)[1]}",
                      encoding="utf-8")
    return 0
