#!/usr/bin/env python3
"""Detection quality on a corpus of annotated articles: what copydesk catches, misses, and flags
wrongly, per folder, by kind and by rule.

usage: python benchmarks/quality.py --annotations DIR [--texts DIR] [--folders a,b] [--verbose] [--json]

The corpus is a folder of folders of NAME.expected.yaml annotations (the format of the seed's
expected.yaml: `items` with `kind`, an exact `text` span and its `line` or `lines`, `uncertain`
items that count neither way, and `not_errors` that must stay clean), each with its NAME.txt
under --texts (default: beside the annotation). Leading lines starting with "# " are a header
(a `# stored-date: YYYY-MM-DD` line is the article's date, else the yyyy-mm[-dd] that ends its
name); line numbers count from the first body line. Each article is checked in this process
with the default rules, at its own date.

An item is caught strictly by a finding of its kind that overlaps its span (any kind catches
an item of kind `other`), leniently by any finding on it; a finding on no item is an extra. The
report per folder: strict and lenient recall, extras per 1,000 words, not-errors flagged,
recall by kind, and by rule the items caught and the extras. CI does not run this (the real
corpus is not in the repository); tests/test_quality.py runs it on a small corpus of its own.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import check_text  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.finding import kind_of  # noqa: E402

_STORED = re.compile(r"# stored-date: (\d{4}-\d{2}-\d{2})")
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?$")
_NAME_YEAR = re.compile(r"_(\d{4})$")


@dataclass
class Tally:
    files: int = 0
    words: int = 0
    items: int = 0
    strict: int = 0
    lenient: int = 0
    uncertain: int = 0
    extras: int = 0
    not_errors_flagged: int = 0
    missing: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [items, strict, lenient]
    caught_by_rule: Counter[str] = field(default_factory=Counter)
    extras_by_rule: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict:
        per_k = 1000 * self.extras / max(self.words, 1)
        return {**self.__dict__, "extras_per_1000_words": round(per_k, 2)}


def split_header(raw: str) -> tuple[list[str], str]:
    lines = raw.split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith("# "):
        i += 1
    return lines[:i], "\n".join(lines[i:])


def article_date(header: list[str], name: str) -> str | None:
    for line in header:
        m = _STORED.match(line)
        if m:
            return m.group(1)
    m = _NAME_DATE.search(name)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3) or '15'}"
    m = _NAME_YEAR.search(name)
    return f"{m.group(1)}-06-30" if m else None


def spans_of(text: str, item: dict) -> list[tuple[int, int]]:
    """Where an annotated span is: whole-word occurrences on its line(s), else anywhere."""
    needle = item["text"]
    left = r"(?<!\w)" if needle[:1].isalnum() else ""
    right = r"(?!\w)" if needle[-1:].isalnum() else ""
    pattern = re.compile(left + re.escape(needle) + right)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    lines = item.get("lines") or ([item["line"]] if "line" in item else [])
    found = []
    for number in lines:
        if 1 <= number <= len(starts):
            end = starts[number] if number < len(starts) else len(text)
            found += [(m.start(), m.end()) for m in pattern.finditer(text, starts[number - 1], end)]
    return found or [(m.start(), m.end()) for m in pattern.finditer(text)]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] or a[0] == a[1] == b[0]


def score_article(text: str, expected: dict, date: str | None, tally: Tally, log=None) -> None:
    config = Config(date=date) if date else Config()
    found = check_text(text, config=config)
    spans = [(d.start, d.end) for d in found]
    used: set[int] = set()
    for item in expected.get("items") or []:
        where = spans_of(text, item)
        near = [i for i, s in enumerate(spans) if any(_overlaps(s, w) for w in where)]
        strict = [i for i in near if item["kind"] == "other" or kind_of(found[i].rule) == item["kind"]]
        used.update(near)
        if item.get("uncertain"):
            tally.uncertain += 1
            continue
        tally.items += 1
        tally.strict += bool(strict)
        tally.lenient += bool(near)
        row = tally.by_kind.setdefault(item["kind"], [0, 0, 0])
        row[0] += 1
        row[1] += bool(strict)
        row[2] += bool(near)
        if strict:
            tally.caught_by_rule[found[strict[0]].rule] += 1
        if log:
            mark = "caught" if strict else "near" if near else "MISSED"
            log(f"  {mark:7} {item['kind']:15} {item['text'][:70]!r}")
    for item in expected.get("not_errors") or []:
        for where in spans_of(text, item):
            for i, s in enumerate(spans):
                if _overlaps(s, where):
                    tally.not_errors_flagged += 1
                    if log:
                        log(f"  WRONG   {found[i].rule}: {item['text'][:60]!r}")
    for i, d in enumerate(found):
        if i not in used:
            tally.extras += 1
            tally.extras_by_rule[d.rule] += 1
            if log:
                log(f"  extra   {d.rule:30} line {d.line}: {d.text[:60]!r}")
    tally.words += len(re.findall(r"\w+", text))
    tally.files += 1


def score_folder(annotations: Path, texts: Path | None, log=None) -> Tally:
    tally = Tally()
    for expected_path in sorted(annotations.glob("*.expected.yaml")):
        name = expected_path.name[: -len(".expected.yaml")]
        candidates = [p / annotations.name / f"{name}.txt" for p in ([texts] if texts else [])]
        article = next((p for p in [*candidates, annotations / f"{name}.txt"] if p.is_file()), None)
        if article is None:
            tally.missing += 1
            continue
        header, text = split_header(article.read_text(encoding="utf-8"))
        expected = yaml.safe_load(expected_path.read_text(encoding="utf-8")) or {}
        if log:
            log(f"== {annotations.name}/{name}")
        score_article(text, expected, article_date(header, name), tally, log)
    return tally


def report(folder: str, t: Tally) -> list[str]:
    per_k = 1000 * t.extras / max(t.words, 1)
    kinds = ", ".join(f"{k} {s}/{n}" for k, (n, s, _) in sorted(t.by_kind.items()))
    lines = [
        f"{folder}: {t.files} files, {t.words} words; recall strict {t.strict}/{t.items} lenient "
        f"{t.lenient}/{t.items}; extras {t.extras} ({per_k:.2f}/1k words); not-errors flagged "
        f"{t.not_errors_flagged}",
        f"  by kind (strict): {kinds}",
        "  caught by rule: " + ", ".join(f"{r} {n}" for r, n in t.caught_by_rule.most_common()),
        "  extras by rule: " + ", ".join(f"{r} {n}" for r, n in t.extras_by_rule.most_common()),
    ]
    if t.missing:
        lines.insert(1, f"  {t.missing} annotated articles have no text: not scored")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--annotations", required=True, type=Path)
    ap.add_argument("--texts", type=Path)
    ap.add_argument("--folders", help="comma-separated (default: every folder with annotations)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    folders = (
        args.folders.split(",")
        if args.folders
        else sorted(p.name for p in args.annotations.iterdir() if p.is_dir() and any(p.glob("*.expected.yaml")))
    )
    out = {}
    for folder in folders:
        path = args.annotations / folder
        if not path.is_dir():
            print(f"quality: no annotations at {path}", file=sys.stderr)
            return 2
        tally = score_folder(path, args.texts, print if args.verbose else None)
        print("\n".join(report(folder, tally)))
        out[folder] = tally.as_dict()
    if args.json:
        print(json.dumps(out, default=dict))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
