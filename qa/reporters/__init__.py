"""Output formats, one module each, registered in the order `--format` lists them.

Each module has `render(results, out, color, notices)`: the file results of the run, the stream
to write to, whether to use colour, and the run's one-line notices (grammar skipped, say)."""

from __future__ import annotations

from collections.abc import Callable

from . import github, gitlab, html_report, json_format, junit, sarif, text

REPORTERS: dict[str, Callable[..., None]] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
    "html": html_report.render,
}
