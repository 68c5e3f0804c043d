#!/usr/bin/env python3
"""Build rules/data/pos-lexicon.tsv.gz from lemminflect's lemma table (MIT licence).

usage: pip install lemminflect==0.2.3 && python scripts/build_pos_lexicon.py

Each line is `word<TAB>classes`, where classes are letters: N noun, P proper noun, V verb,
X auxiliary, A adjective, R adverb. copydesk reads the file at run time and never imports
lemminflect: the checks need word classes, not lemmas, and a 300 KB table loads in milliseconds.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from importlib import resources
from pathlib import Path

CLASSES = {"noun": "N", "propn": "P", "verb": "V", "aux": "X", "adj": "A", "adv": "R"}
OUT = Path(__file__).resolve().parent.parent / "rules" / "data" / "pos-lexicon.tsv.gz"


def main() -> None:
    table = resources.files("lemminflect") / "resources" / "lemma_lu.csv.gz"
    classes: dict[str, set[str]] = defaultdict(set)
    with gzip.open(io.BytesIO(table.read_bytes()), "rt", encoding="utf-8") as fh:
        for word, pos, *_ in csv.reader(fh):
            if pos in CLASSES:
                classes[word].add(CLASSES[pos])
    lines = [f"{w}\t{''.join(sorted(c))}\n" for w, c in sorted(classes.items())]
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:  # mtime 0: the same input gives the same bytes
        fh.write("".join(lines).encode("utf-8"))
    print(f"wrote {OUT} ({len(lines)} words)")


if __name__ == "__main__":
    main()
