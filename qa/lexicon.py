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


@lru_cache(maxsize=1)
def spellchecker():  # -> spellchecker.SpellChecker
    """pyspellchecker's English dictionary (160,000 words), at edit distance 1 (fast candidates)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


def is_english_word(word: str) -> bool:
    """True for a word in the English dictionary (which also lists common names: 'miller')."""
    return word.lower() in spellchecker().word_frequency.dictionary
