#!/usr/bin/env python3
"""Fuzz the command line: generated files, whole `copydesk check` runs, no traceback, no hang.

usage: python scripts/fuzz_cli.py [--inputs 10000] [--batch 1000] [--seed 1] [--timeout 600]

Inputs are made from the fixtures with a fixed seed: articles cut, spliced and salted with
hostile characters (RTL, combining marks, emoji, NUL, bidi controls, CR-only line ends), bytes
flipped, re-encoded (UTF-16, Latin-1, UTF-8 with a BOM), Markdown and HTML with broken or deeply
nested markup, random bytes, truncated zips named .docx. Each batch is one `copydesk check -j 2
--format json` over a folder, then the same batch with `--fix` on copies. A batch passes when the
exit code is 0, 1 or 2, stderr holds no traceback, the report is valid JSON naming every file,
each unreadable file has its one-line reason, and the run ends within the timeout.
Exit status: 0 when every batch passes, 1 otherwise (the failing batch folder is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = list(
    "אבג عربي \u200f\u200e\u202e\u2066\u0301\u0308\u0323😀🇺🇦👍🏽\x00\r\t\u00a0\u2028\u200b\ufeffКийівАВСа’ʼ“”«»„…—–‐'\"()[].,;:!?$%"
)
NO_LT = ("--ignore", "grammar")


def _sources() -> list[str]:
    files = [p for p in sorted((ROOT / "fixtures").rglob("*")) if p.suffix in (".txt", ".md", ".html")]
    return [p.read_text(encoding="utf-8-sig", errors="replace") for p in files]


def _docx(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for para in text.split("\n\n"):
        document.add_paragraph(para.replace("\x00", ""))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _salt(rng: random.Random, text: str, n: int) -> str:
    chars = list(text)
    for _ in range(n):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(HOSTILE))
    return "".join(chars)


def make_input(rng: random.Random, sources: list[str]) -> tuple[str, bytes]:
    """One (file suffix, bytes) pair."""
    text = rng.choice(sources)
    choice = rng.randrange(12)
    if choice == 0:  # a cut of an article, salted
        a = rng.randrange(len(text))
        return rng.choice([".txt", ".md"]), _salt(
            rng, text[a : a + rng.randrange(1, 3000)], rng.randrange(30)
        ).encode("utf-8", "surrogatepass")
    if choice == 1:  # two articles spliced, CR-only line ends
        other = rng.choice(sources)
        return ".txt", (text[: len(text) // 2] + other[len(other) // 2 :]).replace("\n", "\r").encode("utf-8")
    if choice == 2:  # bytes flipped
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randrange(1, 20)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return rng.choice([".txt", ".md", ".html"]), bytes(data)
    if choice == 3:  # other encodings
        enc = rng.choice(["utf-16", "utf-16-le", "latin-1", "utf-8-sig", "cp1251"])
        return ".txt", text.encode(enc, "replace")
    if choice == 4:  # random bytes
        return rng.choice([".txt", ".md", ".html"]), bytes(
            rng.randrange(256) for _ in range(rng.randrange(0, 2000))
        )
    if choice == 5:  # broken or deep HTML
        depth = rng.randrange(1, 3000)
        tag = rng.choice(["div", "b", "p", "blockquote", "span", "a href='x'", "script", "style", "!--"])
        body = _salt(rng, text[: rng.randrange(1, 2000)], rng.randrange(10))
        return ".html", (f"<{tag}>" * depth + body + "</div>" * rng.randrange(depth + 1)).encode("utf-8")
    if choice == 6:  # Markdown structure junk
        junk = rng.choice(["```", "> ", "# ", "* ", "1. ", "[x](", "![", "|", "---\n", "<!--", "    ", "\\"])
        lines = text.split("\n")
        return ".md", "\n".join(junk * rng.randrange(1, 5) + line for line in lines).encode("utf-8")
    if choice == 7:  # a .docx, whole, truncated or with bytes flipped
        blob = bytearray(_docx(text[:4000]))
        if rng.random() < 0.5:
            blob = blob[: rng.randrange(len(blob) + 1)]
        for _ in range(rng.randrange(3)):
            if blob:
                blob[rng.randrange(len(blob))] = rng.randrange(256)
        return ".docx", bytes(blob)
    if choice == 8:  # one long line
        return ".txt", (" ".join(text.split()) * rng.randrange(1, 20)).encode("utf-8")
    if choice == 9:  # empty or whitespace
        return rng.choice([".txt", ".md", ".html"]), rng.choice(
            [b"", b" ", b"\n\n\n", b"\xef\xbb\xbf", b"\r\n"]
        )
    if choice == 10:  # suppression comments and front matter, mangled
        head = rng.choice(
            [
                "<!-- copydesk: disable -->\n",
                "---\ntitle: x\n---\n",
                "<!-- copydesk: disable-next-line names -->\n",
            ]
        )
        return ".md", _salt(rng, head + text, rng.randrange(5)).encode("utf-8")
    return rng.choice([".txt", ".md", ".html"]), _salt(rng, text, rng.randrange(200)).encode(
        "utf-8", "surrogatepass"
    )


def run_batch(folder: Path, timeout: float, fix: bool = False) -> list[str]:
    """Problems found running copydesk over `folder` (empty: the batch passed)."""
    command = [sys.executable, "-m", "qa", "check", "--no-cache", "-j", "2", "--format", "json", *NO_LT]
    if fix:
        command.append("--fix")
    try:
        proc = subprocess.run([*command, str(folder)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [f"hang: no result after {timeout:.0f} s"]
    problems = []
    if proc.returncode not in (0, 1, 2):
        problems.append(f"exit status {proc.returncode}")
    if "Traceback" in proc.stderr:
        problems.append("traceback:\n" + proc.stderr[-3000:])
    if fix:
        return problems
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        return [*problems, f"report is not JSON: {exc}"]
    named = {f["path"] for f in report["files"]}
    expected = {str(p) for p in folder.iterdir()}
    if named != expected:
        problems.append(f"report names {len(named)} files of {len(expected)}")
    errors = {
        line.split(": ", 2)[1]
        for line in proc.stderr.splitlines()
        if line.startswith("copydesk: ") and "notice" not in line
    }
    for f in report["files"]:
        if f["error"] and f["path"] not in errors:
            problems.append(f"{f['path']}: error {f['error']!r} not reported on stderr")
    return problems


def fuzz(inputs: int, batch: int, seed: int, timeout: float, keep: Path | None = None, log=print) -> int:
    """Run the fuzz; returns the number of failed batches."""
    rng = random.Random(seed)
    sources = _sources()
    failed = 0
    done = 0
    started = time.monotonic()
    while done < inputs:
        size = min(batch, inputs - done)
        folder = Path(tempfile.mkdtemp(prefix="copydesk-fuzz-"))
        for i in range(size):
            suffix, data = make_input(rng, sources)
            (folder / f"input-{done + i:05d}{suffix}").write_bytes(data)
        copy = Path(tempfile.mkdtemp(prefix="copydesk-fuzz-fix-"))
        for p in folder.iterdir():
            shutil.copy(p, copy / p.name)
        problems = run_batch(folder, timeout) + [f"--fix: {p}" for p in run_batch(copy, timeout, fix=True)]
        done += size
        shutil.rmtree(copy, ignore_errors=True)
        if problems:
            failed += 1
            kept = keep / folder.name if keep else folder
            if keep:
                shutil.move(str(folder), kept)
            log(f"batch of {size} inputs FAILED (kept in {kept}):\n  " + "\n  ".join(problems))
        else:
            shutil.rmtree(folder, ignore_errors=True)
            log(f"{done} inputs: no traceback, no hang ({time.monotonic() - started:.0f} s)")
    return failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600, help="seconds allowed per batch run")
    args = ap.parse_args()
    os.environ.setdefault("COPYDESK_CACHE_DIR", tempfile.mkdtemp(prefix="copydesk-fuzz-cache-"))
    failed = fuzz(args.inputs, args.batch, args.seed, args.timeout)
    print(f"{args.inputs} inputs in batches of {args.batch}: {failed} failed batch(es)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
