"""Kind `transliteration-mix`: a name whose parts follow different romanization systems.

What it flags
    A first name and surname where one part is spelled the Russian way and the other the
    Ukrainian national way (KMU 2010): "Valery Zaluzhnyi" (Valery from Russian Валерий; the
    Ukrainian Валерій is Valerii), "Oleksandr Syrsky" (Syrsky from Russian Сырский). First
    names are classified with the table in rules/data/first-names.yaml, romanized by every
    Ukrainian and every Russian system; surnames by the knowledge base (which system produces
    the spelling from the person's Cyrillic) or, for people it does not know, by the endings
    only the Ukrainian system writes (-yi, -ii) or only Russian ones write (-iy, -yy).

Why
    A mixed name shows a half-finished edit or a machine translation through Russian, and it
    is spelled neither the way the person spells it nor the way the house does. But a house
    may consistently write the conventional English forms ("Volodymyr Zelensky", "Oleksandr
    Syrsky", as AFP, the BBC and Reuters do), which are mixes by this definition and not
    errors: so `names.system-mix` is off by default, for a house that follows KMU 2010
    strictly to turn on (`[rules."names.system-mix"] enabled = true`, or `--select`). Even then,
    a surname the knowledge base lists as `conventional` (Zelensky, Syrsky, Zaluzhny) is never
    counted as a mix.

Example
    flags "Valery Zaluzhnyi" and suggests "Valerii Zaluzhnyi"; "Valerii Zaluzhnyi" and
    "Andriy Sadovyi" (the mayor's own spelling, in the knowledge base) are clean.

Options
    none beyond `regions`. The fix is safe when the knowledge base knows the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from ..kb import Entity, KnowledgeBase, first_names, fold
from ..segment import ANCHOR_WORDS
from ..translit import last_word_spellings, romanize
from .base import Check

_POSSESSIVE = re.compile(r"(?:['’ʼ]s|(?<=s)['’ʼ])$")
_UK_ENDING = re.compile(r"(?:yi|ii)$")
_RU_ENDING = re.compile(r"(?:iy|yy)$")


class TransliterationMixCheck(Check):
    OPTIONS: dict = {}
    _registered = False

    def prepare(self) -> None:
        _ = self.env.kb  # loaded on first access

    def check(self, doc: Document) -> Iterator[Finding]:
        text, seg = doc.text, doc.segmentation
        tokens = seg.tokens
        names = first_names()
        kb = self.env.kb
        if not self._registered:  # found with the other anchors in later documents
            ANCHOR_WORDS.update(names)
            self._registered = True
        for i in seg.words_positions(names.keys()):  # a known first name, then a surname
            if i + 1 >= len(tokens):
                continue
            a, b = tokens[i], tokens[i + 1]
            if not (a.is_word and b.is_word and a.text[0].isupper() and b.text[0].isupper()):
                continue
            if text[a.end : b.start] != " " or not self.reads(doc, a.start):
                continue
            given_class = names.get(fold(a.text))
            if given_class is None:
                continue
            surname = _POSSESSIVE.sub("", b.text)
            entity = _person(kb, surname)
            if entity is not None and fold(f"{a.text} {surname}") in _known_full_names(entity):
                continue  # the person's own spelling
            if entity is not None and fold(surname) in {fold(c) for c in entity.conventional}:
                continue  # "Volodymyr Zelensky": the English-language press's spelling, not a mix
            surname_class = _surname_system(surname, entity)
            if surname_class is None or surname_class == given_class[0]:
                continue
            yield self._finding(
                a.start, b.start + len(surname), a.text, surname, given_class, surname_class, entity
            )

    def _finding(
        self,
        start: int,
        end: int,
        given: str,
        surname: str,
        given_class: tuple[str, str],
        surname_class: str,
        entity: Entity | None,
    ) -> Finding:
        if entity is not None:
            suggestion, safety = entity.name, "safe"
        elif given_class[0] == "ru":  # Russian-derived first name beside a Ukrainian surname
            suggestion, safety = f"{romanize(given_class[1], 'kmu2010')} {surname}", "unsafe"
        else:
            suggestion, safety = "", "unsafe"
        parts = {"ru": "Russian-derived", "uk": "Ukrainian (KMU 2010)"}
        message = (
            f"'{given} {surname}' mixes romanizations: '{given}' is {parts[given_class[0]]}, "
            f"'{surname}' is {parts[surname_class]}"
        )
        message += f"; write '{suggestion}'" if suggestion else "; spell both parts in one system"
        return self.finding(
            start,
            end,
            message=message,
            suggestions=[suggestion] if suggestion else [],
            evidence={
                "first_name": given_class[0],
                "surname": surname_class,
                "person": entity.name if entity else None,
            },
            fix=Fix(f"Write '{suggestion}'", (Edit(start, end, suggestion),), safety) if suggestion else None,
        )


def _person(kb: KnowledgeBase, surname: str) -> Entity | None:
    people = [e for e in kb.lookup(surname) if e.kind == "person"]
    return people[0] if len({e.name for e in people}) == 1 else None


def _known_full_names(entity: Entity) -> set[str]:
    return {fold(entity.name), *(fold(v) for v in entity.variants)}


def _surname_system(surname: str, entity: Entity | None) -> str | None:
    """'uk' or 'ru' when the spelling comes from one family of systems only, else None."""
    if entity is not None and entity.lang == "uk":
        uk, ru = last_word_spellings(entity.cyrillic, entity.ru)
        word = fold(surname)
        # a spelling some Ukrainian system gives is Ukrainian, even if ICAO's Russian table
        # happens to give it too (Zaluzhnyi)
        if word in uk or word == fold(entity.key or ""):
            return "uk"
        return "ru" if word in ru else None
    if entity is not None:
        return None  # a Russian or foreign person: no Ukrainian spelling to mix with
    low = fold(surname)
    if _UK_ENDING.search(low):
        return "uk"
    if _RU_ENDING.search(low):
        return "ru"
    return None
