"""Kind `doubled-word`: the same word twice in a row ("the the"), across a line break too.

What it flags
    Two consecutive word tokens that are equal regardless of case and separated only by
    whitespace, within one paragraph: "the the", "to to", "Kyiv\\nKyiv".

Why
    A doubled word is almost always a slip of editing or of machine translation, and readers
    notice it at once.

Example
    flags "sent the the equipment"; "He had had enough", "that that" and "bye-bye" are clean,
    as are repeated capitalised names ("Walla Walla") and numbers.

Options
    allow   words that may legitimately repeat ("had had", "that that", "is is" as in "what it
            is is"; default: had, that, is, bye, ha, knock, tsk, boo, chop, tut)
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress, count, islice
from operator import eq

from ..document import Document
from ..finding import Edit, Finding, Fix
from ..lexicon import function_words
from .base import Check, Environment, Option, RuleSpec


class DoubledWordCheck(Check):
    OPTIONS = {
        "allow": Option(
            "list",
            ["had", "that", "is", "bye", "ha", "knock", "tsk", "boo", "chop", "tut"],
            "words that may repeat",
        ),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.allow = frozenset(w.lower() for w in spec.options["allow"])

    def check(self, doc: Document) -> Iterator[Finding]:
        text, seg = doc.text, doc.segmentation
        tokens, lowered = seg.tokens, seg.lowered
        sentence_starts = {s.start for s in doc.sentences}
        # the pairs of equal neighbours, found at C speed; usually none
        for i in compress(count(), map(eq, lowered, islice(lowered, 1, None))):
            a, b = tokens[i], tokens[i + 1]
            if not (a.is_word and b.is_word):
                continue
            low = lowered[i]
            if low in self.allow:
                continue
            gap = text[a.end : b.start]
            if gap.strip() or gap.count("\n") > 1:
                continue
            if a.text[:1].isupper() and b.text[:1].isupper():
                # a repeated name ("Walla Walla", "Sirhan Sirhan"); at the start of a sentence
                # "The The" is still a slip, because "the" is a function word
                if a.start not in sentence_starts or low not in function_words():
                    continue
            if not self.reads(doc, a.start):
                continue
            yield self.finding(
                a.start, b.end, word=a.text, suggestions=[a.text], fix=_fix(a.text, b.text, a.start, b.start)
            )


def _fix(first: str, second: str, start: int, second_start: int) -> Fix:
    # Delete the first word and the gap, so markup around the second ("the **the**") survives;
    # the survivor takes the first word's capital.
    edits = [Edit(start, second_start, "")]
    if first[0] != second[0]:
        edits.append(Edit(second_start, second_start + 1, first[0]))
    return Fix(f"Remove the repeated '{first}'", tuple(edits))
