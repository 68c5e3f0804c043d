"""Fingerprints of findings that survive edits elsewhere in a file: the rule, the flagged text
and a little of its context (never line numbers), numbered when the same triple repeats.
Baselines, SARIF's partialFingerprints and GitLab's fingerprint all use them."""

from __future__ import annotations

import hashlib
from collections import Counter

from .finding import Diagnostic

CONTEXT = 24  # characters either side of the flagged text


def fingerprints(diagnostics: list[Diagnostic], source: str | None) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for d in diagnostics:
        text = source or ""
        before = " ".join(text[max(0, d.start - CONTEXT) : d.start].split())
        after = " ".join(text[d.end : d.end + CONTEXT].split())
        base = hashlib.sha256(
            "\x1f".join((d.rule, " ".join(d.text.split()), before, after)).encode("utf-8", "surrogatepass")
        ).hexdigest()[:32]
        seen[base] += 1
        out.append(f"{base}:{seen[base]}")
    return out
