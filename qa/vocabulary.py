"""Vocabularies, as Vale has them: folders with accept.txt (words that are right, any number a
line) and reject.txt (a word or phrase a line, optionally "wrong => right"); '#' starts a comment. The shipped
vocabulary (rules/data/vocabulary/) holds the news words a general dictionary lacks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .resources import rules_dir


@dataclass(frozen=True)
class Vocabulary:
    accept: frozenset[str]  # lower-cased
    reject: frozenset[str]


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line.lower())
    return out


@lru_cache(maxsize=8)
def load(folders: tuple[str, ...] = ()) -> Vocabulary:
    accept: set[str] = set()
    reject: set[str] = set()
    for folder in (rules_dir() / "data" / "vocabulary", *(Path(f) for f in folders)):
        accept.update(word for line in _lines(folder / "accept.txt") for word in line.split())
        reject.update(_lines(folder / "reject.txt"))
    return Vocabulary(frozenset(accept), frozenset(reject))
