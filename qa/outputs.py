"""Reports copydesk wrote with `-o`, remembered so that a later `check .` does not check them.

An HTML report in the folder being checked (`copydesk check . -o report.html`) is an .html file
like any article, and a text report saved as report.txt is a .txt: the next walk of the folder
would check copydesk's own words. Each file written with `-o` is recorded in the user's cache
(COPYDESK_CACHE_DIR, else ~/.cache/copydesk) as its real path, size and modification time;
a walk skips a file whose three still match, so a report edited or replaced by an article of
the same name is checked again. The record keeps the last few hundred reports and is never
worth failing a run over: it is read and written quietly.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from .resources import user_cache_dir

KEEP = 500  # reports remembered


def _file():
    return user_cache_dir() / "reports-written.json"


def _stamp(path: str) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.path.realpath(path), st.st_size, st.st_mtime_ns


def _load() -> list[list]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in data if isinstance(e, list) and len(e) == 3] if isinstance(data, list) else []


def record(path: str) -> None:
    """Remember a report just written to `path`."""
    stamp = _stamp(path)
    if stamp is None:
        return
    entries = [e for e in _load() if e[0] != stamp[0]] + [list(stamp)]
    target = _file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entries[-KEEP:]), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass
    _written.cache_clear()


@lru_cache(maxsize=4)
def _written(where: str) -> frozenset[tuple[str, int, int]]:  # keyed by the record's place
    return frozenset(tuple(e) for e in _load())


def is_report(path: str) -> bool:
    """Whether `path` is a report copydesk wrote and nobody has changed since."""
    written = _written(str(_file()))
    if not written:
        return False
    stamp = _stamp(path)
    return stamp is not None and stamp in written
