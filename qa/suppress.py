"""Suppression comments in Markdown and HTML, as Ruff's noqa and Vale's comments work:

    <!-- copydesk-disable names.variant -->   ... <!-- copydesk-enable -->
    <!-- copydesk-disable -->                  (every rule, until copydesk-enable)
    <!-- copydesk-disable-next-line quotes -->

Rules are named by id prefix, comma- or space-separated. A comment that suppresses nothing is
itself reported (suppression.unused), so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .document import Document
from .finding import Diagnostic, Finding
from .selection import matches

_DIRECTIVE = re.compile(r"<!--\s*copydesk-(disable-next-line|disable|enable)\b([^>]*?)-->")


@dataclass
class Directive:
    kind: str
    rules: tuple[str, ...]  # empty: every rule
    start: int  # source offsets of the comment
    end: int
    line: int
    end_line: int = 10**9  # last line covered
    used: bool = False


def directives(doc: Document) -> list[Directive]:
    if doc.format not in ("md", "html"):
        return []
    out: list[Directive] = []
    open_ranges: list[Directive] = []
    index = doc.line_index
    for m in _DIRECTIVE.finditer(doc.source):
        kind = m.group(1)
        rules = tuple(r for r in re.split(r"[\s,]+", m.group(2).strip()) if r)
        line = index.locate(m.start())[0]
        if kind == "enable":
            for d in list(open_ranges):
                if not rules or set(d.rules) & set(rules) or not d.rules:
                    d.end_line = line
                    open_ranges.remove(d)
            continue
        d = Directive(kind, rules, m.start(), m.end(), line)
        if kind == "disable-next-line":
            d.line = d.end_line = index.locate(m.end())[0] + 1
        else:
            open_ranges.append(d)
        out.append(d)
    return out


def apply(doc: Document, diagnostics: list[Diagnostic], report_unused: Finding | None) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add one for each directive that suppressed nothing."""
    found = directives(doc)
    if not found:
        return diagnostics
    kept = []
    for diag in diagnostics:
        hit = [
            d
            for d in found
            if d.line <= diag.line <= d.end_line
            and (not d.rules or any(matches(diag.rule, r) for r in d.rules))
        ]
        for d in hit:
            d.used = True
        if not hit:
            kept.append(diag)
    if report_unused is not None:
        for d in found:
            if not d.used:
                line, col = doc.line_index.locate(d.start)
                end_line, end_col = doc.line_index.locate(d.end)
                what = ", ".join(d.rules) or "every rule"
                f = replace(
                    report_unused,
                    message=f"This copydesk-{d.kind} comment ({what}) suppresses nothing; delete it",
                    start=d.start,
                    end=d.end,
                )
                kept.append(
                    Diagnostic(
                        doc.path,
                        f,
                        d.start,
                        d.end,
                        line,
                        col,
                        end_line,
                        end_col,
                        doc.source[d.start : d.end],
                        None,
                    )
                )
    return sorted(kept, key=lambda x: (x.start, x.end, x.rule))
