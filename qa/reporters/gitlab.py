"""GitLab Code Quality JSON: an array of issues with unique fingerprints, shown in merge
requests."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from typing import TextIO

from ..engine import FileResult
from ..finding import Severity
from ..fingerprint import fingerprints

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def report(results: list[FileResult]) -> list[dict]:
    issues = []
    for r in results:
        for d, fp in zip(r.diagnostics, fingerprints(r.diagnostics, r.source), strict=True):
            path = os.path.relpath(d.path) if os.path.isabs(d.path) else d.path
            issues.append(
                {
                    "type": "issue",
                    "description": f"{d.rule}: {d.finding.message}",
                    "check_name": d.rule,
                    "fingerprint": hashlib.sha256(f"{path}\x1f{fp}".encode("utf-8", "surrogateescape")).hexdigest(),
                    "severity": SEVERITIES[d.severity],
                    "location": {"path": path, "lines": {"begin": d.line, "end": d.end_line}},
                    "categories": ["Style"],
                }
            )
    return issues


def render(results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = ()) -> None:
    json.dump(report(results), out, ensure_ascii=False, indent=2)
    out.write("\n")
