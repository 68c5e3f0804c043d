"""Text for people: `path:line:col: severity rule message`, the source line with the span
marked, the suggestion, and a summary line. Colour only when writing to a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..engine import FileResult
from ..finding import Diagnostic, Severity

_COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[1;36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_WIDTH = 100  # characters of source shown around the span


def render_file(result: FileResult, color: bool) -> str:
    """One file's part of the report: its findings with their lines ("" when it has none). A
    run may work this out as the file is checked (in a worker process with -j)."""

    def paint(code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if color else s

    dim_eq = paint(_DIM, "=")
    source_lines = (result.source or "").split("\n")
    lines: list[str] = []  # a file's report is written at once: fewer, larger writes
    add = lines.append
    for d in result.diagnostics:
        sev = paint(_COLORS[d.severity], str(d.severity))
        add(
            f"{paint(_BOLD, f'{d.path}:{d.line}:{d.column}')}: {sev} {paint(_BOLD, d.rule)} {d.finding.message}\n"
        )
        if d.line <= len(source_lines):
            add(_excerpt(source_lines[d.line - 1], d, paint))
        for r in d.related[:1]:
            add(f"  {dim_eq} see: {r['line']}:{r['column']} {r['note']}\n")
        for sug in d.finding.suggestions[:3]:
            add(f"  {dim_eq} suggestion: {sug}\n")
        evidence = d.finding.evidence
        if "article_date" in evidence:  # a verdict that depends on the date: say which, and whence
            add(f"  {dim_eq} judged at: {evidence['article_date']} ({evidence.get('date_source', '')})\n")
        if d.fix is not None:
            label = "fix" if d.fix.applicability == "safe" else "unsafe fix"
            add(f"  {dim_eq} {label}: {d.fix.title}\n")
        add("\n")
    return "".join(lines)


def render(
    results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = (), *, quiet: bool = False
) -> None:
    # notices (grammar skipped: no server) go to stderr from the CLI, not into the report
    tally = Tally()
    for result in results:  # one pass: spilled results are read back from disk on each pass
        if tally.add(result):
            out.write(result.part("text") or render_file(result, color))
    if not quiet:
        out.write(tally.summary())


class Tally:
    """Counts for the summary line, gathered in the reporter's one pass over the results."""

    def __init__(self) -> None:
        self.counts = {s: 0 for s in Severity}
        self.flagged = self.errors = self.files = 0

    def add(self, result: FileResult) -> bool:
        """Count a file's findings; whether it has any."""
        self.files += 1
        self.errors += bool(result.error)
        severities = result.severities()
        self.flagged += bool(severities)
        for severity in severities:
            self.counts[severity] += 1
        return bool(severities)

    def summary(self) -> str:
        """"Found 3 problems (2 warnings, 1 info) in 2 of 5 files.", or "No problems found in 5
        files." ("" when no file could be read)."""
        total = sum(self.counts.values())
        files = self.files
        if total:
            parts = ", ".join(
                f"{n} {s}{'s' if n != 1 and s != Severity.INFO else ''}"
                for s, n in sorted(self.counts.items(), reverse=True)
                if n
            )
            return (
                f"Found {total} problem{'s' if total != 1 else ''} ({parts}) in {self.flagged} of "
                f"{files} file{'s' if files != 1 else ''}.\n"
            )
        read = files - self.errors
        return f"No problems found in {read} file{'s' if read != 1 else ''}.\n" if read else ""


def _excerpt(line: str, d: Diagnostic, paint) -> str:
    """The source line (or a window of it) with the span marked under it."""
    start = d.column - 1
    end = d.end_column - 1 if d.end_line == d.line else len(line)
    end = max(end, start + 1)
    if len(line) <= _WIDTH:
        lo, hi = 0, len(line)
    else:  # a window of _WIDTH characters around the span, kept inside the line
        lo = max(0, min(start - (_WIDTH - min(end - start, _WIDTH)) // 2, len(line) - _WIDTH))
        hi = lo + _WIDTH
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(line) else ""
    shown = prefix + line[lo:hi] + suffix
    gutter = f"{d.line} | "
    marker = " " * (len(prefix) + start - lo) + "^" * max(1, min(end, hi) - start)
    return (
        f"  {paint(_DIM, gutter)}{shown}\n"
        f"  {' ' * (len(gutter) - 2)}{paint(_DIM, '| ')}{paint(_COLORS[d.severity], marker)}\n"
    )
