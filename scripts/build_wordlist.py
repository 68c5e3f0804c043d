#!/usr/bin/env python3
"""Build rules/data/english-words.txt.gz from pyspellchecker's English dictionary (MIT licence).

usage: python scripts/build_wordlist.py

copydesk asks "is this an English word?" for every lower-case word and many names; a plain word
list answers that in a few milliseconds of loading, where building pyspellchecker's frequency
dictionary takes about 0.15 s. pyspellchecker itself is loaded only to suggest corrections.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from spellchecker import SpellChecker

OUT = Path(__file__).resolve().parent.parent / "rules" / "data" / "english-words.txt.gz"


def main() -> None:
    words = sorted(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("utf-8"))
    print(f"wrote {OUT} ({len(words)} words)")


if __name__ == "__main__":
    main()
