#!/usr/bin/env python3
"""Time whole `copydesk check` runs side by side with proselint on the same generated corpus.

usage: python benchmarks/run.py [--articles 1000] [--repeat 5] [--out benchmarks/RESULTS.md]

Needs proselint in the same environment (`pip install -e '.[bench]'`). The corpus is generated
from fixtures/ (paragraphs of the clean and flagged articles shuffled into new articles with a
fixed seed), so every run measures the same text. Runs of the two tools alternate, and the
figures are medians; peak RSS comes from the kernel's accounting of each child (os.wait4).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def paragraphs() -> list[str]:
    out = []
    # articles only: fixtures/order/ holds one sentence a line, not paragraphs
    for path in sorted(
        [*(ROOT / "fixtures" / "clean").glob("*.txt"), *(ROOT / "fixtures" / "flagged").glob("*.txt")]
    ):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        out.extend(p.strip() for p in text.split("\n\n") if len(p.split()) > 3)
    return out


def make_corpus(folder: Path, count: int, seed: int = 20261124) -> list[Path]:
    """`count` articles of 16 to 36 paragraphs each (news length), shuffled from the fixtures."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    pool = paragraphs()
    files = []
    for i in range(count):
        body = rng.sample(pool, rng.randint(16, min(36, len(pool))))
        path = folder / f"article-{i:05d}.txt"
        path.write_text("\n\n".join(body) + "\n", encoding="utf-8")
        files.append(path)
    return files


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{cmd[0]} exited {code}; run it by hand to see why")
    return elapsed, usage.ru_maxrss


def compare(label: str, commands: dict[str, list[str]], repeat: int) -> dict:
    """Median wall time and peak RSS of each command, run in turn `repeat` times."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(repeat):  # alternate, so drift in the machine hits every command alike
        for name, cmd in commands.items():
            t, m = timed(cmd)
            times[name].append(t)
            rss[name] = max(rss[name], m)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{label}: " + ", ".join(f"{k} {v:.3f} s" for k, v in med.items()), flush=True)
    return {"label": label, "median": med, "rss": rss, "runs": repeat, "times": times}


def paired(result: dict, slow: str, fast: str) -> float:
    """Median over rounds of slow/fast time within each round: two commands run back to back
    see the same machine, so a round's ratio is steadier than a ratio of medians on a VM whose
    speed drifts from minute to minute."""
    return statistics.median(a / b for a, b in zip(result["times"][slow], result["times"][fast], strict=True))


def byte_compile() -> None:
    """Compile copydesk's modules to bytecode first, as `pip install` does for an installed
    package (and did for proselint's). A development checkout run with PYTHONDONTWRITEBYTECODE
    set would otherwise compile every module on every run, a cost no installed copy pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "qa")], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args = ap.parse_args()
    copydesk, proselint = str(BIN / "copydesk"), str(BIN / "proselint")
    if not Path(proselint).exists():
        raise SystemExit("proselint is not installed here: pip install -e '.[bench]'")
    byte_compile()
    corpus = ROOT / "benchmarks" / "corpus"
    files = make_corpus(corpus, args.articles)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    one = str(files[0])
    ours = [copydesk, "check", "--no-cache"]
    single = compare(
        "cold run, one article",
        {"copydesk": [*ours, "-j", "1", one], "proselint": [proselint, "check", one]},
        max(args.repeat, 10),
    )
    # one process and two, in the same alternating rounds: the speed-up is not drift
    many = compare(
        f"{args.articles} articles",
        {
            "copydesk": [*ours, "-j", "1", str(corpus)],
            "copydesk -j 2": [*ours, "-j", "2", str(corpus)],
            "proselint": [proselint, "check", str(corpus)],
        },
        args.repeat,
    )
    # the foundation's four families alone: the cost of the pattern and punctuation checks
    four = ["--select", "boilerplate,translationese,repetition,quotes"]
    single4 = compare(
        "cold run, four foundation families",
        {"copydesk": [*ours, "-j", "1", one, *four], "proselint": [proselint, "check", one]},
        max(args.repeat, 10),
    )
    many4 = compare(
        f"{args.articles} articles, four foundation families",
        {"copydesk": [*ours, "-j", "1", str(corpus), *four], "proselint": [proselint, "check", str(corpus)]},
        args.repeat,
    )
    write_results(Path(args.out), args, words, files[0], single, many, single4, many4)


def write_results(
    out: Path, args, words: int, first: Path, single: dict, many: dict, single4: dict, many4: dict
) -> None:
    n = args.articles
    med = many["median"]
    rows = [
        ("Cold run, one article (s)", single["median"]["copydesk"], single["median"]["proselint"]),
        (f"{n} articles, one process (s)", med["copydesk"], med["proselint"]),
        ("Articles per second, one process", n / med["copydesk"], n / med["proselint"]),
        ("Peak RSS, one article (MB)", single["rss"]["copydesk"] / 1024, single["rss"]["proselint"] / 1024),
        (f"Peak RSS, {n} articles (MB)", many["rss"]["copydesk"] / 1024, many["rss"]["proselint"] / 1024),
        (
            "Cold run, one article, four foundation families (s)",
            single4["median"]["copydesk"],
            single4["median"]["proselint"],
        ),
        (
            "Articles per second, -j 2 (proselint: one process)",
            n / med["copydesk -j 2"],
            n / med["proselint"],
        ),
        (
            "Articles per second, four foundation families",
            n / many4["median"]["copydesk"],
            n / many4["median"]["proselint"],
        ),
    ]
    speedup = paired(many, "copydesk", "copydesk -j 2")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python benchmarks/run.py "
        f"--articles {n} --repeat {args.repeat}` on {platform.node() or 'this machine'}: "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Corpus: {n} articles generated from fixtures/ ({words:,} words, {words // n} per article on average); "
        f"the single article is `{first.name}` ({len(first.read_text(encoding='utf-8').split())} words).",
        "Default rules, LanguageTool off, result cache off (`--no-cache`; parsed data is cached between runs as "
        "it is for users); copydesk byte-compiled first, as an installed copy is; medians of alternating runs "
        "of whole commands; ratios are medians of the ratios within each round; ratio > 1 means copydesk is "
        "faster.",
        "",
        "| measure | copydesk | proselint | ratio (proselint / copydesk) |",
        "|---|---:|---:|---:|",
    ]
    # ratios of runs in the same round (see paired); RSS rows compare peaks
    ratios = {
        rows[0][0]: paired(single, "proselint", "copydesk"),
        rows[1][0]: paired(many, "proselint", "copydesk"),
        rows[2][0]: paired(many, "proselint", "copydesk"),
        rows[5][0]: paired(single4, "proselint", "copydesk"),
        rows[6][0]: paired(many, "proselint", "copydesk -j 2"),
        rows[7][0]: paired(many4, "proselint", "copydesk"),
    }
    for label, ours, theirs in rows:
        ratio = ratios.get(label, theirs / ours)
        lines.append(f"| {label} | {ours:.3f} | {theirs:.3f} | {ratio:.2f} |")
    lines += [
        "",
        f"Speed-up of `-j 2` over one process on {n} articles (the same alternating rounds): {speedup:.2f}.",
        "",
        "Note: proselint runs its whole default rule set (style and usage advice for English prose);",
        "copydesk runs its default packs. The two tools check different things: the comparison is of",
        "the cost of a whole run on the same files, which is what a pre-commit hook or CI job pays.",
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
