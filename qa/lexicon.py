"""Word lists, each loaded once per process and only when a check needs it."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from .resources import rules_dir


@cache
def word_list(name: str) -> frozenset[str]:
    """Lower-cased words of rules/data/<name>.txt; '#' starts a comment."""
    return read_words(rules_dir() / "data" / f"{name}.txt")


def read_words(path: Path) -> frozenset[str]:
    words: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            words.update(line.split("#", 1)[0].lower().split())
    return frozenset(words)


def function_words() -> frozenset[str]:
    return word_list("function-words")


def demonyms() -> frozenset[str]:
    return word_list("demonyms")


@lru_cache(maxsize=1)
def closed_classes() -> dict[str, frozenset[str]]:
    """Named closed word classes from rules/data/closed-class.yaml (articles, pronouns ...)."""
    from .yamlio import load_fast

    data = load_fast(rules_dir() / "data" / "closed-class.yaml")
    return {name: frozenset(str(w).lower() for w in words) for name, words in data.items()}


@lru_cache(maxsize=1)
def pos_lexicon() -> dict[str, str]:
    """Word -> word classes (N noun, P proper noun, V verb, X auxiliary, A adjective, R adverb),
    from rules/data/pos-lexicon.tsv.gz, built from lemminflect's table by scripts/build_pos_lexicon.py."""
    import gzip

    from .datacache import cached

    def build() -> dict[str, str]:
        with gzip.open(rules_dir() / "data" / "pos-lexicon.tsv.gz", "rt", encoding="utf-8") as fh:
            return dict(line.split("\t", 1) for line in fh.read().splitlines())

    return cached("pos-lexicon", (), build, dict)


def word_classes(word: str) -> str:
    """The classes of `word` (as typed, else in lower case); '' when the lexicon lacks it."""
    lex = pos_lexicon()
    return lex.get(word) or lex.get(word.lower(), "")


@lru_cache(maxsize=1)
def spellchecker():  # -> spellchecker.SpellChecker
    """pyspellchecker's English dictionary (160,000 words), at edit distance 1 (fast candidates)."""
    from .datacache import cached

    def build():  # -> spellchecker.SpellChecker: 0.15 s to build, 0.03 s to unpickle
        from spellchecker import SpellChecker

        return SpellChecker(language="en", distance=1)

    return cached("spellchecker", (), build)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """pyspellchecker's English words, from rules/data/english-words.txt.gz (built by
    scripts/build_wordlist.py): loads in milliseconds, where the spellchecker takes 0.15 s."""
    import gzip

    from .datacache import cached

    def build() -> frozenset[str]:
        with gzip.open(rules_dir() / "data" / "english-words.txt.gz", "rt", encoding="utf-8") as fh:
            return frozenset(fh.read().split())

    return cached("english-words", (), build, frozenset)


def is_english_word(word: str) -> bool:
    """True for a word in the English dictionary (which also lists common names: 'miller')."""
    return word.lower() in english_words()


@lru_cache(maxsize=1)
def spelling_varieties() -> tuple[dict[str, str], dict[str, str]]:
    """(British -> American, American -> British) spellings of the same word, from breame's
    tables (about 1,700 pairs with their inflections: defence/defense, kilometres/kilometers,
    mobilised/mobilized, travelled/traveled). Lower case."""
    from breame.data.spelling_constants import AMERICAN_ENGLISH_SPELLINGS, BRITISH_ENGLISH_SPELLINGS

    british = {b.lower(): a.lower() for b, a in BRITISH_ENGLISH_SPELLINGS.items() if b.lower() != a.lower()}
    american = {a.lower(): b.lower() for a, b in AMERICAN_ENGLISH_SPELLINGS.items() if a.lower() != b.lower()}
    return british, american


@lru_cache(maxsize=1)
def variety_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The British spellings, the American ones, and both (sets to meet a document's words)."""
    british, american = spelling_varieties()
    return frozenset(british), frozenset(american), frozenset(british) | frozenset(american)


@lru_cache(maxsize=1)
def _sorted_words() -> tuple[str, ...]:
    return tuple(sorted(english_words()))


def begins_a_word(fragment: str) -> bool:
    """Whether some dictionary word starts with `fragment` (a word cut off mid-way)."""
    from bisect import bisect_left

    words = _sorted_words()
    i = bisect_left(words, fragment)
    return i < len(words) and words[i].startswith(fragment) and words[i] != fragment
