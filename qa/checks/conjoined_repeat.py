"""Kind `conjoined-repeat`: a word joined to itself by "and" ("angry and angry").

What it flags
    "X and X" where both words are the same, regardless of case: "angry and angry",
    "talks and talks". Machine translation produces it from Ukrainian and Russian pairs of
    near-synonyms ("злитися і сердитися") that English has one word for.

Why
    English repeats a word with "and" only to intensify ("more and more", "again and again",
    "closer and closer", "years and years"); elsewhere the second word is a lost synonym.

Example
    flags "get a little angry and angry"; "more and more", "over and over", "better and better"
    and "miles and miles" are clean.

Options
    allow       words that may repeat around "and" (intensifiers)
    comparatives  allow comparatives ending in -er (default true)
    plurals     allow plural nouns ending in -s ("years and years"; default true)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from .base import Check, Environment, Option, RuleSpec

_INTENSIFIERS = [
    "more",
    "less",
    "again",
    "over",
    "on",
    "round",
    "around",
    "through",
    "by",
    "out",
    "up",
    "down",
    "back",
    "far",
    "fewer",
    "worse",
    "better",
    "further",
    "farther",
    "higher",
    "lower",
    "on",
    "in",
    "deeper",
    "bigger",
    "smaller",
    "wider",
    "faster",
    "slower",
    "stronger",
    "weaker",
    "louder",
    "so",
    "such",
    "many",
    "much",
    "very",
    "really",
    "half",
    "neck",
    "tit",
    "pick",
    "ever",
    "forever",
]


class ConjoinedRepeatCheck(Check):
    OPTIONS = {
        "allow": Option("list", _INTENSIFIERS, "words that may repeat around 'and'"),
        "comparatives": Option("bool", True, "allow comparatives ending in -er"),
        "plurals": Option("bool", True, "allow plural nouns ending in -s"),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.allow = frozenset(w.lower() for w in spec.options["allow"])

    def _allowed(self, word: str) -> bool:
        if word in self.allow:
            return True
        if self.options["comparatives"] and len(word) > 4 and word.endswith("er"):
            return True
        return bool(
            self.options["plurals"] and len(word) > 3 and word.endswith("s") and not word.endswith("ss")
        )

    def check(self, doc: Document) -> Iterator[Finding]:
        text, seg = doc.text, doc.segmentation
        tokens = seg.tokens
        for c in seg.word_positions("and"):  # only around "and": a few places per article
            if c == 0 or c + 1 >= len(tokens):
                continue
            a, conj, b = tokens[c - 1], tokens[c], tokens[c + 1]
            if not (a.is_word and b.is_word):
                continue
            word = a.text.lower()
            if word != b.text.lower() or self._allowed(word):
                continue
            if text[a.end : conj.start].strip() or text[conj.end : b.start].strip():
                continue
            if not self.reads(doc, a.start):
                continue
            yield self.finding(
                a.start,
                b.end,
                phrase=text[a.start : b.end],
                word=a.text,
                suggestions=[a.text],
                fix=Fix(f"Keep one '{a.text}'", (Edit(a.end, b.end, ""),), "unsafe"),
            )
