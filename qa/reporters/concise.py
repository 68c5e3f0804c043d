"""Concise text, one line a finding (Ruff's `--output-format concise`): `path:line:col:
severity rule message`, with ` [*]` after the rule when a safe fix settles it, then the summary
line the text report ends with. For grep, editors' quickfix lists and narrow CI logs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..engine import FileResult
from . import text


def render(
    results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = (), *, quiet: bool = False
) -> None:
    lines: list[str] = []
    tally = text.Tally()
    for r in results:  # one pass: spilled results are read back from disk on each pass
        tally.add(r)
        for d in r.diagnostics:
            fixable = " [*]" if d.fix is not None and d.fix.applicability == "safe" else ""
            lines.append(f"{d.path}:{d.line}:{d.column}: {d.severity} {d.rule}{fixable} {d.finding.message}\n")
        if len(lines) > 1000:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    if not quiet:
        out.write(tally.summary())
