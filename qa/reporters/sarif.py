"""SARIF 2.1.0 for code-scanning tools (GitHub): stable rule ids, relative URIs, rule help,
partialFingerprints that survive edits elsewhere in the file."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..engine import FileResult
from ..finding import Severity
from ..fingerprint import fingerprints

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = path
    return Path(rel).as_posix() if not rel.startswith("..") else Path(os.path.abspath(path)).as_uri()


def report(results: list[FileResult], notices: Sequence[str] = ()) -> dict:
    specs = {}
    for r in results:
        if r.ruleset is not None:
            for s in r.ruleset.specs:
                specs.setdefault(s.id, s)
    used = sorted({d.rule for r in results for d in r.diagnostics})
    rules = []
    for rule_id in used:
        s = specs.get(rule_id)
        rules.append(
            {
                "id": rule_id,
                "name": rule_id.replace(".", "-"),
                "shortDescription": {"text": s.description if s else rule_id},
                "fullDescription": {"text": s.description if s else rule_id},
                "help": {
                    "text": f"{s.description if s else rule_id}. Run `copydesk explain {rule_id}` for the rule's "
                    "documentation and examples."
                },
                "defaultConfiguration": {"level": LEVELS[s.severity] if s else "warning"},
                "properties": {"kind": rule_id.split(".")[0], "tags": ["editorial"]},
            }
        )
    index = {r["id"]: i for i, r in enumerate(rules)}
    out_results = []
    for r in results:
        for d, fp in zip(r.diagnostics, fingerprints(r.diagnostics, r.source), strict=True):
            result = {
                "ruleId": d.rule,
                "ruleIndex": index[d.rule],
                "level": LEVELS[d.severity],
                "message": {"text": d.finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(d.path)},
                            "region": {
                                "startLine": d.line,
                                "startColumn": d.column,
                                "endLine": d.end_line,
                                "endColumn": d.end_column,
                                "snippet": {"text": d.text},
                            },
                        }
                    }
                ],
                "partialFingerprints": {"copydesk/v1": fp},
            }
            if d.finding.suggestions:
                result["properties"] = {"suggestions": list(d.finding.suggestions)}
            out_results.append(result)
    notifications = [
        {"level": "error", "message": {"text": f"{r.path}: {r.error}"}} for r in results if r.error
    ]
    notifications += [{"level": "note", "message": {"text": n}} for n in notices]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "copydesk",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/copydesk/copydesk",
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not any(r.error for r in results),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": out_results,
            }
        ],
    }


def render(results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = ()) -> None:
    json.dump(report(results, notices), out, ensure_ascii=False, indent=2)
    out.write("\n")
