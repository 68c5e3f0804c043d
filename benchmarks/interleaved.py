#!/usr/bin/env python3
"""Time this tree's check of each article against another revision's, in one process, article by
article: the measure that shows a few per cent on a VM whose speed drifts by a third.

usage: python benchmarks/interleaved.py --against REV [--rounds 5] [--articles 400] [--corpus DIR]

REV's package is checked out into a temporary worktree and imported as a second package
(`qa_rev`; every import inside copydesk is relative, so the two never mix). Each article is
checked by both, in alternating order, and the per-round ratio of the summed times is printed
with its median. Only `check_document` is timed: reading, start-up, reporting and the cross-file
checks are not (benchmarks/run.py times whole commands). The corpus defaults to
benchmarks/corpus (made by run.py); give --corpus to time both on another one, such as a corpus
made from an older tree's fixtures, whose error density the new rules did not change.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--corpus", default=str(ROOT / "benchmarks" / "corpus"))
    args = ap.parse_args()
    files = sorted(Path(args.corpus).glob("*.txt"))[: args.articles]
    if not files:
        raise SystemExit(f"no articles in {args.corpus}: run benchmarks/run.py first, or give --corpus")
    texts = [p.read_text(encoding="utf-8") for p in files]
    with tempfile.TemporaryDirectory() as tmp:
        tree, pkg = Path(tmp) / "tree", Path(tmp) / "pkg"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-f", "--detach", str(tree), args.against],
                       check=True, capture_output=True)
        try:
            pkg.mkdir()
            shutil.copytree(tree / "qa", pkg / "qa_rev")
            (pkg / "rules").symlink_to(tree / "rules")  # qa_rev finds its rules beside it
            sys.path[:0] = [str(ROOT), str(pkg)]
            ratios = _rounds(texts, args.rounds)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "-f", str(tree)], capture_output=True)
    print(
        f"{len(texts)} articles, {args.rounds} rounds: this tree's time over {args.against}'s, median "
        f"{statistics.median(ratios):.3f} (rounds {' '.join(f'{r:.3f}' for r in ratios)})"
    )


def _rounds(texts: list[str], rounds: int) -> list[float]:
    import qa_rev  # noqa: F401 - the other revision, imported beside this tree's qa
    from qa.config import Config
    from qa.engine import build_ruleset, check_document
    from qa.readers import read_source
    from qa_rev.config import Config as RevConfig
    from qa_rev.engine import build_ruleset as rev_build, check_document as rev_check
    from qa_rev.readers import read_source as rev_read

    ours, theirs = build_ruleset(Config()), rev_build(RevConfig())
    for text in texts[:20]:  # warm both: data caches, lazily built tables
        check_document(read_source("<t>", text, "txt"), ours)
        rev_check(rev_read("<t>", text, "txt"), theirs)
    gc.freeze()
    gc.disable()  # a collection landing in one side's time is noise, not cost
    clock, ratios = time.perf_counter, []
    for _ in range(rounds):
        mine = other = 0.0
        for i, text in enumerate(texts):
            a, b = read_source("<t>", text, "txt"), rev_read("<t>", text, "txt")
            if i % 2:
                s = clock(); check_document(a, ours); m = clock(); rev_check(b, theirs); e = clock()
                mine, other = mine + m - s, other + e - m
            else:
                s = clock(); rev_check(b, theirs); m = clock(); check_document(a, ours); e = clock()
                other, mine = other + m - s, mine + e - m
        ratios.append(mine / other)
    gc.enable()
    return ratios


if __name__ == "__main__":
    main()
