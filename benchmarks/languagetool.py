#!/usr/bin/env python3
"""What a pre-commit run on one article pays for grammar when the LanguageTool server is
already running (`copydesk languagetool start`), against the same run without a server.

usage: python benchmarks/languagetool.py [--rounds 15] [--article fixtures/flagged/seedlike.txt]

Each round checks a new variant of the article (a numbered sentence appended), so that neither
copydesk's result cache nor LanguageTool's answer cache serves it: the server really checks the
text. Runs with and without the server alternate; the figure is the median of the per-round
differences of whole-command wall time. The bound (issue 18): at most 0.2 s more.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--article", default=str(ROOT / "fixtures" / "flagged" / "seedlike.txt"))
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from qa import ltserver

    server = ltserver.running()
    if server is None:
        raise SystemExit("no LanguageTool server running: copydesk languagetool start")
    copydesk = [sys.executable, "-m", "qa", "check", "--no-cache"]
    base = Path(args.article).read_text(encoding="utf-8")
    with_env = dict(os.environ)
    without_env = {**os.environ, "COPYDESK_CACHE_DIR": tempfile.mkdtemp(prefix="copydesk-no-server-")}
    with_env.pop("LANGUAGETOOL_URL", None)
    without_env.pop("LANGUAGETOOL_URL", None)
    diffs, withs, withouts = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds + 1):
            article = Path(tmp) / f"story-{i}.txt"
            article.write_text(base + f"\nThe council met on day {i} of the session and voted.\n", encoding="utf-8")
            times = {}
            for name, env in (("with", with_env), ("without", without_env))[:: 1 if i % 2 else -1]:
                start = time.perf_counter()
                proc = subprocess.run([*copydesk, str(article)], env=env, cwd=ROOT, capture_output=True, text=True)
                times[name] = time.perf_counter() - start
                if name == "with" and "grammar checks skipped" in proc.stderr:
                    raise SystemExit(f"the server did not answer: {proc.stderr.strip()}")
            if i == 0:
                continue  # the first round warms the file system and the server's caches
            diffs.append(times["with"] - times["without"])
            withs.append(times["with"])
            withouts.append(times["without"])
    print(
        f"one article ({len(base.split())} words), {args.rounds} rounds, server {server.url}: "
        f"with grammar {statistics.median(withs):.3f} s, without {statistics.median(withouts):.3f} s, "
        f"difference median {statistics.median(diffs):+.3f} s (rounds {min(diffs):+.3f} to {max(diffs):+.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
