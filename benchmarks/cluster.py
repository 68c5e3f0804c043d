#!/usr/bin/env python3
"""An archive audit on a Dask LocalCluster against worker processes on this machine (issue 20).

usage: python benchmarks/cluster.py [--files 10000] [--rounds 1] [--memory-at 10000,50000]

1. The same generated archive (benchmarks/run.py's generator and seed: articles of 16 to 36
   paragraphs shuffled from the fixtures) checked by `--cluster local:2`, `-j 2` and `-j 1`,
   in alternating order each round, with the outputs compared byte for byte; wall times and
   ratios are printed (the median round when there are several).
2. The client's peak memory as the archive grows: a LocalCluster of two workers is started
   here, and `copydesk check --scheduler ADDRESS` runs as a child process that reports its own
   high-water mark (VmHWM of /proc/self/status, read as the command returns; see PEAK): the
   workers are other processes, so the figure is the client's alone. Measured at each size of
   --memory-at, and the same for `-j 2` (its parent process alone).

   Not os.wait4's ru_maxrss: Linux keeps in a child's maxrss the resident size of the parent
   it was forked from (before exec), so a benchmark process holding the timed outputs (300 MB)
   made every client after it read 356 MB, whatever it did (the figures of the first version
   of this benchmark, and the 'unexplained' 355.7 MB of the first cluster run).

Default rules, LanguageTool off, the result cache off, JSON to /dev/null (a file, to compare).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import make_corpus  # noqa: E402

BIN = Path(sys.executable).parent / "copydesk"
BASE = [str(BIN), "check", "--ignore", "grammar", "--no-cache", "--format", "json"]
# `copydesk check ...` in a child that prints its own peak resident size (kB) to stderr last:
# the kernel's high-water mark of this process's memory, which exec started afresh
PEAK = (
    "import sys\n"
    "from qa.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "print('peak-kB', hwm[0], file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run(cmd: list[str], out: Path) -> float:
    """Wall time of one command, its report written to `out`."""
    start = time.perf_counter()
    with open(out, "wb") as fh:
        code = subprocess.run(cmd, stdout=fh, stderr=subprocess.DEVNULL).returncode
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return time.perf_counter() - start


def peak(args: list[str], out: Path) -> tuple[float, int]:
    """Wall time and the process's own peak resident size (kB) of `copydesk check ARGS`."""
    start = time.perf_counter()
    with open(out, "wb") as fh:
        proc = subprocess.run([sys.executable, "-c", PEAK, *args], stdout=fh, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"copydesk {' '.join(args)} exited {proc.returncode}: {proc.stderr[-500:]}")
    kb = int(proc.stderr.rsplit("peak-kB", 1)[1].split()[0])
    return time.perf_counter() - start, kb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--memory-at", default="10000,50000")
    ap.add_argument("--memory-only", action="store_true", help="skip the timed comparison")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="copydesk-cluster-bench-") as tmp:
        work = Path(tmp)
        sizes = sorted({args.files, *(int(n) for n in args.memory_at.split(",") if n)})
        corpus = work / "corpus"
        print(f"generating {max(sizes):,} articles ...", flush=True)
        make_corpus(corpus, max(sizes))
        names = sorted(p.name for p in corpus.iterdir())
        folders = {}
        for n in sizes:  # an archive of the first n articles, by hard links
            folder = work / f"archive-{n}"
            folder.mkdir()
            for name in names[:n]:
                os.link(corpus / name, folder / name)
            folders[n] = folder
        archive = str(folders[args.files])
        commands = {
            "cluster local:2": [*BASE, "--cluster", "local:2", archive],
            "-j 2": [*BASE, "-j", "2", archive],
            "-j 1": [*BASE, "-j", "1", archive],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        for r in range(0 if args.memory_only else args.rounds):
            order = list(commands) if r % 2 == 0 else list(reversed(commands))
            outputs = {}
            for label in order:
                out = work / f"out-{label.replace(' ', '_').replace(':', '')}.json"
                seconds = run(commands[label], out)
                times[label].append(seconds)
                # a digest, not the bytes: this process's size would not matter to the timings,
                # but a report of 10,000 files is 100 MB, and three of them were held here
                outputs[label] = hashlib.sha256(out.read_bytes()).hexdigest()
                print(f"round {r + 1}: {label:16} {seconds:7.1f} s", flush=True)
            same = len(set(outputs.values())) == 1
            print(f"round {r + 1}: outputs identical: {same}", flush=True)
            if not same:
                raise SystemExit("the outputs differ")
        if not args.memory_only:
            median = {k: statistics.median(v) for k, v in times.items()}
            print(f"\n{args.files:,} articles, {args.rounds} round(s), median wall time:")
            for label, seconds in median.items():
                print(f"  {label:16} {seconds:7.1f} s  ({args.files / seconds:,.0f} articles/s)")
            print(f"  cluster / -j 2: {median['cluster local:2'] / median['-j 2']:.2f}")
            print(f"  cluster / -j 1: {median['cluster local:2'] / median['-j 1']:.2f}")
            print(f"  -j 2 / -j 1:    {median['-j 2'] / median['-j 1']:.2f}")

        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0", silence_logs=40) as cluster:
            print("\nthe client's own peak resident size with --scheduler (the workers are other processes):")
            for n in sizes:
                seconds, kb = peak([*BASE[1:], "--scheduler", cluster.scheduler_address, str(folders[n])], work / "out-mem.json")
                print(f"  {n:>7,} files: {kb / 1024:7.1f} MB peak, {seconds:6.1f} s", flush=True)
            print("\nthe same with -j 2 (the parent process: its two workers are other processes):")
            for n in sizes:
                seconds, kb = peak([*BASE[1:], "-j", "2", str(folders[n])], work / "out-mem.json")
                print(f"  {n:>7,} files: {kb / 1024:7.1f} MB peak, {seconds:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
