"""Findings: what a check reports, and the located form the engine hands to reporters.

A check yields `Finding`s with offsets into `Document.text` (the checked text). The engine alone
turns them into `Diagnostic`s located in the source file (offsets, line, column), so no check ever
computes a line or column.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace [start, end) with `replacement`."""

    start: int
    end: int
    replacement: str

    def __reduce__(self):  # pickling by fields, not dataclasses' slow generic state
        return (
            Edit,
            (
                self.start,
                self.end,
                self.replacement,
            ),
        )


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits that resolve a finding; `applicability` is safe or unsafe, as in Ruff."""

    title: str
    edits: tuple[Edit, ...]
    applicability: str = SAFE

    def __reduce__(self):  # pickling by fields, not dataclasses' slow generic state
        return (
            Fix,
            (
                self.title,
                self.edits,
                self.applicability,
            ),
        )


# Rule-id family -> the `kind` vocabulary shared with shared/seed/expected.yaml.
FAMILY_KINDS: Mapping[str, str] = {
    "boilerplate": "boilerplate",
    "translationese": "translationese",
    "repetition": "repetition",
    "quotes": "quotes",
    "names": "name-variant",
    "order": "word-order",
    "titles": "title-mismatch",
    "reference": "first-reference",
    "grammar": "grammar",
    "spelling": "spelling",
    "chars": "characters",
    "style": "style",
    "suppression": "suppression",
}


def kind_of(rule_id: str) -> str:
    family = rule_id.split(".", 1)[0]
    return FAMILY_KINDS.get(family, family)


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (where the majority spelling occurs, say)."""

    start: int
    end: int
    note: str

    def __reduce__(self):  # pickling by fields, not dataclasses' slow generic state
        return (
            Related,
            (
                self.start,
                self.end,
                self.note,
            ),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, as a check reports it: offsets are into `Document.text`."""

    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    fix: Fix | None = None
    related: tuple[Related, ...] = ()

    @property
    def kind(self) -> str:
        return kind_of(self.rule)

    def __reduce__(self):  # pickling by fields, not dataclasses' slow generic state
        return (
            Finding,
            (
                self.rule,
                self.severity,
                self.message,
                self.start,
                self.end,
                self.suggestions,
                self.evidence,
                self.fix,
                self.related,
            ),
        )


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding located in the source file. Offsets and columns count characters."""

    path: str
    finding: Finding
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    fix: Fix | None  # edits in source offsets
    related: tuple[Mapping[str, Any], ...] = ()  # located: path, line, column, text, note

    @property
    def rule(self) -> str:
        return self.finding.rule

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    def __reduce__(self):  # pickling by fields, not dataclasses' slow generic state
        return (
            Diagnostic,
            (
                self.path,
                self.finding,
                self.start,
                self.end,
                self.line,
                self.column,
                self.end_line,
                self.end_column,
                self.text,
                self.fix,
                self.related,
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "rule": f.rule,
            "kind": f.kind,
            "severity": str(f.severity),
            "message": f.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "suggestions": list(f.suggestions),
            "evidence": dict(f.evidence),
            "related": [dict(r) for r in self.related],
            "fix": None
            if self.fix is None
            else {
                "title": self.fix.title,
                "applicability": self.fix.applicability,
                "edits": [
                    {"start": e.start, "end": e.end, "replacement": e.replacement} for e in self.fix.edits
                ],
            },
        }
