"""Kind `spelling`: misspelt common words, with pyspellchecker's English dictionary.

What it flags
    With `report: unknown`, a lower-case word the dictionary does not know, that is not a
    regular inflection of a word it knows (-s, -es, -ed, -ing, -er, -ers, -ly), and that has a
    known word one edit away (the suggestion). Never a capitalised word (names are the names.*
    rules' job), a word the knowledge base knows, a word in a vocabulary's accept.txt, a word
    with digits, a word inside a web address, a hyphenated compound the dictionary writes closed
    up (pre-dawn, anti-aircraft), a British, Canadian or Australian spelling of a
    dictionary word (defence, kilometres, mobilised, honour, travelled, programme), or a word cut
    off where the text or a line ends mid-word ("the Western alli" at the end of an excerpt).
    With `report: capitalised`, a capitalised (or all-capitals) word of six letters or more
    the dictionary does not know, when it is a slip for a dictionary word: the article writes
    that word elsewhere ("Ukraone" beside "Ukraine"), or the word is a common one (counted
    500 times or more in pyspellchecker's list) with a letter doubled ("Penninsula"), a
    consonant dropped ("REPONSE") or two neighbours swapped. Never a word the knowledge base
    or a vocabulary knows, a given name of the first-names table, a word the article writes
    three times or more (a name it keeps), a letter changed ("Valery"/"valera",
    "Rustem"/"rusted": transliterations differ so) or a letter added that doubles none
    ("Patreon", "Flickr": brands are made so).
    With `report: joined`, two words whose space was lost: a lower-case word run into a
    capitalised opener ("concentratedThe": the suggestion restores a full stop), a name or
    word run into a function word ("Zelenskythat", "reportedwhich"), or a function word into
    a word ("ofthe", "andthe"). The function words are a closed list; the other part must be
    a dictionary word, or for a name one the knowledge base knows or the article writes on its
    own, so names and brands ("LinkedIn", "Theodore", "Andover") stay clean.
    With `report: rejected`, any word or phrase of a vocabulary's reject.txt, in any case
    ("wrong => right" gives the replacement).
    With `report: variety` and the option `variety` set to en-US or en-GB, a lower-case word
    spelt the other variety's way ("defence" in an en-US house), with the house's spelling;
    with `variety: any` (the default) it reports nothing.
    With `report: mixed`, a word spelt both ways in one article ("defense" in one paragraph,
    "defence" in another): the article's more frequent spelling is its style, and each use of
    the other is flagged (on a tie, the spelling used first wins).

Why
    Typos survive machine translation and hurried edits; a dictionary catches them, but only if
    it keeps quiet about names and newsroom words, or editors stop reading it.

Example
    flags "goverment" in "The goverment approved the plan." and suggests "government";
    "Zaluzhnyi", "hryvnias" and "Kyiv" are clean.

Options
    report      unknown, capitalised, joined, rejected, variety or mixed
    min_length  shortest word checked (default 3)
    variety     any (default), en-US or en-GB: the spelling a house wants (report: variety)

British and American spellings are breame's tables (about 1,700 pairs with their inflections);
capitalised words are never judged by variety: the Ministry of Defence is a name.

The dictionary loads only when a spelling rule runs. Suggestions are at edit distance 1:
distance 2 is about 500 times slower, and a typo is nearly always one edit away.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from functools import cached_property, lru_cache

from ..document import Document
from ..finding import Edit, Finding, Fix
from ..kb import first_names, fold
from ..lexicon import (
    begins_a_word,
    english_words,
    function_words,
    spellchecker,
    spelling_varieties,
    variety_words,
)
from .base import Check, Environment, Option, RuleSpec

_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("ing", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("es", ""),
    ("s", ""),
    ("ers", ""),
    ("er", ""),
    ("ly", ""),
    ("'s", ""),
    ("’s", ""),
)
_LINE_END = re.compile(r"[ \t]*(?:\n|\Z)")
_URLISH = re.compile(r"[/@]|www\.|\.(?:com|org|net|ua|gov|ru)\b")


class SpellingCheck(Check):
    OPTIONS = {
        "report": Option(
            "str",
            "unknown",
            "what this rule reports",
            ("unknown", "capitalised", "joined", "rejected", "variety", "mixed"),
        ),
        "min_length": Option("int", 3, "shortest word checked", bounds=(1, 100)),
        "variety": Option(
            "str", "any", "the spelling variety a house wants (report: variety)", ("any", "en-US", "en-GB")
        ),
    }

    def __init__(self, spec: RuleSpec, env: Environment | None = None) -> None:
        super().__init__(spec, env)
        self.report = spec.options["report"]

    @cached_property
    def _looked(self) -> dict[str, tuple[str, bool] | None]:
        return {}

    @cached_property
    def _splits(self) -> dict[str, tuple[str, str] | None]:
        return {}

    def prepare(self) -> None:
        english_words(), spellchecker(), variety_words()
        _ = self.env.kb, self.env.vocab  # loaded on first access

    def check(self, doc: Document) -> Iterator[Finding]:
        if self.report == "rejected":
            yield from self._rejected(doc)
        elif self.report == "capitalised":
            yield from self._capitalised(doc)
        elif self.report == "joined":
            yield from self._joined(doc)
        elif self.report == "variety":
            yield from self._variety(doc)
        elif self.report == "mixed":
            yield from self._mixed(doc)
        else:
            yield from self._unknown(doc)

    def _unknown(self, doc: Document) -> Iterator[Finding]:
        known = english_words()  # the spellchecker itself loads only to suggest corrections
        accept = self.env.vocab.accept
        kb = self.env.kb
        functions = function_words()
        text = doc.text
        min_length = self.options["min_length"]
        verdicts: dict[str, bool] = {}  # word -> worth a look (words repeat within an article)

        def suspect(word: str) -> bool:
            low = word.lower()
            if low not in verdicts:
                verdicts[low] = not (
                    len(word) < min_length
                    or not word.isalpha()
                    or low in known
                    or low in accept
                    or low in functions
                    or _inflected(low, known)
                    or _other_variety(low)
                    or kb.lookup(word)
                )
            return verdicts[low]

        # most words of an article are in the dictionary: settle those with one set difference
        # and look at the tokens of the few that are not
        seg = doc.segmentation
        lower = seg.cased_words[1]
        plain = set(filter(str.isalpha, lower))
        odd = (lower - plain) | (plain - known)
        if not odd:
            return
        tokens = seg.tokens
        for i in seg.spelled(odd):
            tok = tokens[i]
            if tok.kind != "word":
                continue
            if not tok.text.isalpha() and _closed_up(tok.text) in known:
                continue  # "pre-dawn", "anti-aircraft": the dictionary writes it closed up
            parts = _parts(tok.start, tok.text) if not tok.text.isalpha() else ((tok.start, tok.text),)
            for start, word in parts:
                if not suspect(word) or _URLISH.search(_chunk(text, start)) or not self.reads(doc, start):
                    continue
                if _cut_off(text, start + len(word)) and begins_a_word(word.lower()):
                    continue  # an excerpt that stops mid-word: "the Western alli"
                if _bound_prefix(text, start, word):
                    continue  # "pre-", "multi-", "semi-": a prefix before a hyphen
                if _split(word, known, kb, doc) is not None:
                    continue  # two words run together: spelling.run-together says which
                candidates = _corrections(word.lower())
                if not candidates:
                    continue  # nothing one edit away: a rare word, not a typo
                end = start + len(word)
                yield self.finding(
                    start,
                    end,
                    message=f"'{word}' is not in the dictionary; did you mean '{candidates[0]}'?",
                    suggestions=list(candidates),
                    evidence={"dictionary": "pyspellchecker en"},
                    fix=Fix(f"Spell it '{candidates[0]}'", (Edit(start, end, candidates[0]),), "unsafe"),
                )

    def _capitalised(self, doc: Document) -> Iterator[Finding]:
        seg = doc.segmentation
        text = doc.text
        # each capitalised word's verdict that needs no document (a name the knowledge base
        # knows, a correction one edit away), kept across the documents of a run: names recur,
        # and most articles have no word left after it, so they stop here
        looked = self._looked
        if len(looked) > _MEMO_LIMIT:
            looked.clear()  # an archive's run: bounded memory, not a word list of millions
        found = {}
        for w in seg.cased_words[0]:
            guess = looked.get(w, _UNSEEN)
            if guess is _UNSEEN:
                guess = looked[w] = self._capital_guess(_bare(w))
            if guess is not None:
                found[w] = guess
        if not found:
            return
        places = seg.spelled(frozenset(found))
        uses: dict[str, int] = {}
        for i in places:
            word = _bare(seg.tokens[i].text)
            uses[word] = uses.get(word, 0) + 1
        for i in places:
            tok = seg.tokens[i]
            word = _bare(tok.text)
            right, typist = found[tok.text]
            if uses[word] >= 3:
                continue  # a spelling an article keeps is a name
            if not (typist or right in seg.vocabulary or right + "'s" in seg.vocabulary or right + "’s" in seg.vocabulary):
                continue  # a changed letter: only when the article writes the word right elsewhere
            start, end = tok.start, tok.start + len(word)
            if not self.reads(doc, start) or _URLISH.search(_chunk(text, start)):
                continue
            if _cut_off(text, end) and begins_a_word(word.lower()):
                continue
            yield self.finding(
                start,
                end,
                message=f"'{word}' is not in the dictionary; did you mean '{right}'?",
                suggestions=[right],
                evidence={"dictionary": "pyspellchecker en", "uses": uses[word]},
                fix=Fix(f"Spell it '{right}'", (Edit(start, end, right),), "unsafe"),
            )

    def _capital_guess(self, word: str) -> tuple[str, bool] | None:
        """What a capitalised word the dictionary lacks may have been meant to be, and whether
        it is a typist's slip of a common word; None for a name (see _capital_typo)."""
        known = english_words()
        if word.lower() in known:
            return None
        if not _may_be_typo(word, self.env.vocab.accept, self.env.kb, first_names()):
            return None
        return _capital_typo(word, known)

    def _joined(self, doc: Document) -> Iterator[Finding]:
        known = english_words()
        kb = self.env.kb
        seg = doc.segmentation
        upper, lower = seg.cased_words
        splits = self._splits  # a lower-case word's split needs no document: kept across a run
        if len(splits) > _MEMO_LIMIT:
            splits.clear()
        found: dict[str, tuple[str, str]] = {}
        # lower-case words the dictionary lacks, by set difference at C speed
        for w in filter(str.isalpha, lower - known):
            if len(w) >= 5:
                parts = splits.get(w, _UNSEEN)
                if parts is _UNSEEN:
                    parts = splits[w] = _split(w, known, kb, doc)
                if parts is not None:
                    found[w] = parts
        # of the capitalised ones, those a function word ends ("Zelenskythat"), against this
        # article's words
        for w in upper:
            if w.endswith(_TAILS) and len(w) >= 5 and w.isalpha() and w.lower() not in known:
                parts = _split(w, known, kb, doc)
                if parts is not None:
                    found[w] = parts
        if not found:
            return
        for i in seg.spelled(frozenset(found)):
            tok = seg.tokens[i]
            if not self.reads(doc, tok.start):
                continue
            word = tok.text
            head, tail = found[word]
            if tail[0].isupper():  # "concentratedThe": a sentence's end lost with the space
                options = [f"{head}. {tail}", f"{head} {tail.lower()}"]
                why = " (a full stop lost too?)"
            else:
                options, why = [f"{head} {tail}"], ""
            end = tok.start + len(word)
            yield self.finding(
                tok.start,
                end,
                message=f"'{word}' runs two words together{why}; write '{options[0]}'",
                suggestions=options,
                fix=Fix(f"Write '{options[0]}'", (Edit(tok.start, end, options[0]),), "unsafe"),
            )

    def _variety_words(self, doc: Document, wanted: frozenset[str]) -> Iterator[tuple[int, str]]:
        """(start, word) of each lower-case use of a word of `wanted` that this rule reads."""
        seg = doc.segmentation
        present = wanted & seg.cased_words[1]
        if not present:
            return
        for i in seg.spelled(present):
            tok = seg.tokens[i]
            if tok.kind == "word" and tok.text in present and self.reads(doc, tok.start):
                yield tok.start, tok.text

    def _variety(self, doc: Document) -> Iterator[Finding]:
        variety = self.options["variety"]
        if variety == "any":
            return
        british, american = spelling_varieties()
        other, house = (british, "American") if variety == "en-US" else (american, "British")
        words = variety_words()[0 if variety == "en-US" else 1]
        for start, word in self._variety_words(doc, words):
            right = other[word]
            end = start + len(word)
            yield self.finding(
                start,
                end,
                message=f"'{word}' is not the house's {house} spelling; write '{right}'",
                suggestions=[right],
                evidence={"variety": variety},
                fix=Fix(f"Spell it '{right}'", (Edit(start, end, right),)),
            )

    def _mixed(self, doc: Document) -> Iterator[Finding]:
        british, american = spelling_varieties()
        uses: dict[str, list[tuple[int, str]]] = {}  # the American form -> (start, word) in order
        for start, word in self._variety_words(doc, variety_words()[2]):
            key = british.get(word, word)
            uses.setdefault(key, []).append((start, word))
        for found in uses.values():
            counts: dict[str, int] = {}
            for _, word in found:
                counts[word] = counts.get(word, 0) + 1
            if len(counts) < 2:
                continue
            first = {w: i for i, (_, w) in reversed(list(enumerate(found)))}
            style = max(counts, key=lambda w: (counts[w], -first[w]))
            for start, word in found:
                if word == style:
                    continue
                end = start + len(word)
                yield self.finding(
                    start,
                    end,
                    message=f"'{word}' here, but the article also spells it '{style}' "
                    f"({counts[style]} time{'s' if counts[style] != 1 else ''}); use one spelling",
                    suggestions=[style],
                    evidence={"style": style, "uses": dict(sorted(counts.items()))},
                    fix=Fix(f"Spell it '{style}'", (Edit(start, end, style),), "unsafe"),
                )

    @cached_property
    def _reject_table(self) -> tuple[dict[str, str], re.Pattern[str] | None]:
        table = {}
        for line in self.env.vocab.reject:
            wrong, _, right = line.partition("=>")
            table[fold(wrong.strip())] = right.strip()
        if not table:
            return table, None
        regex = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
            + r")(?![\w-])",
            re.IGNORECASE,
        )
        return table, regex

    def _rejected(self, doc: Document) -> Iterator[Finding]:
        table, regex = self._reject_table
        if regex is None:
            return
        folded = doc.casefolded
        if not any(w.casefold() in folded for w in table):
            return  # none of the phrases occurs in any case: spare the search
        for m in regex.finditer(doc.text):
            if not self.reads(doc, m.start()):
                continue
            right = table[fold(m.group())]
            yield self.finding(
                m.start(),
                m.end(),
                message=f"'{m.group()}' is on the house's reject list"
                + (f"; use '{right}'" if right else ""),
                suggestions=[right] if right else [],
                fix=Fix(f"Replace with '{right}'", (Edit(m.start(), m.end(), right),)) if right else None,
            )


# Words that open a sentence or clause, for a run-together "concentratedThe": a closed list, so
# brand names joined from two words ("LinkedIn", "YouTube", "PowerPoint") stay clean
_OPENERS = frozenset(
    "the this that these those he she it they we his her its their our and but however "
    "according after before when while although meanwhile there".split()
)
# Function words that a lost space glues to the word before ("Zelenskythat") or, in lower
# case, after ("ofthe"); two-letter ones are left out ("Elvis" is not "Elv is")
_TAILS = ("that", "the", "and", "which", "who", "was", "were", "has", "had", "have", "with", "from", "said", "will")
_HEADS = ("the", "and", "that", "with", "from", "of")
# a lower-case head: "PerfectIt", "MapWhile" are product and code names
_CAMEL = re.compile(r"([a-z]{3,})([A-Z][a-z]+)")
MIN_CAPITALISED = 6  # shorter capitalised words are too often names one edit from a word
_MEMO_LIMIT = 100_000  # words remembered across the documents of a run
_UNSEEN = object()
MIN_FREQUENCY = 500  # pyspellchecker's count: a correction a writer is likely to have meant


def _bare(word: str) -> str:
    """The word without a possessive ending ("Ukraone's" -> "Ukraone")."""
    if word[-1] in "'’ʼ":
        return word[:-1]
    if word[-2:-1] in ("'", "’", "ʼ") and word[-1] == "s":
        return word[:-2]
    return word


def _may_be_typo(word: str, accept: Collection[str], kb, given: Collection[str]) -> bool:  # kb: qa.kb.KnowledgeBase
    """Whether a capitalised word the dictionary lacks is worth a look: no name the knowledge
    base or the given names know, no word a vocabulary accepts, no code or brand name."""
    low = word.lower()
    return not (
        len(word) < MIN_CAPITALISED
        or not word.isalpha()
        or not (word[1:].islower() or word.isupper())  # "AddOption", "RSplit": code, brands
        or low in accept
        or fold(word) in given
        or kb.lookup(word)
    )


def _capital_typo(word: str, known: frozenset[str]) -> tuple[str, bool] | None:
    """The word a capitalised misspelling may have been meant to be, written in its capitals,
    and whether the slip is a typist's of a common word; None when nothing fits.

    A name is far likelier than a typo in a capitalised word, so the rule wants more than a
    word one edit away: the article writes the corrected word elsewhere ("Ukraone" beside
    "Ukraine": the caller looks), or the slip is a typist's of a common word (see
    _typist_slip; not a changed letter: changed letters are how transliterations differ,
    "Valery" and "Valera").
    """
    low = word.lower()
    if _inflected(low, known) or _other_variety(low):
        return None
    candidates = _corrections(low)
    if not candidates:
        return None
    best = candidates[0]
    if best == low + "s":
        return None  # "Connor" for "connors": a name, not a plural with its "s" dropped
    right = best.upper() if word.isupper() else best[:1].upper() + best[1:]
    frequency = spellchecker().word_frequency.dictionary.get(best, 0)
    return right, frequency >= MIN_FREQUENCY and _typist_slip(low, best)


def _typist_slip(typed: str, meant: str) -> bool:
    """Whether `typed` is `meant` with a letter doubled ("Penninsula"), a consonant dropped
    ("REPONSE") or two neighbours swapped ("Ukriane"). Not a vowel dropped or a letter added:
    that is how brands are made from words ("Flickr", "Patreon")."""
    if len(typed) == len(meant) + 1:
        i = next((k for k, (a, b) in enumerate(zip(typed, meant)) if a != b), len(meant))
        return i > 0 and typed[i] == typed[i - 1]
    if len(typed) + 1 == len(meant):
        i = next((k for k, (a, b) in enumerate(zip(typed, meant)) if a != b), len(typed))
        return meant[i] not in "aeiouy"
    diffs = [i for i, (a, b) in enumerate(zip(typed, meant)) if a != b]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and typed[diffs[0]] == meant[diffs[1]]


def _split(word: str, known: frozenset[str], kb, doc: Document) -> tuple[str, str] | None:
    """Two words a lost space ran together, or None: "concentratedThe" -> ("concentrated",
    "The"), "Zelenskythat" -> ("Zelensky", "that"), "ofthe" -> ("of", "the").

    One part is a function word (a closed list); the other a dictionary word, or for a
    capitalised head a name the knowledge base knows or the article writes on its own.
    """

    def word_like(part: str) -> bool:
        low = part.lower()
        return low in known or _inflected(low, known)

    def name_like(part: str) -> bool:
        return part in doc.segmentation.vocabulary or bool(kb.lookup(part))

    m = _CAMEL.fullmatch(word)
    if m:
        head, tail = m.groups()
        if tail.lower() in _OPENERS and len(head) >= 3 and (word_like(head) or name_like(head)):
            return head, tail
        return None
    if not word[1:].islower():
        return None
    for tail in _TAILS:
        if word.endswith(tail) and len(word) - len(tail) >= 3:
            head = word[: -len(tail)]
            if name_like(head) if head[0].isupper() else word_like(head):
                return head, tail
    if word.islower():
        for head in _HEADS:
            rest = word[len(head) :]
            if word.startswith(head) and len(rest) >= 3 and (rest in known or rest in function_words()):
                return head, rest
    return None


@lru_cache(maxsize=4096)  # a misspelling often recurs across the files of a run
def _corrections(low: str) -> tuple[str, ...]:
    """Up to three dictionary words one or two edits away, most frequent first."""
    spell = spellchecker()
    frequency = spell.word_frequency.dictionary
    known = english_words()
    candidates = sorted(spell.candidates(low) or (), key=lambda w: (-frequency.get(w, 0), w))
    return tuple(c for c in candidates if c != low and c in known)[:3]


def _parts(start: int, word: str) -> Iterator[tuple[int, str]]:
    """A hyphenated compound is checked part by part; capitalised parts are names."""
    offset = 0
    for part in re.split(r"([-‐‑])", word):
        if part and part not in "-‐‑" and not part[0].isupper():
            yield start + offset, re.sub(r"['’ʼ].*$", "", part) if part.endswith(("'s", "’s")) else part
        offset += len(part)


def _inflected(low: str, known: Collection[str]) -> bool:
    for suffix, repl in _SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            stem = low[: -len(suffix)] + repl
            if stem in known or (stem[-1:] == stem[-2:-1] and stem[:-1] in known):  # "jammers" -> jam
                return True
    return False


def _bound_prefix(text: str, start: int, word: str) -> bool:
    """A short part before a hyphen that begins dictionary words ("pre" of "pre-dwan"): a
    prefix, not a word of its own; the part after it is still checked."""
    end = start + len(word)
    return len(word) <= 5 and text[end : end + 1] in ("-", "‐", "‑") and begins_a_word(word.lower())


def _closed_up(word: str) -> str:
    """A hyphenated compound written as one word, lower case ("pre-dawn" -> "predawn")."""
    return re.sub(r"[-‐‑]", "", word).lower()


def _other_variety(low: str) -> bool:
    """A British (Canadian, Australian) spelling of a word, or a regular inflection of one."""
    british = spelling_varieties()[0]
    return low in british or _inflected(low, british)


def _cut_off(text: str, end: int) -> bool:
    """Whether a word ending at `end` is the last thing of the text or of its line (an excerpt
    or a pasted line that stops there, mid-word perhaps)."""
    return _LINE_END.match(text, end) is not None


def _chunk(text: str, pos: int) -> str:
    """The run of non-space characters around `pos` (to tell a web address)."""
    a = text.rfind(" ", 0, pos) + 1
    b = text.find(" ", pos)
    return text[a : b if b != -1 else len(text)]
