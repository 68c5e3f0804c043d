"""Applying fixes to a source text: safe ones by default, unsafe ones when asked (as Ruff).

Fixes whose edits overlap an earlier-accepted fix are skipped; running again applies them
against the new text. This module changes strings only; writing files is qa.fixing's job.
Both steps are linear in the number of fixes (a file with tens of thousands of them).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable

from .finding import SAFE, Diagnostic, Edit


def applicable(
    diagnostics: Iterable[Diagnostic], unsafe: bool = False, skip: Collection[str] = ()
) -> list[Diagnostic]:
    return [
        d
        for d in diagnostics
        if d.fix is not None and (unsafe or d.fix.applicability == SAFE) and d.rule not in skip
    ]


def choose(
    diagnostics: Iterable[Diagnostic], unsafe: bool = False, skip: Collection[str] = ()
) -> tuple[list[Edit], list[Diagnostic]]:
    """The edits of the fixes that do not clash with an earlier one (sorted), and those fixes."""
    starts: list[tuple[int, int]] = []  # accepted edits' (start, end), sorted, pairwise clear
    accepted: list[Edit] = []
    chosen: list[Diagnostic] = []
    for d in applicable(diagnostics, unsafe, skip):
        edits = sorted(d.fix.edits, key=lambda e: (e.start, e.end))  # type: ignore[union-attr]
        if any(_clashes(e, starts) for e in edits):
            continue
        for e in edits:
            starts.insert(bisect_left(starts, (e.start, e.end)), (e.start, e.end))
        accepted.extend(edits)
        chosen.append(d)
    accepted.sort(key=lambda e: (e.start, e.end))
    return accepted, chosen


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """`source` with sorted, non-overlapping edits applied, in one pass."""
    out: list[str] = []
    pos = 0
    for e in edits:
        out.append(source[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(source[pos:])
    return "".join(out)


def apply_fixes(source: str, diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> tuple[str, int]:
    """The source with non-overlapping fixes applied, and how many fixes were applied."""
    edits, chosen = choose(diagnostics, unsafe)
    return apply_edits(source, edits), len(chosen)


def _clashes(e: Edit, spans: list[tuple[int, int]]) -> bool:
    """Whether `e` overlaps one of the sorted, pairwise clear `spans` (only its neighbours can)."""
    i = bisect_left(spans, (e.start, e.end))
    j = max(0, i - 1)
    while j < len(spans) and spans[j][0] <= e.end:
        if _overlaps(e, Edit(spans[j][0], spans[j][1], "")):
            return True
        j += 1
    return False


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions clash only at the same point or inside
        return b.start < a.start < b.end or a.start < b.start < a.end or a.start == b.start
    return a.start < b.end and b.start < a.end
