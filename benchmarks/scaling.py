#!/usr/bin/env python3
"""How copydesk's time and memory grow: with article length, with the number of files, and with
worker processes. Default rules, LanguageTool off, result cache off.

usage: python benchmarks/scaling.py [--out benchmarks/SCALING.md] [--max-files 10000]

Articles are built from the fixtures' paragraphs (fixed seed) to 1,000, 10,000 and 100,000
words; runs of 10 to 10,000 files use the corpus of benchmarks/run.py, made larger as needed.
Each figure is the median of three whole runs; peak RSS is the kernel's (os.wait4).
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
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import byte_compile, compare, paired, paragraphs  # noqa: E402

BIN = Path(sys.executable).parent / "copydesk"
BASE = [str(BIN), "check", "--ignore", "grammar", "--no-cache", "--format", "json"]


def timed(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{cmd} failed")
    return time.perf_counter() - start, usage.ru_maxrss


def median_run(cmd: list[str], repeat: int = 3) -> tuple[float, int]:
    runs = [timed(cmd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def article(words: int, rng: random.Random, pool: list[str]) -> str:
    out, count = [], 0
    while count < words:
        p = rng.choice(pool)
        out.append(p)
        count += len(p.split())
    return "\n\n".join(out) + "\n"


def corpus(folder: Path, count: int, rng: random.Random, pool: list[str]) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"a{i:05d}.txt").write_text(article(rng.randint(400, 900), rng, pool), encoding="utf-8")
    return folder


def many_names(folder: Path, files: int, per_file: int, rng: random.Random) -> Path:
    """`files` short reports each naming `per_file` invented people (a tenth spelled one letter
    off another file's): a run over an archive meets tens of thousands of different names, and
    the check across files must not grow with their square."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    made: list[str] = []
    for i in range(files):
        lines = []
        for _ in range(per_file):
            if made and rng.random() < 0.1:
                b = rng.choice(made)
                j = rng.randrange(1, len(b))
                name = b[:j] + rng.choice("aeiou") + b[j + 1 :]
            else:
                name = (
                    rng.choice("BDHKLMPRSTVZ")
                    + "".join(
                        rng.choice("aeiou") + rng.choice("bdhklmnprstvz") for _ in range(rng.randint(2, 4))
                    )
                    + rng.choice(["enko", "chuk", "ov", "iak", "ska"])
                )
                made.append(name)
            lines.append(f"Officials said {name} would attend the meeting in Kyiv on Monday.")
        (folder / f"n{i:05d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "SCALING.md"))
    ap.add_argument("--max-files", type=int, default=10000)
    ap.add_argument("--only", choices=["hostile"], help="measure only the hostile inputs (their section is replaced)")
    args = ap.parse_args()
    import hostile

    if args.only == "hostile":
        out = Path(args.out)
        text = out.read_text(encoding="utf-8") if out.exists() else "# Scaling\n"
        head = text.split("## Hostile inputs")[0].rstrip("\n") + "\n\n"
        out.write_text(head + "\n".join(hostile.markdown(hostile.rows())), encoding="utf-8")
        print(f"wrote {args.out}")
        return
    byte_compile()
    rng = random.Random(20261124)
    pool = paragraphs()
    work = ROOT / "benchmarks" / "corpus-scaling"
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    length_times = {}
    for words in (1_000, 10_000, 100_000):
        path = work / f"long-{words}.txt"
        path.write_text(article(words, rng, pool), encoding="utf-8")
        t, rss = median_run([*BASE, str(path)])
        length_times[words] = t
        rows.append((f"one article of {words:,} words", t, rss))
        print(rows[-1], flush=True)
    for n in (10, 100, 1_000, 10_000):
        if n > args.max_files:
            break
        folder = corpus(work / f"files-{n}", n, rng, pool)
        if n == 1_000:  # one process and two in alternating rounds: the speed-up is not drift
            both = compare(
                "1,000 files",
                {"one": [*BASE, "-j", "1", str(folder)], "two": [*BASE, "-j", "2", str(folder)]},
                5,
            )
            rows.append((f"{n:,} files, one process", both["median"]["one"], both["rss"]["one"]))
            rows.append((f"{n:,} files, -j 2", both["median"]["two"], both["rss"]["two"]))
            speedup = paired(both, "one", "two")
            continue
        t, rss = median_run([*BASE, "-j", "1", str(folder)], repeat=1 if n >= 10_000 else 3)
        rows.append((f"{n:,} files, one process", t, rss))
        print(rows[-1], flush=True)
    names = many_names(work / "names-1000", 1_000, 20, rng)
    t, rss = median_run([*BASE, "-j", "1", str(names)])
    rows.append(("1,000 files naming about 20,000 different people, one process", t, rss))
    print(rows[-1], flush=True)
    ratio = length_times[100_000] / length_times[1_000]
    lines = [
        "# Scaling",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python benchmarks/scaling.py` on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        "default rules, LanguageTool off, result cache off, copydesk byte-compiled first; medians of whole runs.",
        "",
        "| run | seconds | peak RSS (MB) |",
        "|---|---:|---:|",
        *[f"| {label} | {t:.2f} | {rss / 1024:.0f} |" for label, t, rss in rows],
        "",
        f"A 100,000-word article takes {ratio:.1f} times as long as a 1,000-word one (linear would be 100, "
        "with start-up costs shared).",
        f"Two worker processes check 1,000 files {speedup:.2f} times as fast as one (median of the ratios "
        "within five alternating rounds).",
        "",
        *hostile.markdown(hostile.rows()),
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
