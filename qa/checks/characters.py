"""Kind `characters`: characters that look right and are wrong.

What it flags (the entry's `report` option picks one)
    homoglyph       Cyrillic letters inside a Latin word: "Censor.NЕТ" typed with Cyrillic Е
                    and Т, "Kharkіv" with Ukrainian і. Search, sorting and spellcheck all fail on
                    such words. The fix swaps in the Latin look-alike.
    modifier-apostrophe
                    U+02BC (ʼ, the Ukrainian apostrophe letter) in an English word ("Milleyʼs",
                    "donʼt"); English uses ’ (U+2019). Inside Ukrainian words (Знамʼянка) it is
                    right and is left alone.
    invisible       zero-width spaces and joiners, soft hyphens, word joiners, stray byte-order
                    marks and bidirectional controls pasted in from a CMS or a translation tool.
                    The fix deletes them.

Why
    These survive every visual proofread and break what comes after: search, links, the
    spellchecker, screen readers.

Example
    flags "ЕТ" in "Censor.NЕТ reported"; "Censor.NET reported" and "Знамʼянка" are clean.

Options
    report       homoglyph, modifier-apostrophe or invisible
    apostrophe   what replaces U+02BC (default ’)

All fixes are safe.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from .base import Check, Environment, Option, RuleSpec

# Cyrillic letters with a Latin twin in common fonts
LOOKALIKES = str.maketrans(
    {
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "һ": "h",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
    }
)
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff\u0500-\u052f]+")
_LATIN = re.compile(r"[A-Za-z]")
_MODIFIER = re.compile(r"(?<=[A-Za-z])\u02bc|\u02bc(?=[A-Za-z])")
_INVISIBLE = re.compile("[\u200b\u200c\u2060\u00ad\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
_NAMES = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u2060": "word joiner",
    "\u00ad": "soft hyphen",
    "\ufeff": "byte-order mark",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
}


class CharactersCheck(Check):
    OPTIONS = {
        "report": Option(
            "str", "homoglyph", "what this rule reports", ("homoglyph", "modifier-apostrophe", "invisible")
        ),
        "apostrophe": Option("str", "’", "what replaces U+02BC"),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.report = spec.options["report"]

    def check(self, doc: Document) -> Iterator[Finding]:
        if self.report == "homoglyph":
            yield from self._homoglyphs(doc)
        elif self.report == "modifier-apostrophe":
            if "\u02bc" not in doc.text:
                return  # the pattern starts with a lookbehind: a plain search first is far faster
            for m in _MODIFIER.finditer(doc.text):
                if self.reads(doc, m.start()):
                    want = self.options["apostrophe"]
                    yield self.finding(
                        m.start(),
                        m.end(),
                        message=f"U+02BC (ʼ) is the Ukrainian apostrophe letter; English uses {want}",
                        suggestions=[want],
                        fix=Fix(f"Replace with {want}", (Edit(m.start(), m.end(), want),)),
                    )
        else:
            for m in _INVISIBLE.finditer(doc.text):
                if self.reads(doc, m.start()):
                    names = sorted(
                        {_NAMES.get(c, f"bidirectional control U+{ord(c):04X}") for c in m.group()}
                    )
                    yield self.finding(
                        m.start(),
                        m.end(),
                        message=f"Invisible character ({', '.join(names)}); delete it",
                        suggestions=[""],
                        evidence={"codepoints": [f"U+{ord(c):04X}" for c in m.group()]},
                        fix=Fix("Delete the invisible character", (Edit(m.start(), m.end(), ""),)),
                    )

    def _homoglyphs(self, doc: Document) -> Iterator[Finding]:
        if not _CYRILLIC_RUN.search(doc.text):
            return  # most English copy has no Cyrillic at all
        seg = doc.segmentation
        tokens, starts = seg.tokens, seg.token_starts
        # only the tokens that hold a Cyrillic letter, found from the letters (a Ukrainian
        # quotation has many; an English article a handful)
        seen: set[int] = set()
        for run in _CYRILLIC_RUN.finditer(doc.text):
            i = bisect_right(starts, run.start()) - 1
            if i < 0 or i in seen or tokens[i].end <= run.start():
                continue
            seen.add(i)
            tok = tokens[i]
            if not tok.is_word or not _LATIN.search(tok.text):
                continue
            if not self.reads(doc, tok.start):
                continue
            for m in _CYRILLIC_RUN.finditer(tok.text):
                start, end = tok.start + m.start(), tok.start + m.end()
                latin = m.group().translate(LOOKALIKES)
                fixable = not _CYRILLIC_RUN.search(latin)
                codes = ", ".join(f"U+{ord(c):04X}" for c in m.group())
                yield self.finding(
                    start,
                    end,
                    message=f"Cyrillic letter{'s' if len(m.group()) > 1 else ''} '{m.group()}' ({codes}) inside "
                    f"the Latin word '{tok.text}'" + (f"; type '{latin}'" if fixable else ""),
                    suggestions=[latin] if fixable else [],
                    evidence={"word": tok.text, "codepoints": codes},
                    fix=Fix(f"Replace with Latin '{latin}'", (Edit(start, end, latin),)) if fixable else None,
                )
