"""Kind `article-sound`: "a" before a vowel, "an" before a consonant ("a early decision",
"an decision").

What it flags
    The article "a" before a lower-case word that opens with a, e, i or o ("a early", "a
    important", "A offensive"), and "an" before a lower-case word that opens with a consonant
    other than h ("an decision"). Copy that lost a word in translation or editing ("a [new]
    early warning") shows the same slip.

    Left alone, because the letter is not the sound: words in "u" ("a unit", "an upgrade"),
    "one" and "once" ("a one-time", "a once-great"), "eu" and "ewe" ("a European", "a euro"),
    words in "h" ("an hour", "a historic", "an historic"), capitals and initialisms ("an MP",
    "a UN team", "an SBU officer"), numbers, words of two letters (a fragment such as "an ro"
    where a line was cut), and "an der" in German place names.

Why
    A grammar checker catches it, but only where a LanguageTool server runs; this needs
    nothing. The token after the article is already known, so the check costs almost nothing.

Example
    flags "a early" in "It was a early decision." and suggests "an early"; "a unit", "an
    hour" and "a European" are clean.

Options
    none.

Fixes are unsafe: the rule goes by the letter, and an editor may know the sound differs.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from ..segment import ANCHOR_WORDS
from .base import Check

_VOWELS = "aeio"
_CONSONANTS = "bcdfgjklmnpqrstvwxz"
_NOT_VOWEL_SOUND = ("one", "once", "eu", "ewe")  # "a one-time", "a European"
_FOREIGN_AFTER_AN = frozenset(["der", "den", "dem", "die", "das"])  # Frankfurt an der Oder


class ArticleSoundCheck(Check):
    def __init__(self, spec, env=None) -> None:
        super().__init__(spec, env)
        ANCHOR_WORDS.update(("a", "an"))  # found with the other anchor words, in one pass

    def check(self, doc: Document) -> Iterator[Finding]:
        seg = doc.segmentation
        tokens, text = seg.tokens, doc.text
        for i in seg.words_positions(("a", "an")):
            if i + 1 >= len(tokens):
                continue
            art, word = tokens[i], tokens[i + 1]
            w = word.text
            if word.kind != "word" or len(w) < 3 or not w[:1].islower() or not w.isascii():
                continue  # two letters: a fragment or a lower-case abbreviation, not a word to judge
            if text[art.end : word.start] != " ":
                continue
            if i and text[tokens[i - 1].end : art.start] == "" and tokens[i - 1].text in "-'’":
                continue  # "à-la", "Ca'a": not the article
            first = w[0]
            if art.text.lower() == "a":
                if first not in _VOWELS or w.startswith(_NOT_VOWEL_SOUND):
                    continue
                right = "an" if art.text == "a" else "An"
            else:
                if first not in _CONSONANTS or w in _FOREIGN_AFTER_AN:
                    continue
                right = "a" if art.text == "an" else "A"
            if not self.reads(doc, art.start):
                continue
            fixed = f"{right} {w}"
            yield self.finding(
                art.start,
                word.end,
                message=f"'{art.text} {w}': English writes '{right}' before "
                f"{'a vowel' if right.lower() == 'an' else 'a consonant'} sound, '{fixed}'",
                suggestions=[fixed],
                evidence={"article": art.text, "next_word": w},
                fix=Fix(f"Write '{right}'", (Edit(art.start, art.end, right),), "unsafe"),
            )
