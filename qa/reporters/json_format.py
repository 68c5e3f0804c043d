"""JSON for machines: versioned, described by qa/schema/report.schema.json. Written file by
file, so that a run over an archive never holds the whole report in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from .. import __version__
from ..engine import FileResult
from ..finding import Severity

JSON_VERSION = "1"


def _file_entry(r: FileResult) -> dict:
    return {
        "path": r.path,
        "format": r.format,
        "error": r.error,
        "findings": [d.to_dict() for d in r.diagnostics],
    }


def report(results: Iterable[FileResult], notices: Sequence[str] = ()) -> dict:
    """The whole report as one object (for the API and the local web page)."""
    files = [_file_entry(r) for r in results]
    by_severity = {str(s): 0 for s in Severity}
    for f in files:
        for d in f["findings"]:
            by_severity[d["severity"]] += 1
    return {
        "version": JSON_VERSION,
        "tool": {"name": "copydesk", "version": __version__},
        "files": files,
        "notices": list(notices),
        "summary": _summary(len(files), sum(1 for f in files if f["error"]), by_severity),
    }


def _summary(files: int, errors: int, by_severity: dict[str, int]) -> dict:
    return {
        "files": files,
        "files_with_errors": errors,
        "findings": sum(by_severity.values()),
        "by_severity": by_severity,
    }


def render(results: Iterable[FileResult], out: TextIO, color: bool, notices: Sequence[str] = ()) -> None:
    def dump(obj: object, indent: int) -> str:
        text = json.dumps(obj, ensure_ascii=False, indent=2, default=str)
        return text.replace("\n", "\n" + " " * indent)

    by_severity = {str(s): 0 for s in Severity}
    count = errors = 0
    out.write(
        '{\n  "version": '
        + json.dumps(JSON_VERSION)
        + ',\n  "tool": '
        + dump({"name": "copydesk", "version": __version__}, 2)
        + ',\n  "files": ['
    )
    for r in results:
        for severity in r.severities():
            by_severity[str(severity)] += 1
        errors += bool(r.error)
        out.write(("," if count else "") + "\n    " + (r.part("json") or render_file(r, color)))
        count += 1
    out.write(
        ("\n  " if count else "")
        + '],\n  "notices": '
        + dump(list(notices), 2)
        + ',\n  "summary": '
        + dump(_summary(count, errors, by_severity), 2)
        + "\n}\n"
    )


def render_file(result: FileResult, color: bool = False) -> str:
    """One file's entry in the report; a run may work this out as the file is checked."""
    return _entry_text(_file_entry(result))


def _entry_text(entry: dict) -> str:
    """A file's entry with one finding per line. Indenting every nested value would put
    json on its pure-Python encoder, three times slower over an archive; one line per finding
    keeps the C encoder and a report that diffs and greps well."""
    head = ", ".join(
        f'"{key}": {json.dumps(entry[key], ensure_ascii=False)}' for key in ("path", "format", "error")
    )
    findings = entry["findings"]
    if not findings:
        return "{" + head + ', "findings": []}'
    lines = ",\n        ".join(json.dumps(d, ensure_ascii=False, default=str) for d in findings)
    return "{" + head + ',\n      "findings": [\n        ' + lines + "\n      ]}"
