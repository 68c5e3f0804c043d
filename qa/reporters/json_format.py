"""JSON for machines: versioned, described by qa/schema/report.schema.json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from .. import __version__
from ..engine import FileResult
from ..finding import Severity

JSON_VERSION = "1"


def report(results: list[FileResult], notices: Sequence[str] = ()) -> dict:
    by_severity = {str(s): 0 for s in Severity}
    files = []
    for r in results:
        for d in r.diagnostics:
            by_severity[str(d.severity)] += 1
        files.append(
            {
                "path": r.path,
                "format": r.format,
                "error": r.error,
                "findings": [d.to_dict() for d in r.diagnostics],
            }
        )
    return {
        "version": JSON_VERSION,
        "tool": {"name": "copydesk", "version": __version__},
        "files": files,
        "notices": list(notices),
        "summary": {
            "files": len(results),
            "files_with_errors": sum(1 for r in results if r.error),
            "findings": sum(by_severity.values()),
            "by_severity": by_severity,
        },
    }


def render(results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = ()) -> None:
    json.dump(report(results, notices), out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")
