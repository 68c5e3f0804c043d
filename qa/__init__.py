"""copydesk: editorial and translation QA for news copy.

Public API:
    check_text(text, *, fmt="txt", path="<text>", config=None) -> list[Diagnostic]
    check_paths(paths, *, config=None) -> list[FileResult]
Both return what the command line reports. Importing qa loads no rule or data: that happens on
the first check.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .config import Config
    from .engine import FileResult
    from .finding import Diagnostic


def check_text(
    text: str, *, fmt: str = "txt", path: str = "<text>", config: Config | None = None
) -> list[Diagnostic]:
    """Check a string as a file of format `fmt` (txt, md or html) would be checked."""
    from .config import Config
    from .engine import build_ruleset, diagnose
    from .readers import read_source

    source = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    doc = read_source(path, source, fmt)
    config = config or Config()
    return diagnose(doc, build_ruleset(config), config)


def check_paths(paths: Iterable[str | os.PathLike] | str | os.PathLike, *, config: Config | None = None) -> list[FileResult]:
    """Check files and folders (or one path); each file's nearest configuration applies unless
    `config` is given. A folder that cannot be read is a result with its error."""
    from .engine import ConfigResolver, FileResult, check_file, excluded_by, expand_paths, finish_run

    resolver = ConfigResolver(config, {})
    errors: list[tuple[str, str]] = []
    files = list(expand_paths(paths, excluded_by(resolver), errors))
    results = [FileResult(path, [], reason) for path, reason in errors]
    results += [check_file(p, resolver.for_path(p)) for p in files]
    finish_run(results)  # checks across the files of the run
    return results
