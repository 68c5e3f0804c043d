"""Word lists from rules/data/, each loaded once per process and only when a check needs it."""

from __future__ import annotations

from functools import cache

from .resources import rules_dir


@cache
def word_list(name: str) -> frozenset[str]:
    """Lower-cased words of rules/data/<name>.txt; '#' starts a comment."""
    words: set[str] = set()
    with open(rules_dir() / "data" / f"{name}.txt", encoding="utf-8") as fh:
        for line in fh:
            words.update(line.split("#", 1)[0].lower().split())
    return frozenset(words)


def function_words() -> frozenset[str]:
    return word_list("function-words")
