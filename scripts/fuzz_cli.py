#!/usr/bin/env python3
"""Fuzz the command line: generated files, whole `copydesk check` runs, no traceback, no hang.

usage: python scripts/fuzz_cli.py [--inputs 10000] [--batch 1000] [--seed 1] [--timeout 600]

Inputs are made from the fixtures with a fixed seed: articles cut, spliced and salted with
hostile characters (RTL, combining marks, emoji, NUL, bidi controls, CR-only line ends), bytes
flipped, re-encoded (UTF-16, Latin-1, UTF-8 with a BOM), Markdown and HTML with broken or deeply
nested markup, random bytes, truncated zips named .docx, Markdown front matter (YAML aliases and
alias bombs, impossible dates, deep nesting, complex keys), and beside them special files:
FIFOs and sockets named like articles, symbolic links (to articles, dangling, in loops) and hard
links. Each batch is one `copydesk check -j 2 --format json` over a folder, then the same batch
with `--fix --unsafe-fixes` on a copy (links and FIFOs copied as they are), then `--fix` once more
on the result, then `--fix` on a third copy while an "editor" appends to files as it runs.
A batch passes when every run's exit code is 0, 1 or 2 within the timeout and stderr holds no
traceback; the report is valid JSON naming every file, each unreadable file with its one-line
reason; the second --fix changes nothing (fixes are idempotent); links are still links to the
same files and hard links still one file; and no text an editor appended is lost.
Exit status: 0 when every batch passes, 1 otherwise (the failing batch folder is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
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
    choice = rng.randrange(13)
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
    if choice == 12:  # front matter copydesk must refuse or read: aliases, bombs, dates, nesting
        head = rng.choice(
            [
                "a: &a [x, x]\nb: [*a, *a]\n",
                "a: &a [x,x,x,x,x,x,x,x,x]\n"
                + "".join(f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdef", "bcdefg")),
                "date: 2023-02-30\n",
                "date: 2023-13-01\n",
                "date: 10000-01-01\n",
                "x: " + "[" * rng.randrange(10, 3000) + "]" * rng.randrange(0, 3000) + "\n",
                "x:\n" + "".join("  " * i + "- a:\n" for i in range(rng.randrange(10, 200))),
                "? [a, b]\n: c\n",
                "? {a: 1}\n: c\n",
                "title: !!python/object/apply:os.system ['true']\n",
                "title: 'unclosed\n",
                "date: 2023-10-20\ntitle: fine\n",
            ]
        )
        return ".md", ("---\n" + head + "---\n" + text).encode("utf-8", "surrogatepass")
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


def add_special_files(rng: random.Random, folder: Path, count: int) -> None:
    """FIFOs, a socket, symbolic links (to inputs, dangling, a loop) and hard links among the inputs."""
    inputs = sorted(p.name for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html"))
    for i in range(count):
        kind = rng.choice(["fifo", "symlink", "hardlink", "dangling", "loop", "socket"])
        name = f"special-{i:03d}-{kind}" + rng.choice([".txt", ".md", ".html"])
        path = folder / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "symlink" and inputs:
            path.symlink_to(rng.choice(inputs))
        elif kind == "hardlink" and inputs:
            os.link(folder / rng.choice(inputs), path)
        elif kind == "dangling":
            path.symlink_to("no-such-article.txt")
        elif kind == "loop":
            path.symlink_to(name + ".other.txt")
            (folder / (name + ".other.txt")).symlink_to(name)
        elif kind == "socket" and len(str(path)) < 100:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(str(path))


def copy_batch(src: Path, dst: Path) -> None:
    """A copy of a batch folder that keeps links, hard links and special files as they are."""
    seen: dict[tuple[int, int], Path] = {}
    for p in sorted(src.iterdir()):
        target = dst / p.name
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            target.symlink_to(os.readlink(p))
        elif stat.S_ISFIFO(st.st_mode):
            os.mkfifo(target)
        elif stat.S_ISREG(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                os.link(seen[key], target)
            else:
                shutil.copyfile(p, target)
                seen[key] = target


def snapshot(folder: Path) -> dict[str, tuple]:
    """What --fix must keep: each name's kind, link target, inode group, and a regular file's bytes."""
    out: dict[str, tuple] = {}
    for p in sorted(folder.iterdir()):
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            out[p.name] = ("link", os.readlink(p))
        elif stat.S_ISREG(st.st_mode):
            out[p.name] = ("file", st.st_ino, p.read_bytes())
        else:
            out[p.name] = ("special", stat.S_IFMT(st.st_mode))
    return out


def _links_kept(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    problems = []
    for name, was in before.items():
        now = after.get(name)
        if now is None or now[0] != was[0] or (was[0] == "link" and now[1] != was[1]):
            problems.append(f"{name}: was a {was[0]}, now {now[0] if now else 'gone'}")
    inodes_before: dict[int, set[str]] = {}
    inodes_after: dict[int, set[str]] = {}
    for name, was in before.items():
        if was[0] == "file":
            inodes_before.setdefault(was[1], set()).add(name)
    for name, now in after.items():
        if now[0] == "file":
            inodes_after.setdefault(now[1], set()).add(name)
    groups_after = {frozenset(g) for g in inodes_after.values()}
    for group in inodes_before.values():
        if len(group) > 1 and frozenset(group) not in groups_after:
            problems.append(f"hard links {sorted(group)} are no longer one file")
    return problems


def _command(fix: bool, unsafe: bool = True) -> list[str]:
    command = [sys.executable, "-m", "qa", "check", "--no-cache", "-j", "2", "--format", "json", *NO_LT]
    if fix:
        command += ["--fix", "--unsafe-fixes"] if unsafe else ["--fix"]
    return command


def run_fix_batch(folder: Path, timeout: float) -> list[str]:
    """--fix on `folder` (a copy): no traceback, links kept, and a second --fix changes nothing."""
    before = snapshot(folder)
    problems = run_batch(folder, timeout, fix=True)
    once = snapshot(folder)
    problems += _links_kept(before, once)
    problems += [f"second --fix: {p}" for p in run_batch(folder, timeout, fix=True)]
    twice = snapshot(folder)
    changed = [n for n, v in once.items() if v[0] == "file" and twice.get(n, ("",))[-1] != v[-1]]
    problems += [f"non-idempotent fix: {n}" for n in changed]
    return problems


def run_concurrent_fix(folder: Path, timeout: float, rng: random.Random) -> list[str]:
    """--fix while an editor appends to some files: whatever copydesk did, every appended
    line is in its file when the run ends."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html") and not p.is_symlink() and p.is_file())
    chosen = rng.sample(files, min(25, len(files)))
    marks: dict[Path, list[str]] = {}
    proc = subprocess.Popen(
        [*_command(True), str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    stop = threading.Event()

    def editor() -> None:
        for i, path in enumerate(chosen):
            if stop.wait(rng.random() * 0.05):
                return
            mark = f"\nEDITOR-MARK-{i}-{rng.randrange(10**9)}\n"
            with open(path, "a", encoding="utf-8", errors="surrogateescape") as fh:
                fh.write(mark)
            marks.setdefault(path, []).append(mark.strip())

    thread = threading.Thread(target=editor)
    thread.start()
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stop.set()
        thread.join()
        return [f"concurrent --fix: hang: no result after {timeout:.0f} s"]
    thread.join()
    problems = []
    if proc.returncode not in (0, 1, 2):
        problems.append(f"concurrent --fix: exit status {proc.returncode}")
    if "Traceback" in err:
        problems.append("concurrent --fix: traceback:\n" + err[-3000:])
    for path, added in marks.items():
        text = path.read_bytes().decode("utf-8", "replace")
        lost = [m for m in added if m not in text]
        if lost:
            problems.append(f"concurrent --fix: {path.name} lost the editor's {lost}")
    return problems


def run_batch(folder: Path, timeout: float, fix: bool = False) -> list[str]:
    """Problems found running copydesk over `folder` (empty: the batch passed)."""
    try:
        proc = subprocess.run([*_command(fix), str(folder)], capture_output=True, text=True, timeout=timeout)
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
        add_special_files(rng, folder, max(1, size // 50))
        copy = Path(tempfile.mkdtemp(prefix="copydesk-fuzz-fix-"))
        copy_batch(folder, copy)
        edited = Path(tempfile.mkdtemp(prefix="copydesk-fuzz-edit-"))
        copy_batch(folder, edited)
        problems = run_batch(folder, timeout) + [f"--fix: {p}" for p in run_fix_batch(copy, timeout)]
        problems += run_concurrent_fix(edited, timeout, rng)
        done += size
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(edited, ignore_errors=True)
        if problems:
            failed += 1
            kept = keep / folder.name if keep else folder
            if keep:
                shutil.move(str(folder), kept)
            log(f"batch of {size} inputs FAILED (kept in {kept}):\n  " + "\n  ".join(problems))
        else:
            shutil.rmtree(folder, ignore_errors=True)
            log(f"{done} inputs: no traceback, no hang, no non-idempotent fix ({time.monotonic() - started:.0f} s)")
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
