"""Applying fixes to a source text: safe ones by default, unsafe ones when asked (as Ruff).

Fixes whose edits overlap an earlier-accepted fix are skipped; running again applies them
against the new text. This module changes strings only; writing files is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Iterable

from .finding import SAFE, Diagnostic, Edit


def applicable(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Diagnostic]:
    return [d for d in diagnostics if d.fix is not None and (unsafe or d.fix.applicability == SAFE)]


def apply_fixes(source: str, diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> tuple[str, int]:
    """The source with non-overlapping fixes applied, and how many fixes were applied."""
    accepted: list[Edit] = []
    count = 0
    for d in applicable(diagnostics, unsafe):
        edits = sorted(d.fix.edits, key=lambda e: (e.start, e.end))  # type: ignore[union-attr]
        if any(_overlaps(e, a) for e in edits for a in accepted):
            continue
        accepted.extend(edits)
        count += 1
    out = source
    for e in sorted(accepted, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: e.start] + e.replacement + out[e.end :]
    return out, count


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions clash only at the same point or inside
        return b.start < a.start < b.end or a.start < b.start < a.end or a.start == b.start
    return a.start < b.end and b.start < a.end
