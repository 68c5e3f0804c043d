"""`check --fix` and `--diff`: apply fixes to files, safely.

Safe fixes apply with --fix; --unsafe-fixes adds the rest (as Ruff does). Fixes that overlap are
applied over several rounds, re-checking in between, until nothing changes, so a second --fix
changes nothing. Files are written atomically (a temporary file in the same folder, then a
rename) with their encoding, byte-order mark and line ends kept; a file without a fix is not
touched. --diff prints a unified diff and writes nothing.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .engine import build_ruleset, check_document
from .fixes import apply_fixes
from .readers import read_source

MAX_ROUNDS = 10


@dataclass
class FixResult:
    path: str
    original: str  # normalised source (LF)
    fixed: str
    applied: int


def fix_source(path: str, source: str, fmt: str, config: Config, unsafe: bool) -> FixResult:
    """Apply fixes to `source` until none applies; the source is never re-read from disk."""
    ruleset = build_ruleset(config)
    text, applied = source, 0
    for _ in range(MAX_ROUNDS):
        doc = read_source(path, text, fmt)
        new, count = apply_fixes(text, check_document(doc, ruleset, []), unsafe)
        if count == 0 or new == text:
            break
        text, applied = new, applied + count
    return FixResult(path, source, text, applied)


def unified_diff(result: FixResult) -> str:
    return "".join(
        difflib.unified_diff(
            result.original.splitlines(keepends=True),
            result.fixed.splitlines(keepends=True),
            fromfile=f"a/{result.path.lstrip('/')}",
            tofile=f"b/{result.path.lstrip('/')}",
        )
    )


def write_atomically(path: str, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old file or the new one."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".copydesk-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
