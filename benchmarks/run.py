#!/usr/bin/env python3
"""Time whole `copydesk check` runs side by side with proselint on the same generated corpus.

usage: python benchmarks/run.py [--articles 1000] [--repeat 5] [--against REV] [--out benchmarks/RESULTS.md]

Needs proselint in the same environment (`pip install -e '.[bench]'`). The corpus is generated
from fixtures/ (paragraphs of the clean and flagged articles shuffled into new articles with a
fixed seed), so every run measures the same text. Runs of the two tools alternate, and the
figures are medians; peak RSS comes from the kernel's accounting of each child (os.wait4).

`--against REV` also times copydesk as of git revision REV (checked out into a temporary
worktree) in the same rounds of the many-article runs, and reports how much the ratio to
proselint changed: the measure a change's speed bound is stated in, free of the drift of a VM
whose speed changes by a third from one hour to the next.
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
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Iterator, NamedTuple

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


class Command(NamedTuple):
    """A command with the environment and folder it runs in (another revision's copydesk)."""

    argv: list[str]
    env: dict[str, str] | None = None
    cwd: str | None = None


def timed(cmd: list[str] | Command) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one run of `cmd`."""
    cmd = cmd if isinstance(cmd, Command) else Command(cmd)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cmd.env, cwd=cmd.cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd.argv)} exited {code}; run it by hand to see why")
    return elapsed, usage.ru_maxrss


def compare(label: str, commands: dict[str, list[str] | Command], repeat: int) -> dict:
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


@contextmanager
def revision(rev: str) -> Iterator[Path]:
    """A worktree of this repository at `rev` in a temporary folder, byte-compiled, removed after."""
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
        try:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "qa")], check=True)
            yield tree
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


def old_copydesk(tree: Path, args: list[str]) -> Command:
    """copydesk as checked out in `tree`, run from there with its own cache of parsed data (a
    cache written by another version is not this one's)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "COPYDESK_CACHE_DIR": str(tree / ".bench-cache")}
    # what the installed `copydesk` script does, so both start alike
    return Command([sys.executable, "-c", "import sys; from qa.cli import main; sys.exit(main())", *args], env, str(tree))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--against", metavar="REV", help="also time copydesk at git revision REV in the same rounds")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args = ap.parse_args()
    if args.against:
        with revision(args.against) as tree:
            run(args, tree)
    else:
        run(args, None)


def run(args: argparse.Namespace, tree: Path | None) -> None:
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
    commands: dict[str, list[str] | Command] = {
        "copydesk": [*ours, "-j", "1", str(corpus)],
        "copydesk -j 2": [*ours, "-j", "2", str(corpus)],
        "proselint": [proselint, "check", str(corpus)],
    }
    if tree is not None:
        old = old_copydesk(tree, ["check", "--no-cache", "-j", "1", str(corpus)])
        timed(old)  # its cache of parsed data is built once, outside the rounds
        commands[f"copydesk {args.against}"] = old
    many = compare(f"{args.articles} articles", commands, args.repeat)
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
    against = []
    if args.against:
        name = f"copydesk {args.against}"
        now, then = paired(many, "proselint", "copydesk"), paired(many, "proselint", name)
        against = [
            "",
            f"Against `{args.against}` in the same rounds ({n} articles, one process): that copydesk "
            f"{med[name]:.3f} s, ratio {then:.2f}; this one {med['copydesk']:.3f} s, ratio {now:.2f}: "
            f"the ratio to proselint changed by {100 * (now / then - 1):+.1f}% "
            f"(this one's time over that one's, median of rounds: {paired(many, 'copydesk', name):.3f}; "
            "by round: "
            + ", ".join(f"{a / b:.3f}" for a, b in zip(many["times"]["copydesk"], many["times"][name], strict=True))
            + ").",
        ]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python benchmarks/run.py "
        f"--articles {n} --repeat {args.repeat}{f' --against {args.against}' if args.against else ''}` on {platform.node() or 'this machine'}: "
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
        *against,
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
