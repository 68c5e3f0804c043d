"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line a finding, which
GitHub shows on the pull request's diff. (GitHub shows 10 of each type per step; use SARIF for
more.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..engine import FileResult
from ..finding import Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = ()) -> None:
    for r in results:
        if r.error:
            out.write(f"::error file={_prop(r.path)},title=copydesk::{_data(r.error)}\n")
        for d in r.diagnostics:
            out.write(
                f"::{COMMANDS[d.severity]} file={_prop(d.path)},line={d.line},endLine={d.end_line},"
                f"col={d.column},endColumn={d.end_column},title={_prop(d.rule)}::{_data(d.finding.message)}\n"
            )
    for n in notices:
        out.write(f"::notice title=copydesk::{_data(n)}\n")
