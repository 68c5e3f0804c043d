"""Kind `first-reference`: a person called by surname alone in the body before the article
gives the full name.

What it flags
    The first mention in the article's prose of a person the knowledge base knows, when it is
    the surname alone ("Syrskyi said the line held") and a later sentence gives the full name
    ("Commander-in-Chief Oleksandr Syrskyi ..."): the full name belongs at the first reference,
    so the editor moves it up. When the headline, standfirst or a caption has already given the
    full name, the reader has it and nothing is flagged. A person the knowledge base marks
    `widely_known: false` (a spokesman, a regional governor: "Yusov said ...") is flagged at a
    surname-only first reference even when the full name never comes. A person named by surname only, throughout, is not flagged:
    readers of news know "Putin", "Biden" and "Zelensky", and the rule cannot know whom a
    house's readers know.

    Not prose, so never a first reference: headlines and other headings, captions, block
    quotations, words inside quotation marks, lines that do not end a sentence (standfirsts,
    "Read also:" lines, bylines, datelines, tag lists and other page furniture), the text's
    first paragraph when it ends no sentence (up to 60 words: a headline with its standfirst),
    everything above a byline or date line near the top ("By Bohdan Ben", "06/05/2024",
    "Oct. 22, 2023", "2 minute read": a web page's headline, standfirst and photo line), and names in
    capitals (transcript speaker labels such as "PRESIDENT ZELENSKYY:"), and source labels
    opening a paragraph ("Quote from Syrskyi: ...", "Source: Zelenskyy on Telegram"). Surnames that name two
    people in the knowledge base (Fedorov, Shevchenko) are skipped, as the rule cannot tell
    whom the copy means.

Why
    News style gives a person's full name, usually with the title, on first reference; copy
    moved around in editing, or translated paragraph by paragraph, often ends with the full
    name further down.

Example
    flags "Syrskyi" in "Syrskyi said the line held. Commander-in-Chief Oleksandr Syrskyi visited
    the front." and suggests "Oleksandr Syrskyi"; "Shortly before Putin's invasion, the two
    generals spoke." and "Vladimir Putin ordered the invasion. Putin later denied it." are clean.

Options
    none beyond `regions`. Severity info. The fix inserts the first name and is unsafe: the
    sentence may want the title too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from ..document import CAPTION, HEADING, QUOTE, Document
from ..finding import Edit, Finding, Fix, Related
from ..kb import Entity, KnowledgeBase, first_names, fold
from ..lead import lead_end
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
_ENDS_SENTENCE = re.compile(r"[.!?…][\"”»’')\]]*\s*$")
_OPENING, _CLOSING = "“«„", "”»"
# a paragraph that opens with a label naming its source: "Quote from Syrskyi:", "Source: Zelenskyy
# on Telegram", "Quote by Kuleba:" (Ukrainska Pravda's and others' English editions)
_QUOTE_LABEL = re.compile(r"\s*(?:quote|quoted|quotation|statement|comment)\s+(?:from|by)\s+(?:[\w'’.-]+\s+){0,4}$", re.I)
_SOURCE_LABEL = re.compile(r"\s*source:\s*(?:[\w'’.-]+\s+){0,4}$", re.I)
FURNITURE_WORDS = 15  # a line this short that ends no sentence is a headline, standfirst or label
HEADLINE_WORDS = 60  # the text's first paragraph, ending no sentence, is its headline and standfirst up to this long


class FirstReferenceCheck(Check):
    OPTIONS: dict = {}

    def prepare(self) -> None:
        _ = self.env.kb  # loaded on first access

    def check(self, doc: Document) -> Iterator[Finding]:
        kb = self.env.kb
        forms = name_forms(doc, kb)
        # each spelling's person, looked up once; a person's mentions over all their spellings
        mentions: dict[str, list[tuple[int, int]]] = {}
        everywhere: dict[str, list[tuple[int, int]]] = {}
        people: dict[str, Entity] = {}
        for form in forms.values():
            person = _only_person(kb, form.display)
            if person is None or not person.first_name:
                continue
            people[person.name] = person
            mentions.setdefault(person.name, []).extend(
                span for span, given in zip(form.spans, form.followers, strict=False) if not given
            )
            # every occurrence, "Lloyd J. Austin III" too, for whether the full name came first
            everywhere.setdefault(person.name, []).extend(form.spans)
        for name, spans in mentions.items():
            person = people[name]
            spans.sort()
            prose = [span for span in spans if _in_prose(doc, *span)]
            if not prose:
                continue
            start, end = prose[0]
            if not self.reads(doc, start) or _has_given_name(doc, start, person):
                continue
            if any(s[0] < start and _has_given_name(doc, s[0], person) for s in everywhere[name]):
                continue  # the headline or a caption gave the full name: the reader has it
            later = next((s for s in spans if s[0] > start and _has_given_name(doc, s[0], person)), None)
            if later is None and person.widely_known:
                continue  # named by surname throughout: a name readers know, or the house's choice
            first = person.first_name
            if later is not None:
                message = (
                    f"{person.name} is first called by surname only; the full name comes later in the "
                    f"article and belongs at the first reference"
                )
                related: tuple[Related, ...] = (Related(later[0], later[1], "the full name is given here"),)
            else:
                message = (
                    f"{person.name} is called by surname only, and readers may not know who that is: "
                    f"give the full name (and the post) at the first reference"
                )
                related = ()
            yield self.finding(
                start,
                end,
                message=message,
                suggestions=[f"{first} {doc.text[start:end]}"],
                evidence={
                    "person": person.name,
                    "knowledge_base": person.origin.rsplit("/", 1)[-1],
                    "widely_known": person.widely_known,
                },
                related=related,
                fix=Fix(
                    f"Write '{first} {doc.text[start:end]}'", (Edit(start, start, first + " "),), "unsafe"
                ),
            )


def _in_prose(doc: Document, start: int, end: int) -> bool:
    """Whether a mention is in the article's prose (see the module doc for what is not)."""
    if doc.region_at(start) in (HEADING, CAPTION, QUOTE):
        return False
    word = doc.text[start:end]
    if len(word) > 1 and word.isupper():
        return False  # "PRESIDENT ZELENSKYY:", a headline in capitals
    if _in_headline(doc.text, start) or start < lead_end(doc):
        return False
    para = _paragraph_at(doc, start)
    if para is None:
        return True
    text = doc.text[para[0] : para[1]]
    if not _ENDS_SENTENCE.search(text):
        # a line that ends no sentence: page furniture when short, and the headline when it
        # opens the text (machine-translated headlines run long)
        first = not doc.text[: para[0]].strip()
        if len(text.split()) <= (HEADLINE_WORDS if first else FURNITURE_WORDS):
            return False
    if _SOURCE_LABEL.match(doc.text, para[0], start) or (
        _QUOTE_LABEL.match(doc.text, para[0], start) and doc.text.find(":", end, end + 40) >= 0
    ):
        return False  # "Quote from Syrskyi: ...", "Source: Zelenskyy on Telegram": a label
    return not _inside_quotation(doc.text, para[0], start)


def _in_headline(text: str, offset: int) -> bool:
    """Whether `offset` is on the text's first non-empty line and that line ends no sentence:
    a plain-text headline, even with the lead run on below it without a blank line."""
    lead = len(text) - len(text.lstrip())
    end = text.find("\n", lead)
    end = len(text) if end < 0 else end
    line = text[lead:end]
    return lead <= offset < end and not _ENDS_SENTENCE.search(line) and len(line.split()) <= HEADLINE_WORDS


def _paragraph_at(doc: Document, offset: int) -> tuple[int, int] | None:
    starts = doc.cache.get("paragraph_starts")
    if starts is None:
        starts = doc.cache["paragraph_starts"] = [p.start for p in doc.paragraphs]
    i = bisect_right(starts, offset) - 1
    if i < 0:
        return None
    para = doc.paragraphs[i]
    return (para.start, para.end) if offset < para.end else None


def _inside_quotation(text: str, lo: int, at: int) -> bool:
    """Whether `at` is inside a quotation opened earlier in its paragraph (curly marks by their
    shape, straight ones by their count)."""
    before = text[lo:at]
    curly = sum(before.count(c) for c in _OPENING) - sum(before.count(c) for c in _CLOSING)
    return curly > 0 or before.count('"') % 2 == 1


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
