"""Proper names in a Document, and whether two spellings name the same person or place.

`name_forms(doc)` collects capitalised words (possessives stripped, headline capitals folded,
sentence-initial ordinary words left out) once per document. `same_name(a, b, kb)` decides
whether two spellings are one name, in this order:

1. the knowledge base knows them to be distinct (Sikorski/Sikorsky) -> no;
   it knows both as spellings of one entity (Zaporizhzhia/Zaporozhye) -> yes;
2. a gendered pair (Zelenskyy/Zelenska, Lavrov/Lavrova) -> no;
3. two ordinary English words with no Slavic marker (Harris/Harries) -> no;
4. equal skeleton keys: the usual romanization alternations folded (kh/h, zh/z, shch/sch, ts/c,
   g/h, y/i/e, ii/iy/yi/y endings, -sky/-skyi, ye/ie, yu/iu, ya/ia, -ov/-iv, doubled letters)
   -> yes (Zaluzhnyi/Zaluzhny, Milley/Millie, Kyiv/Kiev);
5. a typo: one edit apart (Damerau-Levenshtein), Jaro-Winkler at least 0.93, same first letter,
   six letters or more, neither an English word (Shmyhal/Shymhal) -> yes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property, lru_cache
from weakref import WeakKeyDictionary

from .document import HEADING, Document
from .kb import KnowledgeBase, fold
from .lexicon import function_words, is_english_word

_POSSESSIVE = re.compile(r"(?:['’ʼ]s|(?<=s)['’ʼ])$")
_SLAVIC = re.compile(r"kh|zh|shch|ts|yi|ii|ia|iu|ye|(?:sky|skyi|skiy|enko|chuk|ov|ev|iv|ych|yy|nyi|yk)$")
_FOLDS = (
    ("shch", "sc"),
    ("zgh", "zg"),
    ("kh", "h"),
    ("zh", "z"),
    ("tch", "c"),
    ("ch", "c"),
    ("tz", "c"),
    ("ts", "c"),
    ("sh", "s"),
    ("sch", "s"),
    ("g", "h"),
    ("w", "v"),
    ("j", "i"),
    ("y", "i"),
    ("e", "i"),
)


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A key equal for romanization variants of one name: Zaluzhnyi, Zaluzhny -> 'zaluzn'."""
    s = "".join(c for c in unicodedata.normalize("NFKD", fold(word)) if not unicodedata.combining(c))
    s = re.sub(r"[^a-z]", "", s)
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # doubled letters: Odessa, Milley
    s = s.replace("ia", "a").replace("iu", "u").replace("io", "o")  # ya/ia, yu/iu, yo/io
    s = re.sub(r"ov$", "iv", s)  # Kharkov/Kharkiv, Lvov/Lviv
    s = re.sub(r"(?<=[knr])i$", "", s)  # -skyi/-sky, -nyi/-ny
    s = re.sub(r"(.)\1+", r"\1", s)
    return s


def is_gendered_pair(a: str, b: str) -> bool:
    """Zelenskyy/Zelenska, Lavrov/Lavrova, Navalny/Navalnaya: a man's and a woman's surname."""
    a, b = fold(a), fold(b)
    for f, m in ((a, b), (b, a)):
        if f.endswith("a") and not m.endswith("a"):
            f_stem = re.sub(r"(?:aya|aia|a)$", "", f)
            m_stem = re.sub(r"(?:yy|yi|iy|ii|y|i)$", "", m)
            if f_stem in (m, m_stem):
                return True
    return False


def _ordinary(word: str) -> bool:
    return is_english_word(word) and not _SLAVIC.search(fold(word))


TYPO_MIN_LETTERS = 6  # the typo tier leaves shorter names alone: too many are one letter apart


@lru_cache(maxsize=65536)
def _same(a: str, b: str) -> tuple[bool, str]:
    if is_gendered_pair(a, b):
        return False, "gendered pair"
    if _ordinary(a) and _ordinary(b):
        return False, "two English words"
    if skeleton(a) == skeleton(b):
        return True, "romanization variant"
    import jellyfish

    la, lb = fold(a), fold(b)
    if (
        la[0] == lb[0]
        and min(len(la), len(lb)) >= TYPO_MIN_LETTERS
        and jellyfish.damerau_levenshtein_distance(la, lb) == 1
        and jellyfish.jaro_winkler_similarity(la, lb) >= 0.93
        and not is_english_word(la)
        and not is_english_word(lb)
    ):
        return True, "one letter apart"
    return False, "different names"


@lru_cache(maxsize=16384)  # names recur across the files of a run; the knowledge base hashes by identity
def same_name(a: str, b: str, kb: KnowledgeBase | None) -> tuple[bool, str]:
    """Whether spellings `a` and `b` name the same person or place, and why."""
    if fold(a) == fold(b):
        return True, "same spelling"
    if kb is not None:
        if kb.known_distinct(a, b):
            return False, "known to be different"
        ka, kb_ = {e.key for e in kb.lookup(a)}, {e.key for e in kb.lookup(b)}
        if ka & kb_:
            return True, "known spellings of one name"
    return _same(a, b)


class NameForm:
    """One spelling of a capitalised word in a document, with where it occurs."""

    # a plain class: an article makes dozens of these, and a dataclass with factories and a
    # Counter cost more to build than the rest of the collection
    def __init__(self, folded: str) -> None:
        self.folded = folded
        self.spellings: dict[str, int] = {}  # original-case spelling -> count
        self.spans: list[tuple[int, int]] = []
        # the capitalised word that follows each occurrence, folded ("valerii" -> "zaluzhnyi");
        # None for an occurrence with no name after it
        self.followers: list[str | None] = []

    def __repr__(self) -> str:
        return f"NameForm({self.folded!r}, {self.spellings!r}, {self.spans!r}, {self.followers!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameForm) and (
            self.folded,
            self.spellings,
            self.spans,
            self.followers,
        ) == (other.folded, other.spellings, other.spans, other.followers)

    @property
    def given_name(self) -> bool:
        """Always directly before another name: a first name ("Andrii Kravets")."""
        return bool(self.followers) and all(self.followers)

    @cached_property
    def display(self) -> str:
        # prefer the title-case spelling over headline capitals (read once the form is complete)
        if len(self.spellings) == 1:
            return next(iter(self.spellings))
        ranked = sorted(self.spellings.items(), key=lambda kv: (kv[0].isupper(), -kv[1], kv[0]))
        return ranked[0][0]

    @property
    def count(self) -> int:
        return len(self.spans)


def name_forms(doc: Document, kb: KnowledgeBase | None = None) -> dict[str, NameForm]:
    """Capitalised words of the document by folded spelling; computed once per document."""
    cached = doc.cache.get("names.forms")
    if cached is None:
        cached = doc.cache["names.forms"] = _collect(doc, kb)
    return cached


class _NoKnowledgeBase:
    """Stands for "no knowledge base" as a key of _WORD_INFO."""


_NO_KB = _NoKnowledgeBase()
# knowledge base -> capitalised word -> what _collect needs to know about it (None: not a name);
# weak keys: a knowledge base that goes away takes its answers with it
_WORD_INFO: WeakKeyDictionary = WeakKeyDictionary()


def _collect(doc: Document, kb: KnowledgeBase | None) -> dict[str, NameForm]:
    forms: dict[str, NameForm] = {}
    starts = {s.start for s in doc.sentences}
    functions = function_words()
    seg = doc.segmentation
    tokens, text_all = seg.tokens, doc.text
    capitalized = seg.capitalized
    # capitalised words seen inside a sentence: names, even where they also open one
    mid_sentence = {tokens[i].text for i in capitalized if tokens[i].start not in starts}
    # what depends on the word alone is settled once per distinct word, not per occurrence
    # (and remembered for the process's later documents: names recur across an archive)
    words = _WORD_INFO.setdefault(_NO_KB if kb is None else kb, {})
    if len(words) > 50_000:  # bounded: each entry keeps a word alive
        words.clear()
    for text in seg.cased_words[0] - words.keys():
        base = _POSSESSIVE.sub("", text) if "'" in text or "’" in text else text
        low = base.lower()
        if len(base) < 3 or "." in base or low in functions:
            words[text] = None
            continue
        upper = base.isupper()
        common = is_english_word(low) and not (kb and kb.lookup(base))
        words[text] = (base, fold(base), upper, upper and len(base) <= 5, common)
    for i in capitalized:
        tok = tokens[i]
        text = tok.text
        word = words[text]
        if word is None:
            continue
        base, key, upper, acronym, common = word
        if acronym and doc.region_at(tok.start) != HEADING:
            continue  # an acronym (NATO, SBU), unless a headline is set in capitals
        if tok.start in starts and not upper and base not in mid_sentence and common:
            continue  # "After", "Generals" opening a sentence; kept when a name elsewhere
        form = forms.get(key)
        if form is None:
            form = forms[key] = NameForm(key)
        form.spellings[base] = form.spellings.get(base, 0) + 1
        form.spans.append((tok.start, tok.start + len(base)))
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # a first name stands right before a surname; headlines (capitalised throughout) have none
        follows = (
            nxt is not None
            and nxt.kind == "word"
            and nxt.text[0].isupper()
            and base == text
            and text_all[tok.end : nxt.start] == " "
            and nxt.start not in starts
            and not upper
            and nxt.text.lower() not in functions
            and doc.region_at(tok.start) != HEADING
        )
        form.followers.append(fold(_POSSESSIVE.sub("", nxt.text)) if follows else None)  # type: ignore[union-attr]
    return forms


def comparable(a: NameForm, b: NameForm) -> bool:
    """First names are compared only before the same surname: Andrii Sybiha and Andriy Yermak
    are two men, but "Valery Zaluzhnyi" and "Valerii Zaluzhnyi" are one. A designation with a
    number ("Leopard-2", "Su-25") is not a spelling of the bare name ("Leopard"), nor of one with
    other numbers: "Su-24" and "Su-25", "T-64" and "T-72" are two machines, not two spellings."""
    if _has_digit(a.folded) != _has_digit(b.folded):
        return False
    if _has_digit(a.folded) and _DIGITS.findall(a.folded) != _DIGITS.findall(b.folded):
        return False
    if a.given_name or b.given_name:
        surnames = {skeleton(f) for f in a.followers if f}
        return a.given_name and b.given_name and any(skeleton(f) in surnames for f in b.followers if f)
    return True


_DIGITS = re.compile(r"\d+")


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def given_name_in_kb(form: NameForm, kb: KnowledgeBase) -> str | None:
    """The knowledge base's spelling of a first name, from the surname that follows it."""
    for surname in form.followers:
        for entity in kb.lookup(surname or ""):
            if entity.first_name:
                return entity.first_name
    return None
