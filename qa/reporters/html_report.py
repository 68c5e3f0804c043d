"""One self-contained HTML file: every article with its findings highlighted, a list grouped by
kind, and the details of a finding on click. Works offline; article text is always escaped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..engine import FileResult
from ..htmlview import page


def render(results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = ()) -> None:
    files = [(r.path, r.source or "", r.diagnostics) for r in results if not r.error]
    out.write(page(files))
