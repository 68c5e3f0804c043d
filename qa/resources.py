"""Where the shipped rule packs and data live: inside the installed package, or the source tree."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "rules"  # the wheel maps the top-level rules/ to qa/rules/
    return installed if installed.is_dir() else here.parent / "rules"


def schema_path() -> Path:
    return Path(__file__).resolve().parent / "schema" / "report.schema.json"


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A digest of the package's code files (name, size, time): what the caches built by this
    code add to their keys, so that a development checkout's change to a builder or a check is
    never answered with an entry the old code made (an installed version changes them too)."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def user_cache_dir() -> Path:
    """copydesk's own folder of the user's cache: COPYDESK_CACHE_DIR, else ~/.cache/copydesk."""
    return Path(os.environ.get("COPYDESK_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "copydesk"))
