"""Kind `literal-name`: place, organisation and outlet names translated word for word.

What it flags
    A name the knowledge base lists as a word-for-word translation of a real one: "White
    Church" for Bila Tserkva (Біла Церква), "Yellow Waters" for Zhovti Vody, "New Kakhovka" for
    Nova Kakhovka, "Central Intelligence Administration" for the Central Intelligence Agency,
    "Ukrainian Truth" for the outlet Ukrainska Pravda; and an abbreviation left in the original's
    letters romanised, "ZSU" (ЗСУ) or "VSU" (ВСУ) for the Armed Forces of Ukraine. A phrase is matched whole and with the
    capitals the data gives (a "white church" in a village is a church, not a town), so
    ordinary English words stay clean.

Why
    Machine translation renders what a name means instead of the name: readers, maps and
    search know Bila Tserkva, and an agency or outlet has the English name it gives itself.

Example
    flags "White Church" in "Shelling hit White Church overnight." and suggests "Bila
    Tserkva"; "The white church on the hill survived." is clean.

Options
    none: the phrases are data, not options.

Data
    `literal:` in an entity of rules/data/kb/ (or of a house file under `knowledge`); "{a|b}"
    writes out both spellings ("{Big|Great} Novosilka"). `romanised:` lists abbreviations
    (matched whole and in capitals: "ZSU-23-4", the Soviet gun, stays clean).

The fix writes the real name and is unsafe: the phrase may name something else in the story
("the White Church of St Nicholas"), which the editor can see and the rule cannot.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..finding import Edit, Finding, Fix
from .base import Check


class LiteralNameCheck(Check):
    def prepare(self) -> None:
        _ = self.env.kb.literal_forms  # built on first access

    def check(self, doc: Document) -> Iterator[Finding]:
        forms = self.env.kb.literal_forms  # first word (folded) -> (phrase, entity) pairs
        # the words of the text are listed once per document for every check: a set
        # intersection finds the few phrases that can occur, instead of a search per phrase
        present = forms.keys() & doc.segmentation.folded_words.keys()
        if not present:
            return
        text = doc.text
        found = []
        for word in present:
            for phrase, entity, romanised in forms[word]:
                at = text.find(phrase)
                while at >= 0:
                    end = at + len(phrase)
                    if _whole(text, at, end) and self.reads(doc, at):
                        found.append((at, end, phrase, entity, romanised))
                    at = text.find(phrase, end)
        taken: list[tuple[int, int]] = []
        for at, end, phrase, entity, romanised in sorted(found, key=lambda f: (f[0], -f[1])):
            if any(s < end and at < e for s, e in taken):
                continue  # "Big Novosilka" inside a longer listed phrase: one finding
            taken.append((at, end))
            original = f" ({entity.cyrillic})" if entity.cyrillic else ""
            what = {"place": "place name", "organization": "name"}.get(entity.kind, "name")
            message = (
                f"'{phrase}' is the Ukrainian or Russian abbreviation, left in Latin letters; in English it "
                f"is {entity.name}"
                if romanised
                else f"'{phrase}' translates the {what}{original} word for word; in English it is {entity.name}"
            )
            yield self.finding(
                at,
                end,
                message=message,
                suggestions=[entity.name],
                evidence={"name": entity.name, "kind": entity.kind, "data": entity.origin},
                fix=Fix(f"Write '{entity.name}'", (Edit(at, end, entity.name),), "unsafe"),
            )


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is whole words: no letter or digit glued on either side."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (
        (before.isalnum() or before == "-") and text[start].isalnum()
        or (after.isalnum() or after == "-") and text[end - 1].isalnum()
    )
