"""Kind `substitution`: a word the house spells another way ("Kiev" -> "Kyiv"), as Vale's
substitution rules have it.

What it flags
    Each word of the `swap` table (and `extra_swap`), as a whole word, in any case; a
    possessive ("Kiev's") is flagged without its ending. Phrases in `exceptions` ("Chicken
    Kiev") are left alone.

Why
    A spellchecker accepts Kiev, Kharkov and Odessa: they are English words of an older usage.
    Ukrainian place names in English follow the national romanization since 2019 (AP adopted
    Kyiv that August), and a newsroom's own choices (Zelensky or Zelenskyy) belong in one table.

Example
    flags "Kiev" in "Aid reached Kiev on Monday." and suggests "Kyiv"; "Chicken Kiev was
    served" is clean.

Options
    swap         the house table: spelling to avoid -> spelling to use
    extra_swap   entries added to `swap` (so a house extends the table without copying it)
    exceptions   phrases in which the avoided spelling stays
    ignorecase   match regardless of case (default true); the suggestion keeps capitals

The fix replaces the word and is safe: the table says exactly what the house wants.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from .base import Check, Environment, Option, RuleSpec

_POSSESSIVE = re.compile(r"(?:['’ʼ]s|(?<=s)['’ʼ])$")


def _bare(folded: str) -> str:
    """A folded word without a possessive ending, apostrophes made one."""
    folded = folded.replace("’", "'").replace("ʼ", "'")
    if folded.endswith("'s"):
        return folded[:-2]
    return folded[:-1] if folded.endswith("s'") else folded


class SubstitutionCheck(Check):
    OPTIONS = {
        "swap": Option("map", {}, "spelling to avoid -> spelling to use"),
        "extra_swap": Option("map", {}, "entries added to swap"),
        "exceptions": Option("list", [], "phrases in which the avoided spelling stays"),
        "ignorecase": Option("bool", True, "match regardless of case"),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        table = {**spec.options["swap"], **spec.options["extra_swap"]}
        if not table:
            raise ValueError("a substitution rule needs a 'swap' table")
        self.ignorecase = spec.options["ignorecase"]
        self.table = {(k.casefold() if self.ignorecase else k): v for k, v in table.items()}
        # the table's one-word keys as Segmentation.folded_words spells them (one apostrophe)
        bare = {_bare(k.casefold()) for k in table}  # and their possessives, "Kiev's", "Kyivs'"
        self.folded_keys = frozenset(
            bare | {k + "'s" for k in bare} | {k + "'" for k in bare if k.endswith("s")}
        )
        # one-word entries are looked up token by token (fast); phrases go through a regex
        phrases = sorted((k for k in table if " " in k), key=len, reverse=True)
        flags = re.IGNORECASE if self.ignorecase else 0
        self.phrases = [p.casefold() for p in phrases]  # a quick test before the regex
        alternatives = "|".join(re.escape(w) for w in phrases)
        self.regex = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags) if phrases else None
        self.exceptions = [re.compile(re.escape(e), re.IGNORECASE) for e in spec.options["exceptions"]]
        self.exception_texts = [e.casefold() for e in spec.options["exceptions"]]

    def _matches(self, doc: Document) -> Iterator[tuple[int, int]]:
        table, ignorecase = self.table, self.ignorecase
        seg = doc.segmentation
        tokens = seg.tokens
        # each distinct word is looked up once, and only the ones in the table are located
        if ignorecase:  # the folded spellings are casefolded already: skip what cannot match
            words = seg.folded_words
            texts = [t for key in self.folded_keys.intersection(words) for t in words[key]]
        else:
            texts = [t for t in seg.vocabulary if t[0].isalpha()]
        for text in texts:
            word = _POSSESSIVE.sub("", text) if "'" in text or "’" in text or "ʼ" in text else text
            if (word.casefold() if ignorecase else word) in table:
                for i in seg.positions(text):
                    yield tokens[i].start, tokens[i].start + len(word)
        if self.regex is not None and any(p in doc.casefolded for p in self.phrases):
            yield from (m.span() for m in self.regex.finditer(doc.text))

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        matches = sorted(self._matches(doc))
        if not matches:
            return
        folded = doc.casefolded  # each exception is searched for only if it occurs at all
        excepted = [
            m.span()
            for e, rx in zip(self.exception_texts, self.exceptions, strict=True)
            if e in folded
            for m in rx.finditer(text)
        ]
        for start, end in matches:
            if any(a <= start and end <= b for a, b in excepted) or not self.reads(doc, start):
                continue
            written = text[start:end]
            want = self.table[written.casefold() if self.ignorecase else written]
            if written.isupper() and len(written) > 1:
                want = want.upper()
            yield self.finding(
                start,
                end,
                message=f"House style spells '{written}' as '{want}'",
                suggestions=[want],
                evidence={"house_spelling": want},
                fix=Fix(f"Spell it '{want}'", (Edit(start, end, want),)),
            )
