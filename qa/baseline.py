"""Baselines: accept today's findings, report only new ones (`--write-baseline`, `--baseline`).

A finding is recorded by its file (relative to the baseline file's folder), rule and
fingerprint (the rule, the flagged text and a little context; qa.fingerprint), not by line, so
editing elsewhere in a file does not bring baselined findings back.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from .engine import FileResult
from .fingerprint import fingerprints

VERSION = 1


def _key(path: str, base: Path) -> str:
    """A file's name in the baseline: relative to the baseline file's folder."""
    return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()


def write(results: list[FileResult], baseline: Path) -> int:
    base = baseline.resolve().parent
    entries = []
    for r in results:
        for d, fp in zip(r.diagnostics, fingerprints(r.diagnostics, r.source), strict=True):
            entries.append({"path": _key(r.path, base), "rule": d.rule, "fingerprint": fp})
    data = {"version": VERSION, "tool": "copydesk", "findings": entries}
    baseline.write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8", errors="backslashreplace"
    )
    return len(entries)


def load(baseline: Path) -> Counter[tuple[str, str, str]]:
    data = json.loads(baseline.read_text(encoding="utf-8"))
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or not isinstance(data.get("findings"), list)
    ):
        raise ValueError(f"not a copydesk baseline (version {VERSION})")
    return Counter((e["path"], e["rule"], e["fingerprint"]) for e in data["findings"])


def by_path(accepted: Counter[tuple[str, str, str]]) -> dict[str, Counter[tuple[str, str, str]]]:
    """The accepted findings grouped by file, so that each file is filtered on its own."""
    out: dict[str, Counter[tuple[str, str, str]]] = {}
    for key, n in accepted.items():
        out.setdefault(key[0], Counter())[key] = n
    return out


def filter_new(results: list[FileResult], accepted: Counter[tuple[str, str, str]], baseline: Path) -> int:
    """Drop baselined findings from `results` in place; how many were dropped."""
    base = baseline.resolve().parent
    dropped = 0
    for r in results:
        kept = []
        for d, fp in zip(r.diagnostics, fingerprints(r.diagnostics, r.source), strict=True):
            key = (_key(r.path, base), d.rule, fp)
            if accepted[key] > 0:
                accepted[key] -= 1
                dropped += 1
            else:
                kept.append(d)
        r.diagnostics = kept
    return dropped
