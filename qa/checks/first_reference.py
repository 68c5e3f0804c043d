"""Kind `first-reference`: a known person first mentioned by surname only.

What it flags
    The first mention in the body of a person the knowledge base knows, when it is the surname
    alone ("Putin's invasion", "President Putin") and not the full name ("Vladimir Putin",
    "Gen. Mark Milley", "Charles Q. Brown"). Headlines are skipped: they use surnames by design.
    Surnames that name two people in the knowledge base (Fedorov, Shevchenko) are skipped, as
    the rule cannot tell whom the copy means.

Why
    News style gives a person's full name, usually with the title, on first reference; readers
    abroad may not know who "Syrskyi" is.

Example
    flags "Putin's" in "Shortly before Putin's invasion, Milley called." and suggests
    "Vladimir Putin"; "Vladimir Putin ordered the invasion. Putin ..." is clean.

Options
    none beyond `regions`. The fix inserts the first name and is unsafe: the sentence may want
    the title too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from ..document import HEADING, Document
from ..finding import Edit, Finding, Fix
from ..kb import Entity, KnowledgeBase, first_names, fold
from ..lexicon import function_words
from ..names import name_forms, same_name
from .base import Check

_TITLES = frozenset(
    "mr mrs ms dr gen general president minister prime chancellor secretary colonel col lt major maj admiral "
    "adm commander chief senator sen rep governor gov mayor speaker ambassador sergeant sgt captain capt vice "
    "deputy foreign defense defence interior finance foreign lieutenant marshal field brig brigadier former "
    "acting head leader king queen pope patriarch envoy spokesman spokeswoman spokesperson judge justice".split()
)
_INITIAL = re.compile(r"^[A-Z]\.?$")


class FirstReferenceCheck(Check):
    OPTIONS: dict = {}

    def prepare(self) -> None:
        _ = self.env.kb  # loaded on first access

    def check(self, doc: Document) -> Iterator[Finding]:
        kb = self.env.kb
        forms = name_forms(doc, kb)
        seen: set[str] = set()
        # each spelling's person, looked up once: the forms of one person are compared below
        person_of = {key: _only_person(kb, f.display) for key, f in forms.items()}
        forms_of: dict[int, list] = {}
        for key, f in forms.items():
            if person_of[key] is not None:
                forms_of.setdefault(id(person_of[key]), []).append(f)
        for form in sorted(forms.values(), key=lambda f: f.spans[0][0]):
            person = person_of[form.folded]
            if person is None or person.name in seen:
                continue
            spans = [s for s, given in zip(form.spans, form.followers, strict=False) if not given]
            # the person's first mention in the body, over every spelling of the surname
            firsts = [
                s
                for f in forms_of[id(person)]
                for s, given in zip(f.spans, f.followers, strict=False)
                if not given and doc.region_at(s[0]) != HEADING
            ]
            if not spans or not firsts:
                continue
            seen.add(person.name)
            start, end = min(firsts)
            if not self.reads(doc, start) or _has_given_name(doc, start, person):
                continue
            first = person.first_name or ""
            if not first:
                continue
            yield self.finding(
                start,
                end,
                message=f"First mention of {person.name} is by surname only; give the full name (and title) "
                f"on first reference",
                suggestions=[f"{first} {doc.text[start:end]}"],
                evidence={"person": person.name, "knowledge_base": person.origin.rsplit("/", 1)[-1]},
                fix=Fix(
                    f"Write '{first} {doc.text[start:end]}'", (Edit(start, start, first + " "),), "unsafe"
                ),
            )


def _only_person(kb: KnowledgeBase, word: str) -> Entity | None:
    people = {e.name: e for e in kb.lookup(word) if e.kind == "person"}
    return next(iter(people.values())) if len(people) == 1 else None


def _has_given_name(doc: Document, start: int, person: Entity) -> bool:
    """Whether the words just before the surname are a first name (initials may come between)."""
    tokens = doc.tokens
    starts = doc.cache.get("sentence_starts")
    if starts is None:
        starts = doc.cache["sentence_starts"] = [s.start for s in doc.sentences]
    k = bisect_right(starts, start) - 1
    sentence_start = starts[k] if k >= 0 else 0
    i = bisect_left(doc.segmentation.token_starts, start) - 1
    while i >= 0 and tokens[i].start >= sentence_start:
        word = tokens[i].text
        if word == "." or _INITIAL.match(word):
            i -= 1
            continue  # "Charles Q. Brown"
        if not word[:1].isupper():
            return False
        low = fold(word)
        if person.first_name and same_name(word, person.first_name, None)[0]:
            return True
        if low in first_names():
            return True
        # any other capitalised word that is not a title or a function word ("Maria Kovalenko");
        # "Ukraine's Syrskyi" or "The Syrskyi" are not full names
        return low not in _TITLES and low not in function_words() and not low.endswith(("'s", "’s"))
    return False
