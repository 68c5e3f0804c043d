"""Output formats, one module each, registered in the order `--format` lists them.

Each module has `render(results, out, color, notices)`: the file results of the run, the stream
to write to, whether to use colour, and the run's one-line notices (grammar skipped, say)."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def _render(module: str) -> Callable[..., None]:
    """The module's render(), imported when the format is used: a run loads one reporter."""

    def render(*args, **kwargs) -> None:
        return importlib.import_module(f"{__name__}.{module}").render(*args, **kwargs)

    return render


# Formats whose report is a run of per-file parts, each from the module's render_file(result,
# color): a run works a file's part out as soon as the file is checked (in the worker process
# with -j), and the report then writes the parts, rendering again only the files that changed
# after (findings across files, a baseline).
PER_FILE: dict[str, str] = {"text": "text", "json": "json_format"}


def file_renderer(fmt: str) -> Callable[..., str] | None:
    """render_file(result, color) of a per-file format, else None."""
    module = PER_FILE.get(fmt)
    return importlib.import_module(f"{__name__}.{module}").render_file if module else None  # type: ignore[no-any-return]


def render_part(result, fmt: str, color: bool) -> tuple[tuple[str, str] | None, tuple[int, ...] | None]:
    """A checked file's part of a per-file report and the severities of its findings (ints:
    Severity members cost more to pickle), or (None, None) for another format or a file that
    could not be read."""
    render_file = file_renderer(fmt)
    if render_file is None or result.error is not None or result.source is None:
        return None, None
    return (fmt, render_file(result, color)), tuple(int(d.severity) for d in result.diagnostics)


REPORTERS: dict[str, Callable[..., None]] = {
    "text": _render("text"),
    "concise": _render("concise"),
    "json": _render("json_format"),
    "sarif": _render("sarif"),
    "github": _render("github"),
    "gitlab": _render("gitlab"),
    "junit": _render("junit"),
    "html": _render("html_report"),
}

# Formats that take `quiet` (no summary line); and --statistics, a report of its own in text or JSON
QUIET_AWARE = frozenset({"text", "concise"})
STATISTICS = _render("statistics")
