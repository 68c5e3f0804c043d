"""Suppression comments, as Ruff's noqa and Vale's comments work.

In Markdown and HTML, comments:

    <!-- copydesk-disable names.variant -->   ... <!-- copydesk-enable -->
    <!-- copydesk-disable -->                  (every rule, until copydesk-enable)
    <!-- copydesk-disable-next-line quotes -->

In plain text and Word files, a line (a paragraph in Word) of its own that starts with
"copydesk:" (a form prose never takes, and never checked itself):

    copydesk: disable names.variant      ... copydesk: enable
    copydesk: disable-next-line quotes

In Word, also a comment whose text is "copydesk: disable RULES" (or just "copydesk: disable"):
it silences those rules in the paragraphs it is attached to, and the story prints without it.

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
# plain text and Word: the directive is a line of its own
LINE_DIRECTIVE = re.compile(r"^[ \t]*copydesk:[ \t]*(disable-next-line|disable|enable)\b([^\n]*)$", re.MULTILINE)
# a Word comment's text
COMMENT_DIRECTIVE = re.compile(r"^\s*copydesk:\s*disable\b(.*)$", re.DOTALL)


@dataclass
class Directive:
    kind: str
    rules: tuple[str, ...]  # empty: every rule
    start: int  # source offsets of the comment
    end: int
    line: int
    end_line: int = 10**9  # last line covered
    used: bool = False


def _rules(text: str) -> tuple[str, ...]:
    return tuple(r for r in re.split(r"[\s,]+", text.strip()) if r)


def directives(doc: Document) -> list[Directive]:
    if doc.format in ("md", "html"):
        pattern = _DIRECTIVE
    elif doc.format in ("txt", "docx"):
        if "copydesk:" not in doc.source:
            return _comment_directives(doc)
        pattern = LINE_DIRECTIVE
    else:
        return []
    out: list[Directive] = []
    open_ranges: list[Directive] = []
    index = doc.line_index
    for m in pattern.finditer(doc.source):
        kind = m.group(1)
        rules = _rules(m.group(2))
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
    return out + _comment_directives(doc)


def _comment_directives(doc: Document) -> list[Directive]:
    """Word comments that say "copydesk: disable ...": the reader lists each comment with the
    source span of the paragraphs it is attached to."""
    out = []
    index = doc.line_index
    for start, end, text in doc.meta.get("comments", ()):
        m = COMMENT_DIRECTIVE.match(text)
        if m:
            first, last = index.locate(start)[0], index.locate(max(start, end - 1))[0]
            out.append(Directive("comment", _rules(m.group(1)), start, end, first, last))
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
                kind = "copydesk: disable comment in Word" if d.kind == "comment" else f"copydesk-{d.kind} comment"
                f = replace(
                    report_unused,
                    message=f"This {kind} ({what}) suppresses nothing; delete it",
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
