"""`check --fix` and `--diff`: apply fixes to files, and nothing but the fixes.

Safe fixes apply with --fix; --unsafe-fixes adds the rest (as Ruff does). Fixes that overlap are
applied over several rounds, re-checking in between, until nothing changes, so a second --fix
changes nothing. A fix that does not settle (a rule whose fix keeps producing findings it fixes
again) is dropped for that file rather than applied once per run. Suppressed findings are not
fixed. --diff prints a unified diff and writes nothing.

What a write guarantees:
- Only the edited characters change: the file's encoding, byte-order mark, every line end as it
  was (mixed CRLF and LF included) and any further leading U+FEFF are kept.
- The file is the one that was checked: its bytes are compared with those checked, under the
  open that reads them, and again just before the new bytes go in; a file saved in between is
  skipped with a notice (run again) and left as the editor saved it.
- Links and permissions are kept: a symbolic link is followed and its target fixed (the link
  stays); owner, group and mode are kept; a read-only file is refused with a notice. A file is
  replaced atomically (a temporary file beside it, then a rename), so a crash leaves the old
  file or the new one; a file with several hard links, or one whose owner cannot be kept on a
  new file, is rewritten in place instead, which keeps the links and the owner.
A problem with one file (deleted or made unwritable while fixing) is that file's notice; the
other files are still fixed.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass, field

from .config import Config
from .engine import build_ruleset, diagnose
from .finding import Edit
from .fixes import apply_edits, choose
from .readers import InputError, RawText, decode_raw, digest, open_regular, read_limited, read_source, sniff

MAX_ROUNDS = 10


@dataclass
class FixResult:
    path: str
    original: str  # normalised source (LF)
    fixed: str
    applied: int
    data: bytes = b""  # the file's new bytes (fix_bytes)
    dropped: tuple[str, ...] = ()  # rules whose fixes did not settle on this file
    data_text: str = ""  # the new text as written (line ends as in the file)
    by_rule: dict[str, int] = field(default_factory=dict)  # fixes applied, by rule (--show-fixes)


class NotFixed(Exception):
    """A file that was not written; str() is the one-line reason."""


def fix_bytes(path: str, data: bytes, fmt: str, config: Config, unsafe: bool) -> FixResult:
    """Apply fixes to a file's bytes until none applies; only the edited spans change."""
    encoding, raw = decode_raw(data)
    result = _fix_raw(path, raw, sniff(data).newline, fmt, config, unsafe)
    result.data = encoding.encode(result.data_text)
    return result


def fix_source(path: str, source: str, fmt: str, config: Config, unsafe: bool) -> FixResult:
    """Apply fixes to a decoded source text (LF line ends); for the Python API and tests."""
    return _fix_raw(path, source, "\n", fmt, config, unsafe)


def _fix_raw(path: str, raw: str, newline: str, fmt: str, config: Config, unsafe: bool) -> FixResult:
    """Fix rounds on the text as written (`raw`) until they settle, proven idempotent: the
    result is one that fixing again leaves as it is, or, when no such text is reached, `raw`
    itself with the unsettled rules named."""
    ruleset = build_ruleset(config)
    by_rule: Counter[str] = Counter()
    text, applied, skip = _rounds(path, raw, newline, fmt, config, ruleset, unsafe, by_rule)
    dropped = set(skip)
    # with every rule's fixes applied until none was left, fixing again finds nothing; when some
    # were dropped, fixing the result again might apply them: try, until a fixed point
    for _ in range(3):
        if not skip:
            break
        again, more, skip = _rounds(path, text, newline, fmt, config, ruleset, unsafe, by_rule)
        if again == text:
            break
        text, applied, dropped = again, applied + more, dropped | skip
    else:
        if skip:
            text, applied = raw, 0  # no fixed point: nothing is applied, run after run
            by_rule.clear()
    result = FixResult(
        path, RawText(raw).text, RawText(text).text, applied, dropped=tuple(sorted(dropped)), by_rule=dict(by_rule)
    )
    result.data_text = text
    return result


def _rounds(path, raw, newline, fmt, config, ruleset, unsafe, by_rule: Counter[str]) -> tuple[str, int, set[str]]:
    """Apply fixes round after round, checking again in between, until none is left; rules
    whose fixes are still coming after MAX_ROUNDS (two rules undoing each other, a fix that
    recreates its finding) are dropped and the rounds start over without them. Edits found on
    the text as checked are mapped back to the text as written; newlines they insert are the
    file's own."""
    skip: set[str] = set()
    before = Counter(by_rule)
    while True:
        text, applied, recent = raw, 0, set()
        by_rule.clear()
        by_rule.update(before)  # a start over counts again from what earlier rounds applied
        for round_ in range(MAX_ROUNDS):
            mapped = RawText(text)
            doc = read_source(path, mapped.text, fmt)
            edits, chosen = choose(diagnose(doc, ruleset, config), unsafe, skip)
            if not chosen:
                return text, applied, skip
            new = apply_edits(
                text,
                [
                    Edit(mapped.to_raw(e.start), mapped.to_raw(e.end), e.replacement.replace("\n", newline))
                    for e in edits
                ],
            )
            if new == text:
                return text, applied, skip
            if round_ >= MAX_ROUNDS - 3:
                recent |= {d.rule for d in chosen}
            text, applied = new, applied + len(chosen)
            by_rule.update(d.rule for d in chosen)
        skip |= recent


def unified_diff(result: FixResult) -> str:
    return "".join(
        difflib.unified_diff(
            result.original.splitlines(keepends=True),
            result.fixed.splitlines(keepends=True),
            fromfile=f"a/{result.path.lstrip('/')}",
            tofile=f"b/{result.path.lstrip('/')}",
        )
    )


def fix_file(
    path: str, checked: str | None, fmt: str, config: Config, unsafe: bool, write: bool = True
) -> FixResult:
    """Fix the file at `path` (through a symbolic link, its target), provided its bytes are still
    those whose digest is `checked`. NotFixed says why a file was left alone."""
    real = os.path.realpath(path)
    try:
        fd, before = open_regular(real)
    except InputError as exc:
        raise NotFixed(f"not fixed: {exc}") from None
    with os.fdopen(fd, "rb") as fh:
        try:
            data = read_limited(fh)
        except (InputError, OSError) as exc:
            raise NotFixed(f"not fixed: {exc}") from None
    if checked is not None and digest(data) != checked:
        raise NotFixed("not fixed: the file changed after it was checked; run copydesk again")
    result = fix_bytes(path, data, fmt, config, unsafe)
    if write and result.data != data:
        if not before.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise NotFixed("not fixed: the file is read-only")
        _write(real, result.data, before)
    return result


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_dev, b.st_ino, b.st_size, b.st_mtime_ns)


def _write(real: str, data: bytes, before: os.stat_result) -> None:
    try:
        if before.st_nlink > 1 or not _replace(real, data, before):
            _rewrite_in_place(real, data, before)
    except FileNotFoundError:
        raise NotFixed("not fixed: the file was deleted while it was being fixed") from None
    except OSError as exc:
        raise NotFixed(f"not fixed: cannot write: {exc.strerror or exc}") from None


def _replace(real: str, data: bytes, before: os.stat_result) -> bool:
    """Replace `real` atomically with a new file of the same owner, group and mode; False when
    that cannot keep them (the caller then writes in place)."""
    folder = os.path.dirname(real) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".copydesk-tmp", dir=folder)
    except OSError:
        return False  # a folder we cannot write in: the file itself may still be writable
    try:
        with os.fdopen(fd, "wb") as fh:
            if (before.st_uid, before.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(fh.fileno(), before.st_uid, before.st_gid)
                except PermissionError:
                    os.unlink(tmp)
                    return False
            os.fchmod(fh.fileno(), stat.S_IMODE(before.st_mode))
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not _same(os.stat(real), before):  # saved by someone else since it was read
            raise NotFixed("not fixed: the file changed while it was being fixed; run copydesk again")
        os.replace(tmp, real)
        return True
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _rewrite_in_place(real: str, data: bytes, before: os.stat_result) -> None:
    fd = os.open(real, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "wb") as fh:
        if not _same(os.fstat(fh.fileno()), before):
            raise NotFixed("not fixed: the file changed while it was being fixed; run copydesk again")
        fh.write(data)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())
