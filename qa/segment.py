"""Paragraphs, sentences and tokens of a Document's text, computed once.

Sentence splitting is tuned for news copy: titles ("Gen.", "Sen."), months ("Sept. 30"),
"No. 55", initialisms ("U.S.", "a.m.") that end a sentence only before a typical sentence
opener, decimals ("$40.5 billion"), closing quotes after the full stop, and ellipses.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain, compress, count, repeat
from operator import attrgetter, itemgetter
from re import Match
from typing import NamedTuple

# Spans, tokens and sentences are NamedTuples: a long article has tens of thousands of tokens,
# and tuples are several times cheaper to build than frozen dataclasses.


_TEXT = itemgetter(2)  # Token.text, at C speed in map()
# Folded words some check looks up in every document (articles, title words, first names):
# checks add theirs when built, and Segmentation finds them all in one pass (words_positions).
ANCHOR_WORDS: set[str] = set()
_LASTGROUP = attrgetter("lastgroup")


@lru_cache(maxsize=65536)  # words repeat within an article and across a run
def fold(word: str) -> str:
    """Case- and apostrophe-insensitive form used for look-ups."""
    return word.casefold().replace("’", "'").replace("ʼ", "'")


class Span(NamedTuple):
    start: int
    end: int


class Token(NamedTuple):
    start: int
    end: int
    text: str
    kind: str  # "word", "number" or "punct"

    @property
    def is_word(self) -> bool:
        return self.kind == "word"


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int
    first_token: int  # index into Segmentation.tokens
    last_token: int  # exclusive


@dataclass(frozen=True)  # not slotted: token_starts is computed on demand
class Segmentation:
    paragraphs: tuple[Span, ...]
    sentences: tuple[Sentence, ...]
    tokens: tuple[Token, ...]

    def tokens_of(self, sentence: Sentence) -> tuple[Token, ...]:
        return self.tokens[sentence.first_token : sentence.last_token]

    @cached_property
    def token_starts(self) -> list[int]:
        """Start offsets of the tokens, for bisecting."""
        return [t.start for t in self.tokens]

    # Shared indexes: several checks look only at capitalised words, or at a few words by
    # their folded spelling; building these once spares each check its own pass over every token.
    @cached_property
    def capitalized(self) -> list[int]:
        """Indices of the word tokens that start with a capital letter, in order."""
        return self.spelled(self.cased_words[0])

    @cached_property
    def cased_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The distinct words that start with a capital, and those that start in lower case
        (word tokens are the only ones that start with a letter), sorted in one pass."""
        upper, lower = [], []
        for w in self.vocabulary:
            c = w[0]
            if c.isupper():
                upper.append(w)
            elif c.islower():
                lower.append(w)
        return frozenset(upper), frozenset(lower)

    # Checks want the positions of a few words: the set of words comes from C-level calls, and
    # positions are found by one membership test per token, also at C speed (see spelled()).
    @cached_property
    def texts(self) -> list[str]:
        """Each token's text, in order."""
        return list(map(_TEXT, self.tokens))

    @cached_property
    def lowered(self) -> list[str]:
        """Each token's text in lower case, in order."""
        return list(map(str.lower, self.texts))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every distinct token text as written (punctuation included)."""
        return frozenset(self.texts)

    @cached_property
    def folded_words(self) -> dict[str, tuple[str, ...]]:
        """Folded word (see fold) -> its spellings in the text."""
        out: dict[str, tuple[str, ...]] = {}
        for text in self.vocabulary:
            if text[0].isalpha():
                key = fold(text)
                had = out.get(key)
                out[key] = (text,) if had is None else (*had, text)
        return out

    def positions(self, text: str) -> list[int]:
        """Indices of the tokens written exactly `text`, in order (list.index: one word)."""
        found: list[int] = []
        if text in self.vocabulary:
            texts, i = self.texts, -1
            try:
                while True:
                    i = texts.index(text, i + 1)
                    found.append(i)
            except ValueError:
                pass
        return found

    def spelled(self, spellings: frozenset[str] | set[str]) -> list[int]:
        """Indices of the tokens written as any of `spellings`, in order: one membership test
        per token at C speed (map and compress), which beats any index built in Python."""
        if spellings.isdisjoint(self.vocabulary):
            return []
        return list(compress(count(), map(spellings.__contains__, self.texts)))

    def word_positions(self, folded: str) -> list[int]:
        """Indices of the tokens whose folded spelling is `folded` ("The" and "the"), in order."""
        spellings = self.folded_words.get(folded, ())
        if len(spellings) == 1:
            return self.positions(spellings[0])
        if len(spellings) <= 3:  # "and" and "And": a few list.index scans beat a pass over all
            return sorted(i for text in spellings for i in self.positions(text))
        return self.spelled(frozenset(spellings))

    def words_positions(self, folded: Iterable[str]) -> list[int]:
        """Indices of the tokens of any of these folded words, in order."""
        words = self.folded_words
        spellings = [text for w in words.keys() & folded for text in words[w]]
        index = self._anchor_index
        if all(t in index for t in spellings):  # the usual case: no pass over the tokens
            if len(spellings) == 1:
                return index[spellings[0]]
            return sorted(chain.from_iterable(index[t] for t in spellings))
        return self.spelled(set(spellings))

    @cached_property
    def _anchor_index(self) -> dict[str, list[int]]:
        """Positions of the anchor words checks declared (ANCHOR_WORDS) that this text has,
        found in one pass for all of them: word order, titles and names each ask for a few."""
        words = self.folded_words
        wanted = {t for w in words.keys() & ANCHOR_WORDS for t in words[w]}
        index: dict[str, list[int]] = {}
        texts = self.texts
        for i in self.spelled(wanted):
            index.setdefault(texts[i], []).append(i)
        return index

    def between(self, indices: list[int], first: int, last: int) -> list[int]:
        """The members of a sorted index list within [first, last)."""
        return indices[bisect_left(indices, first) : bisect_left(indices, last)]


_PARA_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_TOKEN = re.compile(
    # initialisms keep their full stops ("U.S.", "a.m."); words keep inner apostrophes and hyphens.
    # Written for speed, same tokens as the plain form (checked on random text): (?=\S) skips a
    # space at once instead of trying three branches there, and words take runs of \w*.
    r"(?=\S)(?:"
    r"(?P<word>[^\W\d_](?:\.[^\W\d_])+\.|[^\W\d_]\w*(?:(?:['’ʼ](?=[^\W_])|[-‐‑](?=\w))\w*)*)"
    r"|(?P<number>\d(?:[\d,.:]*\d)?(?:[-‐‑]\w+)*)"
    r"|(?P<punct>\.\.\.|[^\w\s]))"
)
# A candidate sentence end: terminal punctuation, closing quotes or brackets, then space.
_BOUNDARY = re.compile(r"(?:\.\.\.|…|[.!?]+)[\"”’')\]]*(?=\s+(\S))")
_NEXT_WORD = re.compile(r"[\"“‘'(]*(\w+)")

# Never end a sentence: a title or a fixed abbreviation that always takes a following word.
_NEVER_END = frozenset(
    [
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cpt",
        "sgt",
        "adm",
        "cmdr",
        "brig",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "pres",
        "st",
        "mt",
        "ft",
        "vs",
        "v",
        "rev",
        "hon",
        "fr",
        "sr.",
        "jr.",
        "messrs",
        "gens",
    ]
)
_MONTHS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])
_BEFORE_NUMBER = frozenset(["no", "nos", "art", "p", "pp", "vol", "ch", "fig", "para", "sec"])
# Abbreviations that can also end a sentence: end it only before a typical sentence opener.
_MAYBE_END = frozenset(["etc", "inc", "corp", "ltd", "co", "jr", "sr", "bros", "llc", "plc"])
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "our",
        "this",
        "that",
        "these",
        "those",
        "there",
        "but",
        "and",
        "so",
        "yet",
        "or",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "as",
        "if",
        "since",
        "although",
        "though",
        "meanwhile",
        "however",
        "still",
        "then",
        "now",
        "on",
    ]
)


def segment(text: str) -> Segmentation:
    # Built with map() over the matches: no Python code runs per token (NamedTuple's own
    # __new__ is a Python function, and a generator expression a frame per token)
    matches = list(_TOKEN.finditer(text))
    token_starts = list(map(Match.start, matches))
    fields = zip(
        token_starts,
        map(Match.end, matches),
        map(Match.group, matches),
        map(_LASTGROUP, matches),
        strict=True,
    )
    tokens = tuple(map(tuple.__new__, repeat(Token), fields))
    paragraphs: list[Span] = []
    sentences: list[Sentence] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        _add_paragraph(text, pos, m.start(), paragraphs)
        pos = m.end()
    _add_paragraph(text, pos, len(text), paragraphs)
    new = tuple.__new__  # NamedTuple's own __new__ is a Python function
    for index, para in enumerate(paragraphs):
        for s, e in split_sentences(text, para.start, para.end):
            sentences.append(
                new(Sentence, (s, e, index, bisect_left(token_starts, s), bisect_left(token_starts, e)))
            )
    seg = Segmentation(tuple(paragraphs), tuple(sentences), tokens)
    seg.__dict__["token_starts"] = token_starts  # the cached property, already computed
    return seg


def _add_paragraph(text: str, start: int, end: int, out: list[Span]) -> None:
    chunk = text[start:end]
    stripped = chunk.lstrip()
    start += len(chunk) - len(stripped)
    end = start + len(stripped.rstrip())
    if end > start:
        out.append(Span(start, end))


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within text[start:end], trimmed of surrounding space."""
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.end() >= end:
            break
        if _is_boundary(text, cur, m):
            spans.append((cur, m.end()))
            cur = m.start(1)  # the next sentence opens at the lookahead's first non-space
    if cur < end:
        spans.append((cur, end))
    return [s for s in spans if s[1] > s[0]]


def _is_boundary(text: str, sent_start: int, m: re.Match[str]) -> bool:
    nxt = m.group(1)
    punct = m.group()
    if not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'([«„—"):
        return False
    if not punct.startswith(".") or punct.startswith("..."):
        return True  # ! ? … and ... end a sentence before a capital
    if "." in punct.rstrip("\"”’')]")[1:]:
        return True
    # the word before the full stop: the last run of non-space before it, found by rsplit (C)
    # in a short window; a word as long as the window is looked for from the sentence start
    end = m.start()
    lo = max(sent_start, end - 64)
    chunk = text[lo:end]
    if chunk.endswith("\n"):
        chunk = chunk[:-1]  # a word, a line break, then the full stop: the word still counts
    if not chunk or chunk[-1].isspace():
        return True  # no word right before the full stop
    parts = chunk.rsplit(None, 1)
    if len(parts) == 1 and lo > sent_start and not text[lo - 1].isspace():
        parts = text[sent_start:end].rsplit(None, 1)
    word = parts[-1].lstrip("\"“‘'([«„").lower()
    if not word:
        return True
    if word in _NEVER_END:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. Smith"
    if word in _MONTHS or word in _BEFORE_NUMBER:
        return not nxt.isdigit()
    if "." in word or word in _MAYBE_END:
        # "U.S." or "Inc." ends the sentence only before a typical opener ("U.S. The ...")
        next_word = _NEXT_WORD.match(text[m.end() : m.end() + 60].lstrip())  # a window, not the rest
        return (next_word.group(1).lower() if next_word else "") in _OPENERS
    return True
