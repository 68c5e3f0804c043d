#!/usr/bin/env python3
"""Recall of order.* on fixtures/order/garbled.txt and false alarms on fixtures/order/clean.txt.

usage: python benchmarks/word_order.py [--show]

Each line of the two files is a sentence checked on its own with the order.* rules. Recall: the
share of garbled sentences with at least one finding. False-alarm rate: the share of clean
sentences with any finding.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import check_text  # noqa: E402
from qa.config import Config  # noqa: E402

CONFIG = Config(select=("order",))


def sentences(name: str) -> list[str]:
    lines = (ROOT / "fixtures" / "order" / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def evaluate() -> dict:
    garbled = [(s, check_text(s, config=CONFIG)) for s in sentences("garbled.txt")]
    clean = [(s, check_text(s, config=CONFIG)) for s in sentences("clean.txt")]
    caught = sum(1 for _, found in garbled if found)
    alarms = [(s, found) for s, found in clean if found]
    by_rule: dict[str, int] = {}
    for _, found in garbled:
        for d in found:
            by_rule[d.rule] = by_rule.get(d.rule, 0) + 1
    return {
        "garbled": garbled,
        "clean": clean,
        "recall": caught / len(garbled),
        "false_alarm_rate": len(alarms) / len(clean),
        "alarms": alarms,
        "by_rule": by_rule,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="list missed garbled sentences and false alarms")
    args = ap.parse_args()
    r = evaluate()
    print(
        f"recall {r['recall']:.3f} on {len(r['garbled'])} garbled sentences; "
        f"false alarms {len(r['alarms'])} in {len(r['clean'])} clean sentences "
        f"({100 * r['false_alarm_rate']:.2f} per 100)"
    )
    print(
        "findings by rule on the garbled set: "
        + ", ".join(f"{k} {v}" for k, v in sorted(r["by_rule"].items()))
    )
    if args.show:
        for s, found in r["garbled"]:
            if not found:
                print(f"    missed: {s}")
        for s, found in r["alarms"]:
            print(f"    false alarm ({', '.join(d.rule for d in found)}): {s}")


if __name__ == "__main__":
    main()
