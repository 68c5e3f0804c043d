"""`--statistics`: how many findings each rule has, most first, instead of the findings (Ruff's
statistics): the count, the rule, its severity, how many a safe fix settles, and what the
rule looks for (its description). As JSON (`--format json --statistics`) a list of {"rule",
"count", "severity", "fixable", "description"}."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from ..engine import FileResult


def tally(results: list[FileResult]) -> list[dict]:
    rows: dict[str, dict] = {}
    for r in results:
        for d in r.diagnostics:
            row = rows.setdefault(
                d.rule, {"rule": d.rule, "count": 0, "severity": str(d.severity), "fixable": 0, "description": ""}
            )
            row["count"] += 1
            row["fixable"] += d.fix is not None and d.fix.applicability == "safe"
            if not row["description"] and r.ruleset is not None:
                spec = next((s for s in r.ruleset.specs if s.id == d.rule), None)
                row["description"] = spec.description if spec is not None else ""
    return sorted(rows.values(), key=lambda row: (-row["count"], row["rule"]))


def render(results: list[FileResult], out: TextIO, color: bool, notices: Sequence[str] = (), *, fmt: str = "text") -> None:
    rows = tally(results)
    if fmt == "json":
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    if not rows:
        return
    width = max(len(row["rule"]) for row in rows)
    count_width = max(len(str(row["count"])) for row in rows)
    for row in rows:
        fixable = f"[{row['fixable']} fixable] " if row["fixable"] else ""
        out.write(
            f"{row['count']:>{count_width}}  {row['rule']:<{width}}  {row['severity']:<7}  {fixable}{row['description']}\n"
        )
