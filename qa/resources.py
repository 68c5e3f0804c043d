"""Where the shipped rule packs and data live: inside the installed package, or the source tree."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "rules"  # the wheel maps the top-level rules/ to qa/rules/
    return installed if installed.is_dir() else here.parent / "rules"


def schema_path() -> Path:
    return Path(__file__).resolve().parent / "schema" / "report.schema.json"
