"""Parsed data kept between runs: the knowledge base, posts and tenures, the word-class table and
the word list take about 0.15 s to parse and a few milliseconds to unpickle. Each is cached
under COPYDESK_CACHE_DIR (else ~/.cache/copydesk)/data, keyed by copydesk's version, the shipped
data files, its own code files (size and time) and any extra files given; on any problem it is
simply parsed again. Entries are sealed (qa.sealed): a planted or damaged one is a miss and is replaced, never unpickled.
Nothing is written while `copydesk serve` runs (COPYDESK_NO_DISK_CACHE)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from . import __version__
from .resources import code_stamp, rules_dir, user_cache_dir
from .sealed import seal, unseal

T = TypeVar("T")


def _root() -> Path:
    return user_cache_dir() / "data"


@lru_cache(maxsize=1)
def _shipped() -> str:
    h = hashlib.sha256(__version__.encode())
    for path in sorted((rules_dir() / "data").rglob("*")):
        if path.is_file():
            st = path.stat()
            h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    # and the code that builds the entries: a development checkout changes it without a new
    # version, and an entry built by older code (posts without their derived aliases) is stale
    h.update(code_stamp().encode())
    return h.hexdigest()


def cached(name: str, extra_files: Iterable[str], build: Callable[[], T], kind: type | None = None) -> T:
    """`build()`, or its result from an earlier run with the same data (of type `kind`)."""
    h = hashlib.sha256(f"{name}\0{_shipped()}".encode())
    for p in extra_files:
        try:
            st = os.stat(p)
            h.update(f"\0{os.path.abspath(p)}:{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            return build()  # a missing file: let the builder report it
    path = _root() / f"{name}-{h.hexdigest()[:24]}.pickle"
    try:
        with open(path, "rb") as fh:
            found = unseal(fh.read())
    except OSError:
        found = None
    if found is not None and (kind is None or isinstance(found, kind)):
        return found  # type: ignore[no-any-return]
    value = build()
    sealed = None if os.environ.get("COPYDESK_NO_DISK_CACHE") else seal(value)
    if sealed is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(sealed)
            os.replace(tmp, path)
            _prune(path, name)
        except OSError:
            pass  # a read-only home: the cache is only an optimisation
    return value


KEEP = 4  # copies of one name: a user's few projects (other extra files) each keep theirs


def _prune(kept: Path, name: str) -> None:
    """Keep the KEEP newest copies of `name` (older data, another version, other extra files):
    each upgrade or data change would otherwise leave megabytes behind. A process that needed
    a removed copy just parses its data again."""
    own = re.compile(re.escape(name) + r"-[0-9a-f]{24}\.pickle")  # not "kb-extra" for "kb"
    copies = []
    for path in kept.parent.glob(f"{name}-*.pickle"):
        if path != kept and own.fullmatch(path.name):
            try:
                copies.append((path.stat().st_mtime_ns, path))
            except OSError:
                continue
    for _, old in sorted(copies, reverse=True)[KEEP - 1 :]:
        try:
            old.unlink()
        except OSError:
            pass
