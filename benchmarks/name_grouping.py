#!/usr/bin/env python3
"""Precision and recall of name grouping (qa.names.same_name) on tests/data/name_pairs.yaml.

usage: python benchmarks/name_grouping.py [--no-kb] [--show]

Precision: of the pairs grouped as one name, the share that are one name. Recall: of the pairs
that are one name, the share grouped. Printed with the knowledge base (as copydesk runs) and
without it (the string rules alone), unless --no-kb asks for the latter only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import kb as kbmod  # noqa: E402
from qa.names import same_name  # noqa: E402


def evaluate(pairs: dict, kb) -> dict:
    rows = []
    for label in ("same", "different"):
        for a, b in pairs[label]:
            grouped, why = same_name(a, b, kb)
            rows.append((label, a, b, grouped, why))
    tp = sum(1 for r in rows if r[0] == "same" and r[3])
    fp = sum(1 for r in rows if r[0] == "different" and r[3])
    fn = sum(1 for r in rows if r[0] == "same" and not r[3])
    return {
        "rows": rows,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "same": len(pairs["same"]),
        "different": len(pairs["different"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-kb", action="store_true", help="only the string rules, without the knowledge base")
    ap.add_argument("--show", action="store_true", help="list the pairs graded wrong")
    args = ap.parse_args()
    pairs = yaml.safe_load((ROOT / "tests" / "data" / "name_pairs.yaml").read_text(encoding="utf-8"))
    runs = (
        [("string rules only", None)]
        if args.no_kb
        else [("with knowledge base", kbmod.load()), ("string rules only", None)]
    )
    for label, kb in runs:
        r = evaluate(pairs, kb)
        print(
            f"{label}: precision {r['precision']:.3f}, recall {r['recall']:.3f} "
            f"({r['same']} same pairs, {r['different']} different pairs; "
            f"{r['fp']} false merges, {r['fn']} missed)"
        )
        if args.show:
            for truth, a, b, grouped, why in r["rows"]:
                if (truth == "same") != grouped:
                    print(f"    {truth:9} {a}/{b}: {why}")


if __name__ == "__main__":
    main()
